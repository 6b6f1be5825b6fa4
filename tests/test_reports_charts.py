"""The briefing's inline SVG charts: well-formed, accessible, inert, and byte-for-byte stable.

Every chart is parsed as XML, so a label that broke out of its text node would show up as an
element or attribute in the tree, not just as a suspicious substring.
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from chipwire.reports.charts import (
    PALETTE,
    bar_chart,
    compact_money,
    dual_line,
    nice_ticks,
    sparkline,
)

NS = "{http://www.w3.org/2000/svg}"
WEEKS = ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
HOSTILE = ['"><script>alert(1)</script>', "</svg><img src=x onerror=alert(1)>"]


def parse(chart: Markup) -> ET.Element:
    assert isinstance(chart, Markup)
    root = ET.fromstring(str(chart))  # noqa: S314 - parses our own output, not untrusted input
    assert root.tag == f"{NS}svg"
    return root


def local(el: ET.Element) -> str:
    return el.tag.removeprefix(NS)


def by_id(root: ET.Element, ident: str) -> ET.Element:
    (found,) = [el for el in root.iter() if el.get("id") == ident]
    return found


def title_and_desc(root: ET.Element) -> tuple[str, str]:
    title = by_id(root, root.attrib["aria-labelledby"])
    desc = by_id(root, root.attrib["aria-describedby"])
    assert (local(title), local(desc)) == ("title", "desc")
    return title.text or "", desc.text or ""


def polylines(root: ET.Element) -> list[list[tuple[float, float]]]:
    return [
        [tuple(map(float, p.split(","))) for p in el.attrib["points"].split()]
        for el in root.iter(f"{NS}polyline")
    ]


def series_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{NS}g") if g.get("class") == "series"]


def assert_inert(chart: Markup) -> None:
    root = parse(chart)
    for el in root.iter():
        assert local(el) not in {"script", "img", "foreignObject", "a", "image", "use", "iframe"}
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), name
            assert "href" not in name.lower()
            assert "url(" not in value and "javascript:" not in value.lower()
    assert "<script" not in chart and "<img" not in chart and "url(" not in chart


# Each builder with ordinary data, gaps, and no data at all.
CHARTS: dict[str, Callable[[], Markup]] = {
    "sparkline": lambda: sparkline([3, 5, None, 4, 8], label="Mentions", id_prefix="spark-a"),
    "sparkline-empty": lambda: sparkline([], label="Mentions", id_prefix="spark-b"),
    "bars": lambda: bar_chart(
        WEEKS,
        {"acquisition": [1.2e9, 0, 3e8, 5e7], "funding": [2e7, 5e8, 9.5e8, 0]},
        title="Deal value by week",
        unit="USD",
        id_prefix="deals",
    ),
    "bars-empty": lambda: bar_chart([], {}, title="Deal value", unit="USD", id_prefix="d0"),
    "dual": lambda: dual_line(
        WEEKS,
        [12, None, 30, 41],
        [131.2, 128.9, None, 140.05],
        title="Nvidia: mentions and close",
        left_label="Mentions",
        right_label="Close (USD)",
        id_prefix="nvda",
    ),
    "dual-empty": lambda: dual_line(
        [], [], [], title="Nothing", left_label="a", right_label="b", id_prefix="x"
    ),
}


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_is_a_labelled_self_contained_image(name: str) -> None:
    chart = CHARTS[name]()
    root = parse(chart)
    assert root.get("role") == "img"
    assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox", ""))
    assert root.get("font-family") == "system-ui, sans-serif"
    title, desc = title_and_desc(root)
    assert title.strip() and desc.strip()
    assert escape(chart) == chart  # Markup: Jinja's autoescape leaves it as it is
    assert_inert(chart)


@pytest.mark.parametrize("name", CHARTS)
def test_the_same_data_gives_the_same_bytes(name: str) -> None:
    assert CHARTS[name]() == CHARTS[name]()


def test_ids_come_from_the_prefix_and_do_not_clash_between_charts() -> None:
    ids = [
        el.get("id") for build in CHARTS.values() for el in parse(build()).iter() if el.get("id")
    ]
    assert len(ids) == len(set(ids))
    root = parse(sparkline([1, 2], label="x", id_prefix="Week 45: NVDA/AMD"))
    assert root.get("aria-labelledby") == "week-45-nvda-amd-title"
    for prefix in ["", "2026", "ÄÖ!", "--"]:
        root = parse(sparkline([1, 2], label="x", id_prefix=prefix))
        assert re.fullmatch(r"[a-z][a-z0-9-]*-title", root.get("aria-labelledby", ""))


def test_charts_fill_the_column_and_sparklines_keep_their_size() -> None:
    assert parse(CHARTS["bars"]()).get("width") == "100%"
    assert parse(CHARTS["dual"]()).get("width") == "100%"
    spark = parse(sparkline([1, 2], label="x", id_prefix="s", width=90, height=20))
    assert (spark.get("width"), spark.get("height"), spark.get("viewBox")) == (
        "90",
        "20",
        "0 0 90 20",
    )


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_text_stays_text_everywhere(bad: str) -> None:
    charts = [
        sparkline([1, None, 2], label=bad, id_prefix=bad),
        sparkline([], label=bad, id_prefix="s"),
        bar_chart(
            [bad, "2026-W46"], {bad: [1, 2], "ok": [3, 4]}, title=bad, unit=bad, id_prefix=bad
        ),
        bar_chart([bad], {bad: [0]}, title=bad, unit="$", id_prefix="b"),
        dual_line(
            [bad, "w2"],
            [1, 2],
            [3, None],
            title=bad,
            left_label=bad,
            right_label=bad,
            id_prefix=bad,
        ),
    ]
    for chart in charts:
        assert_inert(chart)
        root = parse(chart)
        title, desc = title_and_desc(root)
        assert title == bad  # escaped on the way in, the exact text on the way out
        assert bad in desc
        assert re.fullmatch(r"[a-z][a-z0-9-]*-title", root.get("aria-labelledby", ""))


def test_sparkline_desc_lists_every_value_in_order() -> None:
    _, desc = title_and_desc(parse(sparkline([3, 5, None, 4.25, 1200], label="M", id_prefix="s")))
    assert "3, 5, no data, 4.25, 1,200" in desc
    assert "Last value 1,200" in desc
    assert "lowest 3, highest 1,200" in desc


def test_a_missing_value_breaks_the_line() -> None:
    root = parse(sparkline([1, 2, None, 3, 4], label="M", id_prefix="s"))
    runs = polylines(root)
    assert [len(run) for run in runs] == [2, 2]
    assert runs[0][-1][0] < runs[1][0][0]  # the second run starts right of the gap
    whole = parse(sparkline([1, 2, 3, 4], label="M", id_prefix="s"))
    assert [len(run) for run in polylines(whole)] == [4]


def test_a_lone_value_between_gaps_is_still_drawn() -> None:
    root = parse(sparkline([None, 1, None, 3, 4], label="M", id_prefix="s"))
    assert [len(run) for run in polylines(root)] == [2]
    dots = list(root.iter(f"{NS}circle"))
    assert len(dots) == 2  # the lone 1, and the marker on the last value
    last = dots[-1]
    assert (float(last.attrib["cx"]), float(last.attrib["cy"])) == polylines(root)[0][-1]


def test_the_last_value_is_marked_even_after_a_trailing_gap() -> None:
    root = parse(sparkline([1, 5, 3, None], label="M", id_prefix="s", width=100, height=20))
    ((*_, last_point),) = polylines(root)
    (dot,) = root.iter(f"{NS}circle")
    assert (float(dot.attrib["cx"]), float(dot.attrib["cy"])) == last_point


def test_higher_values_are_drawn_higher_inside_the_box() -> None:
    root = parse(sparkline([1, 9, 5], label="M", id_prefix="s", width=60, height=20))
    ((a, b, c),) = polylines(root)
    assert b[1] < c[1] < a[1]  # SVG y grows downwards
    assert all(0 <= x <= 60 and 0 <= y <= 20 for x, y in (a, b, c))


def test_a_flat_series_is_a_level_line() -> None:
    chart = sparkline([5, 5, 5], label="M", id_prefix="s", height=20)
    ((*points,),) = polylines(parse(chart))
    assert len({y for _, y in points}) == 1
    assert 0 < points[0][1] < 20
    assert "nan" not in chart.lower() and "inf" not in chart.lower()


@pytest.mark.parametrize("values", [[], [None, None], [math.nan, None]])
def test_a_sparkline_without_data_says_so(values: list[float | None]) -> None:
    root = parse(sparkline(values, label="Mentions", id_prefix="s"))
    _, desc = title_and_desc(root)
    assert desc == "Mentions: no data."
    assert not polylines(root)
    assert [t.text for t in root.iter(f"{NS}text")] == ["no data"]


def test_bar_chart_desc_names_every_week_series_and_value() -> None:
    _, desc = title_and_desc(parse(CHARTS["bars"]()))
    assert desc.startswith("Deal value by week.")
    assert "2026-W45: acquisition $1.2B, funding $20M" in desc
    assert "2026-W46: acquisition $0, funding $500M" in desc
    assert "2026-W48: acquisition $50M, funding $0" in desc


def test_bar_chart_other_units_follow_the_number() -> None:
    chart = bar_chart(["w1", "w2"], {"deals": [3, 12]}, title="Deals", unit="deals", id_prefix="n")
    _, desc = title_and_desc(parse(chart))
    assert "w1: deals 3 deals; w2: deals 12 deals" in desc


def test_bars_are_grouped_one_colour_per_series_and_scaled_to_their_values() -> None:
    root = parse(CHARTS["bars"]())
    groups = series_groups(root)
    assert len(groups) == 2
    rects = [list(g.iter(f"{NS}rect")) for g in groups]
    assert [len(r) for r in rects] == [3, 3]  # zero values draw no bar
    assert [{r.attrib["fill"] for r in rs} for rs in rects] == [{PALETTE[0]}, {PALETTE[1]}]
    heights = [float(r.attrib["height"]) for r in rects[0]]  # 1.2e9, 3e8, 5e7
    assert heights[0] / heights[1] == pytest.approx(4, rel=0.01)
    # the legend names both series, in order
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts.index("acquisition") < texts.index("funding")


def test_bar_chart_axis_has_round_ticks_covering_the_tallest_bar() -> None:
    root = parse(CHARTS["bars"]())
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert [t for t in texts if t and t.startswith("$")] == ["$0", "$500M", "$1B", "$1.5B"]
    top_tick = min(float(t.attrib["y"]) for t in root.iter(f"{NS}text") if t.text == "$1.5B")
    tallest = min(float(r.attrib["y"]) for r in root.iter(f"{NS}rect") if r.get("height") != "10")
    assert tallest > top_tick - 4  # the label baseline sits 4 below its gridline


def test_bar_chart_with_equal_values_works() -> None:
    root = parse(bar_chart(WEEKS, {"a": [2, 2, 2, 2]}, title="t", unit="", id_prefix="e"))
    heights = {r.attrib["height"] for g in series_groups(root) for r in g.iter(f"{NS}rect")}
    assert len(heights) == 1 and float(heights.pop()) > 0


@pytest.mark.parametrize(
    ("categories", "series"),
    [([], {}), (WEEKS, {}), ([], {"a": []}), (WEEKS[:2], {"a": [0, 0], "b": [0, 0]})],
)
def test_bar_chart_without_data_says_so(categories: list[str], series: dict) -> None:
    root = parse(bar_chart(categories, series, title="Deal value", unit="$", id_prefix="z"))
    assert title_and_desc(root)[1] == "Deal value: no data."
    assert [t.text for t in root.iter(f"{NS}text")] == ["no data"]
    assert not list(root.iter(f"{NS}rect"))


def test_bar_chart_rejects_a_series_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="needs 4"):
        bar_chart(WEEKS, {"a": [1, 2]}, title="t", unit="$", id_prefix="e")


def test_dual_line_draws_each_series_on_its_own_axis_with_gaps() -> None:
    root = parse(CHARTS["dual"]())
    left, right = series_groups(root)
    assert [len(p.attrib["points"].split()) for p in left.iter(f"{NS}polyline")] == [2]
    assert len(list(left.iter(f"{NS}circle"))) == 1  # the lone 12 before the gap
    assert [len(p.attrib["points"].split()) for p in right.iter(f"{NS}polyline")] == [2]
    # solid and dashed: the lines stay apart in greyscale
    assert all("stroke-dasharray" not in p.attrib for p in left.iter(f"{NS}polyline"))
    assert all(p.get("stroke-dasharray") for p in right.iter(f"{NS}polyline"))
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Mentions" in texts and "Close (USD)" in texts  # axis titles
    assert "Mentions (left axis)" in texts and "Close (USD) (right axis)" in texts  # legend
    assert {"10", "20", "30", "40", "50"} <= set(texts)  # left ticks (mentions 12..41)
    assert {"125", "130", "135", "140", "145"} & set(texts)  # right ticks (close 128.9..140.05)


def test_dual_line_desc_lists_both_series_by_week() -> None:
    _, desc = title_and_desc(parse(CHARTS["dual"]()))
    assert "Mentions (left axis): 2026-W45 12, 2026-W46 no data, 2026-W47 30, 2026-W48 41" in desc
    assert "Close (USD) (right axis): 2026-W45 131.2, 2026-W46 128.9, 2026-W47 no data" in desc
    assert "2026-W48 140.05" in desc


def test_dual_line_with_one_empty_and_one_flat_series() -> None:
    chart = dual_line(
        WEEKS, [None] * 4, [7, 7, 7, 7], title="t", left_label="L", right_label="R", id_prefix="f"
    )
    root = parse(chart)
    ((*points,),) = polylines(root)
    assert len(points) == 4 and len({y for _, y in points}) == 1
    assert "L (left axis): 2026-W45 no data" in title_and_desc(root)[1]


def test_dual_line_narrow_price_range_keeps_distinct_tick_labels() -> None:
    chart = dual_line(
        ["a", "b"],
        [1, 2],
        [1.50e9, 1.52e9],
        title="t",
        left_label="L",
        right_label="R",
        id_prefix="p",
    )
    labels = [t.text for t in parse(chart).iter(f"{NS}text") if t.text and t.text.endswith("B")]
    assert len(labels) == len(set(labels)) >= 3


@pytest.mark.parametrize(
    ("left", "right"), [([], []), ([None], [None]), ([math.nan, None], [None, math.inf])]
)
def test_dual_line_without_data_says_so(left: list, right: list) -> None:
    cats = WEEKS[: len(left)]
    chart = dual_line(cats, left, right, title="T", left_label="L", right_label="R", id_prefix="d")
    root = parse(chart)
    assert title_and_desc(root)[1] == "T: no data."
    assert not polylines(root)


def test_dual_line_rejects_series_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="need 4"):
        dual_line(
            WEEKS, [1], [1, 2, 3, 4], title="t", left_label="L", right_label="R", id_prefix="x"
        )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (950, "$950"),
        (1_200_000, "$1.2M"),
        (20_000_000_000, "$20B"),
        (0, "$0"),
        (1_000, "$1K"),
        (2_500, "$2.5K"),
        (999_960, "$1M"),  # rounds up into the next unit, never "$1000K"
        (1_500_000_000_000, "$1.5T"),
        (-1_200_000, "-$1.2M"),
        (12.5, "$12.5"),
    ],
)
def test_compact_money(value: float, text: str) -> None:
    assert compact_money(value) == text


@pytest.mark.parametrize(
    ("lo", "hi", "ticks"),
    [
        (0, 1.2e9, [0, 5e8, 1e9, 1.5e9]),
        (0, 7, [0, 2, 4, 6, 8]),
        (0, 10, [0, 5, 10]),
        (0, 0.3, [0, 0.1, 0.2, 0.3]),
        (128.9, 140.05, [125, 130, 135, 140, 145]),
        (0, 0, [0, 0.5, 1]),  # flat at zero: still a scale
        (-3, 8, [-5, 0, 5, 10]),
    ],
)
def test_nice_ticks_examples(lo: float, hi: float, ticks: list[float]) -> None:
    assert nice_ticks(lo, hi) == pytest.approx(ticks)


@settings(max_examples=300, deadline=None)
@given(
    st.floats(-1e12, 1e12, allow_nan=False),
    st.floats(0, 1e12, allow_nan=False),
)
def test_nice_ticks_are_three_to_five_round_numbers_covering_the_range(
    lo: float, span: float
) -> None:
    hi = lo + span
    ticks = nice_ticks(lo, hi)
    assert 3 <= len(ticks) <= 5
    step = ticks[1] - ticks[0]
    assert step > 0
    assert all(b - a == pytest.approx(step) for a, b in itertools.pairwise(ticks))
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert min(abs(mantissa - m) for m in (1, 2, 5, 10)) < 1e-6  # 1, 2 or 5 x 10^k
    # on the step grid, checked in exact decimals: a float division t / step loses the
    # grid when the ticks are ~10^8 steps from zero (lo=1.0, span 6e-8)
    nearest = min((1, 2, 5, 10), key=lambda m: abs(mantissa - m))
    exact = Decimal(nearest) * Decimal(10) ** math.floor(math.log10(step))
    assert all(Decimal(repr(t)) % exact == 0 for t in ticks)
    tol = 1e-9 * max(1.0, abs(lo), abs(hi))
    assert ticks[0] <= lo + tol and ticks[-1] >= hi - tol


def test_palette_has_non_text_contrast_against_white() -> None:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for colour in PALETTE:
        assert 1.05 / (luminance(colour) + 0.05) >= 3.0, colour  # WCAG 1.4.11
    assert len(set(PALETTE)) == len(PALETTE)


def test_a_negative_value_hangs_below_the_zero_line() -> None:
    root = parse(bar_chart(["a", "b"], {"net": [-2, 6]}, title="t", unit="", id_prefix="n"))
    (group,) = series_groups(root)
    down, up = group.iter(f"{NS}rect")
    assert float(down.attrib["y"]) == pytest.approx(
        float(up.attrib["y"]) + float(up.attrib["height"]), abs=0.1
    )
    assert float(up.attrib["height"]) / float(down.attrib["height"]) == pytest.approx(3, rel=0.02)


def test_many_weeks_thin_the_labels_but_keep_the_latest_and_stay_inside() -> None:
    weeks = [f"2026-W{n:02d}" for n in range(1, 27)]
    root = parse(bar_chart(weeks, {"a": list(range(1, 27))}, title="t", unit="$", id_prefix="m"))
    width = float(root.attrib["viewBox"].split()[2])
    shown = [t for t in root.iter(f"{NS}text") if t.text in weeks]
    assert 2 <= len(shown) < len(weeks)
    assert shown[-1].text == "2026-W26"
    assert all(30 < float(t.attrib["x"]) < width - 30 for t in shown)  # half a label clear


def test_control_characters_from_scraped_text_do_not_break_the_xml() -> None:
    label = "Acme\x00 Corp\x1f\x07"
    chart = bar_chart([label], {label: [5]}, title=label, unit="$", id_prefix="c")
    title, desc = title_and_desc(parse(chart))
    assert title == "Acme Corp"
    assert "Acme Corp: Acme Corp $5" in desc
    assert title_and_desc(parse(sparkline([1], label=label, id_prefix="s")))[0] == "Acme Corp"
