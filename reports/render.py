"""Rendering: the Jinja environment, one file per week, and the archive index.

Autoescaping is on for every template (scraped titles and sentences are untrusted), the
environment is strict about undefined names (a typo fails the test, not the reader), and
nothing in the output depends on the clock: the same store gives the same bytes.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session

from chipwire.reports import charts
from chipwire.reports.context import build_briefing
from chipwire.reports.views import Briefing
from chipwire.reports.week import Week

TEMPLATES = Path(__file__).with_name("templates")
_WEEK_FILE = re.compile(r"^(\d{4}-W\d{2})\.html$")


def money(value: float | None) -> str:
    if value is None:
        return ""
    return charts.compact_money(float(value))


def percent(value: float | None, signed: bool = True) -> str:
    if value is None:
        return "–"
    return f"{value:+.1%}" if signed else f"{value:.1%}"


def number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(money=money, percent=percent, number=number)
    env.globals.update(
        sparkline=charts.sparkline, bar_chart=charts.bar_chart, dual_line=charts.dual_line
    )
    return env


def render_briefing(briefing: Briefing) -> str:
    return environment().get_template("briefing.html").render(b=briefing)


def write_week(session: Session, week: Week, out: Path) -> Path:
    """Render ``week`` into ``out`` and refresh the archive index; returns the page."""
    out.mkdir(parents=True, exist_ok=True)
    page = out / f"{week.label}.html"
    page.write_text(render_briefing(build_briefing(session, week)), encoding="utf-8")
    write_index(out)
    return page


def write_index(out: Path) -> Path:
    weeks = sorted(
        (m.group(1) for p in out.iterdir() if (m := _WEEK_FILE.match(p.name))), reverse=True
    )
    index = out / "index.html"
    index.write_text(environment().get_template("index.html").render(weeks=weeks), "utf-8")
    return index
