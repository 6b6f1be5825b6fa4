"""Helpers for scheduler tests: a recording stand-in for the scheduled tasks, and waiting
for something to happen in the scheduler's thread without sleeping for scheduled time."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from chipwire.pipeline.schedule import tasks


class TaskRecorder:
    """Replaces ``tasks.run`` (the job store resolves the path when a job is due): records
    which task ran at what (virtual) time."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, dt.datetime]] = []
        self.lock = threading.Lock()
        monkeypatch.setattr(tasks, "run", self)

    def __call__(self, task: str) -> dict[str, Any]:
        with self.lock:
            self.calls.append((task, dt.datetime.now(dt.UTC)))
        return {}

    def count(self, task: str | None = None) -> int:
        with self.lock:
            return sum(1 for name, _ in self.calls if task is None or name == task)


def wait_for(check: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Poll ``check`` until true (real time, bounded); fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.02)
    pytest.fail(f"timed out after {timeout:g} s waiting for {what}")


def settle(seconds: float = 0.3) -> None:
    """Give the scheduler thread a few ticks to do anything it (wrongly) would."""
    time.sleep(seconds)
