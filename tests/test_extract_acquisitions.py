"""Acquisitions by and of companies the registry does not know, and "the X acquisition".

Sentences written for these tests (error classes 1 and 6 of issue 10): the acquirer is the
name opening the clause; in "the Vantor takeover" the name before the word is the target;
a subsidiary the registry files under its parent keeps its own name as a target.
"""

from __future__ import annotations

import pytest

from chipwire.pipeline.extract.deal_parts import DealClaim


def acquisitions(claims: list[DealClaim]) -> list[list[str]]:
    return [[p.name for p in c.parties] for c in claims if c.deal_type == "acquisition"]


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        (
            "Kestrel Group has completed its $2.1 billion all-cash acquisition of Vantor "
            "Computing, the companies said.",
            ["Kestrel Group", "Vantor Computing"],
        ),
        (
            "Kestrel closes $6.5 billion Vantor takeover, adding another chip designer.",
            ["Kestrel", "Vantor"],
        ),
        ("Marvell's Celestial AI acquisition closed on Friday.", ["Marvell", "Celestial AI"]),
        ("AMD completed its ZT Systems acquisition in March.", ["AMD", "ZT Systems"]),
        (
            "CoreWeave held its quarterly call today. We closed the OpenPipe acquisition in "
            "September.",
            ["CoreWeave", "OpenPipe"],
        ),
    ],
)
def test_acquirer_and_target_are_read_from_the_clause(extract, text, parties) -> None:
    assert acquisitions(extract(text)) == [parties]


@pytest.mark.parametrize(
    "text",
    [
        "The acquisition will close next year, the company said.",
        "Analysts expect more acquisition activity in 2026.",
        "Kestrel Systems will license its interconnect to a cloud provider.",
    ],
)
def test_an_acquisition_word_without_two_named_parties_is_no_deal(extract, text) -> None:
    assert acquisitions(extract(text)) == []
