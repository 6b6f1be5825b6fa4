"""Numbers and pattern data for quantity extraction (benchmark figures).

Every surface form lives in ``patterns/bench_*.jsonl`` and ``patterns/model_*.jsonl``;
this module only compiles them (once, cached) and parses numbers.
"""

from __future__ import annotations

# A written number: 1,844.1 / 3,000 / 2.5 / 360 (not part of a longer word or version).
# Written digit first, the "not after a word, dot or comma" test looking back from it
# (``(?<![\w.,]\d)`` once the first digit is read): a pattern that starts with a digit lets
# Python's regex engine skip to the digits of a sentence instead of trying every position,
# twice as fast, and it matches exactly what ``(?<![\w.,])\d{1,3}(?:,\d{3})+...|\d+...`` does.
NUM = r"(?P<num>\d(?<![\w.,]\d)(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?))"


def parse_number(text: str) -> float:
    """'1,844.1' -> 1844.1."""
    return float(text.replace(",", ""))
