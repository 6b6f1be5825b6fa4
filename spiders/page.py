"""Turning one fetched HTML page into article fields.

trafilatura finds the main text and metadata on any layout; a source's CSS
overrides win where given, tried newest layout version first, so a redesign
adds a selector version instead of breaking the old pages.  Dates prefer a
full timestamp from the page's metadata over trafilatura's day-only date,
with htmldate as the last resort.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import dateparser
import htmldate
import trafilatura
from parsel import Selector

from chipwire.spiders.sources import Selectors

MAX_HTML_CHARS = 3_000_000  # trafilatura on larger trees costs seconds and gains nothing
WORDS_FILE = Path(__file__).with_name("data") / "english_function_words.txt"
_BLOCKS = "p, h2, h3, h4, li, blockquote, pre"
_DATE_META = (
    "meta[property='article:published_time']::attr(content)",
    "meta[name='article:published_time']::attr(content)",
    "meta[itemprop='datePublished']::attr(content)",
    "meta[name='pubdate']::attr(content)",
    "meta[name='publish-date']::attr(content)",
    "meta[name='date']::attr(content)",
    "meta[name='dc.date']::attr(content)",
    "time[datetime]::attr(datetime)",
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# Invisible formatting: bidi marks, embeddings and isolates, byte-order mark.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_INVISIBLE = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class PageFields:
    title: str | None
    text: str
    author: str | None
    published_at: datetime | None
    language: str | None
    canonical_url: str | None
    listing: bool = False  # a section front or archive page: headlines linking elsewhere


# A hub page (section front, archive, "page 2") reaches the crawl through sitemaps and
# feeds like any article, and trafilatura extracts its teasers as if they were a story.
# Its tell: much of the extracted text is the text of links to other pages.  An article's
# "related stories" links are left out of the extracted text, so they do not count.
MIN_LISTING_LINKS = 5
MIN_LISTING_SHARE = 0.2
MIN_HEADLINE_WORDS = 4


def clean_text(text: str) -> str:
    """Single spaces within lines, no blank-line runs, no control characters."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _SPACES.sub(" ", _INVISIBLE.sub("", _CONTROL.sub("", line))).strip()
        lines.append(line)
    joined = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", joined).strip()


def parse_datetime(value: str | None) -> datetime | None:
    """Any reasonable date string to aware UTC; a date without zone is taken as UTC."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        # A stated zone ("-0800", "PST") is converted to UTC; none means UTC.
        parsed = dateparser.parse(
            value,
            settings={
                "TIMEZONE": "UTC",
                "TO_TIMEZONE": "UTC",
                "RETURN_AS_TIMEZONE_AWARE": True,
                "PREFER_DAY_OF_MONTH": "first",
            },
        )
        if parsed is None:
            return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def english_ratio(text: str) -> float:
    words = re.findall(r"[a-z]+", text.lower())
    if not words:
        return 0.0
    common = _function_words()
    return sum(word in common for word in words) / len(words)


def detect_language(selector: Selector, text: str) -> str | None:
    """Declared language (html lang, og:locale, Content-Language), else a cheap English test."""
    # XPath, not CSS: CSS cannot name the xml:lang attribute (a syntax error), and
    # http-equiv values are case-insensitive ("Content-Language").
    for query in (
        "/html/@lang",
        "/*/@xml:lang | /html/@*[name()='xml:lang']",
        "//meta[@property='og:locale']/@content",
        "//meta[translate(@http-equiv, 'CONTENTLAGU', 'contentlagu')='content-language']/@content",
    ):
        declared = selector.xpath(query).get()
        if declared and declared.strip():
            return re.split(r"[-_]", declared.strip().lower())[0][:10]
    if len(text.split()) >= 30 and english_ratio(text) >= 0.08:
        return "en"
    return None


def _json_ld_dates(selector: Selector) -> list[str]:
    found: list[str] = []
    for raw in selector.css("script[type='application/ld+json']::text").getall():
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("datePublished"), str):
                found.append(item["datePublished"])
    return found


def _css_text(selector: Selector, query: str | None) -> str | None:
    if not query:
        return None
    values = [v.strip() for v in selector.css(query).getall() if v and v.strip()]
    return clean_text(" ".join(values)) or None


def _css_body(selector: Selector, query: str | None) -> str | None:
    if not query:
        return None
    blocks: list[str] = []
    for element in selector.css(query):
        parts = [clean_text(" ".join(b.css("::text").getall())) for b in element.css(_BLOCKS)]
        parts = [p for p in parts if p]
        blocks.extend(parts or [clean_text(" ".join(element.css("::text").getall()))])
    text = "\n\n".join(b for b in blocks if b)
    return text or None


def _override(selector: Selector, versions: tuple[Selectors, ...]) -> Selectors | None:
    """The newest layout version whose body selector matches this page."""
    for version in versions:
        if version.body is None or selector.css(version.body):
            return version
    return None


def _drop_leading_title(text: str, title: str | None) -> str:
    if not title:
        return text
    lines = text.split("\n")
    for index, line in enumerate(lines[:3]):
        if line.strip() == title.strip():
            return "\n".join(lines[index + 1 :]).strip()
    return text


def is_listing(selector: Selector, text: str) -> bool:
    """Whether the extracted ``text`` is mostly headlines of links to other pages."""
    flat = " ".join(text.split())
    words = len(flat.split())
    if not words:
        return False
    anchors = selector.xpath(
        "//body//a[@href][not(ancestor::nav) and not(ancestor::header) and not(ancestor::footer)]"
    )
    linked = [" ".join((a.xpath("string()").get() or "").split()) for a in anchors]
    headlines = [h for h in linked if len(h.split()) >= MIN_HEADLINE_WORDS and h in flat]
    share = sum(len(h.split()) for h in headlines) / words
    return len(headlines) >= MIN_LISTING_LINKS and share >= MIN_LISTING_SHARE


def parse_page(html: str, url: str, selectors: tuple[Selectors, ...] = ()) -> PageFields:
    """Article fields of one page; an empty ``text`` means no article was found."""
    html = html[:MAX_HTML_CHARS]
    selector = Selector(text=html)
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )
    title = clean_text(document.title) if document is not None and document.title else None
    author = clean_text(document.author) if document is not None and document.author else None
    text = clean_text(document.text) if document is not None and document.text else ""
    day = document.date if document is not None else None

    version = _override(selector, selectors)
    published_raw: str | None = None
    if version is not None:
        title = _css_text(selector, version.title) or title
        author = _css_text(selector, version.author) or author
        text = _css_body(selector, version.body) or text
        published_raw = _css_text(selector, version.date)

    candidates = [published_raw] if published_raw else []
    candidates += [selector.css(query).get() for query in _DATE_META]
    candidates += _json_ld_dates(selector)
    published = next((p for p in map(parse_datetime, candidates) if p is not None), None)
    if published is None:
        published = parse_datetime(day) or parse_datetime(
            htmldate.find_date(html, url=url, extensive_search=False)
        )

    canonical = selector.css("link[rel='canonical']::attr(href)").get()
    text = _drop_leading_title(text, title)
    return PageFields(
        title=title,
        text=text,
        author=author,
        published_at=published,
        language=detect_language(selector, text),
        canonical_url=canonical.strip() if canonical else None,
        listing=is_listing(selector, text),
    )
