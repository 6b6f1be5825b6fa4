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
        ("Qualcomm's Ayar Labs acquisition closed on Friday.", ["Qualcomm", "Ayar Labs"]),
        ("Intel completed its Habana acquisition in 2019.", ["Intel", "Habana Labs"]),
        (
            "Lambda held its quarterly call today. We closed the Quarry Data acquisition in July.",
            ["Lambda", "Quarry Data"],
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


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        (
            "Nvidia has agreed to acquire Quillon Labs and Sundial AI, two software startups.",
            ["Quillon Labs", "Sundial AI"],
        ),
        (
            "Last year Broadcom snapped up compiler startup Tessellate and packaging firm "
            "Orbitron Systems.",
            ["Tessellate", "Orbitron Systems"],
        ),
        (
            "Marvell acquired Ferrule Optics, Nimbus Silicon and Kato Devices this year.",
            ["Ferrule Optics", "Nimbus Silicon", "Kato Devices"],
        ),
        (
            "The deal, in which Arm acquires Pellucid as well as design house Ostrava Semi, "
            "closed Monday.",
            ["Pellucid", "Ostrava Semi"],
        ),
    ],
)
def test_a_list_of_targets_gives_one_acquisition_each(extract, text, targets) -> None:
    """A list the registry knows only part of still yields one record per named target."""
    assert [parties[1] for parties in acquisitions(extract(text))] == targets


@pytest.mark.parametrize(
    "text",
    [
        # the list ends where the sentence turns to something else
        "Nvidia acquired Quillon Labs, and its founder Mara Lindqvist joined the board.",
        "Nvidia acquired Quillon Labs, or Quillon, and then said Monday that sales rose.",
        "Nvidia acquired Quillon Labs and hired Sara Bell as its chief scientist.",
        "Nvidia acquired Quillon Labs, which Orla Ventures had backed since 2021.",
    ],
)
def test_a_target_list_stops_at_the_clause_that_follows(extract, text) -> None:
    assert acquisitions(extract(text)) == [["Nvidia", "Quillon Labs"]]


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        (
            "Vexa, a Tel Aviv startup Marvell acquired for $310 million, now ships optics.",
            ["Marvell", "Vexa"],
        ),
        (
            "Its rival Kato Devices, the interconnect maker Broadcom bought in 2020, still "
            "sells switches.",
            ["Broadcom", "Kato Devices"],
        ),
        # a subsidiary the registry files under its parent keeps its own name as a target
        (
            "Habana, the chip startup Intel bought in 2019, designs accelerators.",
            ["Intel", "Habana Labs"],
        ),
        (
            "SoftBank finished buying Orbis Compute for $6.5 billion in cash.",
            ["SoftBank", "Orbis Compute"],
        ),
    ],
)
def test_the_name_a_reduced_relative_clause_describes_is_the_target(extract, text, parties) -> None:
    assert acquisitions(extract(text)) == [parties]


@pytest.mark.parametrize(
    "text",
    [
        "Groq, the startup Nvidia licensed technology from, is not for sale.",
        "Meta, the company Nvidia sells the most chips to, keeps buying.",
        "Vexa, the startup Marvell once tried to buy, stayed independent.",
    ],
)
def test_a_reduced_relative_clause_without_an_acquisition_is_no_takeover(extract, text) -> None:
    assert acquisitions(extract(text)) == []


def test_a_closed_takeover_and_new_agreements_in_one_sentence_are_separate_deals(extract) -> None:
    text = (
        "Lambda Q2 call. In July we closed the Quarry Data acquisition and announced "
        "agreements to acquire Vexa Labs and Sundial AI."
    )
    assert acquisitions(extract(text)) == [
        ["Lambda", "Quarry Data"],
        ["Lambda", "Vexa Labs"],
        ["Lambda", "Sundial AI"],
    ]


def test_one_clause_with_two_acquisition_words_is_one_deal(extract) -> None:
    text = "Marvell agreed to acquire Vexa Labs, completing the Vexa takeover talks it began."
    assert acquisitions(extract(text)) == [["Marvell", "Vexa Labs"]]


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        (
            "Intel reported results. Intel is cutting costs, and Intel is hiring. The company "
            "bought Israeli AI chip startup Habana for $2 billion in 2019.",
            ["Intel", "Habana Labs"],
        ),
        (
            "Intel reported results. Intel is cutting costs, and Intel is hiring. The company "
            "closed its roughly $2 billion purchase of chip designer Habana Labs in 2019.",
            ["Intel", "Habana Labs"],
        ),
    ],
)
def test_the_company_that_bought_a_subsidiary_filed_under_it(extract, text, parties) -> None:
    assert acquisitions(extract(text)) == [parties]


@pytest.mark.parametrize(
    "text",
    [
        "Most labs still buy mainly from Nvidia, the survey found.",
        "The hyperscaler said it would keep buying at scale from AMD and Intel.",
        "Smaller clouds have historically bought almost entirely from Nvidia.",
        "Startups purchased directly from Groq during the beta.",
    ],
)
def test_buying_from_a_vendor_is_no_acquisition(extract, text):
    assert [c for c in extract(text) if c.deal_type == "acquisition"] == []


@pytest.mark.parametrize(
    ("text", "acquirer", "target"),
    [
        ("Broadcom bought Vireo Silicon from its founders last year.", "Broadcom", "Vireo Silicon"),
        ("Qualcomm agreed to buy Alphawave, the companies said.", "Qualcomm", "Alphawave"),
    ],
)
def test_buying_a_company_is_still_an_acquisition(extract, text, acquirer, target):
    claims = [c for c in extract(text) if c.deal_type == "acquisition"]
    assert [[p.name for p in c.parties] for c in claims] == [[acquirer, target]]


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        (
            "Much of its rack know-how comes from Qualcomm's purchase of server builder Orvane.",
            ["Qualcomm", "Orvane"],
        ),
        (
            "Kestrel completed its purchase of GPU cloud provider Lumenhall last week.",
            ["Kestrel", "Lumenhall"],
        ),
        (
            "Kestrel agreed to acquire chip manufacturers Talvik and Brenmoor.",
            ["Kestrel", "Talvik"],
        ),
    ],
)
def test_a_product_word_describing_the_company_bought_is_no_purchase_of_goods(
    extract, text: str, parties: list[str]
) -> None:
    """ "server builder", "GPU cloud provider": a product noun followed by a maker noun
    describes the company bought, as "chip designer" does."""
    (first, *_) = acquisitions(extract(text))
    assert first == parties


@pytest.mark.parametrize(
    "text",
    [
        "Kestrel completed its purchase of servers from Orvane last week.",
        "Kestrel's purchase of GPUs from cloud providers such as Lumenhall doubled.",
    ],
)
def test_a_purchase_of_goods_from_a_company_is_no_acquisition(extract, text: str) -> None:
    assert acquisitions(extract(text)) == []


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("Broadcom's purchase of Tallis Compute closed in June.", ["Broadcom", "Tallis Compute"]),
        (
            "Marvell's $900 million acquisition of Quell Photonics cleared regulators last week.",
            ["Marvell", "Quell Photonics"],
        ),
    ],
)
def test_the_verb_after_an_unregistered_target_ends_its_name(extract, text, parties) -> None:
    """ "X's purchase of Y closed in June": the clause's verb is no part of the name."""
    assert acquisitions(extract(text)) == [parties]


def test_goods_before_the_verb_are_still_no_target(extract) -> None:
    assert acquisitions(extract("Broadcom's purchase of Lunar systems closed in June.")) == []


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("Kestrel's purchase of Orvane Systems closed in June.", ["Kestrel", "Orvane Systems"]),
        (
            "Kestrel Group's $2 billion all-cash takeover of Orvane is expected to close soon.",
            ["Kestrel Group", "Orvane"],
        ),
        (
            "Kestrel's 2019 acquisition of Orvane Systems, a networking startup, gave it a team.",
            None,
        ),
    ],
)
def test_an_unregistered_owner_of_the_acquisition_noun_is_the_acquirer(
    extract, text: str, parties: list[str] | None
) -> None:
    assert acquisitions(extract(text)) == [parties or ["Kestrel", "Orvane Systems"]]


@pytest.mark.parametrize(
    "text",
    [
        "Kestrel's shareholders approved the acquisition of Orvane Systems.",
        "Kestrel's CEO said the acquisition of Orvane Systems would close soon.",
    ],
)
def test_an_owner_of_something_else_is_no_acquirer(extract, text: str) -> None:
    assert acquisitions(extract(text)) == []
