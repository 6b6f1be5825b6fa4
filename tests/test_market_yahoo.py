"""YahooSource against frames shaped the way yfinance 1.x really returns them.

No test reaches Yahoo: each injects a fake ``download`` that records its calls and answers
with a frame built like ``yfinance.download(..., group_by="column", multi_level_index=True)``:
(field, ticker) MultiIndex columns sorted by field, a DatetimeIndex named "Date", and
all-NaN columns for a ticker Yahoo had nothing for.
"""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from yfinance.exceptions import YFRateLimitError

from chipwire.pipeline.market.bars import Bar
from chipwire.pipeline.market.yahoo import NO_BARS, YahooSource, yfinance_download

NY = ZoneInfo("America/New_York")
FIELDS = ["Adj Close", "Close", "High", "Low", "Open", "Volume"]
NAN = math.nan
NOW = dt.datetime(2025, 1, 6, 20, 0, tzinfo=NY)  # Monday evening: Friday's bars are final

# (open, high, low, close, adj close, volume) per date, as recorded.
RECORDED: dict[str, dict[str, tuple[float, ...]]] = {
    "NVDA": {
        "2025-01-02": (136.0, 138.88, 134.63, 138.31, 138.29, 198247200),
        "2025-01-03": (140.01, 144.9, 139.73, 144.47, 144.45, 229322500),
    },
    "AMD": {
        "2025-01-02": (121.63, 123.08, 119.6, 120.63, 120.63, 29000000),
        "2025-01-03": (121.16, 125.09, 120.89, 125.37, 125.37, 34000000),
    },
    "TSM": {
        "2025-01-02": (200.0, 204.0, 199.5, 203.5, 202.1, 11000000),
        "2025-01-03": (205.0, 209.0, 204.5, 208.0, 206.6, 12000000),
    },
}


SEOUL = {"005930.KS": {"2025-01-02": (53400.0, 54000.0, 53000.0, 53800.0, 53800.0, 1e7)}}


def yf_frame(
    rows: dict[str, dict[str, tuple[float, ...]]], tz: str | None = "America/New_York"
) -> pd.DataFrame:
    """A frame like yfinance.download's: a ticker with no rows gets all-NaN columns."""
    dates = sorted({d for by_date in rows.values() for d in by_date})
    index = pd.DatetimeIndex(pd.to_datetime(dates), name="Date")
    if tz is not None:
        index = index.tz_localize(tz)
    order = {"Open": 0, "High": 1, "Low": 2, "Close": 3, "Adj Close": 4, "Volume": 5}
    tickers = sorted(rows)
    data = {
        (field, ticker): [rows[ticker].get(d, (NAN,) * 6)[order[field]] for d in dates]
        for field in FIELDS
        for ticker in tickers
    }
    columns = pd.MultiIndex.from_tuples(list(data), names=["Price", "Ticker"])
    return pd.DataFrame(list(zip(*data.values(), strict=True)), index=index, columns=columns)


class FakeDownload:
    """Records each call; answers with ``respond(tickers)`` cut to [start, end), or raises it."""

    def __init__(self, respond: Callable[[list[str]], pd.DataFrame | BaseException]) -> None:
        self.respond = respond
        self.calls: list[tuple[list[str], dt.date, dt.date]] = []

    def __call__(self, tickers: list[str], start: dt.date, end: dt.date) -> pd.DataFrame:
        self.calls.append((list(tickers), start, end))
        answer = self.respond(list(tickers))
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, pd.DataFrame) and len(answer):  # Yahoo honours [start, end)
            days = answer.index.date
            answer = answer[(days >= start) & (days < end)]
        return answer


def recorded(tickers: list[str]) -> pd.DataFrame:
    return yf_frame({t.upper(): RECORDED.get(t.upper(), {}) for t in tickers})


def by_symbol(bars: list[Bar]) -> dict[str, list[Bar]]:
    out: dict[str, list[Bar]] = {}
    for bar in bars:
        out.setdefault(bar.symbol, []).append(bar)
    return out


def test_multiindex_single_symbol_gives_typed_bars() -> None:
    fake = FakeDownload(recorded)
    source = YahooSource(fake, currency_of=lambda s: "USD")
    got = source.fetch({"NVDA": dt.date(2025, 1, 2)}, NOW)

    assert got.problems == {}
    assert got.bars == [
        Bar(
            "NVDA",
            dt.date(2025, 1, 2),
            136.0,
            138.88,
            134.63,
            138.31,
            138.29,
            198247200,
            "USD",
            "yfinance",
        ),
        Bar(
            "NVDA",
            dt.date(2025, 1, 3),
            140.01,
            144.9,
            139.73,
            144.47,
            144.45,
            229322500,
            "USD",
            "yfinance",
        ),
    ]
    bar = got.bars[0]
    assert type(bar.close) is float and type(bar.adj_close) is float
    assert type(bar.volume) is int
    assert fake.calls == [(["NVDA"], dt.date(2025, 1, 2), dt.date(2025, 1, 7))]


def test_delisted_symbol_is_a_problem_and_the_others_still_come_back() -> None:
    source = YahooSource(FakeDownload(recorded))
    got = source.fetch({"NVDA": None, "XLNX": None, "AMD": None}, NOW)

    assert got.problems == {"XLNX": NO_BARS}
    assert NO_BARS == "no bars returned (delisted or renamed?)"
    assert {s: len(b) for s, b in by_symbol(got.bars).items()} == {"NVDA": 2, "AMD": 2}
    assert by_symbol(got.bars)["AMD"][1].close == 125.37


def test_asia_seoul_index_keeps_the_local_date() -> None:
    # Midnight in Seoul is 15:00 UTC the day before: a UTC conversion would move the bar.
    source = YahooSource(FakeDownload(lambda t: yf_frame(SEOUL, tz="Asia/Seoul")))
    got = source.fetch({"005930.KS": None}, dt.datetime(2025, 1, 3, 18, 0, tzinfo=ZoneInfo("UTC")))

    assert got.problems == {}
    assert [(b.date, b.close, b.volume) for b in got.bars] == [
        (dt.date(2025, 1, 2), 53800.0, 10_000_000)
    ]


def test_lowercase_symbol_matches_yfinances_uppercased_column() -> None:
    got = YahooSource(FakeDownload(recorded)).fetch({"nvda": None}, NOW)

    assert got.problems == {}
    assert [b.symbol for b in got.bars] == ["nvda", "nvda"]


def test_flat_columns_for_a_single_ticker() -> None:
    flat = recorded(["TSM"]).droplevel(1, axis=1).rename_axis(None, axis=1)
    flat.index = flat.index.tz_localize(None)  # what ignore_tz=True (the daily default) gives
    assert not isinstance(flat.columns, pd.MultiIndex)
    got = YahooSource(FakeDownload(lambda t: flat)).fetch({"TSM": None}, NOW)

    assert got.problems == {}
    assert [(b.date, b.adj_close) for b in got.bars] == [
        (dt.date(2025, 1, 2), 202.1),
        (dt.date(2025, 1, 3), 206.6),
    ]


@pytest.mark.parametrize(
    "empty",
    [pd.DataFrame(), yf_frame({"NVDA": {}, "AMD": {}}), None],
    ids=["bare", "columns-no-rows", "none"],
)
def test_empty_frame_is_a_problem_per_symbol(empty: pd.DataFrame | None) -> None:
    got = YahooSource(FakeDownload(lambda t: empty)).fetch({"NVDA": None, "AMD": None}, NOW)

    assert got.bars == []
    assert got.problems == {"NVDA": NO_BARS, "AMD": NO_BARS}


def test_nan_close_rows_are_skipped_and_nan_volume_is_none() -> None:
    rows = {
        "AMD": {
            "2025-01-02": (121.0, 123.0, 119.0, NAN, NAN, 29000000),
            "2025-01-03": (121.16, 125.09, 120.89, 125.37, 125.37, NAN),
        }
    }
    got = YahooSource(FakeDownload(lambda t: yf_frame(rows))).fetch({"AMD": None}, NOW)

    assert got.problems == {}
    assert [(b.date, b.close, b.volume) for b in got.bars] == [(dt.date(2025, 1, 3), 125.37, None)]


def test_a_batch_exception_is_retried_symbol_by_symbol() -> None:
    def respond(tickers: list[str]) -> pd.DataFrame | BaseException:
        if "BAD" in tickers:
            return ValueError("Length mismatch: Expected axis has 6 elements")
        return recorded(tickers)

    fake = FakeDownload(respond)
    got = YahooSource(fake).fetch({"NVDA": None, "BAD": None, "AMD": None}, NOW)

    assert set(by_symbol(got.bars)) == {"NVDA", "AMD"}
    assert list(got.problems) == ["BAD"]
    assert "ValueError" in got.problems["BAD"]
    assert "Length mismatch" in got.problems["BAD"]
    assert [c[0] for c in fake.calls] == [["NVDA", "BAD", "AMD"], ["NVDA"], ["BAD"], ["AMD"]]


def test_rate_limit_backs_off_then_succeeds() -> None:
    answers: list[pd.DataFrame | BaseException] = [YFRateLimitError(), YFRateLimitError()]
    sleeps: list[float] = []
    fake = FakeDownload(lambda t: answers.pop(0) if answers else recorded(t))
    got = YahooSource(fake, sleep=sleeps.append, backoff=5.0).fetch({"NVDA": None}, NOW)

    assert got.problems == {}
    assert len(got.bars) == 2
    assert sleeps == [5.0, 10.0]
    assert len(fake.calls) == 3


def test_rate_limited_every_time_marks_the_batch_and_goes_on() -> None:
    def respond(tickers: list[str]) -> pd.DataFrame | BaseException:
        return YFRateLimitError() if "NVDA" in tickers else recorded(tickers)

    sleeps: list[float] = []
    fake = FakeDownload(respond)
    source = YahooSource(fake, sleep=sleeps.append, max_retries=2, backoff=1.0, batch_size=2)
    got = source.fetch({"NVDA": None, "AMD": None, "TSM": None}, NOW)

    assert got.problems == {
        "NVDA": "rate limited by Yahoo after 3 tries",
        "AMD": "rate limited by Yahoo after 3 tries",
    }
    assert set(by_symbol(got.bars)) == {"TSM"}
    assert sleeps == [1.0, 2.0]
    assert [c[0] for c in fake.calls] == [["NVDA", "AMD"]] * 3 + [["TSM"]]


def test_partial_last_bar_is_dropped_without_a_problem() -> None:
    during = dt.datetime(2025, 1, 3, 11, 30, tzinfo=NY)  # Friday's session still open

    def is_final(symbol: str, day: dt.date, now: dt.datetime) -> bool:
        assert symbol == "NVDA" and now == during
        return day < now.date()

    source = YahooSource(FakeDownload(recorded), is_final=is_final)
    got = source.fetch({"NVDA": None}, during)
    assert [b.date for b in got.bars] == [dt.date(2025, 1, 2)]
    assert got.problems == {}

    only_today = source.fetch({"NVDA": dt.date(2025, 1, 3)}, during)
    assert only_today.bars == []
    assert only_today.problems == {}


def test_each_start_date_gets_its_own_batches() -> None:
    fake = FakeDownload(recorded)
    now = dt.datetime(2025, 6, 1, 20, 0, tzinfo=NY)
    wanted = {
        "NVDA": dt.date(2025, 1, 2),
        "TSM": None,
        "AMD": dt.date(2025, 1, 2),
        "AVGO": dt.date(2025, 1, 2),
    }
    YahooSource(fake, batch_size=2, default_history_days=730).fetch(wanted, now)

    end = dt.date(2025, 6, 2)
    assert fake.calls == [
        (["TSM"], dt.date(2023, 6, 2), end),
        (["NVDA", "AMD"], dt.date(2025, 1, 2), end),
        (["AVGO"], dt.date(2025, 1, 2), end),
    ]


def test_importing_the_module_does_not_import_yfinance() -> None:
    code = "import sys, chipwire.pipeline.market.yahoo; print('yfinance' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# The default downloader, run through the real yfinance.download with Ticker.history faked:
# yfinance swallows per-ticker exceptions, so a rate limit only shows in its error log.


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_default_download_turns_a_logged_rate_limit_into_an_exception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import yfinance

    def history(self: yfinance.Ticker, **kwargs: object) -> pd.DataFrame:
        raise YFRateLimitError()

    monkeypatch.setattr(yfinance.Ticker, "history", history)
    with pytest.raises(YFRateLimitError):
        yfinance_download(["NVDA"], dt.date(2025, 1, 2), dt.date(2025, 1, 4))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_default_download_frame_shape_is_understood(monkeypatch: pytest.MonkeyPatch) -> None:
    import yfinance

    def history(self: yfinance.Ticker, **kwargs: object) -> pd.DataFrame:
        if self.ticker == "GONE":
            raise yfinance.exceptions.YFPricesMissingError("GONE", "")
        # Ticker.history's own shape: flat columns, exchange-local tz-aware index.
        one = yf_frame(SEOUL, tz="Asia/Seoul").droplevel(1, axis=1).rename_axis(None, axis=1)
        return one.assign(Volume=one["Volume"].astype("int64"))

    monkeypatch.setattr(yfinance.Ticker, "history", history)
    got = YahooSource().fetch({"005930.ks": None, "GONE": None}, NOW)

    assert got.problems == {"GONE": NO_BARS}
    assert [(b.symbol, b.date, b.volume) for b in got.bars] == [
        ("005930.ks", dt.date(2025, 1, 2), 10_000_000)
    ]
