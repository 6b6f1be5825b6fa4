"""The CSV price format: round trip, fetch semantics, clear errors, and the bundled sample."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import exchange_calendars as xcals
import pytest
import yaml

from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.market import sample_prices
from chipwire.pipeline.market.bars import Bar
from chipwire.pipeline.market.csvfile import CsvSource, read_bars, write_bars
from tests.conftest import REPO

HEADER = "symbol,date,open,high,low,close,adj_close,volume,currency\n"
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
SAMPLE = REPO / "pipeline" / "data" / "sample_prices.csv"
FIRST_ARTICLE = dt.date(2026, 1, 5)  # earliest `published` in spiders/sample_site/MANIFEST.json
LAST_ARTICLE = dt.date(2026, 11, 3)


def bar(symbol: str, day: str, close: float, **fields: object) -> Bar:
    values: dict[str, object] = {
        "open": None,
        "high": None,
        "low": None,
        "adj_close": close,
        "volume": None,
        "currency": "USD",
    }
    values.update(fields)
    return Bar(symbol=symbol, date=dt.date.fromisoformat(day), close=close, source="csv", **values)


def write(tmp_path: Path, body: str, name: str = "prices.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_round_trip(tmp_path):
    bars = [
        bar("NVDA", "2026-01-05", 188.33, open=187.2, high=190.51, low=185.0, volume=215345600),
        bar("NVDA", "2026-01-06", 190.0, adj_close=189.5),
        bar("005930.KS", "2026-01-05", 61200.0, currency="KRW"),
        bar("^GSPC", "2026-01-05", 6000.1234, currency=None, volume=0),
    ]
    path = tmp_path / "out.csv"
    write_bars(path, bars)
    assert read_bars(path) == bars
    assert path.read_text(encoding="utf-8").splitlines()[3] == "005930.KS,2026-01-05,,,,61200,,,KRW"


def test_fetch_filters_by_wanted_date_and_reports_absent_symbols(tmp_path):
    path = write(
        tmp_path,
        "NVDA,2026-01-05,,,,100,,,USD\n"
        "NVDA,2026-01-06,,,,101,,,USD\n"
        "AMD,2026-01-05,,,,50,,,USD\n"
        "AMD,2026-01-06,,,,51,,,USD\n"
        "INTC,2026-01-06,,,,20,,,USD\n"
        "NVDA,2026-12-02,,,,120,,,USD\n",  # after `now`: cannot be a final bar
    )
    source = CsvSource(path, source_label="backfill")
    assert source.name == "csv"
    fetched = source.fetch({"NVDA": dt.date(2026, 1, 6), "AMD": None, "MU": None}, NOW)
    assert [(b.symbol, b.date.isoformat()) for b in fetched.bars] == [
        ("NVDA", "2026-01-06"),
        ("AMD", "2026-01-05"),
        ("AMD", "2026-01-06"),
    ]
    assert {b.source for b in fetched.bars} == {"backfill"}
    assert fetched.problems == {"MU": f"not in {path}"}


def test_empty_adj_close_falls_back_to_close(tmp_path):
    [only] = read_bars(write(tmp_path, "NVDA,2026-01-05,,,,100.5,,,USD\n"))
    assert only.adj_close == only.close == 100.5
    assert (only.open, only.volume) == (None, None)


def test_bom_and_optional_columns_accepted(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfsymbol,date,close\r\nNVDA,2026-01-05,100\r\n\r\n")
    [only] = read_bars(path)
    assert (only.symbol, only.close, only.currency) == ("NVDA", 100.0, None)


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("NVDA,2026-13-05,,,,100,,,USD", "date", "not a date"),
        ("NVDA,05/01/2026,,,,100,,,USD", "date", "not a date"),
        ("NVDA,2026-01-05,,,,abc,,,USD", "close", "not a number"),
        ("NVDA,2026-01-05,nan,,,100,,,USD", "open", "not a number"),
        ("NVDA,2026-01-05,,,-3,100,,,USD", "low", "positive"),
        ("NVDA,2026-01-05,,,,100,-1,,USD", "adj_close", "positive"),
        ("NVDA,2026-01-05,,,,,,,USD", "close", "empty close"),
        ("NVDA,2026-01-05,,,,100,,1.5,USD", "volume", "whole number"),
        ("NVDA,2026-01-05,,,,100,,,US DOLLAR", "currency", "currency code"),
        (",2026-01-05,,,,100,,,USD", "symbol", "empty symbol"),
    ],
)
def test_bad_value_names_file_line_and_column(tmp_path, row, column, words):
    path = write(tmp_path, "NVDA,2026-01-02,,,,99,,,USD\n" + row + "\n")
    with pytest.raises(ChipwireError) as caught:
        read_bars(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, line 3, column {column!r}: ")
    assert words in message


def test_duplicate_row_names_both_lines(tmp_path):
    path = write(
        tmp_path,
        "NVDA,2026-01-05,,,,100,,,USD\nAMD,2026-01-05,,,,5,,,USD\nNVDA,2026-01-05,,,,101,,,USD\n",
    )
    with pytest.raises(
        ChipwireError,
        match=r"line 4, column 'date': duplicate row for NVDA on "
        r"2026-01-05 \(first on line 2\)",
    ):
        read_bars(path)


@pytest.mark.parametrize(
    ("header", "column", "words"),
    [
        ("symbol,date,open,high,low,adj_close,volume,currency", "close", "missing required"),
        ("symbol,date,close,adjclose", "adjclose", "unknown column"),
        ("symbol,date,close,close", "close", "more than once"),
    ],
)
def test_bad_header_names_file_and_column(tmp_path, header, column, words):
    path = tmp_path / "prices.csv"
    path.write_text(header + "\nNVDA,2026-01-05,100,100\n", encoding="utf-8")
    with pytest.raises(ChipwireError, match=words) as caught:
        read_bars(path)
    assert str(caught.value).startswith(f"{path}, line 1, column {column!r}: ")


def test_wrong_field_count_names_line(tmp_path):
    path = write(tmp_path, "NVDA,2026-01-05,,,,100,,,USD\nNVDA,2026-01-06,101\n")
    with pytest.raises(ChipwireError, match=r"line 3: expected 9 fields, found 3"):
        read_bars(path)


def test_latin1_file_is_refused_with_its_name_and_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "NVDA,2026-01-05,,,,100,,,USD\nSOCIÉTÉ,2026-01-05,,,,1,,,EUR\n").encode("latin-1")
    )
    with pytest.raises(ChipwireError) as caught:
        read_bars(path)
    assert str(caught.value).startswith(f"{path}, line 3: not UTF-8 (byte 0xc9)")


def test_missing_and_empty_files_are_clear_errors(tmp_path):
    with pytest.raises(ChipwireError, match=r"nowhere\.csv: cannot read price file"):
        CsvSource(tmp_path / "nowhere.csv").fetch({"NVDA": None}, NOW)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ChipwireError, match=r"empty\.csv, line 1: no header"):
        read_bars(empty)


def deal_symbols() -> set[str]:
    """Symbols of every registered, listed company that is a party of a sample-site deal."""
    manifest = json.loads((REPO / "spiders/sample_site/MANIFEST.json").read_text("utf-8"))
    registry = yaml.safe_load((REPO / "pipeline/data/companies.yaml").read_text("utf-8"))
    symbols = {c["name"]: c.get("symbol") for c in registry["companies"]}
    parties = {p["name"] for page in manifest["pages"] for d in page["deals"] for p in d["parties"]}
    return {symbols[name] for name in parties if symbols.get(name)}


def test_sample_file_covers_the_sample_site():
    bars = read_bars(SAMPLE)
    by_symbol: dict[str, list[dt.date]] = {}
    for each in bars:
        by_symbol.setdefault(each.symbol, []).append(each.date)
    assert {"SMH", "^GSPC"} | deal_symbols() <= set(by_symbol)
    for symbol, days in by_symbol.items():
        assert days == sorted(days), symbol
        assert sum(day < FIRST_ARTICLE for day in days) >= 140, symbol
        assert sum(day > LAST_ARTICLE for day in days) >= 10, symbol
    assert {b.currency for b in bars if b.symbol in ("SMH", "^GSPC", "NVDA")} == {"USD"}


def test_sample_us_symbols_trade_on_nyse_sessions_only():
    days = [b.date for b in read_bars(SAMPLE) if b.symbol == "^GSPC"]
    sessions = xcals.get_calendar("XNYS", start=days[0].isoformat(), end=days[-1].isoformat())
    assert days == [stamp.date() for stamp in sessions.sessions]
    assert dt.date(2025, 7, 4) not in days


def test_sample_file_is_reproducible(tmp_path):
    out = tmp_path / "regenerated.csv"
    assert sample_prices.main(["--out", str(out)]) == 0
    assert out.read_bytes() == SAMPLE.read_bytes()
