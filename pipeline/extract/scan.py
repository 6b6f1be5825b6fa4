"""The one literal scan per document that serves the deal and benchmark rules.

Built on first use from the loaded rule files (deal triggers, benchmark units,
multipliers, skip cues and model names); the result of scanning a document is kept
on its view.  This module reads the compiled rules (``rules``), never the rule
modules that consume the scan, so the imports run one way.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from chipwire.pipeline.extract.prefilter import Found, LiteralScan
from chipwire.pipeline.extract.rules import deal_rules, load_patterns
from chipwire.pipeline.extract.view import doc_view


@lru_cache(maxsize=1)
def rule_scan() -> LiteralScan:
    rules = deal_rules()
    pats = load_patterns()
    patterns: list[re.Pattern[str]] = [trigger.pattern for trigger in rules.triggers]
    patterns += [unit.regex for unit in pats.units]
    patterns += [mult.regex for mult in pats.multipliers]
    patterns += [regex for _, regex in pats.sentence_skip]
    patterns += [regex for _, regex in pats.models]
    return LiteralScan(patterns)


@lru_cache(maxsize=1)
def keys_by_id() -> dict[int, frozenset[str] | None]:
    # Hashing a compiled pattern hashes its whole program; the rule patterns live as long
    # as the cached rules, so their ids are stable keys.
    return {id(pattern): keys for pattern, keys in rule_scan().keys.items()}


def keys(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The scan literals of one rule pattern (None: it must always be tried)."""
    return keys_by_id().get(id(pattern))


def found(doc: Doc) -> Found:
    """The rule literals in ``doc``, scanned once and kept on its view."""
    view = doc_view(doc)
    if view.found is None:
        view.found = rule_scan().scan(view.text)
    return view.found  # type: ignore[no-any-return]


class Selector:
    """Which patterns of an ordered rule list can match a sentence, from its literals.

    An index from literal to patterns: a sentence holding two literals costs two
    lookups instead of one test per pattern.  Patterns come back in list order, so
    rules that depend on order (first trigger per type wins) are unchanged.
    """

    def __init__(self, patterns: list[re.Pattern[str]]) -> None:
        self.size = len(patterns)
        self.always: list[int] = []
        self.by_literal: dict[str, list[int]] = {}
        for i, pattern in enumerate(patterns):
            literal_keys = keys(pattern)
            if literal_keys is None:
                self.always.append(i)
                continue
            for literal in literal_keys:
                self.by_literal.setdefault(literal, []).append(i)

    def any(self, present: frozenset[str] | None) -> bool:
        """Can any of the patterns match? (``select`` would return something)"""
        if present is None or self.always:
            return True
        return any(literal in self.by_literal for literal in present)

    def select(self, present: frozenset[str] | None) -> list[int]:
        if present is None:
            return list(range(self.size))
        chosen = set(self.always)
        for literal in present:
            chosen.update(self.by_literal.get(literal, ()))
        return sorted(chosen)


@lru_cache(maxsize=1)
def trigger_selector() -> Selector:

    return Selector([trigger.pattern for trigger in deal_rules().triggers])


@lru_cache(maxsize=1)
def unit_selector() -> Selector:

    return Selector([unit.regex for unit in load_patterns().units])


@lru_cache(maxsize=1)
def multiplier_selector() -> Selector:

    return Selector([mult.regex for mult in load_patterns().multipliers])


@lru_cache(maxsize=1)
def skip_selector() -> Selector:

    return Selector([regex for _, regex in load_patterns().sentence_skip])


@lru_cache(maxsize=1)
def model_selector() -> Selector:

    return Selector([regex for _, regex in load_patterns().models])
