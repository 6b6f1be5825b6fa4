"""Extraction batches claimed by concurrent workers, and the rounds that track a fan-out:
on SQLite and PostgreSQL, without a broker (the claim and the round live in the store)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update

from chipwire.models import Article, JobRun
from chipwire.pipeline.config import Settings
from chipwire.pipeline.db import session_factory
from chipwire.pipeline.extract.batches import claim_batch, count_claimable, extract_claimed
from chipwire.pipeline.jobs import seed_job, worker_nlp
from chipwire.pipeline.workers.rounds import (
    MAX_ATTEMPTS,
    Step,
    begin_step,
    finish_step,
    open_round,
)
from chipwire.pipeline.workers.tasks import bind, run_step
from tests.workers_support import generate_articles

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def articles(engine: Engine, settings: Settings) -> Engine:
    seed_job(settings)
    generate_articles(engine, 120, seed=3, sentences=3)
    return engine


def held(engine: Engine, claim: str) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).where(Article.extract_claim == claim)) or 0


def test_claims_are_disjoint_and_cover_the_pending_articles(articles: Engine) -> None:
    factory = session_factory(articles)
    taken = [claim_batch(factory, f"task-{n}", 50, HOUR) for n in range(4)]
    assert [len(ids) for ids in taken] == [50, 50, 20, 0]
    every = [article_id for ids in taken for article_id in ids]
    assert len(every) == len(set(every)) == 120
    with factory() as session:
        assert count_claimable(session, HOUR) == 0


def test_a_redelivered_task_takes_back_only_its_unfinished_articles(
    articles: Engine, settings: Settings
) -> None:
    factory = session_factory(articles)
    first = claim_batch(factory, "task-a", 40, HOUR)
    claim_batch(factory, "task-b", 40, HOUR)
    # task-a's process died after saving 15 of its articles (saving clears the claim)
    with factory.begin() as session:
        session.execute(
            update(Article)
            .where(Article.id.in_(first[:15]))
            .values(
                extract_claim=None,
                extracted_version="0",
                extracted_hash=Article.content_hash,
            )
        )
    # the redelivered task-a (same id) resumes, and claims nothing new
    again = claim_batch(factory, "task-a", 40, HOUR)
    assert again == first[15:]
    counts = extract_claimed(factory, worker_nlp(settings), "task-a", size=40, lease=HOUR)
    assert counts["claimed"] == counts["articles"] == 25
    assert held(articles, "task-a") == 0
    assert held(articles, "task-b") == 40  # the other batch is untouched


def test_an_expired_claim_is_taken_over_and_the_late_owner_saves_nothing(
    articles: Engine, settings: Settings
) -> None:
    factory = session_factory(articles)
    stale = claim_batch(factory, "lost-task", 30, HOUR)
    with factory.begin() as session:  # its worker vanished two hours ago
        session.execute(
            update(Article)
            .where(Article.id.in_(stale))
            .values(extract_claimed_at=dt.datetime.now(dt.UTC) - 2 * HOUR)
        )
    with factory() as session:
        assert count_claimable(session, HOUR) == 120
    taken = claim_batch(factory, "new-task", 30, HOUR)
    assert taken == stale
    # the lost task comes back late: the articles are no longer its own
    with factory.begin() as session:
        session.execute(
            update(Article).where(Article.id == stale[0]).values(extract_claim="lost-task")
        )
    counts = extract_claimed(factory, worker_nlp(settings), "lost-task", size=30, lease=HOUR)
    assert counts["articles"] == 1  # the one handed back to it, and no other
    assert held(articles, "new-task") == 29


def test_a_failing_batch_releases_its_claims(
    articles: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chipwire.pipeline.extract import batches

    calls = {"n": 0}
    real = batches.save_extractions

    def flaky(*args: Any, **kwargs: Any) -> dict[str, int]:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(batches, "save_extractions", flaky)
    factory = session_factory(articles)
    with pytest.raises(RuntimeError, match="disk full"):
        extract_claimed(factory, worker_nlp(settings), "task-x", size=10, lease=HOUR, save_every=3)
    assert held(articles, "task-x") == 0
    with factory() as session:  # two chunks of three saved, four back in the pool
        assert count_claimable(session, HOUR) == 114


@pytest.mark.postgres
def test_concurrent_claims_on_postgresql_skip_each_others_rows(
    articles: Engine, store_url: str
) -> None:
    if not store_url.startswith("postgresql"):
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite serialises writers")
    factory = session_factory(articles)
    results: dict[int, list[int]] = {}
    start = threading.Barrier(6)

    def claimer(number: int) -> None:
        start.wait()
        results[number] = claim_batch(factory, f"thread-{number}", 25, HOUR)

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    every = [article_id for ids in results.values() for article_id in ids]
    assert len(every) == len(set(every)) == 120


def test_a_round_counts_each_task_once_and_ends_partial_on_a_failure(engine: Engine) -> None:
    factory = session_factory(engine)
    round_id = open_round(factory, "extract-round", 3)
    assert not finish_step(factory, Step(round_id, 0), {"articles": 5})
    assert not finish_step(factory, Step(round_id, 0), {"articles": 5})  # redelivered
    assert not finish_step(factory, Step(round_id, 1), {}, error="boom")
    assert finish_step(factory, Step(round_id, 2), {"articles": 7})
    with factory() as session:
        run = session.get_one(JobRun, round_id)
        assert run.status == "partial" and run.error == "1 of 3 tasks failed"
        assert run.counts["totals"] == {"articles": 12}
        assert run.finished_at is not None and run.pid is None


def test_a_round_of_nothing_is_finished_at_once(engine: Engine) -> None:
    factory = session_factory(engine)
    with factory() as session:
        run = session.get_one(JobRun, open_round(factory, "extract-round", 0))
        assert run.status == "succeeded"


def test_a_task_that_keeps_killing_its_worker_is_given_up(
    engine: Engine, settings: Settings
) -> None:
    factory = session_factory(engine)
    round_id = open_round(factory, "crawl-round", 1)
    for _ in range(MAX_ATTEMPTS):  # each delivery died before finishing
        begin_step(factory, Step(round_id, 0))
    ran: list[str] = []
    followed: list[str] = []
    bind(settings)
    try:
        outcome = run_step(
            Step(round_id, 0), lambda s: ran.append("x") or {}, lambda s: followed.append("y")
        )
    finally:
        bind(None)
    assert ran == [] and followed == ["y"]
    assert "given up" in (outcome["error"] or "")
    with factory() as session:
        assert session.get_one(JobRun, round_id).status == "failed"


def test_articles_of_another_extractor_version_are_claimed_after_the_new_ones(
    articles: Engine,
) -> None:
    factory = session_factory(articles)
    with factory.begin() as session:  # 100 extracted by an old version, 20 never extracted
        session.execute(
            update(Article)
            .where(Article.id <= 100)
            .values(extracted_version="0.0.1", extracted_hash=Article.content_hash)
        )
        session.execute(  # and one extracted by a version "newer" than this code's
            update(Article).where(Article.id == 50).values(extracted_version="9.9")
        )
    first = claim_batch(factory, "task-1", 30, HOUR)
    assert first[:20] == list(range(101, 121))  # new text first
    assert first[20:] == list(range(1, 11))  # then another version, lowest ids first
    rest = claim_batch(factory, "task-2", 200, HOUR)
    assert sorted(first + rest) == list(range(1, 121))
