"""The deal rule files, loaded once: triggers, cues and party patterns.

Kept apart from the deal logic so the literal scan (``scan``) can read the
triggers without importing the module that consumes the scan.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from chipwire.pipeline.extract.prefilter import twin

PATTERNS_DIR = Path(__file__).parent / "patterns"


@dataclass(frozen=True)
class Trigger:
    deal_type: str
    pattern: re.Pattern[str]
    initiator: str  # "left" | "right": where the paying/initiating party stands
    status: str
    exclude_after: re.Pattern[str] | None
    right_initiator_cue: re.Pattern[str] | None
    funding: bool
    symmetric: bool


@dataclass(frozen=True)
class DealRules:
    triggers: tuple[Trigger, ...]
    cues: dict[str, re.Pattern[str]]
    parties: dict[str, re.Pattern[str]]
    name_stop_words: frozenset[str]
    max_name_words: int
    org_suffixes: frozenset[str]
    # Case-sensitive twins of the cues and triggers, for folded sentence text (same spans,
    # two to three times faster); a cue or trigger without a twin maps to itself.
    folded_cues: dict[str, re.Pattern[str]] = field(default_factory=dict)
    folded_triggers: tuple[re.Pattern[str], ...] = ()


def _compile(pattern: str | None, flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
    return re.compile(pattern, flags) if pattern else None


@lru_cache(maxsize=1)
def deal_rules() -> DealRules:
    triggers = []
    for line in (PATTERNS_DIR / "deal_triggers.jsonl").read_text("utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row: dict[str, Any] = json.loads(line)
        triggers.append(
            Trigger(
                deal_type=row["type"],
                pattern=re.compile(row["pattern"], re.IGNORECASE),
                initiator=row.get("initiator", "left"),
                status=row.get("status", "announced"),
                exclude_after=_compile(
                    row.get("exclude_after"),
                    0 if row.get("exclude_after_case_sensitive") else re.IGNORECASE,
                ),
                right_initiator_cue=_compile(row.get("right_initiator_cue")),
                funding=bool(row.get("funding")),
                symmetric=bool(row.get("symmetric")),
            )
        )
    cues = json.loads((PATTERNS_DIR / "deal_cues.json").read_text("utf-8"))
    parties = json.loads((PATTERNS_DIR / "deal_parties.json").read_text("utf-8"))
    case_sensitive = {"lead_subject", "participant_subject"}
    compiled_cues = {key: re.compile(value, re.IGNORECASE) for key, value in cues.items()}
    return DealRules(
        folded_cues={key: twin(cue) or cue for key, cue in compiled_cues.items()},
        folded_triggers=tuple(twin(t.pattern) or t.pattern for t in triggers),
        triggers=tuple(triggers),
        cues=compiled_cues,
        parties={
            key: re.compile(value, 0 if key in case_sensitive else re.IGNORECASE)
            for key, value in parties.items()
            if isinstance(value, str)
        },
        name_stop_words=frozenset(parties.get("name_stop_words", [])),
        max_name_words=int(parties.get("max_name_words", 5)),
        org_suffixes=frozenset(parties.get("org_suffixes", [])),
    )
