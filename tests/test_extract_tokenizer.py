"""chipwire's tokenizer must cut text exactly as spaCy's English tokenizer does.

The letters-only shortcut skips spaCy's prefix, suffix, infix and URL patterns for
plain words; it is only correct if none of those patterns can match inside such a
word.  The analysis proves that from each pattern; these tests check the proof on
hand-made patterns, sweep every letter of the Basic Multilingual Plane through the
real patterns, and compare whole token streams with spaCy's on drawn text.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipwire.pipeline.extract.nlp import build_nlp
from chipwire.pipeline.extract.tokenizer import LettersSkip, letters_cannot_match, skip_letters


@pytest.mark.parametrize(
    "pattern",
    [
        r"[0-9]+",
        r"(?<=[0-9])(?:km|GB)$",  # letters, but only after a digit
        r"[a-z]+\.",  # letters, but a dot is required
        r"^\$",
        r"'s$",
        r"\d|\s|\W",
        r"(?:x|[.,])(?<=[,.])",  # a lookbehind that must see punctuation
        r"(?=[!?])[a-z]*",
        r"a{2,}[-–]b",
    ],
)
def test_patterns_that_need_a_non_letter_are_proven(pattern: str) -> None:
    compiled = re.compile(pattern)
    assert letters_cannot_match(compiled)
    for word in ("abc", "Groq", "étoile", "ΣΑΣ", "km", "s"):
        assert compiled.search(word) is None


@pytest.mark.parametrize(
    "pattern",
    [
        r"\w+",
        r"[a-z]",
        r"x*",  # matches the empty string anywhere
        r"(?=[a-z])",  # zero-width, before a letter
        r"[^0-9]",
        r"(?i)\.",  # case-insensitive matching: not analysed
        r"(?i:ͅ)",  # U+0345 equals iota case-insensitively
        r"(?<![0-9])s$",
        r"[\u00a1-\uffff]",
        r"(a)\1",
        r".",
    ],
)
def test_patterns_that_may_match_letters_are_not_skipped(pattern: str) -> None:
    assert not letters_cannot_match(re.compile(pattern))


def test_english_rules_get_the_shortcut_and_unproven_ones_do_not() -> None:
    nlp = spacy.blank("en")
    assert skip_letters(nlp.tokenizer) == [
        "prefix_search",
        "suffix_search",
        "infix_finditer",
        "url_match",
    ]
    assert skip_letters(nlp.tokenizer) == []  # already done: not wrapped twice
    other = spacy.blank("en")
    other.tokenizer.suffix_search = re.compile(r"s$").search  # a plain-letter suffix
    assert "suffix_search" not in skip_letters(other.tokenizer)
    assert other.tokenizer("cats")[0].text == "cat"  # still applied


def test_shortcut_answers_letters_without_running_the_pattern() -> None:
    calls: list[str] = []
    pattern = re.compile(r"\d")

    def search(string: str) -> Any:
        calls.append(string)
        return pattern.search(string)

    search.__self__ = pattern  # type: ignore[attr-defined]
    skip = LettersSkip(search, None)
    assert skip("Cerebras") is None
    assert calls == []
    match = skip("H100")
    assert match is not None and match.group() == "1"
    assert calls == ["H100"]
    assert skip("") is None and calls == ["H100", ""]  # the empty string is not skipped
    assert skip.__self__ is pattern


def _bmp_letters() -> list[str]:
    return [chr(code) for code in range(0x10000) if chr(code).isalpha()]


def test_no_english_affix_or_url_pattern_matches_any_single_letter_word() -> None:
    """A sweep of all ~48k BMP letters through spaCy's own patterns backs the proof."""
    tokenizer = spacy.blank("en").tokenizer
    prefix, suffix = tokenizer.prefix_search, tokenizer.suffix_search
    infix, url = tokenizer.infix_finditer, tokenizer.url_match
    for letter in _bmp_letters():
        word = f"{letter}a{letter}"
        assert prefix(word) is None, repr(letter)
        assert suffix(word) is None, repr(letter)
        assert next(infix(word), None) is None, repr(letter)
        assert not url(word), repr(letter)


_PIECES = st.sampled_from(
    [
        "Groq",
        "Nvidia's",
        "gpt-oss-120b",
        "$20bn",
        "10x",
        "3,000",
        "tok/s",
        "e.g.",
        "U.S.",
        "don't",
        "https://groq.com/news?id=1",
        "groq.com",
        "(LPU)",
        "“TPU”",
        "—",
        "C++",
        "km",
        "5km",
        ":)",
        "İstanbul",
        "ǅemal",
        "straße",
        "ﬁnance",
        "１２３",
        "\u00a0",
        "\u200f",
        "Ⅻ",
        "ºC",
        "²",
    ]
)
_WORDS = st.one_of(
    _PIECES,
    st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=8),
    st.text(alphabet=st.characters(categories=["L", "N", "P", "S", "M"]), min_size=1, max_size=6),
)
_SPACES = st.sampled_from([" ", " ", "  ", "\n", "\n\n", "\t"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.tuples(_WORDS, _SPACES), max_size=25))
def test_tokens_are_spacys_on_drawn_text(words: list[tuple[str, str]]) -> None:
    text = "".join(word + space for word, space in words)
    expected = [(t.text, t.whitespace_) for t in _REFERENCE(text)]
    assert [(t.text, t.whitespace_) for t in _OURS(text)] == expected


def test_pipeline_tokenizer_still_serialises_its_patterns() -> None:
    data = _OURS.to_bytes()
    fresh = spacy.blank("en").tokenizer
    fresh.from_bytes(data)
    text = "Groq's LPU hit 360 tok/s (vs. 60 on GPUs), per https://groq.com."
    assert [t.text for t in fresh(text)] == [t.text for t in _REFERENCE(text)]


_REFERENCE = spacy.blank("en").tokenizer
_OURS = build_nlp().tokenizer


def test_pipeline_tokenizer_is_configured() -> None:
    from chipwire.pipeline.extract.nlp import TOKENIZER_CACHE_SIZE

    assert isinstance(_OURS.suffix_search, LettersSkip)
    assert isinstance(_OURS.infix_finditer, LettersSkip)
    assert _OURS.max_cache_size == TOKENIZER_CACHE_SIZE > _REFERENCE.max_cache_size
