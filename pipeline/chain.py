"""The whole chain once, in order: crawl, extract, market, brief (``chipwire run``).

A stage that fails is recorded (by its job, in ``job_run``) and reported, and the chain
goes on: yesterday's articles still deserve extraction when one source is down, and a
briefing with stale prices beats none.  The caller decides what a failure means for its
exit status.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
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
    on_stage: Callable[[str], AbstractContextManager[Any]] | None = None,
    show_progress: bool = False,
    crawl_options: dict[str, Any] | None = None,
) -> list[StageResult]:
    """Run every stage not in ``skip``; each runs inside ``on_stage(name)`` (a context: the
    CLI announces the stage and shows the crawl's live table only while it crawls)."""
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
        started = time.monotonic()
        try:
            with on_stage(stage) if on_stage is not None else nullcontext():
                result, summary = steps[stage]()
            ok = True
        except ChipwireError as exc:
            result, summary, ok = None, str(exc), False
        results.append(StageResult(stage, ok, summary, time.monotonic() - started, result))
    return results


def _crawl(settings: Settings, options: dict[str, Any]) -> tuple[Any, str]:
    results = crawl_job(settings, **options)
    stored = sum(int(r.counts.get("stored", 0)) for r in results)
    failed = [r for r in results if r.status in ("failed", "abandoned")]
    if results and len(failed) == len(results):
        first = failed[0]
        raise ChipwireError(
            f"every source failed ({len(failed)}); {first.source}: {first.error or first.status}"
        )
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
