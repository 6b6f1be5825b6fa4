"""A deal's value stated in a sentence of its own ("The deal is worth $X") belongs to it.

Sentences written for these tests (error class 5 of issue 10), with hard negatives: other
money in the next sentence, vague amounts, valuations of a company, values already known.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Marvell agreed to acquire Celestial AI. The deal is worth $3.25 billion in cash.",
            3_250_000_000,
        ),
        (
            "CoreWeave signed a new contract with OpenAI. The agreement is valued at $6.5 "
            "billion, the companies said.",
            6_500_000_000,
        ),
        (
            "AMD will supply Oracle with MI450 racks. Under the deal, Oracle will pay about $4 "
            "billion over five years.",
            4_000_000_000,
        ),
        (
            "Marvell agreed to acquire Celestial AI. The transaction totals $3.25 billion.",
            3_250_000_000,
        ),
        (
            "Qualcomm agreed to buy Alphawave. The acquisition carries a price tag of $2.4 "
            "billion.",
            2_400_000_000,
        ),
    ],
)
def test_a_value_stated_for_the_deal_just_named_is_its_value(extract, text, value) -> None:
    (claim,) = extract(text)
    assert claim.value_usd == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Marvell agreed to acquire Celestial AI. Marvell's revenue rose to $2 billion last "
            "quarter.",
            None,
        ),
        (
            "Marvell agreed to acquire Celestial AI. The deal is worth tens of billions of "
            "dollars, one analyst said.",
            None,
        ),
        (
            "Marvell agreed to acquire Celestial AI for $3.25 billion. The deal is worth $4 "
            "billion including earn-outs.",
            3_250_000_000,
        ),
    ],
)
def test_other_money_leaves_the_deal_as_it_was(extract, text, value) -> None:
    (claim,) = extract(text)
    assert claim.value_usd == value


def test_a_rounds_valuation_is_not_its_value(extract) -> None:
    claims = extract(
        "Groq raised $640 million in a round led by BlackRock. The round values the company "
        "at $2.8 billion."
    )
    assert [c.value_usd for c in claims if c.deal_type == "funding"] == [640_000_000]
