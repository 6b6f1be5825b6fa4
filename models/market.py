"""Market analytics the market job recomputes: weekly company activity and deal reactions.

Both are tables rather than views: the returns need the exchange calendars and a market
model fit, which SQL cannot do portably; ``chipwire market analyse`` rewrites them after
every price refresh, so analysts query them like any other table.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Double, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chipwire.models.base import Base, utcnow


def iso_week_label(day: dt.date) -> str:
    """How ``company_week.week`` spells a week: the market job writes it and the briefing
    joins on it, so both take it from here (ISO years cross January 1: 2024-12-30 is in
    2025-W01)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


class CompanyWeek(Base):
    __tablename__ = "company_week"
    __table_args__ = (
        UniqueConstraint("company_id", "week"),
        {"comment": "Per company and ISO week: news activity and the stock's return."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True, comment="The company."
    )
    week: Mapped[str] = mapped_column(String(8), index=True, comment="ISO week, e.g. '2026-W02'.")
    week_start: Mapped[dt.date] = mapped_column(Date, comment="Monday of the ISO week.")
    mentions: Mapped[int] = mapped_column(
        Integer, comment="Times the company was named in articles first seen that week."
    )
    articles: Mapped[int] = mapped_column(Integer, comment="Articles naming the company.")
    deals: Mapped[int] = mapped_column(
        Integer, comment="Deals with the company as a party, first reported that week."
    )
    symbol: Mapped[str | None] = mapped_column(
        String(20), comment="The company's market symbol; NULL if it is not listed."
    )
    week_return: Mapped[float | None] = mapped_column(
        Double,
        comment="Last adjusted close of the week over the last one before it, minus 1, in the "
        "listing's currency; NULL if unlisted or unpriced.",
    )
    benchmark: Mapped[str | None] = mapped_column(
        String(20), comment="Sector benchmark symbol the excess return is against."
    )
    benchmark_return: Mapped[float | None] = mapped_column(
        Double, comment="The benchmark's return over the same week."
    )
    excess_return: Mapped[float | None] = mapped_column(
        Double, comment="week_return - benchmark_return."
    )


class DealReaction(Base):
    __tablename__ = "deal_reaction"
    __table_args__ = (
        UniqueConstraint("deal_id", "company_id"),
        {
            "comment": "Event study of each deal for each listed party: cumulative abnormal "
            "returns against a market model fitted before the deal."
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    deal_id: Mapped[int] = mapped_column(
        ForeignKey("deal.id", ondelete="CASCADE"), index=True, comment="The deal."
    )
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True, comment="The listed party."
    )
    symbol: Mapped[str] = mapped_column(String(20), comment="The party's market symbol.")
    role: Mapped[str] = mapped_column(String(20), comment="The party's role in the deal.")
    unlisted_parties: Mapped[str | None] = mapped_column(
        String(400),
        comment="The deal's parties without a listing (e.g. Groq), comma-separated: this row "
        "is then their listed counterparty's reaction.",
    )
    event_at: Mapped[dt.datetime] = mapped_column(
        comment="When the market could first know: the earliest report's published_at, or "
        "first_seen_at where that is missing or earlier (UTC).",
    )
    event_session: Mapped[dt.date] = mapped_column(
        Date, comment="First session of the party's exchange closing after event_at."
    )
    benchmark: Mapped[str] = mapped_column(
        String(20), comment="Benchmark symbol of the market model."
    )
    car_m1_p1: Mapped[float] = mapped_column(
        Double, comment="Cumulative abnormal return over sessions [-1, +1]."
    )
    t_m1_p1: Mapped[float | None] = mapped_column(
        Double, comment="t-statistic of car_m1_p1: CAR / (resid_sd * sqrt(3))."
    )
    car_0_p5: Mapped[float] = mapped_column(
        Double, comment="Cumulative abnormal return over sessions [0, +5]."
    )
    t_0_p5: Mapped[float | None] = mapped_column(
        Double, comment="t-statistic of car_0_p5: CAR / (resid_sd * sqrt(6))."
    )
    alpha: Mapped[float] = mapped_column(Double, comment="Market model intercept (daily).")
    beta: Mapped[float] = mapped_column(Double, comment="Market model slope on the benchmark.")
    resid_sd: Mapped[float] = mapped_column(
        Double, comment="Standard deviation of the market model's daily residuals."
    )
    estimation_sessions: Mapped[int] = mapped_column(
        Integer, comment="Sessions in the estimation window [-120, -11] with both returns."
    )
    computed_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, comment="When this row was computed (UTC)."
    )
