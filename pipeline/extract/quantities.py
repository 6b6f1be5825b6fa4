"""Numbers and pattern data for quantity extraction (benchmark figures).

Every surface form lives in ``patterns/bench_*.jsonl`` and ``patterns/model_*.jsonl``;
this module only compiles them (once, cached) and parses numbers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from chipwire.pipeline.extract.prefilter import twin

PATTERN_DIR = Path(__file__).parent / "patterns"
# A written number: 1,844.1 / 3,000 / 2.5 / 360 (not part of a longer word or version).
# Written digit first, the "not after a word, dot or comma" test looking back from it
# (``(?<![\w.,]\d)`` once the first digit is read): a pattern that starts with a digit lets
# Python's regex engine skip to the digits of a sentence instead of trying every position,
# twice as fast, and it matches exactly what ``(?<![\w.,])\d{1,3}(?:,\d{3})+...|\d+...`` does.
NUM = r"(?P<num>\d(?<![\w.,]\d)(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?))"


def parse_number(text: str) -> float:
    """'1,844.1' -> 1844.1."""
    return float(text.replace(",", ""))


def _read_jsonl(name: str) -> list[dict]:
    rows = []
    for line in (PATTERN_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def _compile(regex: str) -> re.Pattern[str]:
    return re.compile(regex.replace("{NUM}", NUM), re.IGNORECASE)


@dataclass(frozen=True)
class UnitPattern:
    metric: str
    unit: str
    scale: float
    regex: re.Pattern[str]
    needs: str | None
    folded: re.Pattern[str] | None = None  # case-sensitive twin for folded text


@dataclass(frozen=True)
class MultiplierPattern:
    kind: str
    regex: re.Pattern[str]
    value: float | None
    metric: str | None = None  # set when the phrase itself names the metric ("twice as fast")
    check_exclude: bool = False  # drop it in sentences about money, utilisation...
    folded: re.Pattern[str] | None = None  # case-sensitive twin for folded text


@dataclass
class BenchPatterns:
    units: list[UnitPattern] = field(default_factory=list)
    multipliers: list[MultiplierPattern] = field(default_factory=list)
    words: dict[str, float] = field(default_factory=dict)
    # (category, regex) in file order for multiplier cue classification
    multiplier_cues: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    sentence_skip: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    context: dict[str, re.Pattern[str]] = field(default_factory=dict)
    context_exclude: dict[str, re.Pattern[str]] = field(default_factory=dict)
    single: dict[str, re.Pattern[str]] = field(default_factory=dict)  # upper_bound, baseline...
    models: list[tuple[str | None, re.Pattern[str]]] = field(default_factory=list)


@lru_cache(maxsize=1)
def load_patterns() -> BenchPatterns:
    """All benchmark pattern files, compiled once per process."""
    patterns = BenchPatterns()
    for row in _read_jsonl("bench_units.jsonl"):
        patterns.units.append(
            UnitPattern(
                row["metric"],
                row["unit"],
                float(row["scale"]),
                _compile(row["regex"]),
                row.get("needs"),
                twin(_compile(row["regex"])),
            )
        )
    for row in _read_jsonl("bench_multipliers.jsonl"):
        value = row.get("value")
        patterns.multipliers.append(
            MultiplierPattern(
                row["kind"],
                _compile(row["regex"]),
                None if value is None else value,
                row.get("metric"),
                bool(row.get("check_exclude")),
                twin(_compile(row["regex"])),
            )
        )
    patterns.words = {row["word"]: float(row["value"]) for row in _read_jsonl("bench_words.jsonl")}
    for row in _read_jsonl("bench_cues.jsonl"):
        cue, category, regex = row["cue"], row["category"], _compile(row["regex"])
        if cue == "multiplier":
            patterns.multiplier_cues.append((category, regex))
        elif cue == "sentence_skip":
            patterns.sentence_skip.append((category, regex))
        elif cue == "context":
            patterns.context[category] = regex
        elif cue == "context_exclude":
            patterns.context_exclude[category] = regex
        else:
            patterns.single[cue] = regex
    for row in _read_jsonl("model_names.jsonl"):
        patterns.models.append((row.get("name"), _compile(row["regex"])))
    return patterns
