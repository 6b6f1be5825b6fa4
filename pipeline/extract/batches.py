"""Extraction split into batches that concurrent workers claim, so none is done twice.

A worker task claims up to N pending articles by writing its claim (the task id) on
them; on PostgreSQL the candidate rows are read ``FOR UPDATE SKIP LOCKED``, so two
workers claiming at the same moment get disjoint rows without waiting for each other;
SQLite has one writer at a time, so its claim statement is atomic anyway.  Saving an
article's extraction clears its claim (``store.save_extractions``).

A task that dies mid-batch leaves its unfinished articles claimed.  The broker hands the
same task (same id) to another worker, which first takes back its own claimed articles
before claiming new ones, so the batch is completed and nothing is redone.  A claim whose
task never comes back expires after the lease and returns to the pending pool.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from spacy.language import Language
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from chipwire.models import Article, Company, utcnow
from chipwire.pipeline.extract import EXTRACTOR_VERSION
from chipwire.pipeline.extract.analysis import analyse
from chipwire.pipeline.extract.nlp import clip
from chipwire.pipeline.extract.run import article_inputs, pending_filter
from chipwire.pipeline.extract.store import (
    SAVE_CHUNK,
    Extracted,
    prune_orphan_deals,
    save_extractions,
)

logger = logging.getLogger(__name__)

RETRIES = 5
# deadlock_detected, serialization_failure (PostgreSQL SQLSTATEs)
_TRANSIENT = {"40P01", "40001"}


def claimable(lease: dt.timedelta, now: dt.datetime) -> Any:
    """Pending articles nobody holds, or held by a claim older than the lease."""
    return pending_filter(False) & or_(
        Article.extract_claim.is_(None), Article.extract_claimed_at < now - lease
    )


def claim_queries(lease: dt.timedelta, now: dt.datetime, size: int) -> list[Any]:
    """The claim, as two queries each an index can answer in id order: articles whose text
    is new or changed (``ix_article_pending``, the usual case), then articles extracted by
    another version (``ix_article_extracted_version``; all of them after an upgrade).

    One query with both conditions ORed is planned as a walk of the primary key that
    filters rows as it goes; new articles have the highest ids, so on a big store it read
    nearly the whole table before finding them (bench/pg_store.py).
    """
    original = Article.duplicate_of_id.is_(None)
    free = or_(Article.extract_claim.is_(None), Article.extract_claimed_at < now - lease)
    changed = or_(Article.extracted_hash.is_(None), Article.extracted_hash != Article.content_hash)
    # (a NULL version comes with a NULL hash, saved together: the first query has those)
    other = or_(
        Article.extracted_version < EXTRACTOR_VERSION,
        Article.extracted_version > EXTRACTOR_VERSION,
    )
    return [
        select(Article.id)
        .where(original & part & free)
        .order_by(Article.id)
        .limit(size)
        .with_for_update(skip_locked=True)
        for part in (changed, other)
    ]


def count_claimable(session: Session, lease: dt.timedelta) -> int:
    """How many articles a new round of extraction tasks would find."""
    return session.scalar(select(func.count(Article.id)).where(claimable(lease, utcnow()))) or 0


def claim_batch(
    factory: sessionmaker[Session], claim: str, size: int, lease: dt.timedelta
) -> list[int]:
    """The ids this claim holds: its own unfinished ones (a redelivered task), else up to
    ``size`` newly claimed, lowest ids first."""
    with factory.begin() as session:
        own = list(
            session.scalars(
                select(Article.id)
                .where(Article.extract_claim == claim, pending_filter(False))
                .order_by(Article.id)
            )
        )
        if own:
            logger.info("claim %s: taking back %d unfinished articles", claim, len(own))
            return own
        now = utcnow()
        ids: list[int] = []
        for query in claim_queries(lease, now, size):
            if len(ids) >= size:
                break
            query = query.limit(size - len(ids))
            if ids:  # rows this transaction just locked are not skipped: leave them out
                query = query.where(Article.id.not_in(ids))
            ids += session.scalars(query)
        if ids:
            session.execute(
                update(Article)
                .where(Article.id.in_(ids))
                .values(extract_claim=claim, extract_claimed_at=now)
            )
        return ids


def extract_claimed(
    factory: sessionmaker[Session],
    nlp: Language,
    claim: str,
    *,
    size: int,
    lease: dt.timedelta,
    save_every: int = SAVE_CHUNK,
) -> dict[str, Any]:
    """Claim a batch and extract it, ``save_every`` articles per transaction; returns
    counts for job_run.

    Only articles still holding this claim are saved: if the lease ran out and another
    worker took an article over, its result wins and this one is dropped.
    """
    began = time.perf_counter()
    ids = claim_batch(factory, claim, size, lease)
    counts: dict[str, Any] = {"claimed": len(ids), "articles": 0, "lost": 0, "truncated": 0}
    # where a batch's time goes, for sizing workers (bench/scaleout.py sums these)
    timings = {"claim_s": time.perf_counter() - began, "analyse_s": 0.0, "save_s": 0.0}
    for key in ("mentions", "deals", "benchmarks", "candidates"):
        counts[key] = 0
    if not ids:
        return counts
    counts["first_id"], counts["last_id"] = ids[0], ids[-1]
    with factory() as session:
        company_ids = dict(session.execute(select(Company.slug, Company.id)).all())
        rows = session.execute(article_inputs(ids)).all()
    try:
        for start in range(0, len(rows), max(1, save_every)):
            began = time.perf_counter()
            chunk = []
            for row in rows[start : start + max(1, save_every)]:
                text, cut = clip(f"{row.title or ''}\n\n{row.text}")
                counts["truncated"] += int(cut)
                result = analyse(nlp, nlp(text), row.title)
                chunk.append(Extracted(row.id, row.reported, row.content_hash, result))
            saving = time.perf_counter()
            saved, stored = _save(factory, claim, chunk, company_ids)
            timings["analyse_s"] += saving - began
            timings["save_s"] += time.perf_counter() - saving
            counts["articles"] += saved
            counts["lost"] += len(chunk) - saved
            for key, value in stored.items():
                counts[key] += value
    except Exception:
        release(factory, claim)  # a failed batch's articles go back to the pending pool
        raise
    counts.update({key: round(value, 3) for key, value in timings.items()})
    return counts


def _save(
    factory: sessionmaker[Session],
    claim: str,
    chunk: list[Extracted],
    company_ids: dict[str, int],
) -> tuple[int, dict[str, int]]:
    """Save the chunk's articles this claim still holds, in one transaction; returns how
    many were saved and the rows stored.

    Workers saving articles that report the same deal contend for that deal's row: the
    database may pick one as a deadlock victim (or, serialisable, fail it).  The chunk's
    transaction is then simply run again; a lasting error still propagates.
    """
    ids = [item.article_id for item in chunk]
    for attempt in range(1, RETRIES + 1):
        try:
            with factory.begin() as session:
                held = set(
                    session.scalars(
                        select(Article.id)
                        .where(Article.id.in_(ids), Article.extract_claim == claim)
                        .order_by(Article.id)
                        .with_for_update()
                    )
                )
                mine = [item for item in chunk if item.article_id in held]
                return len(mine), save_extractions(session, mine, company_ids)
        except DBAPIError as exc:
            if attempt == RETRIES or getattr(exc.orig, "sqlstate", None) not in _TRANSIENT:
                raise
            logger.info(
                "articles %s-%s: %s, retrying (%d)",
                ids[0],
                ids[-1],
                type(exc.orig).__name__,
                attempt,
            )
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover


def release(factory: sessionmaker[Session], claim: str) -> int:
    """Give up a claim's unfinished articles (a batch that failed cleanly)."""
    with factory.begin() as session:
        result = session.execute(
            update(Article)
            .where(Article.extract_claim == claim)
            .values(extract_claim=None, extract_claimed_at=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)


def prune(factory: sessionmaker[Session]) -> int:
    """Deals no article reports any more; run once per round, not per batch, so two
    workers never race a deal one of them is about to report again."""
    with factory.begin() as session:
        return prune_orphan_deals(session)
