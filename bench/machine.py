"""What every benchmark reports about the machine it ran on, measured the same way."""

from __future__ import annotations

import os
import resource


def load() -> str:
    """1-minute load average: other work on the machine slows every side, unevenly."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:  # pragma: no cover - not available on every platform
        return "n/a"


def children_cpu() -> float:
    """CPU seconds of this process's reaped children (and the children they reaped)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
