"""Title-case headlines capitalise the agreement words too: "Supply Contract", "Licensing
Agreement" and the like are never a company.  Headlines written for these tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "deal_type", "parties"),
    [
        ("Marvell Signs Multi-Year Supply Contract With Amazon", "supply", {"Marvell", "Amazon"}),
        (
            "Tenstorrent Enters Non-Exclusive Chiplet Licensing Agreement with MediaTek",
            "licensing",
            {"Tenstorrent", "MediaTek"},
        ),
        (
            "Cadence Enters Strategic Collaboration Agreement With Arm",
            "partnership",
            {"Cadence", "Arm"},
        ),
        ("Rambus and Arm Sign Memorandum of Understanding", "partnership", {"Rambus", "Arm"}),
        ("Arm Expands Licensing Deal With Qualcomm", "licensing", {"Arm", "Qualcomm"}),
        (
            "Broadcom Wins Custom Accelerator Order From Anthropic",
            "supply",
            {"Broadcom", "Anthropic"},
        ),
    ],
)
def test_agreement_words_in_a_headline_are_no_party(extract, text, deal_type, parties):
    claims = extract(text)
    assert [(c.deal_type, {p.name for p in c.parties}) for c in claims] == [(deal_type, parties)]


def test_a_firm_named_like_its_trade_keeps_its_name(extract):
    # "Partners" and "Capital" end firms' names; only the agreement nouns are refused
    claims = extract("Orchard Partners led a $40 million round in Tenstorrent.")
    assert any("Orchard Partners" in {p.name for p in c.parties} for c in claims), claims
