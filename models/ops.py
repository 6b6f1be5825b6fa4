"""Market prices and the record of job runs."""

from __future__ import annotations

import datetime as dt
import os
import socket
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    Double,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from chipwire.models.base import Base, utcnow
from chipwire.models.vocab import JOB_STATUSES, one_of


class PriceBar(Base):
    __tablename__ = "price_bar"
    __table_args__ = (
        UniqueConstraint("symbol", "date", "source"),
        {"comment": "Daily OHLCV bars per market symbol; join company.symbol."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    symbol: Mapped[str] = mapped_column(
        String(20), index=True, comment="Market symbol as yfinance knows it, e.g. 'NVDA'."
    )
    date: Mapped[dt.date] = mapped_column(Date, index=True, comment="Trading day (exchange-local).")
    open: Mapped[float | None] = mapped_column(Double, comment="Opening price.")
    high: Mapped[float | None] = mapped_column(Double, comment="Highest price.")
    low: Mapped[float | None] = mapped_column(Double, comment="Lowest price.")
    close: Mapped[float | None] = mapped_column(Double, comment="Closing price (not adjusted).")
    adj_close: Mapped[float | None] = mapped_column(
        Double, comment="Close adjusted for splits and dividends; use for returns."
    )
    volume: Mapped[int | None] = mapped_column(BigInteger, comment="Shares traded.")
    currency: Mapped[str | None] = mapped_column(String(3), comment="ISO 4217 price currency.")
    source: Mapped[str] = mapped_column(
        String(40), comment="Where the bar came from, e.g. 'yfinance' or 'csv'."
    )
    fetched_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, comment="When this bar was fetched (UTC)."
    )


class JobRun(Base):
    __tablename__ = "job_run"
    __table_args__ = (
        CheckConstraint(one_of("status", JOB_STATUSES), name="status"),
        {"comment": "One row per run of a pipeline job (seed, crawl, extract, brief...)."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    job: Mapped[str] = mapped_column(String(60), index=True, comment="Job name, e.g. 'seed'.")
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source.id", ondelete="SET NULL"),
        index=True,
        comment="Source crawled, for per-source crawl runs.",
    )
    started_at: Mapped[dt.datetime] = mapped_column(
        index=True, default=utcnow, comment="Start time (UTC)."
    )
    finished_at: Mapped[dt.datetime | None] = mapped_column(
        comment="End time (UTC); NULL while running or if the process died."
    )
    status: Mapped[str] = mapped_column(
        String(20), default="running", comment=f"One of {', '.join(JOB_STATUSES)}."
    )
    counts: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict, comment="Job-specific counters, e.g. {'inserted': 3, 'dropped': 1}."
    )
    error: Mapped[str | None] = mapped_column(Text, comment="Error message if it failed.")
    pid: Mapped[int | None] = mapped_column(
        default=os.getpid, comment="Process id of the run, to tell a live run from a dead one."
    )
    host: Mapped[str | None] = mapped_column(
        String(255),
        default=socket.gethostname,
        comment="Host the run's process ran on; its pid means something only there.",
    )
