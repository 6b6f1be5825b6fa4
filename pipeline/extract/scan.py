"""The one literal scan per document that serves the deal and benchmark rules.

Built lazily from the loaded rule files (deal triggers, benchmark units,
multipliers and skip cues), so the rule modules can import this module without
a cycle; the result of scanning a document is kept on its view.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from pipeline.extract.prefilter import Found, LiteralScan
from pipeline.extract.view import doc_view


@lru_cache(maxsize=1)
def rule_scan() -> LiteralScan:
    from pipeline.extract.deals import deal_rules
    from pipeline.extract.quantities import load_patterns

    rules = deal_rules()
    pats = load_patterns()
    patterns: list[re.Pattern[str]] = [trigger.pattern for trigger in rules.triggers]
    patterns += [unit.regex for unit in pats.units]
    patterns += [mult.regex for mult in pats.multipliers]
    patterns += [regex for _, regex in pats.sentence_skip]
    return LiteralScan(patterns)


@lru_cache(maxsize=1)
def _keys_by_id() -> dict[int, frozenset[str] | None]:
    # Hashing a compiled pattern hashes its whole program; the rule patterns live as long
    # as the cached rules, so their ids are stable keys.
    return {id(pattern): keys for pattern, keys in rule_scan().keys.items()}


def keys(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The scan literals of one rule pattern (None: it must always be tried)."""
    return _keys_by_id().get(id(pattern))


def found(doc: Doc) -> Found:
    """The rule literals in ``doc``, scanned once and kept on its view."""
    view = doc_view(doc)
    if view.found is None:
        view.found = rule_scan().scan(view.text)
    return view.found  # type: ignore[no-any-return]
