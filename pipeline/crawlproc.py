"""A crawl in a child process, with a time limit: how the scheduler crawls.

Scrapy's Twisted reactor starts once per process, so a long-lived scheduler cannot crawl
twice in its own process; a child also lets a hung crawl be stopped (its whole process
group: the parse workers too) without losing the scheduler.  The child is ``python -m
chipwire.pipeline crawl --json`` with this process's effective settings in its
environment, and prints one JSON object per source, which is read back here.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from chipwire.pipeline.config import Settings, settings_env
from chipwire.pipeline.errors import ChipwireError

logger = logging.getLogger("chipwire.crawl")


@dataclass
class SourceOutcome:
    """One source's result as the child reported it (the shape of ``chipwire crawl --json``)."""

    source: str
    status: str
    counts: dict[str, Any]
    error: str | None


class CrawlProcessError(ChipwireError):
    """The child crawl did not finish: timed out or crashed (``pid``: the child's)."""

    def __init__(self, message: str, pid: int) -> None:
        super().__init__(message)
        self.pid = pid


def crawl_in_child(
    settings: Settings,
    *,
    names: Sequence[str] = (),
    tags: Sequence[str] = (),
    overrides: dict[str, Any] | None = None,
    timeout: float | None = None,
) -> list[SourceOutcome]:
    """Run one crawl in a child process and return its per-source outcomes."""
    command = [sys.executable, "-m", "chipwire.pipeline", "crawl", "--json", *names]
    for tag in tags:
        command += ["--tag", tag]
    for key, value in (overrides or {}).items():
        command += ["-s", f"{key}={value}"]
    return _run_child(command, settings, timeout, "crawl")


def backfill_in_child(
    settings: Settings, locations: Sequence[str], *, timeout: float | None = None
) -> list[SourceOutcome]:
    """Backfill WARC files (paths or URLs) in a child process, without extraction: one
    outcome per file (``source`` is the file).  What a worker's backfill task runs."""
    command = [sys.executable, "-m", "chipwire.pipeline", "backfill", "--json", "--no-extract"]
    return _run_child([*command, *locations], settings, timeout, "backfill")


def _run_child(
    command: list[str], settings: Settings, timeout: float | None, what: str
) -> list[SourceOutcome]:
    env = {**os.environ, **settings_env(settings)}
    limit = timeout if timeout is not None else settings.crawl_timeout
    # its own session: on a timeout the whole group (Scrapy and its parse workers) is stopped
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments, no shell
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = child.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _stop_group(child)
        raise CrawlProcessError(
            f"{what} timed out after {limit:g} s (crawl_timeout); the process was stopped",
            child.pid,
        ) from None
    for line in err.splitlines()[-20:]:
        logger.info("%s child: %s", what, line)
    outcomes = [_outcome(line) for line in out.splitlines() if line.startswith("{")]
    if child.returncode != 0:
        last = next((line for line in reversed(err.splitlines()) if line.strip()), "")
        raise CrawlProcessError(
            f"{what} process exited with status {child.returncode}: {last or 'no message'}",
            child.pid,
        )
    return outcomes


def _outcome(line: str) -> SourceOutcome:
    data = json.loads(line)
    return SourceOutcome(data["source"], data["status"], data.get("counts", {}), data.get("error"))


def _stop_group(child: subprocess.Popen[str]) -> None:
    """SIGTERM the child's group, then SIGKILL what is left after a grace period."""
    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(child.pid, sig)
        except ProcessLookupError:
            return
        try:
            child.communicate(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
