"""Speech-to-text spellings of one-word company names written as two words ("Core Weave").

Sentences written for these tests (error class 6 of issue 10).
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from chipwire.pipeline.extract.companies import count_mentions, split_camel_case
from chipwire.pipeline.extract.money import find_money
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


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a hundred and twenty million dollars", 120_000_000),
        ("they raised two hundred and fifty million at a high valuation", 250_000_000),
        ("a thirteen billion dollar round", 13_000_000_000),
        ("they paid about two point five billion for it", 2_500_000_000),
        ("Nvidia paid twenty-five million dollars", 25_000_000),
        ("they raised a billion dollars from the Gulf", 1_000_000_000),
        ("a deal worth a million dollars at the time", 1_000_000),
    ],
)
def test_spoken_amounts_are_read(text: str, value: int) -> None:
    assert [m.value_usd for m in find_money(text)] == [value]


@pytest.mark.parametrize(
    "text",
    ["two hundred million users signed up", "it has a one point two billion valuation"],
)
def test_spoken_numbers_without_a_currency_or_money_verb_are_no_amount(text: str) -> None:
    assert find_money(text) == []


def test_a_spoken_round_with_its_backers_told_in_short_turns(extract) -> None:
    text = (
        "HOST: Number two, Lightmatter. GUEST: The photonics people. HOST: They raised two "
        "hundred million at a one point two billion valuation, and the round was led by "
        "Nordvik Growth Fund. GUEST: Right. HOST: Fidelity joined too, and the existing guys, "
        "Harbor Ventures and Coatue, put in more."
    )
    claims = extract(text)
    funding = [c for c in claims if c.deal_type == "funding"]
    assert [[p.name for p in c.parties] for c in funding] == [
        ["Lightmatter", "Nordvik Growth Fund"]
    ]
    assert funding[0].value_usd == 200_000_000
    backers = [c.parties[0].name for c in claims if c.deal_type == "investment"]
    assert sorted(backers) == ["Coatue", "Fidelity", "Harbor Ventures"]


def test_so_and_other_spoken_openers_are_no_part_of_a_name(extract) -> None:
    claims = extract("So Vexa Labs raised $20 million in a seed round led by Orchid Capital.")
    assert [[p.name for p in c.parties] for c in claims] == [["Vexa Labs", "Orchid Capital"]]


def test_they_needs_exactly_one_company_before_it(extract) -> None:
    claims = extract("Groq and Cerebras were both on stage. They raised $50 million last year.")
    assert [c for c in claims if c.deal_type == "funding"] == []


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Vexa Labs raised ninety million dollars, led by Orchid Capital.", 90_000_000),
        ("Vexa Labs raised 90 million dollars from Orchid Capital.", 90_000_000),
        ("Vexa Labs raised one hundred and ten million, led by Orchid Capital.", 110_000_000),
        ("Vexa Labs has raised a billion dollars, led by Orchid Capital.", 1_000_000_000),
        ("Vexa Labs raised about forty million dollars in new money.", 40_000_000),
    ],
)
def test_a_raise_of_an_amount_in_words_or_without_a_symbol_opens_a_round(
    extract, sentence: str, value: int
) -> None:
    (claim,) = [c for c in extract(sentence) if c.deal_type == "funding"]
    assert claim.parties[0].name == "Vexa Labs"
    assert claim.value_usd == value


@pytest.mark.parametrize(
    "sentence",
    [
        "Vexa Labs raised two million questions about its roadmap, Orchid Capital said.",
        "Vexa Labs raised 40 million units of output this year, according to Orchid Capital.",
        "Vexa Labs raised its forecast to a billion dollars of sales, Orchid Capital noted.",
    ],
)
def test_a_raise_of_something_other_than_money_opens_no_round(extract, sentence: str) -> None:
    assert [c for c in extract(sentence) if c.deal_type == "funding"] == []
