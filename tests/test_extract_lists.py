"""The company-list reader in every deal type: lists the registry knows only part of.

Sentences written for these tests (error class 1 of issue 10 and the annotation rule "a
list of investors or customers gives one record per named counterparty"), with lists of
two to five names, unregistered names first or last, and hard negatives where a list
ends at the clause that follows it.
"""

from __future__ import annotations

import pytest

from chipwire.pipeline.extract.deal_parts import DealClaim


def records(claims: list[DealClaim], deal_type: str) -> list[list[str]]:
    return [[p.name for p in c.parties] for c in claims if c.deal_type == deal_type]


@pytest.mark.parametrize(
    ("text", "deal_type", "expected"),
    [
        (
            "Marvell said it is working with Kestrel Labs, Vantor, Nimbus Compute and Cohere "
            "on its next chips.",
            "partnership",
            [
                ["Marvell", "Kestrel Labs"],
                ["Marvell", "Vantor"],
                ["Marvell", "Nimbus Compute"],
                ["Marvell", "Cohere"],
            ],
        ),
        (
            "Groq is partnering with Cohere and Mistral AI on hosted models.",
            "partnership",
            [["Groq", "Cohere"], ["Groq", "Mistral AI"]],
        ),
        (
            "Earlier this year Arm picked up compiler startup Vectra and packaging designer Orlin.",
            "acquisition",
            [["Arm", "Vectra"], ["Arm", "Orlin"]],
        ),
        (
            "Qualcomm scooped up Halden Semiconductor for $250 million.",
            "acquisition",
            [["Qualcomm", "Halden Semiconductor"]],
        ),
    ],
)
def test_every_named_counterparty_gets_a_record(extract, text, deal_type, expected) -> None:
    assert records(extract(text), deal_type) == expected


@pytest.mark.parametrize(
    ("text", "deal_type", "expected"),
    [
        # the list stops where the purpose clause starts
        (
            "Groq partnered with Meta to bring Llama models to Mistral AI users.",
            "partnership",
            [["Groq", "Meta"]],
        ),
        # a place before the registered name is no company
        (
            "Nvidia agreed to acquire the Santa Clara company Enfabrica for $900 million.",
            "acquisition",
            [["Nvidia", "Enfabrica"]],
        ),
        # chips picked up are a purchase, not a takeover
        ("Meta picked up more GPUs from Nvidia this quarter.", "acquisition", []),
        # working on something is no partnership
        ("Cohere is working on a new model with more context.", "partnership", []),
    ],
)
def test_a_list_stops_at_what_is_not_a_counterparty(extract, text, deal_type, expected) -> None:
    assert records(extract(text), deal_type) == expected
