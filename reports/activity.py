"""Who was talked about: mentions against the weeks before, prices, new names."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chipwire.models import (
    Article,
    Company,
    CompanyWeek,
    Deal,
    Mention,
    OrgCandidate,
    PriceBar,
    iso_week_label,
)
from chipwire.reports.queries import known_at
from chipwire.reports.views import Candidate, CompanyRow, Series
from chipwire.reports.week import Week, week_at

HISTORY_WEEKS = 4  # "mentions against their 4-week average"
CHART_WEEKS = 8
SPARK_WEEKS = 12


def weekly_mentions(
    session: Session, weeks: list[Week]
) -> dict[int, dict[str, int]]:  # company id -> week label -> mentions
    start, end = weeks[0].bounds()[0], weeks[-1].bounds()[1]
    when = known_at()
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for company_id, count, moment in session.execute(
        select(Mention.company_id, Mention.count, when)
        .join(Article, Article.id == Mention.article_id)
        .where(Article.duplicate_of_id.is_(None), when >= start, when < end)
    ):
        out[company_id][week_at(moment, weeks[0].zone).label] += count
    return out


def weekly_closes(session: Session, symbol: str, weeks: list[Week]) -> list[float | None]:
    """The last adjusted close of each week (None for a week without bars)."""
    rows = session.execute(
        select(PriceBar.date, func.coalesce(PriceBar.adj_close, PriceBar.close))
        .where(
            PriceBar.symbol == symbol,
            PriceBar.date >= weeks[0].monday,
            PriceBar.date <= weeks[-1].sunday,
        )
        .order_by(PriceBar.date, PriceBar.fetched_at)
    ).all()
    last: dict[str, float] = {}
    for day, close in rows:
        if close is not None:
            last[iso_week_label(day)] = close
    return [last.get(week.label) for week in weeks]


def companies(session: Session, week: Week, limit: int) -> tuple[list[CompanyRow], int]:
    """Companies named this week, most mentioned first, with their market week."""
    weeks = [week.shifted(k) for k in range(-max(HISTORY_WEEKS, SPARK_WEEKS) + 1, 1)]
    counts = weekly_mentions(session, weeks)
    named = {cid: byweek[week.label] for cid, byweek in counts.items() if byweek.get(week.label)}
    if not named:
        return [], 0
    info = {
        cid: (name, symbol)
        for cid, name, symbol in session.execute(
            select(Company.id, Company.name, Company.symbol).where(Company.id.in_(list(named)))
        )
    }
    market = {
        row.company_id: row
        for row in session.scalars(
            select(CompanyWeek).where(
                CompanyWeek.week == week.label, CompanyWeek.company_id.in_(list(named))
            )
        )
    }
    before = [w.label for w in weeks[-HISTORY_WEEKS - 1 : -1]]
    ranked = sorted(named, key=lambda cid: (-named[cid], info[cid][0]))
    rows = []
    for cid in ranked[:limit]:
        name, symbol = info[cid]
        stats = market.get(cid)
        rows.append(
            CompanyRow(
                name=name,
                symbol=symbol,
                mentions=named[cid],
                average=sum(counts[cid].get(label, 0) for label in before) / len(before),
                week_return=stats.week_return if stats else None,
                excess_return=stats.excess_return if stats else None,
                closes=weekly_closes(session, symbol, weeks) if symbol else [],
                weekly=[counts[cid].get(w.label, 0) for w in weeks],
            )
        )
    return rows, max(0, len(ranked) - limit)


def mention_charts(week: Week, rows: list[CompanyRow]) -> list[Series]:
    """Mentions against price for the most-mentioned listed companies, over the last weeks
    of the series ``companies`` already read."""
    weeks = [week.shifted(k) for k in range(-CHART_WEEKS + 1, 1)]
    return [
        Series(
            title=f"{row.name}: weekly mentions and closing price",
            categories=[w.label for w in weeks],
            values={
                "mentions": [float(n) for n in row.weekly[-CHART_WEEKS:]],
                f"{row.symbol} close": row.closes[-CHART_WEEKS:],
            },
        )
        for row in [r for r in rows if r.symbol][:3]
    ]


def deal_values(session: Session, week: Week) -> Series:
    """Value of new deals by type, per week, over recent weeks."""
    weeks = [week.shifted(k) for k in range(-CHART_WEEKS + 1, 1)]
    start, end = weeks[0].bounds()[0], weeks[-1].bounds()[1]
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for deal_type, value, first in session.execute(
        select(Deal.deal_type, Deal.value_usd, Deal.first_reported_at).where(
            Deal.is_background.is_(False),
            Deal.value_usd.is_not(None),
            Deal.first_reported_at >= start,
            Deal.first_reported_at < end,
        )
    ):
        totals[deal_type][week_at(first, week.zone).label] += float(value)
    return Series(
        title="Value of new deals by type",
        categories=[w.label for w in weeks],
        values={t: [totals[t].get(w.label, 0.0) for w in weeks] for t in sorted(totals)},
        unit="USD",
    )


def new_companies(session: Session, start: dt.datetime, end: dt.datetime) -> list[str]:
    """Registered companies named for the first time this week."""
    when = known_at()
    first = (
        select(Mention.company_id, func.min(when).label("first"))
        .join(Article, Article.id == Mention.article_id)
        .group_by(Mention.company_id)
        .subquery()
    )
    rows = session.execute(
        select(Company.name)
        .join(first, first.c.company_id == Company.id)
        .where(first.c.first >= start, first.c.first < end)
        .order_by(Company.name)
    ).all()
    return [name for (name,) in rows]


def candidates(session: Session, article_ids: list[int], limit: int) -> list[Candidate]:
    """Unregistered names seen this week, by how many articles name them in all."""
    if not article_ids:
        return []
    keys = select(OrgCandidate.name_key).where(OrgCandidate.article_id.in_(article_ids))
    rows = session.execute(
        select(
            OrgCandidate.name_key,
            func.min(OrgCandidate.name),
            func.count(func.distinct(OrgCandidate.article_id)),
            func.min(OrgCandidate.sentence),
        )
        .where(OrgCandidate.name_key.in_(keys))
        .group_by(OrgCandidate.name_key)
        .order_by(func.count(func.distinct(OrgCandidate.article_id)).desc(), OrgCandidate.name_key)
        .limit(limit)
    ).all()
    return [Candidate(name, count, example) for _, name, count, example in rows]
