"""The weekly briefing: the context builder on a small store (both back-ends), the rendered
page's structure and safety, the archive, and the empty week."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from chipwire.models import Article, PriceBar
from chipwire.reports.context import build_briefing
from chipwire.reports.render import render_briefing, write_week
from chipwire.reports.week import parse_week
from tests.briefing_store import HOSTILE_TITLE, WEEK, build

SECTIONS = [
    "Summary",
    "Top stories",
    "Deals",
    "Benchmark claims",
    "Companies",
    "Charts",
    "New names",
    "Sources and method",
]


class Outline(HTMLParser):
    """Headings, links, elements and attributes of a page, as a browser would parse it."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self._heading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.extend(attrs)
        if tag in ("h1", "h2", "h3"):
            self._heading = tag
            self.headings.append((tag, ""))
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._heading:
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, text + data)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def test_the_context_of_a_week(engine: Engine) -> None:
    build(engine)
    with Session(engine) as session:
        b = build_briefing(session, parse_week(WEEK, "UTC"))
    assert b.counts == {
        "articles": 3,
        "sources": 1,
        "new_deals": 1,
        "updated_deals": 1,
        "claims": 1,
    }
    # new deals first; the licence first reported the week before is an update
    assert [(d.deal_type, d.new, d.sources) for d in b.deals] == [
        ("supply", True, 1),
        ("licensing", False, 2),
    ]
    assert b.deals[1].parties == [("Nvidia", "licensee"), ("Groq", "licensor")]
    assert b.deals[1].value_usd == 20_000_000_000
    (board,) = b.leaderboards
    assert (board.metric, board.model) == ("tokens_per_second", "gpt-oss-120b")
    assert board.rows[0].change == "new best (was 300 by Groq)"
    assert [c.name for c in b.companies][:3] == ["Nvidia", "AMD", "Groq"]  # ties by name
    assert b.companies[0].average == 0.5  # 2 mentions in the 4 weeks before
    assert "Intel" in b.new_companies and "Nvidia" not in b.new_companies
    assert [c.name for c in b.candidates] == ["Vireo Silicon"]
    # the hostile article's javascript: URL is never a link
    assert all(s.link.url is None or s.link.url.startswith("https://") for s in b.stories)
    statuses = {s.name: s.status for s in b.sources}
    assert statuses["quiet-blog"] == "never run"
    # prices to Friday: fresh for a week ending on Sunday, and labelled as sample data
    assert b.freshness is not None and b.freshness.sample and not b.freshness.stale
    assert any("Fastest claim: Cerebras at 900" in line for line in b.summary)


def test_the_page_has_every_section_in_order_and_no_script(engine: Engine) -> None:
    build(engine)
    with Session(engine) as session:
        html = render_briefing(build_briefing(session, parse_week(WEEK, "UTC")))
    page = outline(html)
    assert [text.strip() for tag, text in page.headings if tag == "h2"] == SECTIONS
    assert page.headings[0][0] == "h1"
    assert "script" not in page.tags and "img" not in page.tags and "iframe" not in page.tags
    assert not any(name.startswith("on") for name, _ in page.attributes)
    # every link is a source article (https), a week of the archive, or the index
    for href in page.links:
        assert href.startswith("https://wire.test/") or re.fullmatch(
            r"(\d{4}-W\d{2}|index)\.html", href
        ), href
    assert {"https://wire.test/value", "https://wire.test/amd"} <= set(page.links)
    # no resource is fetched from anywhere: no src, no stylesheet link, no url()
    assert not any(name in ("src", "srcset") for name, _ in page.attributes)
    assert "url(" not in html and "@import" not in html
    assert HOSTILE_TITLE not in html and "javascript:" not in html
    assert "SAMPLE DATA" in html


def test_the_same_store_gives_the_same_bytes(engine: Engine, tmp_path: Path) -> None:
    build(engine)
    with Session(engine) as session:
        first = write_week(session, parse_week(WEEK, "UTC"), tmp_path / "a").read_bytes()
        second = write_week(session, parse_week(WEEK, "UTC"), tmp_path / "b").read_bytes()
    assert first == second


def test_an_empty_week_says_nothing_new_and_the_index_lists_weeks(
    engine: Engine, tmp_path: Path
) -> None:
    build(engine)
    with Session(engine) as session:
        write_week(session, parse_week(WEEK, "UTC"), tmp_path)
        empty = write_week(session, parse_week("2026-W30", "UTC"), tmp_path)
    html = empty.read_text(encoding="utf-8")
    assert "Nothing new this week" in html
    assert "Market data ends on 2026-03-06" in html  # stale prices are said, not hidden
    assert [text.strip() for tag, text in outline(html).headings if tag == "h2"] == SECTIONS
    index = outline((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert index.links == ["2026-W30.html", "2026-W10.html"]


def test_weeks_follow_the_configured_time_zone(engine: Engine) -> None:
    build(engine)
    # 14:00 UTC on Sunday 8 March is already Monday in Tokyo... and still Sunday in New York
    week = parse_week(WEEK, "Asia/Tokyo")
    start, end = week.bounds()
    assert (start.hour, start.day, end.day) == (15, 1, 8)


def test_a_big_week_shows_the_top_and_counts_the_rest(engine: Engine) -> None:
    build(engine)
    monday = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
    with Session(engine) as session, session.begin():
        for i in range(40):
            when = monday + dt.timedelta(hours=3 * i)
            session.add(
                Article(
                    url=f"https://wire.test/many-{i}",
                    title=f"Story {i}",
                    text="t",
                    content_hash=f"m{i}",
                    published_at=when,
                    first_seen_at=when,
                )
            )
    with Session(engine) as session:
        b = build_briefing(session, parse_week(WEEK, "UTC"))
    assert len(b.stories) == 10 and b.more_stories == 33  # 43 articles in the week
    assert "and 33 more articles this week." in render_briefing(b)


def test_serve_shows_the_archive(engine: Engine, tmp_path: Path) -> None:
    build(engine)
    with Session(engine) as session:
        write_week(session, parse_week(WEEK, "UTC"), tmp_path / "archive")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "chipwire.pipeline",
            "serve",
            "--port",
            "0",
            "--dir",
            str(tmp_path / "archive"),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line
        with urllib.request.urlopen(url.group(0) + "index.html", timeout=10) as response:  # noqa: S310 - loopback
            assert f"{WEEK}.html" in response.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_store_without_prices_says_so(engine: Engine) -> None:
    build(engine)
    with Session(engine) as session, session.begin():
        session.execute(delete(PriceBar))
    with Session(engine) as session:
        html = render_briefing(build_briefing(session, parse_week(WEEK, "UTC")))
    assert "No market data in the store: returns are not shown." in html
