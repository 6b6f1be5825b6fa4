"""Small inline SVG charts for the weekly briefing, built by hand.

The briefing is one self-contained HTML file whose bytes depend only on the store. matplotlib's
SVG carries random ids and a timestamp unless configured, and is heavy for a sparkline, so these
builders write the few elements they need: numbers at fixed precision, ids from the caller's
prefix, no scripts, links or external references. All markup goes through Markup.format and
Markup.join, which escape every str they are given, so a scraped label stays text. Each chart is
role="img" with a <title> and a <desc> listing the data: the text alternative for screen readers,
and for readers who cannot tell the colours or dashes apart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from itertools import groupby

from markupsafe import Markup

# Darkened Okabe-Ito hues, each >= 3:1 against white (WCAG non-text contrast). Their grey levels
# alternate dark/light so neighbouring series stay apart in a greyscale print.
PALETTE = ("#08306b", "#d97706", "#00876c", "#cc79a7", "#5e3c99", "#6b7280")
DASHES = ("", "6 3")  # the second line is dashed: distinguishable without colour
FONT = "system-ui, sans-serif"
INK, MUTED, GRID, BASE = "#222222", "#555555", "#dddddd", "#888888"
_FS, _W = 12, 400  # font size and chart width in viewBox units: 10px text on a 340px phone
_NS = "http://www.w3.org/2000/svg"
_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
_MONEY = {"$", "usd", "us$"}
_Attr = str | int | float
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_Fmt, _Scale = Callable[[float], str], Callable[[float], float]


def _n(x: float) -> str:
    """One decimal is sharp enough for a viewBox and prints the same bytes on every platform."""
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def _trim(s: str) -> str:
    s = s.rstrip("0").rstrip(".") if "." in s else s
    return "0" if s in ("-0", "") else s


def _plain(x: float) -> str:
    """Full value for the text alternative, where there is room for every digit."""
    return _trim(f"{x:,.2f}")


def compact_number(x: float, digits: int = 1) -> str:
    """Axis labels must fit a phone: 1.2K, 3.4M. One decimal suffices for ticks from zero."""
    if not math.isfinite(x):
        return "n/a"
    a = abs(x)
    for scale, suffix in _UNITS:
        if round(a / scale, digits) >= 1:  # 999_960 reads "1M", not "1000K"
            s = _trim(f"{a / scale:.{digits}f}") + suffix
            break
    else:
        s = _trim(f"{a:.{max(digits, 2)}f}")
    return "-" + s if x < 0 and s != "0" else s


def compact_money(x: float) -> str:
    """Deal sizes span $950 to $20B; a fixed short form keeps the axis narrow and readable."""
    s = compact_number(abs(x)) if math.isfinite(x) else "n/a"
    return s if s == "n/a" else ("-$" if x < 0 and s != "0" else "$") + s


def _with_unit(x: float, unit: str) -> str:
    if unit.strip().lower() in _MONEY:
        return compact_money(x)
    return f"{compact_number(x)} {unit}".strip()


def nice_ticks(lo: float, hi: float) -> list[float]:
    """3-5 round ticks (multiples of 1, 2 or 5 x 10^k) from <= lo to >= hi.

    Round ticks let a reader interpolate; the smallest step that needs at most four intervals
    keeps the data filling the plot. A flat range is widened so scaling never divides by zero.
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError("ticks need finite bounds")
    lo, hi = min(lo, hi), max(lo, hi)
    if hi - lo <= 1e-9 * max(1.0, abs(hi)):  # below any real variation in counts or prices
        pad = abs(hi) / 2 if abs(hi) > 1e-9 else 1.0
        lo, hi = lo - pad if lo != 0 else lo, hi + pad
    k = math.floor(math.log10((hi - lo) / 4))
    while True:
        for m in (1, 2, 5):
            step = m * 10.0**k if k >= 0 else m / 10**-k
            first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
            if last - first <= 4:  # int / int is correctly rounded: 3 x 0.1 gives 0.3 exactly
                return [
                    float(i * m * 10**k) if k >= 0 else i * m / 10**-k
                    for i in range(first, last + 1)
                ]
        k += 1


def _clean(v: float | None) -> float | None:
    return None if v is None or not math.isfinite(v) else float(v)


def _base_id(id_prefix: str) -> str:
    """Ids must be valid, unique on the page and stable; the caller names the chart."""
    slug = re.sub(r"[^a-z0-9]+", "-", id_prefix.lower()).strip("-")
    return slug if slug[:1].isalpha() else ("chart-" + slug).strip("-")


def _clip(s: str, n: int) -> str:
    """Scraped labels can be long; the picture shortens them, the desc keeps them whole."""
    return s if len(s) <= n else s[: n - 1] + "…"


def _xml(v: _Attr | Markup) -> _Attr | Markup:
    """Control characters in scraped text are not escapable in XML: drop them, or the whole
    SVG stops being well-formed."""
    return _NOT_XML.sub("", v) if isinstance(v, str) and not isinstance(v, Markup) else v


def _tag(name: str, attrs: Mapping[str, _Attr], *children: Markup | str) -> Markup:
    """One element. Markup.format/join escape every str, so no value can break out."""
    parts = Markup("").join(
        Markup(' {}="{}"').format(k, _n(v) if isinstance(v, float) else _xml(v))
        for k, v in attrs.items()
    )
    if not children:
        return Markup("<{}{} />").format(name, parts)
    inner = Markup("").join(_xml(c) for c in children)
    return Markup("<{0}{1}>{2}</{0}>").format(name, parts, inner)


def _text(x: float, y: float, s: str, anchor: str = "start", fill: str = INK) -> Markup:
    return _tag("text", {"x": float(x), "y": float(y), "text-anchor": anchor, "fill": fill}, s)


def _line(
    x1: float, y1: float, x2: float, y2: float, colour: str, dash: str = "", sw: float = 1.0
) -> Markup:
    attrs = {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "stroke": colour, "stroke-width": sw}
    return _tag("line", {**attrs, "stroke-dasharray": dash} if dash else attrs)


def _rect(x: float, y: float, w: float, h: float, fill: str) -> Markup:
    return _tag("rect", {"x": x, "y": y, "width": w, "height": h, "fill": fill})


def _svg(
    uid: str, title: str, desc: str, w: int, h: int, body: Sequence[Markup], *, small: bool = False
) -> Markup:
    """Charts fill the column (width 100%, height from the viewBox) on a phone or on paper; a
    sparkline keeps a fixed size so it sits in a line of text or a table cell."""
    size: dict[str, _Attr] = {"width": w, "height": h} if small else {"width": "100%"}
    root = {
        "xmlns": _NS,
        "role": "img",
        "aria-labelledby": f"{uid}-title",
        "aria-describedby": f"{uid}-desc",
        "viewBox": f"0 0 {w} {h}",
        **size,
        "font-family": FONT,
        "font-size": 10 if small else _FS,
    }
    head = [_tag("title", {"id": f"{uid}-title"}, title), _tag("desc", {"id": f"{uid}-desc"}, desc)]
    return _tag("svg", root, *head, *body)


def _no_data(uid: str, title: str, w: int, h: int, *, small: bool = False) -> Markup:
    """Still a valid, labelled image, so the layout and the screen reader both say why; a full
    chart's height of blank space would read as a rendering fault, so charts shrink to a strip."""
    h = h if small else 60
    note = _text(w / 2, h / 2 + 4, "no data", "middle", MUTED)
    return _svg(uid, title, f"{title}: no data.", w, h, [note], small=small)


def _runs(
    pts: Sequence[tuple[float, float] | None], colour: str, dash: str = "", sw: float = 2.0
) -> list[Markup]:
    """None breaks the line: drawing across a missing week would invent a value."""
    out: list[Markup] = []
    for run in (list(g) for gap, g in groupby(pts, key=lambda p: p is None) if not gap):
        if len(run) == 1:  # a lone value between gaps: a dot, since a 1-point line is invisible
            out.append(_tag("circle", {"cx": run[0][0], "cy": run[0][1], "r": sw, "fill": colour}))
            continue
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
        attrs = {"points": points, "fill": "none", "stroke": colour, "stroke-width": sw}
        out.append(_tag("polyline", {**attrs, "stroke-dasharray": dash} if dash else attrs))
    return out


def _listing(cats: Sequence[str], vals: Sequence[float | None], fmt: Callable[[float], str]) -> str:
    return ", ".join(
        f"{c} {'no data' if v is None else fmt(v)}" for c, v in zip(cats, vals, strict=True)
    )


def sparkline(
    values: Sequence[float | None],
    *,
    label: str,
    id_prefix: str,
    width: int = 120,
    height: int = 28,
) -> Markup:
    """A trend small enough for a table cell. It has no axis, so the desc carries the numbers;
    a fixed pixel size (not 100%) keeps it the size of the text around it."""
    if width <= 0 or height <= 0:
        raise ValueError("sparkline needs a positive size")
    uid, vals = _base_id(id_prefix), [_clean(v) for v in values]
    known = [v for v in vals if v is not None]
    if not known:
        return _no_data(uid, label, width, height, small=True)
    lo, hi, pad, n = min(known), max(known), 3.0, len(vals)

    def at(i: int, v: float) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5)
        frac = 0.5 if hi == lo else (v - lo) / (hi - lo)  # flat series: a level line mid-height
        return x, height - pad - frac * (height - 2 * pad)

    pts = [None if v is None else at(i, v) for i, v in enumerate(vals)]
    last_i = max(i for i, v in enumerate(vals) if v is not None)
    cx, cy = at(last_i, known[-1])
    dot = _tag("circle", {"cx": cx, "cy": cy, "r": 2.5, "fill": PALETTE[1]})
    body = [*_runs(pts, PALETTE[0], sw=1.5), dot]
    listed = ", ".join("no data" if v is None else _plain(v) for v in vals)
    desc = (
        f"{label}, {n} values, oldest first: {listed}. Last value {_plain(known[-1])}; "
        f"lowest {_plain(lo)}, highest {_plain(hi)}."
    )
    return _svg(uid, label, desc, width, height, body, small=True)


def _legend(
    items: Sequence[tuple[str, str, str | None]], width: int, top: float
) -> tuple[list[Markup], float]:
    """Wraps onto more rows rather than running off a phone-width chart. dash None = bar swatch."""
    out: list[Markup] = []
    x, y = 4.0, top + 12
    for label, colour, dash in items:
        text = _clip(label, 32)
        w = 30 + len(text) * _FS * 0.6
        if x > 4 and x + w > width:
            x, y = 4.0, y + 16
        if dash is None:
            out.append(_rect(x, y - 9, 10, 10, colour))
        else:
            out.append(_line(x, y - 4, x + 16, y - 4, colour, dash, 2.0))
        out.append(_text(x + 20, y, text))
        x += w
    return out, y + 8


def _x_labels(
    cats: Sequence[str], x_of: Callable[[int], float], band: float, y: float
) -> list[Markup]:
    """Every k-th label (always the latest) so weeks never overprint on a narrow screen."""
    texts = [_clip(c, 12) for c in cats]
    half = max(map(len, texts)) * _FS * 0.3  # half a label, at ~0.6 em per character
    k, n = max(1, math.ceil((2 * half + 6) / band)), len(cats)
    at = [min(max(x_of(i), half + 2), _W - half - 2) for i in range(n)]  # never off the edge
    return [_text(at[i], y, t, "middle") for i, t in enumerate(texts) if (n - 1 - i) % k == 0]


def _y_axis(ticks: Sequence[float], y_of: _Scale, x: float, anchor: str, fmt: _Fmt) -> list[Markup]:
    labels = [fmt(t) for t in ticks]
    for digits in (2, 3):  # a narrow range far from zero (a share price) needs more digits
        if len(set(labels)) < len(labels):
            labels = [compact_number(t, digits) for t in ticks]
    dx = -6 if anchor == "end" else 6
    return [_text(x + dx, y_of(t) + 4, s, anchor) for t, s in zip(ticks, labels, strict=True)]


def bar_chart(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str,
    unit: str,
    id_prefix: str,
) -> Markup:
    """Grouped (not stacked) vertical bars: every bar starts at zero, so any two values compare
    directly, and a bar's place in its group names its series even in a greyscale print.
    A unit of "$"/"USD" formats values as compact money ($1.2B); any other unit is appended."""
    uid, cats, names = _base_id(id_prefix), list(categories), list(series)
    rows = {name: [float(v) for v in series[name]] for name in names}
    for name, vals in rows.items():
        if len(vals) != len(cats) or not all(map(math.isfinite, vals)):
            raise ValueError(f"series {name!r} needs {len(cats)} finite values")
    w, h, left, right = _W, 260, 52.0, 8.0
    if not cats or not names or all(v == 0 for vals in rows.values() for v in vals):
        return _no_data(uid, title, w, h)
    money = unit.strip().lower() in _MONEY
    legend, bottom = _legend(
        [(nm, PALETTE[j % len(PALETTE)], None) for j, nm in enumerate(names)], w, 0
    )
    body = legend
    if unit and not money:
        body.append(_text(4, bottom + 12, _clip(unit, 30), fill=MUTED))
    top, base = bottom + 24, h - 24.0
    allv = [v for vals in rows.values() for v in vals]
    ticks = nice_ticks(min(0.0, *allv), max(0.0, *allv))

    def y_of(v: float) -> float:
        return base - (v - ticks[0]) / (ticks[-1] - ticks[0]) * (base - top)

    for t in ticks:
        body.append(_line(left, y_of(t), w - right, y_of(t), BASE if t == 0 else GRID))
    body += _y_axis(ticks, y_of, left, "end", compact_money if money else compact_number)
    band, zero = (w - left - right) / len(cats), y_of(0.0)
    bw = band * 0.8 / len(names)  # a group fills 80% of its slot, bars 1 unit apart
    for j, name in enumerate(names):
        x0, colour = left + band * 0.1 + j * bw, PALETTE[j % len(PALETTE)]
        bars = [
            _rect(x0 + i * band, min(y_of(v), zero), max(bw - 1, 0.5), abs(y_of(v) - zero), colour)
            for i, v in enumerate(rows[name])
            if v != 0  # a zero bar would be an invisible sliver; the desc still lists it
        ]
        body.append(_tag("g", {"class": "series"}, *bars))
    body += _x_labels(cats, lambda i: left + (i + 0.5) * band, band, h - 8.0)
    per_cat = (
        ", ".join(f"{nm} {_with_unit(rows[nm][i], unit)}" for nm in names) for i in range(len(cats))
    )
    desc = (
        f"{title}. "
        + "; ".join(f"{cat}: {vals}" for cat, vals in zip(cats, per_cat, strict=True))
        + "."
    )
    return _svg(uid, title, desc, w, h, body)


def dual_line(
    categories: Sequence[str],
    left: Sequence[float | None],
    right: Sequence[float | None],
    *,
    title: str,
    left_label: str,
    right_label: str,
    id_prefix: str,
) -> Markup:
    """Two measures of different size (mentions, a share price) each on its own scale, so both
    shapes are visible; solid vs dashed and per-axis titles say which line reads on which axis."""
    uid, cats = _base_id(id_prefix), list(categories)
    sides = [[_clean(v) for v in left], [_clean(v) for v in right]]
    if any(len(s) != len(cats) for s in sides):
        raise ValueError(f"both series need {len(cats)} values")
    w, h, lpad, rpad = _W, 240, 44.0, 44.0
    if not any(v is not None for s in sides for v in s):
        return _no_data(uid, title, w, h)
    legend_items: list[tuple[str, str, str | None]] = [
        (f"{left_label} (left axis)", PALETTE[0], DASHES[0]),
        (f"{right_label} (right axis)", PALETTE[1], DASHES[1]),
    ]
    body, bottom = _legend(legend_items, w, 0)
    body.append(_text(4, bottom + 12, _clip(left_label, 30), fill=MUTED))
    body.append(_text(w - 4, bottom + 12, _clip(right_label, 30), "end", MUTED))
    top, base = bottom + 26, h - 24.0
    band = (w - lpad - rpad) / len(cats)

    def x_of(i: int) -> float:
        return lpad + (i + 0.5) * band

    for side, vals in enumerate(sides):
        known = [v for v in vals if v is not None]
        if not known:
            continue
        ticks = nice_ticks(min(known), max(known))

        def y_of(v: float, t: Sequence[float] = ticks) -> float:
            return base - (v - t[0]) / (t[-1] - t[0]) * (base - top)

        if side == 0:
            body += [_line(lpad, y_of(t), w - rpad, y_of(t), GRID) for t in ticks]
        x_axis = lpad if side == 0 else w - rpad
        body += _y_axis(ticks, y_of, x_axis, "end" if side == 0 else "start", compact_number)
        pts = [None if v is None else (x_of(i), y_of(v)) for i, v in enumerate(vals)]
        body.append(_tag("g", {"class": "series"}, *_runs(pts, PALETTE[side], DASHES[side])))
    body += _x_labels(cats, x_of, band, h - 8.0)
    desc = (
        f"{title}. {left_label} (left axis): {_listing(cats, sides[0], _plain)}. "
        f"{right_label} (right axis): {_listing(cats, sides[1], _plain)}."
    )
    return _svg(uid, title, desc, w, h, body)
