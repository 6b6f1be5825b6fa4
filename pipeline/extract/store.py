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

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from chipwire.models import (
    Article,
    Benchmark,
    Deal,
    DealParty,
    DealSource,
    Mention,
    OrgCandidate,
    utcnow,
)
from chipwire.pipeline.extract import EXTRACTOR_VERSION
from chipwire.pipeline.extract.analysis import ArticleExtraction
from chipwire.pipeline.extract.candidates import Candidate
from chipwire.pipeline.extract.deal_parts import DealClaim
from chipwire.pipeline.extract.rules import deal_rules
from chipwire.pipeline.registry import name_key
from chipwire.pipeline.upsert import upsert

_EPOCH = datetime.min  # stands in for a missing report date when sorting


def deal_fingerprint(deal: DealClaim) -> str:
    """Same type and same parties (+ same year for background deals) = same deal."""
    parties = sorted(party.slug or f"~{name_key(party.name)}" for party in deal.parties)
    year = f":{deal.year}" if deal.is_background and deal.year else ""
    return f"{deal.deal_type}:{'+'.join(parties)}{year}"[:128]


def save_extraction(
    session: Session,
    article_id: int,
    reported_at: datetime,
    content_hash: str,
    result: ArticleExtraction,
    company_ids: dict[str, int],
) -> dict[str, int]:
    """Replace the article's mentions, claims, deal reports and candidates with ``result``;
    returns how many rows of each were stored (what the job reports is what the store
    holds, not what the rules proposed before de-duplication)."""
    for model in (Mention, Benchmark, DealSource, OrgCandidate):
        session.execute(delete(model).where(model.article_id == article_id))
    version = EXTRACTOR_VERSION
    session.add_all(
        Mention(
            article_id=article_id,
            company_id=company_ids[m.slug],
            count=m.count,
            relevance=m.relevance,
            extractor_version=version,
        )
        for m in result.mentions
        if m.slug in company_ids
    )
    session.add_all(
        Benchmark(
            article_id=article_id,
            company_id=company_ids.get(claim.subject_slug or ""),
            claimant_company_id=company_ids.get(claim.claimant_slug or ""),
            subject=claim.subject or "",
            product=claim.product,
            model=claim.model,
            metric=claim.metric,
            value=claim.value,
            unit=claim.unit,
            baseline_value=claim.baseline_value,
            baseline_subject=claim.baseline_subject,
            evidence=claim.evidence,
            extractor_version=version,
        )
        for claim in result.benchmarks
    )
    stored = {
        "mentions": sum(1 for m in result.mentions if m.slug in company_ids),
        "benchmarks": len(result.benchmarks),
    }
    seen: set[str] = set()
    candidates = list(result.candidates) + [
        Candidate(party.name, "deal_party", deal.evidence)
        for deal in result.deals
        for party in deal.parties
        if party.slug is None
    ]
    for candidate in candidates:
        key = name_key(candidate.name)[:200]
        if key in seen:
            continue
        seen.add(key)
        session.add(
            OrgCandidate(
                article_id=article_id,
                name=candidate.name[:200],
                name_key=key,
                context=candidate.context,
                sentence=candidate.sentence,
                extractor_version=version,
            )
        )
    # One report per deal per article, even if the rules found it in two sentences: the
    # first that states the direction, else the first.
    unique: dict[str, DealClaim] = {}
    for deal in result.deals:
        key = deal_fingerprint(deal)
        if key not in unique or (deal.direction_stated and not unique[key].direction_stated):
            unique[key] = deal
    # in fingerprint order: workers saving articles that share deals lock them in one
    # order, so they wait for each other instead of deadlocking
    for key in sorted(unique):
        _save_deal(session, article_id, reported_at, unique[key], company_ids)
    stored.update(deals=len(unique), candidates=len(seen))
    session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(
            extracted_version=version,
            extracted_hash=content_hash,
            extracted_at=utcnow(),
            extract_claim=None,  # done: a worker's claim ends with the article's extraction
            extract_claimed_at=None,
        )
    )
    return stored


def _save_deal(
    session: Session,
    article_id: int,
    reported_at: datetime,
    deal: DealClaim,
    company_ids: dict[str, int],
) -> None:
    fingerprint = deal_fingerprint(deal)
    row: dict[str, Any] = {
        "fingerprint": fingerprint,
        "deal_type": deal.deal_type,
        "status": deal.status,
        "value_usd": deal.value_usd,
        "value_qualifier": deal.value_qualifier,
        "value_original": deal.value_original,
        "is_background": deal.is_background,
        "year": deal.year,
        "first_reported_at": reported_at,
        "extractor_version": EXTRACTOR_VERSION,
    }
    # Insert, or keep the existing deal: its status and dates are recomputed below.
    upsert(session, Deal.__table__, [row], key=["fingerprint"], update=[])
    deal_id = session.scalars(select(Deal.id).where(Deal.fingerprint == fingerprint)).one()
    parties = [
        {
            "deal_id": deal_id,
            "company_id": company_ids.get(party.slug or ""),
            "name": party.name[:200],
            "role": party.role,
            "position": position,
        }
        for position, party in enumerate(deal.parties)
    ]
    upsert(session, DealParty.__table__, parties, key=["deal_id", "name"], update=[])
    session.add(
        DealSource(
            deal_id=deal_id,
            article_id=article_id,
            evidence=deal.evidence,
            status_reported=deal.status,
            value_usd_reported=deal.value_usd,
            roles_reported={p["name"]: p["role"] for p in parties},
            roles_stated=deal.direction_stated,
            extractor_version=EXTRACTOR_VERSION,
        )
    )
    session.flush()
    _refresh_deal(session, deal_id)


def _refresh_deal(session: Session, deal_id: int) -> None:
    """first_reported_at = earliest report; status = the latest report's; value = the latest
    stated value; each party's role = the role most reports give it.

    One query reads the deal's reports (a deal has a handful) and Python picks the
    answers: three ordered queries per deal were most of the time of saving an article.
    """
    reported = func.coalesce(Article.published_at, Article.first_seen_at)
    reports = session.execute(
        select(
            reported,
            DealSource.id,
            DealSource.status_reported,
            DealSource.value_usd_reported,
            DealSource.roles_reported,
            Article.url,
            DealSource.roles_stated,
        )
        .join(Article, Article.id == DealSource.article_id)
        .where(DealSource.deal_id == deal_id)
    ).all()
    if not reports:
        return
    # Latest first: by report date, then by insertion order (a re-extracted article's
    # newer row wins a tie).  A report without a date sorts as the oldest.
    newest = sorted(reports, key=lambda r: (r[0] is not None, r[0] or _EPOCH, r[1]), reverse=True)
    dated = [r[0] for r in reports if r[0] is not None]
    values: dict[str, Any] = {
        "first_reported_at": min(dated) if dated else None,
        "status": newest[0][2],
    }
    valued = next((r[3] for r in newest if r[3] is not None), None)
    if valued is not None:  # a report that gives no value does not erase one that did
        values["value_usd"] = valued
    session.execute(update(Deal).where(Deal.id == deal_id).values(**values))
    # Oldest first, by date then URL: the order articles were crawled in must not decide.
    oldest = sorted(reports, key=lambda r: (r[0] is not None, r[0] or _EPOCH, r[5]))
    stated = [r for r in oldest if r[6]]  # reports that state the direction outvote guesses
    _vote_roles(session, deal_id, [r[4] or {} for r in stated or oldest])


def _vote_roles(session: Session, deal_id: int, reported: list[dict[str, str]]) -> None:
    """Give each party the role most ``reported`` give it, the oldest report breaking a tie.

    Reports disagree on direction ("A's licensing deal with B" reads A as licensee, "B
    licenses its chips to A" says otherwise); keeping whichever report was saved first made
    the roles depend on crawl order.  Positions follow the roles: the paying/initiating
    role first, as ``deal_tables.json`` orders them.
    """
    parties = session.execute(
        select(DealParty.id, DealParty.name, DealParty.role, DealParty.position).where(
            DealParty.deal_id == deal_id
        )
    ).all()
    rank = {role: i for pair in deal_rules().tables.roles.values() for i, role in enumerate(pair)}
    decided = []
    for party_id, name, old_role, position in parties:
        votes = Counter(roles[name] for roles in reported if name in roles)
        # most_common keeps first-seen order among equals, and reports are oldest first
        role = votes.most_common(1)[0][0] if votes else old_role
        decided.append((rank.get(role, 0), position, party_id, role, (old_role, position)))
    for new_position, (_, _, party_id, role, was) in enumerate(sorted(decided)):
        if was == (role, new_position):
            continue
        session.execute(
            update(DealParty)
            .where(DealParty.id == party_id)
            .values(role=role, position=new_position)
        )


def prune_orphan_deals(session: Session) -> int:
    """Delete deals no article reports any more (after re-extraction changed its mind)."""
    orphans = select(Deal.id).where(~Deal.sources.any())
    ids = list(session.scalars(orphans))
    if ids:
        session.execute(delete(Deal).where(Deal.id.in_(ids)))
    return len(ids)
