"""A small store for briefing tests: two weeks of reports, a hostile article, prices."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from chipwire.models import Article, Company, JobRun, PriceBar, Source
from chipwire.pipeline.config import DEFAULT_REGISTRY
from chipwire.pipeline.extract.analysis import ArticleExtraction
from chipwire.pipeline.extract.bench_parts import BenchmarkClaim
from chipwire.pipeline.extract.candidates import Candidate
from chipwire.pipeline.extract.companies import MentionCount
from chipwire.pipeline.extract.deal_parts import DealClaim, Party
from chipwire.pipeline.extract.store import save_extraction
from chipwire.pipeline.registry import load_registry
from chipwire.pipeline.seed import seed_registry

UTC = dt.UTC
WEEK = "2026-W10"  # Monday 2 March to Sunday 8 March 2026
HOSTILE_TITLE = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
HOSTILE_URL = "javascript:alert(3)"


def licensing(value: int | None) -> DealClaim:
    return DealClaim(
        "licensing",
        [Party("Nvidia", "nvidia", "licensee"), Party("Groq", "groq", "licensor")],
        "announced",
        "Nvidia will license Groq's inference technology.",
        value_usd=value,
    )


def speed(subject: str, slug: str, value: float) -> BenchmarkClaim:
    return BenchmarkClaim(
        subject,
        slug,
        "tokens_per_second",
        value,
        "tokens/s",
        f"{subject} runs at {value}.",
        model="gpt-oss-120b",
        baseline_value=60.0,
        baseline_subject="GPUs",
    )


def build(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        seed_registry(session, load_registry(DEFAULT_REGISTRY))
        session.add_all(
            [
                Source(name="wire", kind="rss", url="https://wire.test/feed"),
                Source(name="quiet-blog", kind="rss", url="https://quiet.test/feed"),
            ]
        )
    with Session(engine) as session, session.begin():
        ids = dict(session.execute(select(Company.slug, Company.id)).all())
        wire = session.scalar(select(Source.id).where(Source.name == "wire"))
        session.add(
            JobRun(job="crawl", source_id=wire, status="succeeded", counts={"items_found": 4})
        )

        def article(url: str, title: str, when: dt.datetime, result: ArticleExtraction) -> None:
            row = Article(
                url=url,
                title=title,
                text="t",
                content_hash=url[-12:],
                published_at=when,
                source_id=wire,
                first_seen_at=when + dt.timedelta(hours=1),
            )
            session.add(row)
            session.flush()
            save_extraction(session, row.id, when, url, result, ids)

        # an earlier week: the deal's first report and an earlier speed claim
        article(
            "https://wire.test/earlier",
            "Nvidia and Groq talk licensing",
            dt.datetime(2026, 2, 24, 9, tzinfo=UTC),
            ArticleExtraction(
                [MentionCount("nvidia", 2, 0.8, 0)],
                [licensing(None)],
                [speed("Groq", "groq", 300.0)],
                [],
            ),
        )
        # the week: the deal again with its value, a new deal, a faster claim, a hostile page
        article(
            "https://wire.test/value",
            "Nvidia's Groq licence is worth $20 billion",
            dt.datetime(2026, 3, 3, 14, tzinfo=UTC),
            ArticleExtraction(
                [MentionCount("nvidia", 4, 0.9, 0), MentionCount("groq", 3, 0.9, 10)],
                [licensing(20_000_000_000)],
                [speed("Cerebras", "cerebras", 900.0)],
                [Candidate("Vireo Silicon", "descriptor", "AI chip startup Vireo Silicon.")],
            ),
        )
        article(
            "https://wire.test/amd",
            "AMD lands an OpenAI order",
            dt.datetime(2026, 3, 5, 16, tzinfo=UTC),
            ArticleExtraction(
                [MentionCount("amd", 3, 0.9, 0), MentionCount("openai", 1, 0.5, 20)],
                [
                    DealClaim(
                        "supply",
                        [Party("OpenAI", "openai", "customer"), Party("AMD", "amd", "supplier")],
                        "reported",
                        "OpenAI ordered AMD accelerators.",
                        value_usd=1_000_000_000,
                    )
                ],
                [],
                [],
            ),
        )
        article(
            HOSTILE_URL,
            HOSTILE_TITLE,
            dt.datetime(2026, 3, 6, 10, tzinfo=UTC),
            ArticleExtraction([MentionCount("intel", 1, 0.4, 0)], [], [], []),
        )
        for i, day in enumerate(range(2, 7)):
            session.add(
                PriceBar(
                    symbol="NVDA",
                    date=dt.date(2026, 3, day),
                    close=100.0 + i,
                    adj_close=100.0 + i,
                    source="sample",
                )
            )
