"""Firms the registry does not know, named by their organisation word ("Harlow Peak Capital").

Sentences written for these tests: names of two to six words ending in an organisation
word are companies in the scoring contract; an "of" phrase after the word belongs to the
name; words before an "of" that is not part of the name are left out; ordinary phrases
ending in "AI" or "Technology" are not names; a registered company is listed once.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from chipwire.pipeline.extract.contract import document_json
from chipwire.pipeline.extract.nlp import build_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


def unregistered(nlp: Language, text: str) -> list[str]:
    companies = document_json(nlp, nlp(text), "t.txt")["companies"]
    return [c["name"] for c in companies if c.get("registered") is False]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Harlow Peak Capital and Orchard Lane Ventures backed the chipmaker.", None),
        ("Coastal Bank of Jeju lent the startup $40 million.", ["Coastal Bank of Jeju"]),
        ("Shares of Harbor Point Investments rose 4% on the news.", ["Harbor Point Investments"]),
        ("Northgate Asset Management holds a stake in Groq.", ["Northgate Asset Management"]),
    ],
)
def test_names_ending_in_an_organisation_word_are_companies(
    nlp: Language, text: str, names: list[str] | None
) -> None:
    expected = names or ["Harlow Peak Capital", "Orchard Lane Ventures"]
    assert sorted(unregistered(nlp, text)) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "European AI startups raised more money this year.",
        "South Korean AI chips are getting faster.",
        "The Federal Reserve kept rates unchanged.",
        "Advanced Packaging Technology is a bottleneck for every chipmaker.",
    ],
)
def test_ordinary_phrases_are_not_companies(nlp: Language, text: str) -> None:
    assert unregistered(nlp, text) == []


def test_a_registered_firm_is_listed_once(nlp: Language) -> None:
    companies = document_json(nlp, nlp("Sequoia Capital led the round."), "t.txt")["companies"]
    assert [c["name"] for c in companies].count("Sequoia Capital") == 1
