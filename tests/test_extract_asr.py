"""Speech-to-text spellings of one-word company names written as two words ("Core Weave").

Sentences written for these tests (error class 6 of issue 10).
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from chipwire.pipeline.extract.companies import count_mentions, split_camel_case
from chipwire.pipeline.extract.nlp import build_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


def companies(nlp: Language, text: str) -> set[str]:
    return {m.slug for m in count_mentions(nlp(text))}


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("and then Core Weave signed another contract, right", "coreweave"),
        ("so Open AI is buying from everyone at this point", "openai"),
        ("people forget Samba Nova shipped a chip before all of them", "sambanova"),
        ("when Deep Seek came out the whole market panicked", "deepseek"),
    ],
)
def test_a_camel_case_name_said_as_two_words_is_the_company(nlp, text: str, slug: str) -> None:
    assert slug in companies(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "developers prefer open AI models they can run themselves",
        "the core weave of the fabric held up",
        "Deep seek and you shall find, the old saying goes",
    ],
)
def test_the_same_words_in_lower_case_are_no_company(nlp, text: str) -> None:
    assert companies(nlp, text) == set()


def test_splitting_needs_two_parts_of_two_letters() -> None:
    assert split_camel_case("CoreWeave") == "Core Weave"
    assert split_camel_case("OpenAI") == "Open AI"
    assert split_camel_case("xAI") is None
    assert split_camel_case("Nvidia") is None
    assert split_camel_case("Core Weave") is None
