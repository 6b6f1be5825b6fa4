"""The market commands as a user runs them, and the yfinance source wired to the calendars."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from typer.testing import CliRunner

from chipwire.pipeline.cli import app
from chipwire.pipeline.market.bars import Bar
from chipwire.pipeline.market.csvfile import write_bars
from chipwire.pipeline.market.sources import price_source
from tests.conftest import write

runner = CliRunner()
NEW_YORK, SEOUL = ZoneInfo("America/New_York"), ZoneInfo("Asia/Seoul")


def frame(ticker: str, days: list[str], tz: ZoneInfo) -> pd.DataFrame:
    index = pd.DatetimeIndex(pd.to_datetime(days), name="Date").tz_localize(tz)
    fields = ["Adj Close", "Close", "High", "Low", "Open", "Volume"]
    columns = pd.MultiIndex.from_product([fields, [ticker]], names=["Price", "Ticker"])
    return pd.DataFrame([[10.0, 10.0, 11.0, 9.0, 9.5, 1000.0]] * len(days), index, columns)


def test_todays_bar_is_stored_only_after_its_exchange_closes() -> None:
    def download(tickers: list[str], start: dt.date, end: dt.date) -> pd.DataFrame:
        return frame(tickers[0], ["2026-03-09", "2026-03-10"], NEW_YORK)

    source = price_source({"NVDA": "NASDAQ"}, download=download)
    during = dt.datetime(2026, 3, 10, 15, 0, tzinfo=NEW_YORK)  # the session is still open
    after = dt.datetime(2026, 3, 10, 16, 5, tzinfo=NEW_YORK)
    assert [b.date.day for b in source.fetch({"NVDA": None}, during).bars] == [9]
    fetched = source.fetch({"NVDA": None}, after)
    assert [b.date.day for b in fetched.bars] == [9, 10]
    assert {b.currency for b in fetched.bars} == {"USD"}


def test_a_seoul_listing_keeps_its_local_date_and_currency() -> None:
    def download(tickers: list[str], start: dt.date, end: dt.date) -> pd.DataFrame:
        return frame(tickers[0], ["2026-03-10"], SEOUL)

    source = price_source({"005930.KS": "KRX"}, download=download)
    # 16:00 in Seoul is 07:00 UTC: the KRX session of the 10th has closed, New York's not
    now = dt.datetime(2026, 3, 10, 7, 0, tzinfo=dt.UTC)
    (bar,) = source.fetch({"005930.KS": None}, now).bars
    assert (bar.date, bar.currency) == (dt.date(2026, 3, 10), "KRW")


def test_refresh_from_csv_then_status_then_sql(tmp_path: Path) -> None:
    env = {"CHIPWIRE_DATA_DIR": str(tmp_path / "data")}
    for command in (["db", "upgrade"], ["db", "seed"]):
        assert runner.invoke(app, command, env=env).exit_code == 0
    bars = [
        Bar("NVDA", day, None, None, None, 100.0 + i, 100.0 + i, None, "USD", "csv")
        for i, day in enumerate([dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 5)])
    ]
    prices = tmp_path / "prices.csv"
    write_bars(prices, bars)
    args = ["market", "refresh", "--csv", str(prices), "--symbols", "NVDA"]
    first = runner.invoke(app, args, env=env)
    assert first.exit_code == 0, first.output
    assert "3 bars fetched, 3 new" in first.output
    again = runner.invoke(app, args, env=env)  # from the day after the last bar: nothing
    assert "0 bars fetched, 0 new" in again.output
    refetched = runner.invoke(app, [*args, "--since", "2026-03-01"], env=env)
    assert "3 bars fetched, 0 new" in refetched.output
    status = runner.invoke(app, ["market", "status"], env={**env, "COLUMNS": "200"})
    line = next(row for row in status.output.splitlines() if "NVDA" in row)
    cells = [cell.strip() for cell in line.strip("│ ").split("│")]
    # 4 March is a session without a bar: one gap
    assert cells[:6] == ["NVDA", "csv", "2026-03-02", "2026-03-05", "3", "1"]
    rows = runner.invoke(
        app, ["sql", "--csv", "SELECT symbol, count(*) FROM price_bar GROUP BY symbol"], env=env
    )
    assert rows.output.splitlines()[1:] == ["NVDA,3"]


def test_a_bad_price_file_is_one_error_naming_file_and_line(tmp_path: Path) -> None:
    env = {"CHIPWIRE_DATA_DIR": str(tmp_path / "data")}
    assert runner.invoke(app, ["db", "upgrade"], env=env).exit_code == 0
    prices = write(
        tmp_path / "bad.csv",
        "symbol,date,open,high,low,close,adj_close,volume,currency\n"
        "NVDA,2026-03-02,,,,101.5,,,USD\n"
        "NVDA,2026-03-03,,,,n/a,,,USD\n",
    )
    result = runner.invoke(app, ["market", "refresh", "--csv", str(prices)], env=env)
    assert result.exit_code == 1
    assert "bad.csv" in result.output and "line 3" in result.output
