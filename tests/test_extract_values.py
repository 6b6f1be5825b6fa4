"""A deal's value stated in a sentence of its own ("The deal is worth $X") belongs to it.

Sentences written for these tests (error class 5 of issue 10), with hard negatives: other
money in the next sentence, vague amounts, valuations of a company, values already known.
"""

from __future__ import annotations

import pytest

from chipwire.pipeline.extract.money import find_money


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


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("raised €1.7 billion (about $2 billion) this week", [2_000_000_000]),
        ("a £400m ($500m) order", [500_000_000]),
        ("paid $2 billion (€1.8 billion) in cash", [2_000_000_000]),
        # two amounts, not one amount in two currencies
        ("€1.3 billion (of which $500 million in cash)", [1_404_000_000, 500_000_000]),
        ("€1.7 billion now, and $2 billion more later", [1_836_000_000, 2_000_000_000]),
    ],
)
def test_the_texts_own_dollar_figure_is_the_value(text: str, amounts: list[int]) -> None:
    assert [m.value_usd for m in find_money(text)] == amounts


def test_a_headline_amount_and_its_stated_dollars_in_the_body_are_one_round(extract) -> None:
    claims = extract(
        "Vexa Labs raises €500 million Series B led by Orchid Capital\n\n"
        "Vexa Labs said it raised €500 million (approximately $540 million) in a Series B "
        "round led by Orchid Capital."
    )
    rounds = [c for c in claims if c.deal_type == "funding"]
    assert [(c.value_usd, c.value_original) for c in rounds] == [
        (540_000_000, "€500 million (approximately $540 million)")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "On Monday Lambda reported quarterly revenue of $90 million and said Microsoft has "
        "signed a two-year contract worth about $1.5 billion for GPU capacity.",
        "Lambda, whose sales more than doubled to $90 million last quarter, signed a $1.5 "
        "billion contract with Microsoft.",
        "Lambda's net loss was $90 million; Microsoft signed a $1.5 billion contract with it.",
    ],
)
def test_a_companys_own_figures_are_no_deal_value(extract, text: str) -> None:
    """Revenue, sales, profit or loss beside an agreement are the company's, not the deal's."""
    assert [c.value_usd for c in extract(text) if c.deal_type == "supply"] == [1_500_000_000]
