"""Bounded sentences: over-long ones are cut into windows, so time stays linear in length.

The rule modules look at every pair of things in a sentence (each figure against each
company, each trigger against each name), which is cheap for a news sentence of 20-60
tokens and quadratic for a "sentence" of 50,000: speech-to-text transcripts and scraped
pages often have no full stops at all.  After the sentencizer, any sentence longer than
``max_tokens`` is cut into windows of at most that many tokens.  A cut goes where a
clause most likely ends: after a comma, semicolon, colon, dash or closing bracket, at a
line break, or before a word that opens a clause in speech ("so", "but"); only where the
last half of a window has none of these is it cut at the bound itself.  Punctuated text
is not touched (news sentences stay far below the bound).

The bound and the break words are data (``patterns/windows.json``), validated on load.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from spacy.attrs import IS_SPACE, LOWER, ORTH, SENT_START  # type: ignore[attr-defined]
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc

from chipwire.pipeline.errors import ChipwireError, first_line, validation_message

WINDOWS_FILE = Path(__file__).parent / "patterns" / "windows.json"


class WindowRules(BaseModel):
    """The contents of ``patterns/windows.json``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_tokens: int = Field(gt=1, description="longest sentence kept whole")
    min_tokens: int = Field(gt=0, description="shortest window a soft cut may leave")
    break_after: tuple[str, ...] = Field(description="tokens a clause may end with")
    clause_starts: tuple[str, ...] = Field(description="lowercase words that open a clause")

    @model_validator(mode="after")
    def _bounds(self) -> WindowRules:
        if self.min_tokens >= self.max_tokens:
            raise ValueError("min_tokens must be below max_tokens")
        return self


@lru_cache(maxsize=4)
def load_window_rules(path: Path = WINDOWS_FILE) -> WindowRules:
    try:
        return WindowRules.model_validate(json.loads(path.read_text("utf-8")))
    except ValidationError as exc:
        raise ChipwireError(f"{path}: {validation_message(exc)}") from exc
    except (OSError, ValueError) as exc:
        raise ChipwireError(f"{path}: {first_line(exc)}") from exc


class SentenceWindows:
    """Pipeline component: cut every sentence longer than the bound into windows."""

    def __init__(self, rules: WindowRules) -> None:
        self.rules = rules
        self._break_after = np.array(sorted(hash_string(t) for t in rules.break_after), "uint64")
        self._clause = np.array(sorted(hash_string(w) for w in rules.clause_starts), "uint64")

    def __call__(self, doc: Doc) -> Doc:
        size = len(doc)
        if size <= self.rules.max_tokens:
            return doc
        attrs = doc.to_array([SENT_START, ORTH, LOWER, IS_SPACE])
        starts = np.flatnonzero(attrs[:, 0] == 1).tolist()
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        bounds = [*starts[1:], size]
        if max(end - start for start, end in zip(starts, bounds, strict=True)) <= (
            self.rules.max_tokens
        ):
            return doc
        # A token may start a window when the token before it ends a clause, when it is a
        # line break, or when it is a word that opens a clause.
        ends_clause = np.isin(attrs[:, 1], self._break_after) | (attrs[:, 3] == 1)
        opens = np.zeros(size, dtype=bool)
        opens[1:] = ends_clause[:-1]
        opens |= np.isin(attrs[:, 2], self._clause) | (attrs[:, 3] == 1)
        cuts = [
            cut
            for start, end in zip(starts, bounds, strict=True)
            for cut in self._cuts(start, end, opens)
        ]
        # One array write: setting Token.is_sent_start checks the whole Doc on every call.
        sent_starts = np.ascontiguousarray(attrs[:, :1])
        sent_starts[cuts, 0] = 1
        doc.from_array([SENT_START], sent_starts)
        return doc

    def _cuts(self, start: int, end: int, opens: np.ndarray) -> list[int]:
        """Where the sentence [start, end) starts new windows: each window at most
        ``max_tokens`` long, cut at the last clause opening in its second half if any."""
        longest, shortest = self.rules.max_tokens, self.rules.min_tokens
        cuts = []
        position = start
        while end - position > longest:
            low, high = position + shortest, position + longest
            soft = np.flatnonzero(opens[low : high + 1])
            cut = low + int(soft[-1]) if soft.size else high
            cuts.append(cut)
            position = cut
        return cuts


@Language.factory("chipwire_windows", default_config={"rules_path": None})
def make_sentence_windows(nlp: Language, name: str, rules_path: str | None) -> SentenceWindows:
    return SentenceWindows(load_window_rules(Path(rules_path) if rules_path else WINDOWS_FILE))
