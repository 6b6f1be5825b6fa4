"""The context builder: one week of the store as a ``Briefing`` of typed rows.

Every choice a reader sees is made here (ranking, "and N more", what is new, what is
stale), so templates stay layout and the choices are tested on a store built in a test.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chipwire.models import (
    Article,
    Benchmark,
    Company,
    DealSource,
    JobRun,
    Mention,
    PriceBar,
    Source,
)
from chipwire.reports import activity
from chipwire.reports.facts import week_claims, week_deals
from chipwire.reports.queries import known_at, week_articles
from chipwire.reports.views import Briefing, DealRow, Freshness, Link, SourceRow, Story
from chipwire.reports.week import Week

TOP_STORIES = 10
TOP_DEALS = 25
TOP_COMPANIES = 15
TOP_CANDIDATES = 10
SILENT_DAYS = 14


def build_briefing(session: Session, week: Week) -> Briefing:
    start, end = week.bounds()
    articles = week_articles(session, start, end)
    deals = week_deals(session, articles, start, end)
    boards = week_claims(session, articles, start)
    companies, more_companies = activity.companies(session, week, TOP_COMPANIES)
    stories = rank_stories(session, articles)
    claims = sum(len(b.rows) for b in boards)
    counts = {
        "articles": len(articles),
        "sources": len({link.source for link in articles.values()}),
        "new_deals": sum(d.new for d in deals),
        "updated_deals": sum(not d.new for d in deals),
        "claims": claims,
    }
    briefing = Briefing(
        week=week.label,
        start=week.monday,
        end=week.sunday,
        zone=week.zone,
        summary=[],
        counts=counts,
        stories=stories[:TOP_STORIES],
        more_stories=max(0, len(stories) - TOP_STORIES),
        deals=deals[:TOP_DEALS],
        more_deals=max(0, len(deals) - TOP_DEALS),
        leaderboards=boards,
        companies=companies,
        more_companies=more_companies,
        mention_charts=activity.mention_charts(week, companies),
        deal_chart=activity.deal_values(session, week),
        new_companies=activity.new_companies(session, start, end),
        candidates=activity.candidates(session, list(articles), TOP_CANDIDATES),
        sources=source_rows(session, start, end),
        freshness=freshness(session, week),
        extractor_version=extractor_version(session, list(articles)),
        previous=week.shifted(-1).label,
        following=week.shifted(1).label,
    )
    briefing.summary = summary(briefing)
    return briefing


def rank_stories(session: Session, articles: dict[int, Link]) -> list[Story]:
    """Novelty first (the first report of a deal outranks its tenth copy), then deal size,
    then how much the article is about the companies it names."""
    if not articles:
        return []
    ids = list(articles)
    when = known_at()
    reports: dict[int, list[tuple[int, int | None]]] = defaultdict(list)  # article -> deals
    order: dict[int, list[int]] = defaultdict(list)  # deal -> articles, oldest first
    for deal_id, article_id, value in session.execute(
        select(DealSource.deal_id, DealSource.article_id, DealSource.value_usd_reported)
        .join(Article, Article.id == DealSource.article_id)
        .where(
            DealSource.deal_id.in_(select(DealSource.deal_id).where(DealSource.article_id.in_(ids)))
        )
        .order_by(when, Article.id)
    ):
        order[deal_id].append(article_id)
        if article_id in articles:
            reports[article_id].append((deal_id, value))
    claims = Counter(
        article_id
        for (article_id,) in session.execute(
            select(Benchmark.article_id).where(Benchmark.article_id.in_(ids))
        )
    )
    named: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for article_id, relevance, name in session.execute(
        select(Mention.article_id, Mention.relevance, Company.name)
        .join(Company, Company.id == Mention.company_id)
        .where(Mention.article_id.in_(ids))
    ):
        named[article_id].append((relevance, name))
    stories = []
    for article_id, link in articles.items():
        firsts = sum(order[d][0] == article_id for d, _ in reports[article_id])
        novelty = sum(
            max(0.0, 1 - order[d].index(article_id) / 10) * (3 if order[d][0] == article_id else 1)
            for d, _ in reports[article_id]
        )
        biggest = max((v for _, v in reports[article_id] if v), default=0)
        size = math.log10(biggest) / 10 if biggest > 0 else 0.0
        relevance = min(2.0, sum(r for r, _ in named[article_id]))
        score = novelty + min(claims[article_id], 3) * 0.5 + size + relevance
        parts = []
        if firsts:
            parts.append(f"first report of {firsts} deal{'s' * (firsts != 1)}")
        elif reports[article_id]:
            parts.append(f"reports {len(reports[article_id])} known deal(s)")
        if claims[article_id]:
            parts.append(f"{claims[article_id]} benchmark claim{'s' * (claims[article_id] != 1)}")
        companies = [n for _, n in sorted(named[article_id], key=lambda x: (-x[0], x[1]))][:5]
        stories.append(Story(link, companies, ", ".join(parts), round(score, 4)))
    stories.sort(key=lambda s: (-s.score, s.link.date or dt.date.min, s.link.title))
    return stories


def source_rows(session: Session, start: dt.datetime, end: dt.datetime) -> list[SourceRow]:
    """Articles per source this week, and which sources are failing or silent."""
    when = known_at()
    per_week = dict(
        session.execute(
            select(Article.source_id, func.count())
            .where(when >= start, when < end)
            .group_by(Article.source_id)
        ).all()
    )
    latest = dict(
        session.execute(select(Article.source_id, func.max(when)).group_by(Article.source_id)).all()
    )
    last_run = {}
    for run in session.scalars(
        select(JobRun).where(JobRun.source_id.is_not(None)).order_by(JobRun.started_at, JobRun.id)
    ):
        last_run[run.source_id] = run
    rows = []
    for source_id, name in session.execute(
        select(Source.id, Source.name).where(Source.enabled.is_(True)).order_by(Source.name)
    ):
        run = last_run.get(source_id)
        last = latest.get(source_id)
        if run is None:
            status = "never run"
        elif run.status == "failed":
            status = f"failing: {(run.error or 'error').splitlines()[0][:120]}"
        elif (run.counts or {}).get("items_found") == 0:
            status = "silent: its last run found no items"
        elif last is None or last < end - dt.timedelta(days=SILENT_DAYS):
            status = f"silent since {last.date() if last else 'ever'}"
        else:
            status = "ok"
        rows.append(SourceRow(name, per_week.get(source_id, 0), status))
    return rows


def freshness(session: Session, week: Week) -> Freshness:
    """Stale market data is said, not hidden; synthetic sample prices are labelled."""
    last_bar = session.scalar(select(func.max(PriceBar.date)))
    sample = bool(
        session.scalar(
            select(func.count()).select_from(PriceBar).where(PriceBar.source == "sample")
        )
    )
    if last_bar is None:
        return Freshness(None, True, False, "No market data in the store: returns are not shown.")
    stale = last_bar < week.sunday - dt.timedelta(days=3)
    note = f"Prices up to {last_bar.isoformat()}."
    if stale:
        note = (
            f"Market data ends on {last_bar.isoformat()}, before this week ends: "
            "returns may be missing."
        )
    if sample:
        note += " SAMPLE DATA: synthetic prices (seeded random walks), not market data."
    return Freshness(last_bar, stale, sample, note)


def extractor_version(session: Session, article_ids: list[int]) -> str | None:
    if not article_ids:
        return None
    rows = session.execute(
        select(Article.extracted_version, func.count())
        .where(Article.id.in_(article_ids), Article.extracted_version.is_not(None))
        .group_by(Article.extracted_version)
        .order_by(func.count().desc(), Article.extracted_version)
    ).first()
    return rows[0] if rows else None


def _money(value: int) -> str:
    for size, suffix in ((1e9, "billion"), (1e6, "million")):
        if value >= size:
            return f"${value / size:,.1f} {suffix}".replace(".0 ", " ")
    return f"${value:,}"


def _deal_words(deal: DealRow) -> str:
    names = " and ".join(name for name, _ in deal.parties[:2])
    value = f", {_money(deal.value_usd)}" if deal.value_usd else ""
    return f"{names} ({deal.deal_type}{value}, {deal.status})"


def summary(b: Briefing) -> list[str]:
    """The week in a few sentences built from the data, nothing the tables do not show."""
    if not b.counts["articles"]:
        return [f"Nothing new this week: no articles were collected between {b.start} and {b.end}."]
    c = b.counts
    lines = [
        f"{c['articles']} articles from {c['sources']} sources: {c['new_deals']} new deals, "
        f"{c['updated_deals']} deals reported again, {c['claims']} benchmark claims."
    ]
    new = [d for d in b.deals if d.new]
    if new:
        biggest = max(new, key=lambda d: (d.value_usd or 0, d.sources))
        lines.append(f"The biggest new deal: {_deal_words(biggest)}.")
    speed = [
        (row, board)
        for board in b.leaderboards
        if board.metric == "tokens_per_second"
        for row in board.rows
    ]
    if speed:
        row, board = max(speed, key=lambda x: x[0].value)
        model = f" on {board.model}" if board.model else ""
        lines.append(f"Fastest claim: {row.subject} at {row.value:g} {row.unit}{model}.")
    if b.companies:
        top = b.companies[0]
        line = (
            f"Most mentioned: {top.name} ({top.mentions} mentions, {top.average:.1f} a week before)"
        )
        if top.week_return is not None:
            line += f"; its stock moved {top.week_return:+.1%} over the week"
            if top.excess_return is not None:
                line += f" ({top.excess_return:+.1%} against the sector)"
        lines.append(line + ".")
    return lines
