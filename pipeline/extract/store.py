"""Writing one article's extractions into the store, atomically and re-runnably.

The caller opens the transaction; everything previously extracted from the
article is deleted and the new results inserted inside it, so a crash leaves
either the old or the new extraction, never half of each.  Deals are shared
between articles: a deal is keyed by a fingerprint (type + sorted parties, +
year for background deals), so the same deal reported by many articles over
many weeks is one ``deal`` row with one ``deal_source`` per article and the
earliest publication time as ``first_reported_at``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, text, update
from sqlalchemy.orm import Session

from chipwire.models import (
    Article,
    Benchmark,
    Deal,
    DealSource,
    Mention,
    OrgCandidate,
    utcnow,
)
from chipwire.pipeline.extract import EXTRACTOR_VERSION
from chipwire.pipeline.extract.analysis import ArticleExtraction
from chipwire.pipeline.extract.candidates import Candidate
from chipwire.pipeline.extract.deal_parts import DealClaim
from chipwire.pipeline.extract.deal_store import deal_fingerprint, save_deals
from chipwire.pipeline.registry import name_key

_ARTICLE = Article.__table__


def relaxed_commit(session: Session) -> None:
    """On PostgreSQL, let this transaction's commit return before its WAL reaches the disk.

    An extraction can always be recomputed from its article, and it is committed together
    with the article's ``extracted_*`` marks: a server crash can lose only the last fraction
    of a second of commits, whose articles are then simply pending again, never half
    saved.  Waiting for the disk on every article was most of a worker's time.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit = off"))


@dataclass(frozen=True)
class Extracted:
    """One analysed article, ready to be saved."""

    article_id: int
    reported_at: datetime | None
    content_hash: str
    result: ArticleExtraction


SAVE_CHUNK = 20
"""Articles saved per transaction by the extraction loops.  One transaction per article
spent most of a worker's time in round trips and commits (bench/scaleout.py); twenty share
them while a failed or retried transaction still redoes little."""

_MARK_EXTRACTED = (
    update(_ARTICLE)
    .where(_ARTICLE.c.id == bindparam("b_id"))
    .values(
        extracted_version=EXTRACTOR_VERSION,
        extracted_hash=bindparam("b_hash"),
        extracted_at=bindparam("b_at"),
        extract_claim=None,  # done: a worker's claim ends with the article's extraction
        extract_claimed_at=None,
    )
)


def save_extraction(
    session: Session,
    article_id: int,
    reported_at: datetime | None,
    content_hash: str,
    result: ArticleExtraction,
    company_ids: dict[str, int],
) -> dict[str, int]:
    """One article's :func:`save_extractions`."""
    item = Extracted(article_id, reported_at, content_hash, result)
    return save_extractions(session, [item], company_ids)


def save_extractions(
    session: Session, items: Sequence[Extracted], company_ids: dict[str, int]
) -> dict[str, int]:
    """Replace each article's mentions, claims, deal reports and candidates with its
    result, all in the caller's transaction; returns how many rows of each were stored
    (what the job reports is what the store holds, not what the rules proposed before
    de-duplication)."""
    stored = {"mentions": 0, "benchmarks": 0, "deals": 0, "candidates": 0}
    if not items:
        return stored
    relaxed_commit(session)
    article_ids = [item.article_id for item in items]
    for model in (Mention, Benchmark, DealSource, OrgCandidate):
        session.execute(delete(model).where(model.article_id.in_(article_ids)))
    reports: list[tuple[int, datetime | None, list[DealClaim]]] = []
    rows: dict[Any, list[dict[str, Any]]] = {Mention: [], Benchmark: [], OrgCandidate: []}
    for item in items:
        for model, own in _fact_rows(item, company_ids).items():
            rows[model] += own
        deals = _one_report_per_deal(item.result.deals)
        stored["deals"] += len(deals)
        reports.append((item.article_id, item.reported_at, deals))
    # Core inserts without RETURNING: psycopg sends each as one pipelined executemany,
    # where ORM objects needed their ids back in one large statement per table.
    for model, key in (
        (Mention, "mentions"),
        (Benchmark, "benchmarks"),
        (OrgCandidate, "candidates"),
    ):
        stored[key] = len(rows[model])
        if rows[model]:
            session.execute(insert(model.__table__), rows[model])
    save_deals(session, reports, company_ids)
    now = utcnow()
    session.execute(
        _MARK_EXTRACTED,
        [{"b_id": item.article_id, "b_hash": item.content_hash, "b_at": now} for item in items],
    )
    return stored


def _fact_rows(item: Extracted, company_ids: dict[str, int]) -> dict[Any, list[dict[str, Any]]]:
    """The article's mentions, benchmark claims and organisation candidates, as rows."""
    article_id, result, version = item.article_id, item.result, EXTRACTOR_VERSION
    mentions = [
        {
            "article_id": article_id,
            "company_id": company_ids[m.slug],
            "count": m.count,
            "relevance": m.relevance,
            "extractor_version": version,
        }
        for m in result.mentions
        if m.slug in company_ids
    ]
    benchmarks = [
        {
            "article_id": article_id,
            "company_id": company_ids.get(claim.subject_slug or ""),
            "claimant_company_id": company_ids.get(claim.claimant_slug or ""),
            "subject": claim.subject or "",
            "product": claim.product,
            "model": claim.model,
            "metric": claim.metric,
            "value": claim.value,
            "unit": claim.unit,
            "baseline_value": claim.baseline_value,
            "baseline_subject": claim.baseline_subject,
            "evidence": claim.evidence,
            "extractor_version": version,
        }
        for claim in result.benchmarks
    ]
    candidates: dict[str, dict[str, Any]] = {}
    named = list(result.candidates) + [
        Candidate(party.name, "deal_party", deal.evidence)
        for deal in result.deals
        for party in deal.parties
        if party.slug is None
    ]
    for candidate in named:
        key = name_key(candidate.name)[:200]
        candidates.setdefault(
            key,
            {
                "article_id": article_id,
                "name": candidate.name[:200],
                "name_key": key,
                "context": candidate.context,
                "sentence": candidate.sentence,
                "extractor_version": version,
            },
        )
    return {Mention: mentions, Benchmark: benchmarks, OrgCandidate: list(candidates.values())}


def _one_report_per_deal(deals: Sequence[DealClaim]) -> list[DealClaim]:
    """One report per deal per article, even if the rules found it in two sentences: the
    first that states the direction, else the first."""
    unique: dict[str, DealClaim] = {}
    for deal in deals:
        key = deal_fingerprint(deal)
        if key not in unique or (deal.direction_stated and not unique[key].direction_stated):
            unique[key] = deal
    return list(unique.values())


def prune_orphan_deals(session: Session) -> int:
    """Delete deals no article reports any more (after re-extraction changed its mind)."""
    orphans = select(Deal.id).where(~Deal.sources.any())
    ids = list(session.scalars(orphans))
    if ids:
        session.execute(delete(Deal).where(Deal.id.in_(ids)))
    return len(ids)
