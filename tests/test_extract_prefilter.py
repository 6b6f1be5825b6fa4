"""The literal prefilter may only say "no" where no pattern can match.

The property tests draw texts that match each rule pattern (hypothesis builds
them from the regex itself, with random case, Unicode digits and spaces), put
them inside a document between other sentences, and check the scan lets that
sentence through to the pattern: a wrong "no" would silently drop a deal or a
benchmark claim.
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipwire.pipeline.extract.prefilter import (
    DIGIT,
    Gate,
    LiteralScan,
    fold,
    may_match,
    required_literals,
    twin,
)
from chipwire.pipeline.extract.rules import deal_rules, load_patterns, money_rules
from chipwire.pipeline.extract.scan import rule_scan


def _rule_patterns() -> list[tuple[str, re.Pattern[str]]]:
    rules = deal_rules()
    pats = load_patterns()
    found = [(f"deal:{t.deal_type}:{i}", t.pattern) for i, t in enumerate(rules.triggers)]
    found += [(f"unit:{u.metric}:{i}", u.regex) for i, u in enumerate(pats.units)]
    found += [(f"multiplier:{m.kind}:{i}", m.regex) for i, m in enumerate(pats.multipliers)]
    found += [(f"skip:{category}", regex) for category, regex in pats.sentence_skip]
    found += [(f"model:{name}:{i}", regex) for i, (name, regex) in enumerate(pats.models)]
    money = money_rules()
    found += [("money:words", money.words), ("money:vague", money.vague)]
    found += [("money:amount", money.amount)]
    return found


RULES = _rule_patterns()
SCAN_RULES = [(name, p) for name, p in RULES if not name.startswith("money:")]
AROUND = st.sampled_from(["", "Groq said. ", "Revenue was $5 billion in 2025.\n\n", "x"])


@pytest.mark.parametrize(("name", "pattern"), SCAN_RULES, ids=[n for n, _ in SCAN_RULES])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_scan_lets_through_every_sentence_a_rule_matches(
    name: str, pattern: re.Pattern[str], data: st.DataObject
) -> None:
    sentence = data.draw(st.from_regex(pattern))
    before, after = data.draw(AROUND), data.draw(AROUND)
    document = f"{before}{sentence} {after}"
    assert pattern.search(sentence)
    present = rule_scan().scan(document).within(len(before), len(before) + len(sentence))
    keys = rule_scan().keys[pattern]
    assert may_match(keys, present), f"{name} matches {sentence!r} but the scan said no"


MONEY_RULES = [(name, p) for name, p in RULES if name.startswith("money:")]


@pytest.mark.parametrize(("name", "pattern"), MONEY_RULES, ids=[n for n, _ in MONEY_RULES])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_gate_passes_every_text_a_rule_matches(
    name: str, pattern: re.Pattern[str], data: st.DataObject
) -> None:
    text = data.draw(st.from_regex(pattern))
    assert Gate(pattern).passes(fold(text)), f"{name} matches {text!r} but the gate said no"


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


def test_scan_answers() -> None:
    acquire = re.compile(r"\bacquir(?:e|es|ed)\b", re.I)
    ipo = re.compile(r"\bIPO\b", re.I)
    tps = re.compile(r"(?<![\w.])\d+\s*tokens per second", re.I)
    anything = re.compile(r"\w+")
    scan = LiteralScan([acquire, ipo, tps, anything])
    text = "Nvidia ACQUIRED the startup. The ipo priced. Groq serves ٣٦٠ tokens per second."
    found = scan.scan(text)
    first, second, third = (0, 28), (29, 44), (45, len(text))
    assert may_match(scan.keys[acquire], found.within(*first))
    assert not may_match(scan.keys[acquire], found.within(*second))
    assert may_match(scan.keys[ipo], found.within(*second))
    assert not may_match(scan.keys[ipo], found.within(*third))
    assert may_match(scan.keys[tps], found.within(*third))  # any Unicode digit counts
    assert not may_match(scan.keys[tps], found.within(*first))
    assert scan.keys[anything] is None  # no literal: always tried
    assert may_match(scan.keys[anything], found.within(*first))
    # a literal cut by the slice's end is not inside it
    assert not may_match(scan.keys[acquire], found.within(0, 10))


def test_scan_finds_overlapping_literals() -> None:
    customers = re.compile(r"\bcustomers include\b", re.I)
    merge = re.compile(r"\bmers\b", re.I)  # a literal that starts inside another
    scan = LiteralScan([customers, merge])
    found = scan.scan("Its customers include Meta.")
    assert may_match(scan.keys[customers], found.within(0, 27))
    assert may_match(scan.keys[merge], found.within(0, 27))


def test_gate_answers() -> None:
    gate = Gate(re.compile(r"\b(?:twenty|thirty) billion\b", re.I))
    assert gate.passes(fold("TWENTY BILLION dollars"))
    assert not gate.passes(fold("no amounts here"))
    assert Gate(re.compile(r"\w+")).passes("anything")


def test_fold_matches_case_insensitive_regex_equivalences() -> None:
    # Python's IGNORECASE equates these with ASCII letters; str.lower() alone does not.
    for text, literal in (("ſtake", "stake"), ("İPO", "ipo"), ("BACKED", "backed")):
        assert re.search(literal, text, re.IGNORECASE)
        assert literal in fold(text)


VOCABULARY = [
    *("Groq", "acquired", "customers", "include", "licensing", "300", "tokens", "per"),
    *("second", "ipo", "2x", "faster", "the", "of", "stake", ".", "ſtake", "İPO", "1,000"),
    *("\n", " "),
]
WORDS = st.sampled_from(VOCABULARY)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(WORDS, max_size=40), cuts=st.lists(st.integers(0, 400), max_size=12))
def test_partition_agrees_with_within(words: list[str], cuts: list[int]) -> None:
    text = " ".join(words)
    points = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    bounds = list(itertools.pairwise(points))
    found = rule_scan().scan(text)
    assert found.partition(bounds) == [found.within(a, b) for a, b in bounds]
    # out-of-order slices are answered one by one, with the same result
    assert found.partition(bounds[::-1]) == [found.within(a, b) for a, b in bounds[::-1]]


def _case_insensitive_rules() -> list[tuple[str, re.Pattern[str]]]:
    rules = deal_rules()
    found = [(n, p) for n, p in RULES if p.flags & re.IGNORECASE]
    found += [(f"deal_cue:{n}", p) for n, p in rules.cues.items() if p.flags & re.IGNORECASE]
    return found


TWIN_RULES = _case_insensitive_rules()


@pytest.mark.parametrize(("name", "pattern"), TWIN_RULES, ids=[n for n, _ in TWIN_RULES])
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_twin_finds_the_same_spans_on_folded_text(
    name: str, pattern: re.Pattern[str], data: st.DataObject
) -> None:
    inner = data.draw(st.from_regex(pattern))
    text = f"{data.draw(AROUND)}{inner} {data.draw(AROUND)}"
    folded = fold(text)
    if len(folded) != len(text):  # callers fall back to the original pattern then
        return
    same = twin(pattern)
    assert same is not None
    assert [m.span() for m in same.finditer(folded)] == [m.span() for m in pattern.finditer(text)]


def test_selector_any_agrees_with_select() -> None:
    from chipwire.pipeline.extract import scan

    selector = scan.trigger_selector()
    literal = next(iter(selector.by_literal))
    for present in (None, frozenset(), frozenset({literal}), frozenset({"no such literal"})):
        assert selector.any(present) == bool(selector.select(present))
    assert selector.any(frozenset({literal})) and not selector.any(frozenset())


# The number pattern as first written: lookbehind first, which makes the regex engine try
# every position.  NUM reads a digit first and must match exactly the same.
_NUM_AS_WRITTEN = re.compile(r"(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet="0123456789１٣,.,. x%a-_(", max_size=30))
def test_digit_first_number_pattern_matches_as_written(text: str) -> None:
    from chipwire.pipeline.extract.quantities import NUM

    ours = re.compile(NUM)
    assert [(m.span(), m.group("num")) for m in ours.finditer(text)] == [
        (m.span(), m.group("num")) for m in _NUM_AS_WRITTEN.finditer(text)
    ]
    assert [m.span() for m in re.finditer(NUM + "x", text)] == [
        m.span() for m in re.finditer(_NUM_AS_WRITTEN.pattern + "x", text)
    ]
