"""The whole chain once, in order: crawl, extract, market, brief (``chipwire run``).

A stage that fails is recorded (by its job, in ``job_run``) and reported, and the chain
goes on: yesterday's articles still deserve extraction when one source is down, and a
briefing with stale prices beats none.  The caller decides what a failure means for its
exit status.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from chipwire.pipeline.config import Settings
from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.jobs import brief_job, crawl_job, extract_job, market_refresh_job

STAGES = ("crawl", "extract", "market", "brief")


@dataclass
class StageResult:
    stage: str
    ok: bool
    summary: str
    seconds: float
    result: Any = None


def run_chain(
    settings: Settings,
    *,
    skip: Sequence[str] = (),
    on_stage: Callable[[str], None] | None = None,
    show_progress: bool = False,
    crawl_options: dict[str, Any] | None = None,
) -> list[StageResult]:
    """Run every stage not in ``skip``; ``on_stage(name)`` is called as each starts."""
    unknown = sorted(set(skip) - set(STAGES))
    if unknown:
        raise ChipwireError(f"unknown stage(s) {', '.join(unknown)} (stages: {', '.join(STAGES)})")
    steps: dict[str, Callable[[], tuple[Any, str]]] = {
        "crawl": lambda: _crawl(settings, crawl_options or {}),
        "extract": lambda: _extract(settings, show_progress),
        "market": lambda: _market(settings, show_progress),
        "brief": lambda: _brief(settings),
    }
    results: list[StageResult] = []
    for stage in STAGES:
        if stage in skip:
            continue
        if on_stage is not None:
            on_stage(stage)
        started = time.monotonic()
        try:
            result, summary = steps[stage]()
            ok = True
        except ChipwireError as exc:
            result, summary, ok = None, str(exc), False
        results.append(StageResult(stage, ok, summary, time.monotonic() - started, result))
    return results


def _crawl(settings: Settings, options: dict[str, Any]) -> tuple[Any, str]:
    results = crawl_job(settings, **options)
    stored = sum(int(r.counts.get("stored", 0)) for r in results)
    troubled = [r.source for r in results if r.status != "succeeded"]
    summary = f"{len(results)} sources, {stored} articles stored"
    if troubled:
        summary += f"; not clean: {', '.join(troubled[:6])}" + ("..." if len(troubled) > 6 else "")
    return results, summary


def _extract(settings: Settings, show_progress: bool) -> tuple[Any, str]:
    counts = extract_job(settings, show_progress=show_progress)
    return counts, (
        f"{counts['articles']} articles: {counts['mentions']} mentions, "
        f"{counts['deals']} deal reports, {counts['benchmarks']} benchmark claims"
    )


def _market(settings: Settings, show_progress: bool) -> tuple[Any, str]:
    counts = market_refresh_job(settings, show_progress=show_progress)
    summary = (
        f"{counts['bars_added']} bars added for {counts['priced']} of {counts['symbols']} symbols"
    )
    if counts.get("problems"):
        summary += f"; {len(counts['problems'])} symbols with problems"
    return counts, summary


def _brief(settings: Settings) -> tuple[Any, str]:
    counts = brief_job(settings)
    return counts, f"{counts['week']}: {counts['page']}"
