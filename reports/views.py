"""What the templates receive: plain, typed rows, every value already decided.

The templates only lay these out; a number's rounding, a link's safety and a section's
"and N more" are settled here, where they are tested.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    """A source article: ``url`` is None unless it is an http(s) URL (never javascript:)."""

    title: str
    url: str | None
    source: str
    date: dt.date | None


@dataclass(frozen=True)
class Story:
    link: Link
    companies: list[str]
    why: str  # "first report of 2 deals", "repeats a deal first reported 3 Jan"
    score: float


@dataclass(frozen=True)
class Reaction:
    symbol: str
    role: str
    car_m1_p1: float
    t_m1_p1: float | None
    car_0_p5: float
    t_0_p5: float | None


@dataclass(frozen=True)
class DealRow:
    deal_type: str
    parties: list[tuple[str, str]]  # (name, role), paying/initiating party first
    value_usd: int | None
    value_qualifier: str | None
    status: str  # announced | completed | reported | talks
    sources: int
    first_reported: dt.date | None
    new: bool  # first reported this week (else: reported again this week)
    evidence: str
    links: list[Link]
    reactions: list[Reaction]


@dataclass(frozen=True)
class ClaimRow:
    subject: str
    value: float
    unit: str
    baseline: str | None  # "vs 60 on GPUs"
    claimant: str | None  # who says so, where not the subject itself
    link: Link
    change: str | None  # "new best (was 300 by Groq)", "first claim", None


@dataclass(frozen=True)
class Leaderboard:
    metric: str
    model: str | None
    unit: str
    rows: list[ClaimRow]


@dataclass(frozen=True)
class CompanyRow:
    name: str
    symbol: str | None
    mentions: int
    average: float  # mentions per week over the four weeks before
    week_return: float | None
    excess_return: float | None
    closes: list[float | None]  # weekly closes, oldest first, for the sparkline
    weekly: list[int]  # mentions per week over the same weeks as ``closes``


@dataclass(frozen=True)
class Series:
    """One chart's data: categories (weeks) and named value lists."""

    title: str
    categories: list[str]
    values: dict[str, list[float | None]]
    unit: str = ""


@dataclass(frozen=True)
class Candidate:
    name: str
    articles: int
    example: str


@dataclass(frozen=True)
class SourceRow:
    name: str
    articles: int
    status: str  # "ok", "failing: ...", "silent since ...", "never run"


@dataclass(frozen=True)
class Freshness:
    last_bar: dt.date | None
    stale: bool  # the market data ends before the week does
    sample: bool  # synthetic sample prices (the demo), not market data
    note: str


@dataclass
class Briefing:
    week: str
    start: dt.date
    end: dt.date
    zone: str
    summary: list[str]
    counts: dict[str, int]
    stories: list[Story] = field(default_factory=list)
    more_stories: int = 0
    deals: list[DealRow] = field(default_factory=list)
    more_deals: int = 0
    leaderboards: list[Leaderboard] = field(default_factory=list)
    companies: list[CompanyRow] = field(default_factory=list)
    more_companies: int = 0
    mention_charts: list[Series] = field(default_factory=list)
    deal_chart: Series | None = None
    new_companies: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    sources: list[SourceRow] = field(default_factory=list)
    freshness: Freshness | None = None
    extractor_version: str | None = None
    previous: str | None = None  # neighbouring weeks, for navigation
    following: str | None = None
