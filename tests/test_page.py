"""parse_page on small hand-written HTML: metadata, selector versions, dates, language."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from chipwire.spiders.page import clean_text, parse_datetime, parse_page
from chipwire.spiders.sources import Selectors

URL = "https://news.example.com/2026/03/groq-deal.html"
PARAGRAPHS = (
    "Groq said on Tuesday that it had signed a multi-year agreement to supply inference "
    "capacity to a large cloud provider, its biggest deal since the company was founded.",
    "The startup, which designs its own language processing units, will install the "
    "systems in two new data centres in Texas and Finland over the next eighteen months.",
    "Analysts said the agreement showed that buyers were looking beyond Nvidia for "
    "inference, where latency and the cost per token matter more than raw throughput.",
    "Groq did not disclose the value of the contract, but people familiar with the "
    "matter put it at several hundred million dollars over the full term of the deal.",
)
ARTICLE = "<article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>"


def html(head: str = "", body: str = ARTICLE, html_attrs: str = 'lang="en"') -> str:
    return (
        f"<!doctype html><html {html_attrs}><head><meta charset='utf-8'>{head}</head>"
        f"<body><header><nav><a href='/'>Home</a></nav></header>{body}"
        "<footer>© Example News</footer></body></html>"
    )


def meta(prop: str, content: str, attr: str = "property") -> str:
    return f'<meta {attr}="{prop}" content="{content}">'


# --- metadata ------------------------------------------------------------------------


def test_title_author_and_date_come_from_meta() -> None:
    page = parse_page(
        html(
            "<title>Groq deal | Example News</title>"
            + meta("og:title", "Groq signs inference supply deal")
            + meta("author", "Jane Doe", "name")
            + meta("article:published_time", "2026-03-03T14:00:00Z")
        ),
        URL,
    )
    assert page.title == "Groq signs inference supply deal"
    assert page.author == "Jane Doe"
    assert page.published_at == datetime(2026, 3, 3, 14, tzinfo=UTC)
    assert page.text.startswith("Groq said on Tuesday")
    assert "Finland" in page.text and "Home" not in page.text and "©" not in page.text


def test_a_headline_repeating_the_title_is_not_part_of_the_text() -> None:
    title = "Groq signs inference supply deal"
    page = parse_page(html(f"<title>{title}</title>", f"<article><h1>{title}</h1>{ARTICLE}"), URL)
    assert page.title == title
    assert not page.text.startswith(title)


def test_page_canonical_is_reported() -> None:
    page = parse_page(html('<link rel="canonical" href=" /2026/03/groq-deal.html ">'), URL)
    assert page.canonical_url == "/2026/03/groq-deal.html"
    assert parse_page(html(), URL).canonical_url is None


# --- CSS selector versions -----------------------------------------------------------

NEW_LAYOUT = (
    '<div class="story-v2"><h1 class="headline">New layout headline</h1>'
    '<span class="byline">Bob Smith</span><time class="when">March 3, 2026 9:30 am</time>'
    '<div class="body-v2"><p>New layout first paragraph.</p><p>New layout second.</p></div>'
    "</div>"
)
OLD_LAYOUT = (
    '<h2 class="title-v1">Old layout headline</h2>'
    '<div class="text-v1"><p>Old layout only paragraph.</p></div>'
)
VERSIONS = (
    Selectors(
        title="h1.headline::text",
        body="div.body-v2",
        author="span.byline::text",
        date="time.when::text",
    ),
    Selectors(title="h2.title-v1::text", body="div.text-v1"),
)


def test_newest_matching_selector_version_wins() -> None:
    page = parse_page(html(body=NEW_LAYOUT + OLD_LAYOUT + ARTICLE), URL, VERSIONS)
    assert page.title == "New layout headline"
    assert page.author == "Bob Smith"
    assert page.text == "New layout first paragraph.\n\nNew layout second."
    assert page.published_at == datetime(2026, 3, 3, 9, 30, tzinfo=UTC)


def test_an_old_layout_page_falls_back_to_the_older_version() -> None:
    page = parse_page(html(body=OLD_LAYOUT + ARTICLE), URL, VERSIONS)
    assert page.title == "Old layout headline"
    assert page.text == "Old layout only paragraph."


def test_no_matching_version_falls_back_to_trafilatura() -> None:
    page = parse_page(html("<title>Groq deal</title>"), URL, VERSIONS)
    assert page.title == "Groq deal"
    assert page.text.startswith("Groq said on Tuesday")


def test_a_version_without_body_selector_always_applies() -> None:
    only_title = (Selectors(title="h2.kicker::text"),)
    page = parse_page(html(body='<h2 class="kicker">Kicker title</h2>' + ARTICLE), URL, only_title)
    assert page.title == "Kicker title"
    assert "Finland" in page.text


def test_an_empty_selector_match_keeps_trafilatura_values() -> None:
    versions = (Selectors(title="h1.missing::text", body="article", author="span.none::text"),)
    page = parse_page(html(meta("author", "Jane Doe", "name")), URL, versions)
    assert page.author == "Jane Doe"
    assert page.text.startswith("Groq said on Tuesday")


# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-03T14:00:00Z", datetime(2026, 3, 3, 14, tzinfo=UTC)),
        ("2026-03-03T14:00:00+02:00", datetime(2026, 3, 3, 12, tzinfo=UTC)),
        ("2026-03-03T14:00:00.250-05:00", datetime(2026, 3, 3, 19, 0, 0, 250000, tzinfo=UTC)),
        ("2026-03-03T14:00:00", datetime(2026, 3, 3, 14, tzinfo=UTC)),
        ("2026-03-03", datetime(2026, 3, 3, tzinfo=UTC)),
        ("March 3, 2026", datetime(2026, 3, 3, tzinfo=UTC)),
        ("3 March 2026 10:00", datetime(2026, 3, 3, 10, tzinfo=UTC)),
        ("Tue, 03 Mar 2026 10:00:00 -0800", datetime(2026, 3, 3, 18, tzinfo=UTC)),
        ("Tue, 03 Mar 2026 10:00:00 GMT", datetime(2026, 3, 3, 10, tzinfo=UTC)),
        ("March 3, 2026 10:00 PST", datetime(2026, 3, 3, 18, tzinfo=UTC)),
        ("  2026-03-03T14:00:00Z \n", datetime(2026, 3, 3, 14, tzinfo=UTC)),
    ],
)
def test_parse_datetime_gives_aware_utc(value: str, expected: datetime) -> None:
    parsed = parse_datetime(value)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() is not None
    assert parsed.tzinfo == UTC


@pytest.mark.parametrize("value", [None, "", "   ", "no date here at all"])
def test_parse_datetime_gives_none_for_no_date(value: str | None) -> None:
    assert parse_datetime(value) is None


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            meta("article:published_time", "2026-03-03T14:00:00Z"),
            datetime(2026, 3, 3, 14, tzinfo=UTC),
        ),
        (
            meta("article:published_time", "2026-03-03T09:00:00-05:00"),
            datetime(2026, 3, 3, 14, tzinfo=UTC),
        ),
        (meta("date", "March 3, 2026", "name"), datetime(2026, 3, 3, tzinfo=UTC)),
        (
            meta("datePublished", "2026-03-03T14:00:00", "itemprop"),
            datetime(2026, 3, 3, 14, tzinfo=UTC),
        ),
    ],
    ids=["iso-z", "iso-offset", "long-form", "no-zone-is-utc"],
)
def test_page_date_from_meta(head: str, expected: datetime) -> None:
    assert parse_page(html(head), URL).published_at == expected


def test_page_date_from_json_ld() -> None:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Groq signs inference supply deal",
        "datePublished": "2026-03-03T16:30:00+01:00",
    }
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    assert parse_page(html(head), URL).published_at == datetime(2026, 3, 3, 15, 30, tzinfo=UTC)


def test_page_date_from_a_json_ld_list_and_broken_json_ld_is_skipped() -> None:
    head = (
        '<script type="application/ld+json">{not json</script>'
        '<script type="application/ld+json">'
        '[{"@type": "BreadcrumbList"}, {"@type": "NewsArticle", "datePublished": "2026-03-03"}]'
        "</script>"
    )
    assert parse_page(html(head), URL).published_at == datetime(2026, 3, 3, tzinfo=UTC)


def test_page_date_from_a_time_element() -> None:
    body = '<time datetime="2026-03-03T14:00:00Z">3 March</time>' + ARTICLE
    assert parse_page(html(body=body), URL).published_at == datetime(2026, 3, 3, 14, tzinfo=UTC)


def test_meta_date_wins_over_json_ld() -> None:
    ld = json.dumps({"@type": "NewsArticle", "datePublished": "2025-01-01T00:00:00Z"})
    head = (
        meta("article:published_time", "2026-03-03T14:00:00Z")
        + f'<script type="application/ld+json">{ld}</script>'
    )
    assert parse_page(html(head), URL).published_at == datetime(2026, 3, 3, 14, tzinfo=UTC)


def test_a_page_without_a_date_has_none() -> None:
    assert (
        parse_page(html("<title>Groq deal</title>"), "https://news.example.com/groq").published_at
        is None
    )


# --- language ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html_attrs", "head", "expected"),
    [
        ('lang="en"', "", "en"),
        ('lang="en-GB"', "", "en"),
        ('lang="DE-de"', "", "de"),
        ('xml:lang="fr"', "", "fr"),
        ("", meta("og:locale", "de_DE"), "de"),
        ("", meta("Content-Language", "ja", "http-equiv"), "ja"),
        ('lang="fr"', meta("og:locale", "de_DE"), "fr"),
    ],
    ids=["lang", "lang-region", "lang-case", "xml-lang", "og-locale", "http-equiv", "lang-first"],
)
def test_declared_language(html_attrs: str, head: str, expected: str) -> None:
    assert parse_page(html(head, html_attrs=html_attrs), URL).language == expected


def test_undeclared_english_text_is_english() -> None:
    assert parse_page(html(html_attrs=""), URL).language == "en"
    assert parse_page(html(html_attrs='lang=""'), URL).language == "en"


def test_undeclared_non_english_text_has_no_language() -> None:
    german = "".join(
        "<p>Die Bundesregierung stellt neue Fördermittel für Halbleiterwerke bereit. Der "
        f"Konzern erwartet hohe Nachfrage nach Beschleunigern für Rechenzentren, Teil {n}.</p>"
        for n in range(4)
    )
    page = parse_page(html(body=f"<article>{german}</article>", html_attrs=""), URL)
    assert page.text
    assert page.language is None


def test_too_little_undeclared_text_has_no_language() -> None:
    page = parse_page(
        html(body="<article><p>Groq ships the chip.</p></article>", html_attrs=""), URL
    )
    assert page.language is None


# --- robustness ----------------------------------------------------------------------


def test_a_huge_page_is_parsed_without_error() -> None:
    body = "<article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) * 12_000 + "</article>"
    page_html = html("<title>Huge page</title>", body)
    assert len(page_html) > 5_000_000
    page = parse_page(page_html, URL)
    assert page.text
    assert page.title == "Huge page"


def test_malformed_html_does_not_raise() -> None:
    broken = (
        "<html><head><title>Broken <b>page</title><meta name=author content=Jane"
        "<body><div><p>Groq said on Tuesday that it signed a deal<p>with a <i>large cloud"
        "<table><tr><td>cell</div></span></p>" + "".join(f"<p>{p}" for p in PARAGRAPHS)
    )
    page = parse_page(broken, URL)
    assert "Groq" in page.text


@pytest.mark.parametrize("document", ["", "   ", "not html at all", "<html></html>", "<p>"])
def test_degenerate_documents_do_not_raise(document: str) -> None:
    page = parse_page(document, URL)
    assert page.published_at is None or page.published_at.tzinfo == UTC


def test_odd_unicode_is_cleaned() -> None:
    odd = (
        "<article><p>\u200fGroq\u00a0said\u00a0on\u2009Tuesday \u200ethat it had\u202f signed a "
        "\u202bmulti-year\u202c agreement\u2066 to supply\u2069 inference capacity.\ufeff</p>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])
        + "</article>"
    )
    page = parse_page(html(meta("og:title", "Groq\u00a0signs \u200fdeal"), odd), URL)
    first = page.text.split("\n")[0]
    assert first == (
        "Groq said on Tuesday that it had signed a multi-year agreement to supply "
        "inference capacity."
    )
    assert page.title == "Groq signs deal"
    for char in "\u00a0\u2009\u202f\u200e\u200f\u202b\u202c\u2066\u2069\ufeff":
        assert char not in page.text


def test_clean_text_collapses_spaces_and_blank_line_runs() -> None:
    raw = "  a\u00a0\u00a0b\t c \r\n\r\n\r\n\r\nd\x00e\x07 \u3000f\n\n\n"
    assert clean_text(raw) == "a b c\n\nde f"


# --- hub pages: section fronts and archives are not articles -----------------------------

HEADLINES = [
    "Quarry Data opens a second inference region in Oslo",
    "Orchard Systems ships its first liquid-cooled accelerator rack",
    "Lumora raises a Series B to build optical interconnects",
    "Vantor Labs picks a foundry partner for its next training chip",
    "Analysts expect memory prices to climb again next quarter",
    "Why the next wave of inference chips looks like networking gear",
    "Kestrel Compute signs a multi-year capacity agreement",
]
FILLER = (
    "The company said the design had been in development for three years and that early "
    "customers were running production workloads on it. Engineers described the main change "
    "as a simpler memory hierarchy, which lowers latency for long prompts. "
)


def listing_html(teasers: bool = True) -> str:
    items = "".join(
        f'<li><a href="/news/story-{i}.html">{headline}</a>'
        + (f"<p>Teaser text for story {i} with a few more words of context.</p>" if teasers else "")
        + "</li>"
        for i, headline in enumerate(HEADLINES)
    )
    return (
        "<html><head><title>News archive</title></head><body>"
        '<nav><a href="/">Home</a></nav><main><h1>News archive</h1>'
        f"<ul>{items}</ul></main></body></html>"
    )


def article_html(related: int, body_repeats: int = 4) -> str:
    links = "".join(
        f'<li><a href="/news/story-{i}.html">{h}</a></li>'
        for i, h in enumerate(HEADLINES[:related])
    )
    return (
        "<html><head><title>Quarry Data opens a region</title></head><body><main><article>"
        "<h1>Quarry Data opens a region</h1>"
        + "".join(f"<p>{FILLER}</p>" for _ in range(body_repeats))
        + '<p>It follows <a href="/news/story-2.html">an earlier funding round</a>.</p>'
        + f'</article><aside class="related"><h2>Related stories</h2><ul>{links}</ul></aside>'
        "</main></body></html>"
    )


@pytest.mark.parametrize("teasers", [True, False])
def test_a_page_of_headline_links_is_a_listing(teasers: bool) -> None:
    assert parse_page(listing_html(teasers), "https://news.test/news/").listing


@pytest.mark.parametrize(("related", "repeats"), [(0, 4), (7, 4), (7, 1), (3, 1)])
def test_an_article_with_related_stories_is_no_listing(related: int, repeats: int) -> None:
    page = parse_page(article_html(related, repeats), "https://news.test/news/a.html")
    assert page.text and not page.listing
