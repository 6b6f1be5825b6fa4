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
            "Nvidia agreed to acquire the Santa Clara company Halden Photonics for $400 million.",
            "acquisition",
            [["Nvidia", "Halden Photonics"]],
        ),
        # chips picked up are a purchase, not a takeover
        ("Meta picked up more GPUs from Nvidia this quarter.", "acquisition", []),
        # working on something is no partnership
        ("Cohere is working on a new model with more context.", "partnership", []),
    ],
)
def test_a_list_stops_at_what_is_not_a_counterparty(extract, text, deal_type, expected) -> None:
    assert records(extract(text), deal_type) == expected


@pytest.mark.parametrize(
    ("text", "deal_type", "expected"),
    [
        (
            "Marvell is widening its chip business. Marvell sells custom accelerators and "
            "Marvell designs optics. Last year it snapped up interconnect startup Vexa.",
            "acquisition",
            [["Marvell", "Vexa"]],
        ),
        (
            "Marvell is widening its chip business, and Marvell now sells custom "
            "accelerators. Analysts at a Qualcomm event praised Groq. In May it took a 3% "
            "stake in Ayar Labs.",
            "investment",
            [["Marvell", "Ayar Labs"]],
        ),
        (
            "Marvell is widening its chip business, and Marvell now sells custom "
            "accelerators. It is also leading a $200 million round for Lightmatter.",
            "funding",
            [["Lightmatter", "Marvell"]],
        ),
    ],
)
def test_it_stands_for_the_company_the_document_is_about(
    extract, text, deal_type, expected
) -> None:
    assert records(extract(text), deal_type) == expected


def test_it_is_not_resolved_when_the_document_is_about_several_companies(extract) -> None:
    text = (
        "Marvell and Broadcom both sell custom accelerators. Broadcom and Marvell compete "
        "for the same buyers. Last year it snapped up interconnect startup Vexa."
    )
    # no clear topic: "it" stands for the previous sentence's first company, as before
    assert records(extract(text), "acquisition") == [["Broadcom", "Vexa"]]


_ABOUT_COHERE = "Cohere sells models to banks. Cohere has grown fast, and Cohere has 500 staff. "


@pytest.mark.parametrize(
    ("text", "deal_type", "expected"),
    [
        (
            _ABOUT_COHERE + "Oracle put $400 million into the company last year.",
            "investment",
            [["Oracle", "Cohere"]],
        ),
        (
            _ABOUT_COHERE + "Oracle agreed to acquire the startup for $2 billion.",
            "acquisition",
            [["Oracle", "Cohere"]],
        ),
        # a possessive names no counterparty
        (_ABOUT_COHERE + "Oracle bought chips for the company's own data centres.", "supply", []),
        # a named object wins over the document's company
        (
            _ABOUT_COHERE + "Oracle invested in the startup Vexa last year.",
            "investment",
            [["Oracle", "Vexa"]],
        ),
    ],
)
def test_the_company_as_object_is_the_document_company(extract, text, deal_type, expected) -> None:
    assert records(extract(text), deal_type) == expected


def test_a_descriptor_subject_is_the_document_company_when_it_is_plain(extract) -> None:
    text = (
        _ABOUT_COHERE + "Oracle hosts some of its models. The company bought Canadian "
        "search startup Vexa for $90 million last year."
    )
    assert records(extract(text), "acquisition") == [["Cohere", "Vexa"]]
