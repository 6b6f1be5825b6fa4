"""chipwire's array sentence splitter decides exactly what spaCy's sentencizer decides."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from chipwire.pipeline.extract.nlp import lean_tokenizer
from chipwire.pipeline.extract.sentences import ArraySentencizer

NLP = spacy.blank("en")
lean_tokenizer(NLP)
REFERENCE = NLP.add_pipe("sentencizer")
SPLITTER = ArraySentencizer()


def starts(text: str, component: object) -> list[bool | None]:
    doc = component(NLP.make_doc(text))  # type: ignore[operator]
    return [token.is_sent_start for token in doc]


@pytest.mark.parametrize(
    "text",
    [
        "",
        ".",
        "...",
        "One sentence without an end",
        "Vireo raised $40 million. Orchard led it! Did Quarry join? Yes.",
        '"It is done." she said. "Next?" Then silence.',
        "(It closed.) The shares rose. [Note.] More follows",
        "U.S. rules apply, e.g. to exports. Really?! Yes...",
        "Line one\n\nLine two. \n. Three",
        "!!! ??? ... trailing words",
        "A. B. C.",
        "The chip runs at 1.5 GHz. It uses 3.2 kW.",
    ],
)
def test_same_sentence_starts_as_spacy(text: str) -> None:
    assert starts(text, SPLITTER) == starts(text, REFERENCE)


WORDS = st.sampled_from(
    [
        "Vireo",
        "raised",
        "money",
        ".",
        "!",
        "?",
        "...",
        ",",
        '"',
        "(",
        ")",
        "e.g.",
        "\n",
        "It",
        "3.5",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=40))
def test_same_sentence_starts_on_any_mix_of_words_and_punctuation(words: list[str]) -> None:
    text = " ".join(words)
    assert starts(text, SPLITTER) == starts(text, REFERENCE)


def test_every_token_is_decided() -> None:
    # the rule modules read is_sent_start as True/False; None would mean "unknown"
    assert None not in starts("Quarry Data signed. Then it shipped", SPLITTER)


def test_every_sentence_end_character_is_punctuation() -> None:
    # the splitter looks for sentence ends among punctuation tokens only
    from spacy.pipeline import Sentencizer

    assert all(NLP.vocab[c].is_punct for c in Sentencizer.default_punct_chars)
