"""The week's deals and benchmark claims, as rows with their sources and reactions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from chipwire.models import (
    Article,
    Benchmark,
    Company,
    Deal,
    DealParty,
    DealReaction,
    DealSource,
)
from chipwire.reports.queries import known_at
from chipwire.reports.views import ClaimRow, DealRow, Leaderboard, Link, Reaction

# Metrics where a smaller number is the better claim.
LOWER_IS_BETTER = frozenset({"latency_ms"})


def week_deals(
    session: Session, articles: dict[int, Link], start: dt.datetime, end: dt.datetime
) -> list[DealRow]:
    """Deals reported this week: new ones first, then the largest, then the most reported.
    Background deals ("acquired in 2019") are history, not this week's news."""
    if not articles:
        return []
    reported: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for deal_id, article_id, evidence in session.execute(
        select(DealSource.deal_id, DealSource.article_id, DealSource.evidence)
        .where(DealSource.article_id.in_(list(articles)))
        .order_by(DealSource.id)
    ):
        reported[deal_id].append((article_id, evidence))
    if not reported:
        return []
    deals = {
        d.id: d
        for d in session.scalars(
            select(Deal).where(Deal.id.in_(list(reported)), Deal.is_background.is_(False))
        )
    }
    parties: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for deal_id, name, role in session.execute(
        select(DealParty.deal_id, DealParty.name, DealParty.role)
        .where(DealParty.deal_id.in_(list(deals)))
        .order_by(DealParty.deal_id, DealParty.position)
    ):
        parties[deal_id].append((name, role))
    sources: dict[int, int] = defaultdict(int)
    for (deal_id,) in session.execute(
        select(DealSource.deal_id).where(DealSource.deal_id.in_(list(deals)))
    ):
        sources[deal_id] += 1
    reactions = _reactions(session, list(deals))
    rows = []
    for deal_id, deal in deals.items():
        first = deal.first_reported_at
        links = [articles[a] for a, _ in reported[deal_id]]
        rows.append(
            DealRow(
                deal_type=deal.deal_type,
                parties=parties[deal_id],
                value_usd=deal.value_usd,
                value_qualifier=deal.value_qualifier,
                status=deal.status,
                sources=sources[deal_id],
                first_reported=first.date() if first else None,
                new=first is not None and start <= first < end,
                evidence=reported[deal_id][0][1],
                links=links[:3],
                reactions=reactions.get(deal_id, []),
            )
        )
    rows.sort(key=lambda r: (not r.new, -(r.value_usd or 0), -r.sources, r.deal_type, r.parties))
    return rows


def _reactions(session: Session, deal_ids: list[int]) -> dict[int, list[Reaction]]:
    out: dict[int, list[Reaction]] = defaultdict(list)
    for row in session.scalars(
        select(DealReaction)
        .where(DealReaction.deal_id.in_(deal_ids))
        .order_by(DealReaction.deal_id, DealReaction.symbol)
    ):
        out[row.deal_id].append(
            Reaction(row.symbol, row.role, row.car_m1_p1, row.t_m1_p1, row.car_0_p5, row.t_0_p5)
        )
    return out


def week_claims(
    session: Session, articles: dict[int, Link], start: dt.datetime
) -> list[Leaderboard]:
    """A leaderboard per metric, model and unit, each claim against earlier ones."""
    if not articles:
        return []
    names = dict(session.execute(select(Company.id, Company.name)).all())
    claims = session.scalars(
        select(Benchmark)
        .where(Benchmark.article_id.in_(list(articles)))
        .order_by(Benchmark.metric, Benchmark.id)
    ).all()
    boards: dict[tuple[str, str | None, str], list[ClaimRow]] = defaultdict(list)
    for claim in claims:
        key = (claim.metric, claim.model, claim.unit)
        lower = claim.metric in LOWER_IS_BETTER
        best_before = _best_before(session, claim, start, lower)
        subject = claim.subject or names.get(claim.company_id or 0, "unknown")
        claimant = names.get(claim.claimant_company_id or 0)
        baseline = None
        if claim.baseline_value is not None:
            against = f" on {claim.baseline_subject}" if claim.baseline_subject else ""
            baseline = f"vs {claim.baseline_value:g}{against}"
        if best_before is None:
            change = "first claim"
        elif (claim.value < best_before[0]) if lower else (claim.value > best_before[0]):
            change = f"new best (was {best_before[0]:g} by {best_before[1]})"
        else:
            change = None
        boards[key].append(
            ClaimRow(
                subject=subject,
                value=claim.value,
                unit=claim.unit,
                baseline=baseline,
                claimant=claimant if claimant and claimant != subject else None,
                link=articles[claim.article_id],
                change=change,
            )
        )
    out = []
    for (metric, model, unit), found in boards.items():
        lower = metric in LOWER_IS_BETTER
        # the same figure for the same subject, reported twice, is one row (its first source)
        rows = list({(r.subject, r.value): r for r in reversed(found)}.values())
        rows.sort(key=lambda r: (r.value if lower else -r.value, r.subject))
        out.append(Leaderboard(metric, model, unit, rows))
    out.sort(key=lambda b: (-len(b.rows), b.metric, b.model or "", b.unit))
    return out


def _best_before(
    session: Session, claim: Benchmark, start: dt.datetime, lower: bool
) -> tuple[float, str] | None:
    """The best earlier claim on the same metric, model and unit, and whose it was."""
    when = known_at()
    order = Benchmark.value.asc() if lower else Benchmark.value.desc()
    row = session.execute(
        select(Benchmark.value, Benchmark.subject)
        .join(Article, Article.id == Benchmark.article_id)
        .where(
            Benchmark.metric == claim.metric,
            Benchmark.unit == claim.unit,
            (Benchmark.model == claim.model)
            if claim.model is not None
            else Benchmark.model.is_(None),
            when < start,
        )
        .order_by(order, Benchmark.id)
        .limit(1)
    ).first()
    return (row[0], row[1] or "unknown") if row else None
