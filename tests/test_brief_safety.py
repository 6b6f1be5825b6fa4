"""Scraped text cannot inject anything into the briefing: each hostile payload, in every
place scraped text reaches (article title, an unregistered party's name, a candidate's name
and example sentence, a claim's subject), comes out as inert text."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from chipwire.models import Article, Company, Source
from chipwire.pipeline.config import DEFAULT_REGISTRY
from chipwire.pipeline.extract.analysis import ArticleExtraction
from chipwire.pipeline.extract.bench_parts import BenchmarkClaim
from chipwire.pipeline.extract.candidates import Candidate
from chipwire.pipeline.extract.companies import MentionCount
from chipwire.pipeline.extract.deal_parts import DealClaim, Party
from chipwire.pipeline.extract.store import save_extraction
from chipwire.pipeline.registry import load_registry
from chipwire.pipeline.seed import seed_registry
from chipwire.reports.context import build_briefing
from chipwire.reports.render import render_briefing
from chipwire.reports.week import parse_week

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</style><style>body{display:none}</style>",
    "x</title></head><body onload=alert(1)>",
    "{{ 7*7 }} {% raw %}",  # template syntax in data is data
]


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text += data


def store_with(engine: Engine, payload: str, url: str) -> None:
    when = dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC)
    with Session(engine) as session, session.begin():
        seed_registry(session, load_registry(DEFAULT_REGISTRY))
        session.add(Source(name="wire", kind="rss", url="https://wire.test/feed"))
        session.flush()
        ids = dict(session.execute(select(Company.slug, Company.id)).all())
        article = Article(
            url=url,
            title=payload,
            text=payload,
            content_hash="h",
            published_at=when,
            first_seen_at=when,
            source_id=session.scalar(select(Source.id)),
        )
        session.add(article)
        session.flush()
        deal = DealClaim(
            "acquisition",
            [Party("Nvidia", "nvidia", "acquirer"), Party(payload, None, "target")],
            "announced",
            payload,
            value_usd=1_000_000,
        )
        claim = BenchmarkClaim(payload, None, "tokens_per_second", 100.0, "tokens/s", payload)
        result = ArticleExtraction(
            [MentionCount("nvidia", 2, 0.9, 0)],
            [deal],
            [claim],
            [Candidate(payload, "descriptor", payload)],
        )
        save_extraction(session, article.id, when, "h", result, ids)


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("url", ["https://wire.test/a", "javascript:alert(1)", "data:text/html,x"])
def test_a_hostile_article_renders_as_text(engine: Engine, payload: str, url: str) -> None:
    store_with(engine, payload, url)
    with Session(engine) as session:
        html = render_briefing(build_briefing(session, parse_week("2026-W10", "UTC")))
    page = Elements()
    page.feed(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert page.tags.count("style") == 1 and page.tags.count("body") == 1
    assert page.tags.count("title") == 1 + page.tags.count("svg")  # the page's, one per chart
    assert not any(name.startswith("on") for name in page.attributes)
    assert payload in page.text  # shown to the reader, as text
    assert "javascript:" not in html and "data:text" not in html
    assert "49" not in page.text.replace("2026", "")  # {{ 7*7 }} was never evaluated
