"""Store reads the context builder shares: which articles a week holds, and safe links."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from chipwire.models import Article, Source, known_at_clause
from chipwire.reports.views import Link


def known_at() -> ColumnElement[Any]:
    """When an article could first be known: ``published_at``, or ``first_seen_at`` where
    the publication time is missing or later (a page dated in the future is not news
    before we saw it)."""
    return known_at_clause(Article.published_at, Article.first_seen_at)


def safe_url(url: str | None) -> str | None:
    """Only http and https links are rendered: a scraped ``javascript:`` or ``data:`` URL
    must never become a clickable link in the briefing."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def week_articles(session: Session, start: dt.datetime, end: dt.datetime) -> dict[int, Link]:
    """The week's original articles (syndicated copies are linked to theirs, not listed)."""
    when = known_at()
    rows = session.execute(
        select(Article.id, Article.title, Article.url, Source.name, when)
        .outerjoin(Source, Source.id == Article.source_id)
        .where(Article.duplicate_of_id.is_(None), when >= start, when < end)
        .order_by(when, Article.id)
    ).all()
    return {
        article_id: Link(
            title=title or url,
            url=safe_url(url),
            source=source or "",
            date=moment.date() if moment else None,
        )
        for article_id, title, url, source, moment in rows
    }


def latest_report(session: Session) -> dt.datetime | None:
    """When the newest article could be known: a briefing's default week."""
    return session.scalar(select(func.max(known_at())))


def busiest_week_start(session: Session) -> dt.datetime | None:
    """A moment in the week with the most articles (the demo shows its fullest week)."""
    moments = [
        m for (m,) in session.execute(select(known_at()).where(Article.duplicate_of_id.is_(None)))
    ]
    if not moments:
        return None
    weeks: dict[tuple[int, int], list[dt.datetime]] = {}
    for moment in moments:
        weeks.setdefault(moment.isocalendar()[:2], []).append(moment)
    return max(weeks.values(), key=lambda ms: (len(ms), max(ms)))[0]
