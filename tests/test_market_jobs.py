"""The market jobs on a store: refresh (CSV and a faked yfinance), then the event studies.

The prices are built so the answers are known analytically: each stock's daily return is
exactly alpha + beta x the benchmark's, plus a known jump on its deal's event session, so
the market model must recover beta and the CAR must equal the jump.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from chipwire.models import (
    Article,
    Company,
    CompanyWeek,
    DealReaction,
    JobRun,
    PriceBar,
)
from chipwire.pipeline.config import Settings
from chipwire.pipeline.extract.analysis import ArticleExtraction
from chipwire.pipeline.extract.companies import MentionCount
from chipwire.pipeline.extract.deal_parts import DealClaim, Party
from chipwire.pipeline.extract.store import save_extraction
from chipwire.pipeline.jobs import market_analyse_job, market_refresh_job, seed_job
from chipwire.pipeline.market import calendars
from chipwire.pipeline.market.analyse import car_by_company, car_by_deal_type
from chipwire.pipeline.market.bars import Bar
from chipwire.pipeline.market.csvfile import write_bars
from chipwire.pipeline.market.eventstudy import average_car
from chipwire.pipeline.market.yahoo import YahooSource

UTC = dt.UTC
# (symbol, alpha, beta, jump, event time): a Saturday, and a Wednesday 16:30 New York
NVDA = ("NVDA", 0.0002, 1.5, 0.05, dt.datetime(2026, 1, 10, 12, 0, tzinfo=UTC))
AMD = ("AMD", -0.0001, 0.8, -0.03, dt.datetime(2026, 2, 4, 21, 30, tzinfo=UTC))
NVDA_SESSION, AMD_SESSION = dt.date(2026, 1, 12), dt.date(2026, 2, 5)


def synthetic_bars() -> list[Bar]:
    days = calendars.sessions("XNAS", dt.date(2025, 5, 1), dt.date(2026, 3, 31))
    market = np.random.default_rng(7).normal(0.0003, 0.012, len(days))
    events = {NVDA[0]: NVDA_SESSION, AMD[0]: AMD_SESSION}
    series: dict[str, list[float]] = {"SMH": list(market)}
    for symbol, alpha, beta, jump, _ in (NVDA, AMD):
        series[symbol] = [
            alpha + beta * m + (jump if day == events[symbol] else 0.0)
            for day, m in zip(days, market, strict=True)
        ]
    bars = []
    for symbol, returns in series.items():
        close = 100.0
        for day, r in zip(days, returns, strict=True):
            close *= 1 + r
            bars.append(Bar(symbol, day, None, None, None, close, close, 1000, "USD", "csv"))
    return bars


def add_report(engine: Engine, url: str, when: dt.datetime, claim: DealClaim, slug: str) -> None:
    with Session(engine) as session, session.begin():
        article = Article(url=url, text="t", content_hash=url[-8:], published_at=when)
        session.add(article)
        session.flush()
        ids = dict(session.execute(select(Company.slug, Company.id)).all())
        result = ArticleExtraction([MentionCount(slug, 3, 0.9, 0)], [claim], [], [])
        save_extraction(session, article.id, when, url, result, ids)


@pytest.fixture
def market_store(settings: Settings, engine: Engine, tmp_path: Path) -> Settings:
    seed_job(settings)
    groq = Party("Groq", "groq", "licensor")
    add_report(
        engine,
        "https://news.test/nvidia-groq",
        NVDA[4],
        DealClaim("licensing", [Party("Nvidia", "nvidia", "licensee"), groq], "announced", "e"),
        "nvidia",
    )
    add_report(
        engine,
        "https://news.test/amd-groq",
        AMD[4],
        DealClaim("supply", [Party("AMD", "amd", "customer"), groq], "announced", "e"),
        "amd",
    )
    # a deal too early for an estimation window: no reaction, and the reason said
    add_report(
        engine,
        "https://news.test/early",
        dt.datetime(2025, 6, 2, 14, 0, tzinfo=UTC),
        DealClaim("partnership", [Party("Nvidia", "nvidia", "partner"), groq], "announced", "e"),
        "nvidia",
    )
    write_bars(tmp_path / "prices.csv", synthetic_bars())
    return settings


def refresh(settings: Settings, tmp_path: Path) -> dict[str, Any]:
    return market_refresh_job(settings, csv=tmp_path / "prices.csv", symbols=["NVDA", "AMD", "SMH"])


def reactions(engine: Engine) -> dict[str, DealReaction]:
    with Session(engine) as session:
        return {r.symbol: r for r in session.scalars(select(DealReaction))}


def test_the_market_model_recovers_beta_and_the_jump(
    market_store: Settings, engine: Engine, tmp_path: Path
) -> None:
    counts = refresh(market_store, tmp_path)
    assert counts["bars_added"] == 3 * len(
        calendars.sessions("XNAS", dt.date(2025, 5, 1), dt.date(2026, 3, 31))
    )
    rows = reactions(engine)
    assert set(rows) == {"NVDA", "AMD"}
    for symbol, alpha, beta, jump, _ in (NVDA, AMD):
        row = rows[symbol]
        assert row.beta == pytest.approx(beta, abs=1e-6)
        assert row.alpha == pytest.approx(alpha, abs=1e-7)
        assert row.car_m1_p1 == pytest.approx(jump, abs=1e-6)
        assert row.car_0_p5 == pytest.approx(jump, abs=1e-6)
        assert row.estimation_sessions == 110
        assert row.unlisted_parties == "Groq"  # a private company's deal, seen in its partner
    # a Saturday report reacts on Monday; one after the 16:00 close on the next session
    assert rows["NVDA"].event_session == NVDA_SESSION
    assert rows["AMD"].event_session == AMD_SESSION
    assert rows["AMD"].role == "customer"
    skipped = counts["analysis"]["skipped"]
    assert len(skipped) == 1 and "estimation sessions" in skipped[0], skipped


def test_refresh_and_analysis_are_idempotent(
    market_store: Settings, engine: Engine, tmp_path: Path
) -> None:
    refresh(market_store, tmp_path)
    first = {s: (r.car_0_p5, r.beta) for s, r in reactions(engine).items()}
    again = refresh(market_store, tmp_path)
    assert again["bars_added"] == 0
    market_analyse_job(market_store)
    assert {s: (r.car_0_p5, r.beta) for s, r in reactions(engine).items()} == first
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(DealReaction)) == 2


def test_the_summary_views_agree_with_the_python_averages(
    market_store: Settings, engine: Engine, tmp_path: Path
) -> None:
    refresh(market_store, tmp_path)
    with Session(engine) as session:
        rows = session.execute(
            text(
                "SELECT d.deal_type, r.car_0_p5 FROM deal_reaction r "
                "JOIN deal d ON d.id = r.deal_id"
            )
        ).all()
        view = session.execute(
            text("SELECT deal_type, reactions, avg_car_0_p5 FROM car_by_deal_type")
        ).all()
        by_company = session.execute(
            text("SELECT symbol, reactions, avg_car_m1_p1 FROM car_by_company")
        ).all()
    expected = average_car((deal_type, car) for deal_type, car in rows)
    assert {t: (n, pytest.approx(mean)) for t, (n, mean) in expected.items()} == {
        t: (n, avg) for t, n, avg in view
    }
    assert {s: n for s, n, _ in by_company} == {"NVDA": 1, "AMD": 1}
    with Session(engine) as session:
        python_side = {r["symbol"]: r["avg_car_m1_p1"] for r in car_by_company(session)}
        typed = {r["deal_type"]: r["reactions"] for r in car_by_deal_type(session)}
    assert python_side == {s: pytest.approx(avg) for s, _, avg in by_company}
    assert typed == {t: n for t, (n, _) in expected.items()}


def test_company_weeks_carry_mentions_and_the_weeks_return(
    market_store: Settings, engine: Engine, tmp_path: Path
) -> None:
    refresh(market_store, tmp_path)
    with Session(engine) as session:
        nvidia = session.scalar(select(Company.id).where(Company.slug == "nvidia"))
        weeks = {
            w.week: w
            for w in session.scalars(select(CompanyWeek).where(CompanyWeek.company_id == nvidia))
        }
        closes = dict(
            session.execute(
                select(PriceBar.date, PriceBar.adj_close).where(PriceBar.symbol == "NVDA")
            ).all()
        )
        smh = dict(
            session.execute(
                select(PriceBar.date, PriceBar.adj_close).where(PriceBar.symbol == "SMH")
            ).all()
        )
    reported = weeks["2026-W02"]  # Saturday 10 January 2026
    assert (reported.mentions, reported.articles, reported.deals) == (3, 1, 1)
    # the week of the jump: Friday 16 January's close over Friday 9 January's
    jump_week = weeks["2026-W03"]
    assert jump_week.mentions == 0  # a quiet week of a listed company still has a row
    stock = closes[dt.date(2026, 1, 16)] / closes[dt.date(2026, 1, 9)] - 1
    bench = smh[dt.date(2026, 1, 16)] / smh[dt.date(2026, 1, 9)] - 1
    assert jump_week.week_return == pytest.approx(stock)
    assert jump_week.excess_return == pytest.approx(stock - bench)


def failing_download(tickers: list[str], start: dt.date, end: dt.date) -> pd.DataFrame:
    raise ConnectionError("Yahoo unreachable")


def test_a_failed_yfinance_refresh_keeps_every_stored_bar(
    market_store: Settings, engine: Engine, tmp_path: Path
) -> None:
    refresh(market_store, tmp_path)
    with Session(engine) as session:
        before = session.scalar(select(func.count()).select_from(PriceBar))
    source = YahooSource(failing_download, sleep=lambda _: None)
    counts = market_refresh_job(market_store, source=source, symbols=["NVDA", "AMD"])
    assert set(counts["problems"]) == {"NVDA", "AMD"}
    assert "Yahoo unreachable" in counts["problems"]["NVDA"]
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(PriceBar)) == before
        run = session.scalars(
            select(JobRun).where(JobRun.job == "market-refresh").order_by(JobRun.id.desc())
        ).first()
    assert run is not None and run.status == "succeeded"
    assert set(run.counts["problems"]) == {"NVDA", "AMD"}
    assert len(reactions(engine)) == 2  # the analysis still ran on what is stored


def test_incremental_refresh_asks_from_the_day_after_the_last_bar(
    market_store: Settings, tmp_path: Path
) -> None:
    refresh(market_store, tmp_path)
    asked: dict[str, dt.date] = {}

    def download(tickers: list[str], start: dt.date, end: dt.date) -> pd.DataFrame:
        asked.update(dict.fromkeys(tickers, start))
        return pd.DataFrame()

    market_refresh_job(market_store, source=YahooSource(download), symbols=["NVDA", "INTC"])
    assert asked["NVDA"] == dt.date(2026, 4, 1)  # the CSV's last bar is 31 March
    assert asked["INTC"] < dt.date(2026, 1, 1)  # never priced: its whole default history
