"""Saving articles' deal reports, all their deals in a handful of statements.

A deal is keyed by its fingerprint and shared by every article that reports it; after the
reports are added, each touched deal's summary (first report, status, value) and its
parties' roles are recomputed from all its reports.  Done per deal this took seven to
nine round trips each, most of a worker's time on a team store (bench/scaleout.py); here
each step is one statement (or one executemany) for all the deals of a chunk of articles.  The
deals are written in fingerprint order, so concurrent workers lock shared deals in one
order and wait for each other instead of deadlocking.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from chipwire.models import Article, Deal, DealParty, DealSource
from chipwire.pipeline.extract import EXTRACTOR_VERSION
from chipwire.pipeline.extract.deal_parts import DealClaim
from chipwire.pipeline.extract.rules import deal_rules
from chipwire.pipeline.registry import name_key
from chipwire.pipeline.upsert import upsert

_EPOCH = datetime.min  # stands in for a missing report date when sorting

_DEAL = Deal.__table__
_PARTY = DealParty.__table__
_DEAL_SUMMARY = (
    update(_DEAL)
    .where(_DEAL.c.id == bindparam("b_id"))
    .values(
        first_reported_at=bindparam("b_first"),
        status=bindparam("b_status"),
        # a report that gives no value does not erase one that did
        value_usd=func.coalesce(
            bindparam("b_value", type_=_DEAL.c.value_usd.type), _DEAL.c.value_usd
        ),
    )
)
_PARTY_ROLE = (
    update(_PARTY)
    .where(_PARTY.c.id == bindparam("b_id"))
    .values(role=bindparam("b_role"), position=bindparam("b_position"))
)


def deal_fingerprint(deal: DealClaim) -> str:
    """Same type and same parties (+ same year for background deals) = same deal."""
    parties = sorted(party.slug or f"~{name_key(party.name)}" for party in deal.parties)
    year = f":{deal.year}" if deal.is_background and deal.year else ""
    return f"{deal.deal_type}:{'+'.join(parties)}{year}"[:128]


def save_deals(
    session: Session,
    reports: Sequence[tuple[int, datetime | None, Sequence[DealClaim]]],
    company_ids: dict[str, int],
) -> None:
    """Add each (article, report date, deals) report, deals unique by fingerprint within an
    article, and refresh the deals they touch.

    Articles that report the same deal share its row: the deal and its parties are
    inserted by the first report in fingerprint order, then every report is added and the
    deal's summary and roles are recomputed from all of them, as if saved one by one.
    """
    ordered = sorted(
        (
            (deal_fingerprint(deal), n, article_id, reported_at, deal)
            for n, (article_id, reported_at, deals) in enumerate(reports)
            for deal in deals
        ),
        key=lambda report: report[:2],
    )
    if not ordered:
        return
    rows: dict[str, dict[str, Any]] = {}
    for fingerprint, _, _, reported_at, deal in ordered:
        rows.setdefault(
            fingerprint,
            {
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
            },
        )
    # Insert, or keep the existing deal: its status and dates are recomputed below.
    upsert(session, _DEAL, list(rows.values()), key=["fingerprint"], update=[])
    ids = dict(
        session.execute(
            select(Deal.fingerprint, Deal.id).where(Deal.fingerprint.in_(list(rows)))
        ).all()
    )
    parties: dict[tuple[int, str], dict[str, Any]] = {}
    sources: list[dict[str, Any]] = []  # in fingerprint order, then the articles' order
    for fingerprint, _, article_id, _, deal in ordered:
        own = [
            {
                "deal_id": ids[fingerprint],
                "company_id": company_ids.get(party.slug or ""),
                "name": party.name[:200],
                "role": party.role,
                "position": position,
            }
            for position, party in enumerate(deal.parties)
        ]
        for party in own:
            parties.setdefault((party["deal_id"], party["name"]), party)
        sources.append(
            {
                "deal_id": ids[fingerprint],
                "article_id": article_id,
                "evidence": deal.evidence,
                "status_reported": deal.status,
                "value_usd_reported": deal.value_usd,
                "roles_reported": {p["name"]: p["role"] for p in own},
                "roles_stated": deal.direction_stated,
                "extractor_version": EXTRACTOR_VERSION,
            }
        )
    session.execute(insert(DealSource.__table__), sources)
    upsert(session, _PARTY, list(parties.values()), key=["deal_id", "name"], update=[])
    refresh_deals(session, [ids[fingerprint] for fingerprint in rows])


def refresh_deals(session: Session, deal_ids: Sequence[int]) -> None:
    """first_reported_at = earliest report; status = the latest report's; value = the latest
    stated value; each party's role = the role most reports give it."""
    reported = func.coalesce(Article.published_at, Article.first_seen_at)
    by_deal: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(
        select(
            DealSource.deal_id,
            reported,
            DealSource.id,
            DealSource.status_reported,
            DealSource.value_usd_reported,
            DealSource.roles_reported,
            Article.url,
            DealSource.roles_stated,
        )
        .join(Article, Article.id == DealSource.article_id)
        .where(DealSource.deal_id.in_(deal_ids))
    ):
        by_deal[row[0]].append(row[1:])
    summaries, voters = [], {}
    for deal_id in deal_ids:
        reports = by_deal.get(deal_id)
        if not reports:
            continue
        # Latest first: by report date, then by insertion order (a re-extracted article's
        # newer row wins a tie).  A report without a date sorts as the oldest.
        newest = sorted(
            reports, key=lambda r: (r[0] is not None, r[0] or _EPOCH, r[1]), reverse=True
        )
        dated = [r[0] for r in reports if r[0] is not None]
        summaries.append(
            {
                "b_id": deal_id,
                "b_first": min(dated) if dated else None,
                "b_status": newest[0][2],
                "b_value": next((r[3] for r in newest if r[3] is not None), None),
            }
        )
        # Oldest first, by date then URL: the order articles were crawled in must not decide.
        oldest = sorted(reports, key=lambda r: (r[0] is not None, r[0] or _EPOCH, r[5]))
        stated = [r for r in oldest if r[6]]  # reports that state the direction outvote guesses
        voters[deal_id] = [r[4] or {} for r in stated or oldest]
    if summaries:
        session.execute(_DEAL_SUMMARY, summaries)
    _vote_roles(session, voters)


def _vote_roles(session: Session, voters: dict[int, list[dict[str, str]]]) -> None:
    """Give each party the role most reports give it, the oldest report breaking a tie.

    Reports disagree on direction ("A's licensing deal with B" reads A as licensee, "B
    licenses its chips to A" says otherwise); keeping whichever report was saved first made
    the roles depend on crawl order.  Positions follow the roles: the paying/initiating
    role first, as ``deal_tables.json`` orders them.
    """
    if not voters:
        return
    by_deal: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(
        select(DealParty.deal_id, DealParty.id, DealParty.name, DealParty.role, DealParty.position)
        .where(DealParty.deal_id.in_(list(voters)))
        .order_by(DealParty.id)
    ):
        by_deal[row[0]].append(row[1:])
    rank = {role: i for pair in deal_rules().tables.roles.values() for i, role in enumerate(pair)}
    changes = []
    for deal_id, reported in voters.items():
        decided = []
        for party_id, name, old_role, position in by_deal.get(deal_id, []):
            votes = Counter(roles[name] for roles in reported if name in roles)
            # most_common keeps first-seen order among equals, and reports are oldest first
            role = votes.most_common(1)[0][0] if votes else old_role
            decided.append((rank.get(role, 0), position, party_id, role, (old_role, position)))
        for new_position, (_, _, party_id, role, was) in enumerate(sorted(decided)):
            if was != (role, new_position):
                changes.append({"b_id": party_id, "b_role": role, "b_position": new_position})
    if changes:
        session.execute(_PARTY_ROLE, changes)
