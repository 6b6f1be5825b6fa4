"""The sentence prefilter may only say "no" where no pattern can match.

The property tests draw texts that match each rule pattern (hypothesis builds
them from the regex itself, with random case, Unicode digits and spaces) and
check the prefilter lets every one through: a wrong "no" would silently drop a
deal or a benchmark claim.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract.deals import deal_rules
from pipeline.extract.money import money_rules
from pipeline.extract.prefilter import DIGIT, AnyOf, fold, required_literals
from pipeline.extract.quantities import load_patterns


def _rule_patterns() -> list[tuple[str, re.Pattern[str]]]:
    rules = deal_rules()
    pats = load_patterns()
    found = [(f"deal:{t.deal_type}:{i}", t.pattern) for i, t in enumerate(rules.triggers)]
    found += [(f"unit:{u.metric}:{i}", u.regex) for i, u in enumerate(pats.units)]
    found += [(f"multiplier:{m.kind}:{i}", m.regex) for i, m in enumerate(pats.multipliers)]
    found += [(f"skip:{category}", regex) for category, regex, _ in pats.sentence_skip]
    money = money_rules()
    found += [("money:words", money.words), ("money:vague", money.vague)]
    return found


RULES = _rule_patterns()


@pytest.mark.parametrize(("name", "pattern"), RULES, ids=[name for name, _ in RULES])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_prefilter_passes_every_text_a_rule_matches(
    name: str, pattern: re.Pattern[str], data: st.DataObject
) -> None:
    text = data.draw(st.from_regex(pattern))
    assert pattern.search(text)
    assert AnyOf([pattern]).search(text), f"{name} matches {text!r} but the prefilter said no"


def test_every_deal_trigger_has_selective_literals() -> None:
    """A trigger with no required literal would make every sentence pass (slow, not wrong)."""
    for trigger in deal_rules().triggers:
        literals = required_literals(trigger.pattern.pattern, trigger.pattern.flags)
        assert literals, trigger.pattern.pattern
        assert min(len(s) for s in literals) >= 3, (trigger.pattern.pattern, literals)


def test_required_literals_of_simple_patterns() -> None:
    assert required_literals(r"\b(?:acquir(?:e|es|ed)|bought)\b", re.I) == {"acquire", "bought"}
    assert required_literals(r"\bIPO\b", re.I) == {"ipo"}
    # the most selective part of a sequence is kept: "licens" beats "a"
    assert required_literals(r"a\s+licens(?:e|ing)", re.I) == {"license", "licensing"}
    assert required_literals(r"(?<![\w.])\d+\s*(?:x|×)") == {DIGIT}
    assert required_literals(r"\w+\s+\w+") is None  # nothing literal to look for
    assert required_literals(r"(?:round)?") is None  # may match the empty string


def test_prefilter_answers() -> None:
    any_deal = AnyOf([re.compile(r"\bacquir(?:e|es|ed)\b", re.I), re.compile(r"\bIPO\b", re.I)])
    assert any_deal.search("Nvidia ACQUIRED the startup")
    assert any_deal.search("the ipo priced")
    assert not any_deal.search("Groq shipped racks to Saudi Arabia")
    figures = AnyOf([re.compile(r"(?<![\w.])\d+\s*tokens per second", re.I)])
    assert figures.search("serves ٣٦٠ tokens per second")  # any Unicode digit counts
    assert not figures.search("no numbers here")
    assert AnyOf([re.compile(r"\w+")]).search("anything at all")  # no literal: always maybe
    assert not AnyOf([]).search("text")


def test_fold_matches_case_insensitive_regex_equivalences() -> None:
    # Python's IGNORECASE equates these with ASCII letters; str.lower() alone does not.
    for text, literal in (("ſtake", "stake"), ("İPO", "ipo"), ("BACKED", "backed")):
        assert re.search(literal, text, re.IGNORECASE)
        assert literal in fold(text)
