"""Co-mentions are no deals: two companies are counterparties only when the deal binds them.

Sentences written for these tests (error class 3 of issue 10).  Companies named together as
the subjects of one verb do the same thing side by side; an agreement named as the object
of their verb ("signed a supply agreement") binds them to each other.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "sentence",
    [
        "Dell, HPE, Lenovo and Supermicro all sell Gaudi 3 systems.",
        "Microsoft and Meta have invested heavily in data centers this year.",
        "Samsung and SK Hynix supply most of the world's HBM.",
        "Amazon and Google bought back billions of dollars of their own shares.",
        "Nvidia and AMD license their interconnect designs to partners.",
        "Cisco, Arista and Juniper sell switches into the same AI clusters.",
        "Meta and Microsoft each invested more than $60 billion in capital spending.",
    ],
)
def test_co_subjects_of_one_verb_are_no_counterparties(extract, sentence: str) -> None:
    assert extract(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "deal_type", "parties"),
    [
        ("Oracle and AMD signed a multi-year supply agreement.", "supply", ["AMD", "Oracle"]),
        (
            "Oracle and AMD signed a multi-year agreement for MI450 chips.",
            "partnership",
            ["AMD", "Oracle"],
        ),
        (
            "Cisco and Nvidia struck a partnership to build AI networking gear.",
            "partnership",
            ["Cisco", "Nvidia"],
        ),
    ],
)
def test_an_agreement_binds_its_co_subjects(
    extract, sentence: str, deal_type: str, parties: list[str]
) -> None:
    claims = extract(sentence)
    assert [(c.deal_type, sorted(p.name for p in c.parties)) for c in claims] == [
        (deal_type, parties)
    ]


# --- a product bought binds its maker only when the sentence names it --------------------


@pytest.mark.parametrize(
    ("text", "customer", "supplier"),
    [
        ("Meta will buy 5,000 Nvidia GPUs for its new cluster.", "Meta", "Nvidia"),
        ("CoreWeave is deploying AMD MI355X accelerators in two regions.", "CoreWeave", "AMD"),
        ("Anthropic bought accelerators from AMD last quarter.", "Anthropic", "AMD"),
        ("Microsoft will use chips made by Marvell in its next racks.", "Microsoft", "Marvell"),
        ("Oracle leases Groq's LPU racks for a new region.", "Oracle", "Groq"),
    ],
)
def test_buying_a_named_makers_product_is_supply(extract, text, customer, supplier):
    claims = [c for c in extract(text) if c.deal_type == "supply"]
    assert [[p.name for p in c.parties] for c in claims] == [[customer, supplier]]


@pytest.mark.parametrize(
    "text",
    [
        "Nvidia said systems built on the new chips ship in May, with the first cloud "
        "deployments from Microsoft, Oracle and Google.",
        "Meta said servers using the new accelerators arrive this year, alongside Dell.",
        "AMD expects clouds to keep buying accelerators, a note from Morgan Stanley said.",
        "Oracle is deploying more capacity in Texas; Nvidia reported record revenue.",
    ],
)
def test_a_product_without_a_named_maker_binds_no_one(extract, text):
    assert [c for c in extract(text) if c.deal_type == "supply"] == []
