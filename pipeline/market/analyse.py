"""``market analyse``: rewrite ``company_week`` and ``deal_reaction`` from prices and news.

Both tables are derived data: they are deleted and rebuilt in one transaction, so a re-run
gives the same rows and a crash leaves the previous ones.  The dates come from the store's
own reports, with no look-ahead: an article counts from ``published_at``, or from
``first_seen_at`` where the publication time is missing or later than when we saw it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session, sessionmaker

from chipwire.models import (
    Article,
    Company,
    CompanyWeek,
    Deal,
    DealParty,
    DealReaction,
    DealSource,
    Mention,
    PriceBar,
    iso_week_label,
)
from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.market import calendars
from chipwire.pipeline.market.eventstudy import Skipped, event_reaction, simple_returns, week_return

WINDOWS = ((-1, 1), (0, 5))
ESTIMATION = (-120, -11)
# calendar days of sessions read around an event: enough for the estimation window
_BEFORE, _AFTER = dt.timedelta(days=250), dt.timedelta(days=20)

Closes = list[tuple[dt.date, float]]


@dataclass
class Listing:
    company_id: int
    name: str
    symbol: str
    exchange: str | None


@dataclass
class Analysed:
    company_weeks: int = 0
    reactions: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (which, why no row)


def known_at(published: dt.datetime | None, first_seen: dt.datetime) -> dt.datetime:
    """When the market could first know what an article says (no look-ahead)."""
    return first_seen if published is None or published > first_seen else published


def iso_week(day: dt.date) -> tuple[str, dt.date]:
    return iso_week_label(day), day - dt.timedelta(days=day.isoweekday() - 1)


def load_closes(session: Session, symbols: Iterable[str]) -> dict[str, Closes]:
    """Adjusted closes per symbol (the close where no adjusted one is given); where two
    sources have the same day, the one fetched last wins."""
    rows = session.execute(
        select(PriceBar.symbol, PriceBar.date, PriceBar.adj_close, PriceBar.close)
        .where(PriceBar.symbol.in_(sorted(set(symbols))))
        .order_by(PriceBar.symbol, PriceBar.date, PriceBar.fetched_at, PriceBar.id)
    ).all()
    by_day: dict[str, dict[dt.date, float]] = defaultdict(dict)
    for symbol, day, adjusted, close in rows:
        value = adjusted if adjusted is not None else close
        if value is not None:
            by_day[symbol][day] = value
    return {symbol: sorted(days.items()) for symbol, days in by_day.items()}


def aligned_returns(closes: Closes, sessions: list[dt.date]) -> dict[dt.date, float]:
    """The benchmark's return over each of another exchange's sessions.

    A Seoul listing trades on days New York is shut (and the other way round); the
    benchmark's price on a session is its last close on or before that day, so a US
    holiday is a zero return and the move lands on the next day New York trades, instead
    of leaving a hole in the event window.
    """
    days = [day for day, _ in closes]
    out: dict[dt.date, float] = {}
    previous: float | None = None
    for session in sessions:
        at = bisect.bisect_right(days, session) - 1
        price = closes[at][1] if at >= 0 else None
        if previous is not None and price is not None:
            out[session] = price / previous - 1
        previous = price
    return out


def listings(session: Session) -> dict[int, Listing]:
    rows = session.execute(
        select(Company.id, Company.name, Company.symbol, Company.exchange).where(
            Company.symbol.is_not(None)
        )
    ).all()
    return {cid: Listing(cid, name, symbol, exchange) for cid, name, symbol, exchange in rows}


def analyse_market(factory: sessionmaker[Session], benchmark: str) -> Analysed:
    result = Analysed()
    with factory.begin() as session:
        listed = listings(session)
        closes = load_closes(session, [*(item.symbol for item in listed.values()), benchmark])
        reactions = deal_reactions(session, listed, closes, benchmark, result)
        weeks = company_weeks(session, listed, closes, benchmark)
        session.execute(delete(DealReaction))
        session.execute(delete(CompanyWeek))
        session.add_all(reactions)
        session.add_all(weeks)
        result.reactions, result.company_weeks = len(reactions), len(weeks)
    return result


def deal_events(session: Session) -> dict[int, dt.datetime]:
    """Each deal's earliest report, as the market could know it."""
    rows = session.execute(
        select(DealSource.deal_id, Article.published_at, Article.first_seen_at).join(
            Article, Article.id == DealSource.article_id
        )
    ).all()
    events: dict[int, dt.datetime] = {}
    for deal_id, published, first_seen in rows:
        when = known_at(published, first_seen)
        if deal_id not in events or when < events[deal_id]:
            events[deal_id] = when
    return events


def deal_reactions(
    session: Session,
    listed: dict[int, Listing],
    closes: dict[str, Closes],
    benchmark: str,
    result: Analysed,
) -> list[DealReaction]:
    events = deal_events(session)
    parties: dict[int, list[tuple[int | None, str, str]]] = defaultdict(list)
    for deal_id, company_id, name, role in session.execute(
        select(DealParty.deal_id, DealParty.company_id, DealParty.name, DealParty.role)
        .join(Deal, Deal.id == DealParty.deal_id)
        .where(Deal.is_background.is_(False))
        .order_by(DealParty.deal_id, DealParty.position)
    ):
        parties[deal_id].append((company_id, name, role))
    bench_closes = closes.get(benchmark, [])
    returns: dict[str, dict[dt.date, float]] = {}
    rows: list[DealReaction] = []
    for deal_id, members in sorted(parties.items()):
        if deal_id not in events:
            continue
        unlisted = [name for cid, name, _ in members if cid is None or cid not in listed]
        for company_id, name, role in members:
            if company_id is None or company_id not in listed:
                continue
            item = listed[company_id]
            which = f"deal {deal_id}, {name} ({item.symbol})"
            if item.symbol not in closes:
                result.skipped.append((which, f"no prices stored for {item.symbol}"))
                continue
            if not bench_closes:
                result.skipped.append((which, f"no prices stored for benchmark {benchmark}"))
                continue
            try:
                calendar = calendars.calendar_for_symbol(item.symbol, item.exchange)
                session_day = calendars.event_session(calendar, events[deal_id])
                days = calendars.sessions(calendar, session_day - _BEFORE, session_day + _AFTER)
            except ChipwireError as exc:
                result.skipped.append((which, str(exc)))
                continue
            if item.symbol not in returns:
                returns[item.symbol] = simple_returns(closes[item.symbol])
            reaction = event_reaction(
                returns[item.symbol],
                aligned_returns(bench_closes, days),
                days,
                session_day,
                estimation=ESTIMATION,
                windows=WINDOWS,
            )
            if isinstance(reaction, Skipped):
                result.skipped.append((which, reaction.reason))
                continue
            model = reaction.model
            rows.append(
                DealReaction(
                    deal_id=deal_id,
                    company_id=company_id,
                    symbol=item.symbol,
                    role=role,
                    unlisted_parties=", ".join(unlisted)[:400] or None,
                    event_at=events[deal_id],
                    event_session=session_day,
                    benchmark=benchmark,
                    car_m1_p1=reaction.car[(-1, 1)],
                    t_m1_p1=reaction.t_stat.get((-1, 1)),
                    car_0_p5=reaction.car[(0, 5)],
                    t_0_p5=reaction.t_stat.get((0, 5)),
                    alpha=model.alpha,
                    beta=model.beta,
                    resid_sd=model.resid_sd,
                    estimation_sessions=model.n,
                )
            )
    return rows


def company_weeks(
    session: Session, listed: dict[int, Listing], closes: dict[str, Closes], benchmark: str
) -> list[CompanyWeek]:
    """News activity per company and ISO week, with the week's return where it is listed.

    A listed company gets a row for every week of the store's news span, quiet weeks
    included, so a mention spike can be read against the weeks around it.
    """
    mentions: dict[tuple[int, str], int] = defaultdict(int)
    articles: dict[tuple[int, str], set[int]] = defaultdict(set)
    starts: dict[str, dt.date] = {}
    for company_id, article_id, count, published, first_seen in session.execute(
        select(
            Mention.company_id,
            Mention.article_id,
            Mention.count,
            Article.published_at,
            Article.first_seen_at,
        ).join(Article, Article.id == Mention.article_id)
    ):
        week, start = iso_week(known_at(published, first_seen).date())
        starts[week] = start
        mentions[(company_id, week)] += count
        articles[(company_id, week)].add(article_id)
    deals: dict[tuple[int, str], int] = defaultdict(int)
    for company_id, first_reported in session.execute(
        select(DealParty.company_id, Deal.first_reported_at)
        .join(Deal, Deal.id == DealParty.deal_id)
        .where(DealParty.company_id.is_not(None), Deal.first_reported_at.is_not(None))
    ):
        week, start = iso_week(first_reported.date())
        starts[week] = start
        deals[(company_id, week)] += 1
    keys = set(mentions) | set(deals)
    if starts:
        first, last = min(starts.values()), max(starts.values())
        day = first
        while day <= last:
            week, _ = iso_week(day)
            starts[week] = day
            keys.update((company_id, week) for company_id in listed)
            day += dt.timedelta(days=7)
    bench_closes = closes.get(benchmark, [])
    rows = []
    for company_id, week in sorted(keys):
        item = listed.get(company_id)
        start = starts[week]
        stock = week_return(closes[item.symbol], start) if item and item.symbol in closes else None
        bench = week_return(bench_closes, start) if item else None
        rows.append(
            CompanyWeek(
                company_id=company_id,
                week=week,
                week_start=start,
                mentions=mentions.get((company_id, week), 0),
                articles=len(articles.get((company_id, week), ())),
                deals=deals.get((company_id, week), 0),
                symbol=item.symbol if item else None,
                week_return=stock,
                benchmark=benchmark if item else None,
                benchmark_return=bench,
                excess_return=stock - bench if stock is not None and bench is not None else None,
            )
        )
    return rows


def _view_rows(session: Session, sql: str) -> list[dict[str, Any]]:
    return [dict(row) for row in session.execute(text(sql)).mappings()]


def car_by_deal_type(session: Session) -> list[dict[str, Any]]:
    """The ``car_by_deal_type`` view, for the briefing and the demo."""
    return _view_rows(
        session,
        "SELECT deal_type, reactions, deals, avg_car_m1_p1, avg_car_0_p5 "
        "FROM car_by_deal_type ORDER BY deal_type",
    )


def car_by_company(session: Session) -> list[dict[str, Any]]:
    """The ``car_by_company`` view, largest reaction counts first, for the briefing."""
    return _view_rows(
        session,
        "SELECT company, symbol, reactions, avg_car_m1_p1, avg_car_0_p5 "
        "FROM car_by_company ORDER BY reactions DESC, company",
    )
