"""Storing extractions: atomic per article, one deal across many reports, re-runnable."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from chipwire.models import (
    Article,
    Benchmark,
    Company,
    Deal,
    DealParty,
    DealSource,
    Mention,
    OrgCandidate,
)
from chipwire.pipeline.config import DEFAULT_REGISTRY, Settings
from chipwire.pipeline.extract import EXTRACTOR_VERSION
from chipwire.pipeline.extract.analysis import ArticleExtraction
from chipwire.pipeline.extract.bench_parts import BenchmarkClaim
from chipwire.pipeline.extract.candidates import Candidate
from chipwire.pipeline.extract.companies import MentionCount
from chipwire.pipeline.extract.deal_parts import DealClaim, Party
from chipwire.pipeline.extract.store import (
    Extracted,
    deal_fingerprint,
    save_extraction,
    save_extractions,
)
from chipwire.pipeline.jobs import extract_job
from chipwire.pipeline.registry import load_registry
from chipwire.pipeline.seed import seed_registry

JAN = datetime(2026, 1, 5, 13, 0, tzinfo=UTC)
FEB = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def seeded(engine: Engine) -> dict[str, int]:
    with Session(engine) as session, session.begin():
        seed_registry(session, load_registry(DEFAULT_REGISTRY))
    with Session(engine) as session:
        return dict(session.execute(select(Company.slug, Company.id)).all())


def add_article(engine: Engine, url: str, text: str, published: datetime | None) -> int:
    with Session(engine) as session, session.begin():
        article = Article(url=url, text=text, content_hash=url[-8:], published_at=published)
        session.add(article)
        session.flush()
        return article.id


def licensing(status: str, value: int | None) -> DealClaim:
    return DealClaim(
        deal_type="licensing",
        parties=[Party("Nvidia", "nvidia", "licensee"), Party("Groq", "groq", "licensor")],
        status=status,
        evidence="Nvidia will license Groq's technology.",
        value_usd=value,
    )


def test_one_deal_many_reports_with_first_reported_at(engine: Engine) -> None:
    ids = seeded(engine)
    later = add_article(engine, "https://x.test/b", "text b", FEB)
    earlier = add_article(engine, "https://x.test/a", "text a", JAN)
    reports = ((later, FEB, "completed", None), (earlier, JAN, "reported", 20_000_000_000))
    for article_id, when, status, value in reports:
        result = ArticleExtraction([], [licensing(status, value)], [], [])
        with Session(engine) as session, session.begin():
            save_extraction(session, article_id, when, f"h{article_id}", result, ids)
    with Session(engine) as session:
        deals = session.scalars(select(Deal)).all()
        assert len(deals) == 1
        deal = deals[0]
        assert deal.first_reported_at == JAN
        assert deal.status == "completed"  # the latest report's status
        assert deal.value_usd == 20_000_000_000  # the later report gave no value
        assert session.scalar(select(func.count()).select_from(DealSource)) == 2
        parties = session.execute(
            select(DealParty.name, DealParty.role, DealParty.position).order_by(DealParty.position)
        ).all()
        assert [tuple(p) for p in parties] == [("Nvidia", "licensee", 0), ("Groq", "licensor", 1)]


def licensing_as(licensee: tuple[str, str], licensor: tuple[str, str]) -> DealClaim:
    return DealClaim(
        deal_type="licensing",
        parties=[Party(*licensee, "licensee"), Party(*licensor, "licensor")],
        status="announced",
        evidence="A licensing agreement between the two.",
    )


def stored_roles(engine: Engine) -> list[tuple[str, str, int]]:
    with Session(engine) as session:
        rows = session.execute(
            select(DealParty.name, DealParty.role, DealParty.position).order_by(DealParty.position)
        ).all()
    return [tuple(row) for row in rows]


NVIDIA, GROQ = ("Nvidia", "nvidia"), ("Groq", "groq")


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 0, 2), (2, 0, 1)])
def test_party_roles_are_what_most_reports_say_whatever_the_save_order(
    engine: Engine, order: tuple[int, ...]
) -> None:
    ids = seeded(engine)
    claims = [
        licensing_as(GROQ, NVIDIA),  # one report reads the direction the other way
        licensing_as(NVIDIA, GROQ),
        licensing_as(NVIDIA, GROQ),
    ]
    dates = [JAN, FEB, FEB]
    for i in order:
        article_id = add_article(engine, f"https://x.test/r{i}", f"text {i}", dates[i])
        with Session(engine) as session, session.begin():
            result = ArticleExtraction([], [claims[i]], [], [])
            save_extraction(session, article_id, dates[i], f"h{i}", result, ids)
    assert stored_roles(engine) == [("Nvidia", "licensee", 0), ("Groq", "licensor", 1)]


def test_a_report_stating_the_direction_outvotes_guesses(engine: Engine) -> None:
    ids = seeded(engine)
    guessed = [licensing_as(GROQ, NVIDIA), licensing_as(GROQ, NVIDIA)]
    for claim in guessed:
        claim.direction_stated = False  # "Groq's licensing deal with Nvidia": order only
    claims = [*guessed, licensing_as(NVIDIA, GROQ)]
    for i, claim in enumerate(claims):
        article_id = add_article(engine, f"https://x.test/s{i}", f"text {i}", JAN)
        with Session(engine) as session, session.begin():
            result = ArticleExtraction([], [claim], [], [])
            save_extraction(session, article_id, JAN, f"h{i}", result, ids)
    assert stored_roles(engine) == [("Nvidia", "licensee", 0), ("Groq", "licensor", 1)]


def test_a_tie_between_reports_goes_to_the_oldest_and_re_extraction_recounts(
    engine: Engine,
) -> None:
    ids = seeded(engine)
    newer = add_article(engine, "https://x.test/newer", "text n", FEB)
    older = add_article(engine, "https://x.test/older", "text o", JAN)
    for article_id, when, claim in (
        (newer, FEB, licensing_as(NVIDIA, GROQ)),
        (older, JAN, licensing_as(GROQ, NVIDIA)),
    ):
        with Session(engine) as session, session.begin():
            save_extraction(
                session, article_id, when, "h", ArticleExtraction([], [claim], [], []), ids
            )
    assert stored_roles(engine) == [("Groq", "licensee", 0), ("Nvidia", "licensor", 1)]
    # the older article, re-extracted by better rules, now agrees with the newer one
    with Session(engine) as session, session.begin():
        result = ArticleExtraction([], [licensing_as(NVIDIA, GROQ)], [], [])
        save_extraction(session, older, JAN, "h2", result, ids)
    assert stored_roles(engine) == [("Nvidia", "licensee", 0), ("Groq", "licensor", 1)]
    with Session(engine) as session:
        reported = session.scalars(select(DealSource.roles_reported)).all()
    assert (
        sorted(map(sorted, (r.items() for r in reported)))
        == [[("Groq", "licensor"), ("Nvidia", "licensee")]] * 2
    )


def store_snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """The stored facts without surrogate ids, comparable across two saves."""
    with Session(engine) as session:
        deals = session.execute(
            select(
                Deal.fingerprint,
                Deal.status,
                Deal.value_usd,
                Deal.first_reported_at,
                DealParty.name,
                DealParty.role,
                DealParty.position,
            )
            .join(DealParty)
            .order_by(Deal.fingerprint, DealParty.position)
        ).all()
        sources = session.execute(
            select(Article.url, Deal.fingerprint, DealSource.status_reported)
            .join(DealSource, DealSource.article_id == Article.id)
            .join(Deal)
            .order_by(Article.url, Deal.fingerprint)
        ).all()
        others = session.execute(
            select(Article.url, Article.extracted_hash, func.count(Mention.id.distinct()))
            .outerjoin(Mention)
            .group_by(Article.url, Article.extracted_hash)
            .order_by(Article.url)
        ).all()
        candidates = session.execute(
            select(Article.url, OrgCandidate.name_key).join(OrgCandidate).order_by(Article.url)
        ).all()
    return {
        name: [tuple(row) for row in rows]
        for name, rows in (
            ("deals", deals),
            ("sources", sources),
            ("articles", others),
            ("candidates", candidates),
        )
    }


def test_saving_a_chunk_of_articles_stores_what_saving_them_one_by_one_does(
    engine: Engine,
) -> None:
    """Articles sharing deals, disagreeing on roles and statuses, one reporting the same
    deal twice: one transaction for all of them gives the store one per article gives."""
    ids = seeded(engine)
    funding = DealClaim(
        deal_type="funding",
        parties=[Party("Positron", "positron", "investee"), Party("Arena Co", None, "investor")],
        status="completed",
        evidence="Positron closed a round with Arena Co.",
        value_usd=50_000_000,
    )
    plan = [
        (JAN, [licensing_as(GROQ, NVIDIA), funding], [MentionCount("groq", 2, 0.9, 0)]),
        (FEB, [licensing("completed", 20_000_000_000)], [MentionCount("nvidia", 1, 0.4, 5)]),
        (None, [licensing_as(NVIDIA, GROQ), licensing("reported", None)], []),
        (FEB, [], [MentionCount("positron", 1, 0.5, 0)]),
    ]
    articles = [
        add_article(engine, f"https://x.test/chunk{i}", f"text {i}", when)
        for i, (when, _, _) in enumerate(plan)
    ]
    items = [
        Extracted(article_id, when, f"h{i}", ArticleExtraction(mentions, deals, [], []))
        for i, (article_id, (when, deals, mentions)) in enumerate(zip(articles, plan, strict=True))
    ]
    for item in items:
        with Session(engine) as session, session.begin():
            save_extractions(session, [item], ids)
    one_by_one = store_snapshot(engine)
    with Session(engine) as session, session.begin():
        for model in (Mention, DealSource, DealParty, Deal, OrgCandidate):
            session.execute(delete(model))
        session.execute(update(Article).values(extracted_hash=None))
    with Session(engine) as session, session.begin():
        stored = save_extractions(session, items, ids)
    assert store_snapshot(engine) == one_by_one
    with Session(engine) as session, session.begin():  # re-extracting the chunk replaces it
        again = save_extractions(session, items, ids)
    assert store_snapshot(engine) == one_by_one and again == stored
    assert stored == {"mentions": 3, "benchmarks": 0, "deals": 4, "candidates": 1}
    assert len({row[0] for row in one_by_one["deals"]}) == 2
    assert len(one_by_one["sources"]) == 4  # the article reporting a deal twice counts once


def test_reextraction_replaces_an_articles_rows(engine: Engine) -> None:
    ids = seeded(engine)
    article_id = add_article(engine, "https://x.test/c", "text c", JAN)
    first = ArticleExtraction(
        [MentionCount("groq", 3, 0.9, 0), MentionCount("nvidia", 1, 0.3, 10)],
        [licensing("announced", None)],
        [],
        [Candidate("Vireo Silicon", "descriptor", "AI chip startup Vireo Silicon.")],
    )
    second = ArticleExtraction([MentionCount("groq", 2, 0.8, 0)], [], [], [])
    for result in (first, second):
        with Session(engine) as session, session.begin():
            save_extraction(session, article_id, JAN, "h", result, ids)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Mention)) == 1
        assert session.scalar(select(func.count()).select_from(DealSource)) == 0
        assert session.scalar(select(func.count()).select_from(OrgCandidate)) == 0
        article = session.get_one(Article, article_id)
        assert article.extracted_version == EXTRACTOR_VERSION and article.extracted_hash == "h"


def test_benchmark_rows_name_subject_and_claimant(engine: Engine) -> None:
    ids = seeded(engine)
    article_id = add_article(engine, "https://x.test/d", "text d", JAN)
    claim = BenchmarkClaim(
        subject="Groq",
        subject_slug="groq",
        metric="tokens_per_second",
        value=300.0,
        unit="tokens/s",
        evidence="Cerebras said Groq serves 300 tokens per second.",
        claimant="Cerebras",
        claimant_slug="cerebras",
    )
    neutral = BenchmarkClaim("Groq", "groq", "latency_ms", 20.0, "ms", "Groq: 20 ms.")
    with Session(engine) as session, session.begin():
        result = ArticleExtraction([], [], [claim, neutral], [])
        save_extraction(session, article_id, JAN, "h", result, ids)
    with Session(engine) as session:
        rows = session.execute(
            select(Benchmark.metric, Benchmark.company_id, Benchmark.claimant_company_id)
        ).all()
        assert sorted(tuple(r) for r in rows) == [
            ("latency_ms", ids["groq"], None),
            ("tokens_per_second", ids["groq"], ids["cerebras"]),
        ]


def test_unregistered_party_is_kept_by_name() -> None:
    deal = DealClaim(
        deal_type="funding",
        parties=[
            Party("Positron", "positron", "investee"),
            Party("Arena Co", None, "lead_investor"),
        ],
        status="completed",
        evidence="Positron raised money led by Arena Co.",
    )
    assert deal_fingerprint(deal) == "funding:positron+~arena co"


def test_extract_job_only_processes_new_or_changed_articles(
    settings: Settings, engine: Engine
) -> None:
    seeded(engine)
    add_article(engine, "https://x.test/1", "Groq and Nvidia met. Cerebras watched.", JAN)
    add_article(engine, "https://x.test/2", "Nothing about chips here at all.", FEB)
    first = extract_job(settings, show_progress=False)
    assert first["articles"] == 2 and first["mentions"] == 3
    again = extract_job(settings, show_progress=False)
    assert again["articles"] == 0
    with Session(engine) as session, session.begin():
        article = session.scalars(select(Article).where(Article.url == "https://x.test/2")).one()
        article.text, article.content_hash = "Now AMD is here.", "changed"
    changed = extract_job(settings, show_progress=False)
    assert changed["articles"] == 1 and changed["mentions"] == 1
    everything = extract_job(settings, all_articles=True, show_progress=False)
    assert everything["articles"] == 2
    with Session(engine) as session:
        rows = session.execute(
            select(Company.name, Mention.count).join(Mention).order_by(Company.name)
        ).all()
    assert [tuple(r) for r in rows] == [("AMD", 1), ("Cerebras", 1), ("Groq", 1), ("Nvidia", 1)]


def test_worker_processes_give_the_same_rows(settings: Settings, engine: Engine) -> None:
    """spaCy's worker processes send Docs back serialised: the kept input text and spans
    must survive the trip, so the facts match a single-process run."""
    seeded(engine)
    texts = [
        "Nvidia agreed to license Groq's inference technology for $20 billion.",
        "Groq said its LPU serves Llama 3 70B at 300 tokens per second.",
        "AI chip startup Vireo Silicon raised $30 million led by Arena Co.",
    ]
    for i, text in enumerate(texts):
        add_article(engine, f"https://x.test/p{i}", text, JAN)

    def facts() -> list[tuple[object, ...]]:
        with Session(engine) as session:
            return [
                tuple(row)
                for row in session.execute(
                    select(Benchmark.metric, Benchmark.value, Benchmark.claimant_company_id)
                ).all()
            ] + [tuple(row) for row in session.execute(select(Deal.deal_type, Deal.value_usd))]

    single = extract_job(settings, all_articles=True, show_progress=False)
    expected = facts()
    multi = extract_job(settings, all_articles=True, processes=2, show_progress=False)
    assert multi == single
    assert facts() == expected
    assert ("licensing", 20_000_000_000) in expected and len(expected) >= 3


def test_workers_build_the_parents_pipeline(tmp_path: Path) -> None:
    from chipwire.pipeline.extract.nlp import build_nlp
    from chipwire.pipeline.extract.workers import Recipe, recipe

    registry = tmp_path / "companies.yaml"
    shutil.copy(DEFAULT_REGISTRY, registry)
    assert recipe(build_nlp(registry, fuzzy=False)) == Recipe(str(registry), False, None)
    assert recipe(build_nlp()) == Recipe(None, True, None)


def test_a_worker_that_cannot_build_its_pipeline_fails_the_run(tmp_path: Path) -> None:
    """The error reaches the parent instead of a pool restarting workers forever."""
    from chipwire.pipeline.extract.nlp import build_nlp
    from chipwire.pipeline.extract.workers import Workers

    registry = tmp_path / "companies.yaml"
    shutil.copy(DEFAULT_REGISTRY, registry)
    nlp = build_nlp(registry)
    registry.unlink()  # the workers, started later, cannot read it
    with Workers(nlp, 2) as workers:
        results = workers.analyse([("Groq raised $1 billion.", None)], chunksize=1)
        with pytest.raises(Exception, match=r"companies\.yaml"):
            results.next(timeout=120)  # type: ignore[attr-defined]
