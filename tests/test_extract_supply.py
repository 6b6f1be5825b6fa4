"""Supply phrased as capacity, commitments, split orders and customers signing on.

Sentences written for these tests (error class 4 of issue 10), with hard negatives: money
raised "to expand capacity", negations, hedges, and capacity words with no counterparty.
"""

from __future__ import annotations

import pytest

from chipwire.pipeline.extract.deal_parts import DealClaim


def supplies(claims: list[DealClaim]) -> list[tuple[str, str, int | None]]:
    """(customer, supplier, value) of every supply record, customer first."""
    return [
        (c.parties[0].name, c.parties[1].name, c.value_usd)
        for c in claims
        if c.deal_type == "supply"
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "OpenAI has secured most of Cerebras's capacity for the next two years.",
            [("OpenAI", "Cerebras", None)],
        ),
        (
            "Anthropic commits $30 billion to Microsoft's Azure compute.",
            [("Anthropic", "Microsoft", 30_000_000_000)],
        ),
        (
            "Microsoft reserved capacity on Nebius's GPU cloud in a $17 billion deal.",
            [("Microsoft", "Nebius", 17_000_000_000)],
        ),
        (
            "Anthropic has booked capacity on Google's TPUs worth tens of billions of dollars.",
            [("Anthropic", "Google", None)],
        ),
        ("Meta locked in 2 gigawatts of compute from Oracle.", [("Meta", "Oracle", None)]),
        (
            "Meta is splitting its orders between Nvidia and AMD.",
            [("Meta", "Nvidia", None), ("Meta", "AMD", None)],
        ),
        ("xAI signed on as a customer of Oracle's cloud.", [("xAI", "Oracle", None)]),
        ("Mistral AI signed on as a CoreWeave customer.", [("Mistral AI", "CoreWeave", None)]),
        ("CoreWeave signed OpenAI as a customer.", [("OpenAI", "CoreWeave", None)]),
        ("Cohere will rent GPUs from CoreWeave.", [("Cohere", "CoreWeave", None)]),
    ],
)
def test_capacity_and_customers_are_supply_with_the_customer_first(
    extract, sentence: str, expected: list[tuple[str, str, int | None]]
) -> None:
    assert supplies(extract(sentence)) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Groq secured $750 million in new funding to expand its compute capacity.",
        "Oracle has not reserved any capacity from CoreWeave.",
        "Oracle hasn't leased any GPUs from CoreWeave.",
        "Meta could split its orders between Nvidia and AMD next year.",
        "Nvidia is booking record revenue from data center compute.",
        "AMD committed to doubling its compute roadmap cadence.",
    ],
)
def test_capacity_words_without_a_bound_customer_are_no_supply(extract, sentence: str) -> None:
    assert supplies(extract(sentence)) == []
