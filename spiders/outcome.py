"""A source's run, judged: the status and the one-line reason an operator reads in job_run.

The counts alone do not say whether a run worked: 0 stored is fine when every link
was already known, and a disaster when every link answered 404.  The rules, first
match wins:

- the spider stopped early (shutdown, kill): ``failed``;
- the start document could not be fetched or parsed and gave no links: ``failed``,
  with the reason (timeout, HTTP 503, the feed parser's message...);
- every article link that was requested failed and nothing was stored: ``failed``,
  "all 12 article links failed: HTTP 404 ×12";
- some article links failed: ``partial``, "2 of 12 article links failed: timeout ×2";
- the start document was read but held no links: ``partial``, "zero items" (a site
  redesign, usually);
- a later listing page or child sitemap failed: ``partial``;
- otherwise ``succeeded``.
"""  # noqa: RUF002 - the multiplication sign is the message's own

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def tally(failures: Mapping[str, int]) -> str:
    """'HTTP 404 ×9, timeout ×3': most frequent first."""  # noqa: RUF002
    ordered = sorted(failures.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{label} ×{n}" for label, n in ordered)


def judge_run(
    counts: Mapping[str, Any],
    *,
    reason: str,
    start_url: str,
    start_error: str | None = None,
    index_error: str | None = None,
    previous_found: int | None = None,
) -> tuple[str, str | None]:
    """(status, error) for one source's run from its counts and its spider's close reason."""
    if reason != "finished":
        return "failed", f"crawl ended early: {reason}"
    found = int(counts.get("items_found", 0))
    if start_error and found == 0:
        return "failed", start_error
    failures: Mapping[str, int] = counts.get("article_failures", {})
    failed = sum(failures.values())
    requested = int(counts.get("article_requests", 0))
    problems: list[str] = []
    status = "succeeded"
    if failed:
        if failed >= requested and not counts.get("stored"):
            if requested <= 1:
                return "failed", f"the article link failed: {tally(failures)}"
            return "failed", f"all {requested} article links failed: {tally(failures)}"
        status = "partial"
        problems.append(
            f"{failed} of {max(requested, failed)} article links failed: " + (tally(failures))
        )
    if found == 0:
        status = "partial"
        problems.append(
            f"zero items: {start_url} yielded no article links"
            + (f" (previous run found {previous_found})" if previous_found else "")
        )
    for error in (start_error, index_error):
        if error:
            status = "partial"
            problems.append(error)
    return status, "; ".join(problems) or None
