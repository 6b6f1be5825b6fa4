"""Deal extraction: one behaviour per test, on example sentences written for these tests."""

from __future__ import annotations

import pytest

from chipwire.pipeline.extract.deal_parts import DealClaim
from chipwire.pipeline.extract.money import find_money


def names(claim: DealClaim) -> list[str]:
    return [party.name for party in claim.parties]


def only(claims: list[DealClaim], deal_type: str) -> DealClaim:
    matching = [c for c in claims if c.deal_type == deal_type]
    assert len(matching) == 1, claims
    return matching[0]


# --- types ------------------------------------------------------------------


def test_acquisition_puts_acquirer_first_with_value(extract):
    claim = only(extract("Qualcomm agreed to acquire Alphawave for $2.4 billion."), "acquisition")
    assert names(claim) == ["Qualcomm", "Alphawave"]
    assert claim.value_usd == 2_400_000_000
    assert claim.status == "announced"


def test_acquisition_of_unregistered_target_keeps_name_as_written(extract):
    claim = only(
        extract("Nvidia agreed to acquire AI chip startup Zentrix for $900 million."), "acquisition"
    )
    assert names(claim) == ["Nvidia", "Zentrix"]
    assert claim.parties[1].slug is None


def test_unregistered_company_introduced_by_a_descriptor_can_lead_the_deal(extract):
    funding = only(
        extract("AI chip startup Vireo Silicon raised $30 million led by Arena Co."), "funding"
    )
    assert names(funding) == ["Vireo Silicon", "Arena Co"]
    assert [p.slug for p in funding.parties] == [None, None]
    assert funding.value_usd == 30_000_000
    partner = only(
        extract("Inference chip startup Vireo Silicon signed a partnership with Groq."),
        "partnership",
    )
    assert names(partner) == ["Vireo Silicon", "Groq"]


def test_descriptor_without_a_name_is_no_party(extract):
    assert extract("The startup raised money, the chipmaker said.") == []


def test_licensing_deal_is_typed_licensing(extract):
    claim = only(
        extract("Nvidia signed a licensing agreement with Groq worth $20 billion."), "licensing"
    )
    assert set(names(claim)) == {"Nvidia", "Groq"}
    assert claim.value_usd == 20_000_000_000


def test_collaborating_is_a_partnership(extract):
    claim = only(
        extract("Microsoft and Cerebras are collaborating on a new inference service."),
        "partnership",
    )
    assert names(claim) == ["Microsoft", "Cerebras"]
    assert claim.value_usd is None


def test_investment_puts_investor_first(extract):
    claim = only(extract("Nvidia will invest $5 billion in Intel."), "investment")
    assert names(claim) == ["Nvidia", "Intel"]
    assert claim.value_usd == 5_000_000_000


def test_buying_chips_is_supply_not_acquisition(extract):
    claims = extract("Meta bought thousands of accelerators from AMD last quarter.")
    assert [c.deal_type for c in claims] == ["supply"]
    assert names(claims[0]) == ["Meta", "AMD"]


def test_customer_list_gives_one_supply_record_per_customer(extract):
    claims = extract("Groq is expanding quickly. Its customers include Meta, IBM and Mistral AI.")
    assert sorted(tuple(sorted(names(c))) for c in claims) == [
        ("Groq", "IBM"),
        ("Groq", "Meta"),
        ("Groq", "Mistral AI"),
    ]
    assert {c.deal_type for c in claims} == {"supply"}


def test_confidential_ipo_filing_is_an_ipo(extract):
    claim = only(extract("Cerebras filed confidentially for an IPO on Monday."), "ipo")
    assert names(claim) == ["Cerebras"]


def test_planned_ipo_is_not_a_deal(extract):
    assert extract("SambaNova plans to go public next year.") == []


# --- funding ----------------------------------------------------------------


def test_funding_round_has_company_and_leads_and_participants_get_investments(extract):
    claims = extract(
        "Etched raised $120 million in a Series A led by Blue Owl and Northwind Capital, "
        "with participation from Temasek and Lark Ventures."
    )
    funding = only(claims, "funding")
    assert names(funding) == ["Etched", "Blue Owl", "Northwind Capital"]
    assert funding.value_usd == 120_000_000
    assert funding.status == "completed"
    investments = sorted(names(c)[0] for c in claims if c.deal_type == "investment")
    assert investments == ["Lark Ventures", "Temasek"]
    assert all(c.value_usd is None for c in claims if c.deal_type == "investment")


def test_lead_investor_in_following_sentence_joins_the_round(extract):
    claims = extract("Groq raised $640 million. The round was led by BlackRock.")
    assert names(only(claims, "funding")) == ["Groq", "BlackRock"]


def test_person_is_not_taken_as_an_unregistered_investor(extract):
    claims = extract("Groq raised $50 million with participation from Peter Lindqvist.")
    assert all(c.deal_type == "funding" for c in claims)


# --- values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("$20 billion", 20_000_000_000, None),
        ("$10B+", 10_000_000_000, "over"),
        ("20 billion dollars", 20_000_000_000, None),
        ("more than $3 billion", 3_000_000_000, "over"),
        ("up to $100 billion", 100_000_000_000, "up to"),
        ("about $1.6 billion", 1_600_000_000, "about"),
        ("$750 million to $1 billion", 750_000_000, None),
    ],
)
def test_money_formats(text, value, qualifier):
    [money] = find_money(text)
    assert money.value_usd == value
    assert money.qualifier == qualifier


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("US$5 Billion", 5_000_000_000, None),
        ("USD 2.5BN", 2_500_000_000, None),
        ("More Than C$4 Billion", 4_000_000_000 * 0.7, "over"),
        ("Up To Twenty Billion Dollars", 20_000_000_000, "up to"),
    ],
)
def test_money_in_any_case_keeps_its_original_text(text, value, qualifier):
    [money] = find_money(f"The deal, worth {text}, closed.")
    assert money.original.casefold() == text.casefold()
    assert money.original in f"The deal, worth {text}, closed."  # as written, not lowercased
    assert money.value_usd == pytest.approx(value, rel=0.2)
    assert money.qualifier == qualifier


def test_euro_amounts_are_converted_to_usd():
    [money] = find_money("€5bn")
    assert 5_000_000_000 < money.value_usd < 6_500_000_000


def test_vague_amounts_give_no_value(extract):
    claim = only(
        extract("Anthropic signed a multibillion-dollar cloud deal with Google."), "supply"
    )
    assert claim.value_usd is None


def test_valuation_is_not_the_deal_value(extract):
    claim = only(extract("Etched raised $300 million at a $5 billion valuation."), "funding")
    assert claim.value_usd == 300_000_000


def test_cumulative_total_is_not_a_deal(extract):
    assert extract("Groq has raised more than $1 billion in total.") == []


# --- statuses ---------------------------------------------------------------


def test_reportedly_gives_reported(extract):
    claim = only(extract("Meta is reportedly buying TPUs from Google."), "supply")
    assert claim.status == "reported"


def test_people_familiar_gives_reported(extract):
    text = "OpenAI agreed to buy chips from AMD, according to people familiar with the matter."
    assert only(extract(text), "supply").status == "reported"


def test_advanced_talks_gives_talks(extract):
    claim = only(extract("Intel is in advanced talks to buy SambaNova."), "acquisition")
    assert claim.status == "talks"


def test_closed_acquisition_is_completed(extract):
    claim = only(extract("Qualcomm closed its acquisition of Kato Devices."), "acquisition")
    assert claim.status == "completed"


def test_background_acquisition_is_completed_with_year(extract):
    claim = only(extract("AMD, which bought Xilinx in 2022, is now a rival."), "acquisition")
    assert names(claim) == ["AMD", "Xilinx"]
    assert claim.status == "completed"
    assert claim.is_background
    assert claim.year == 2022


# --- not deals --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If Nvidia bought Groq, regulators would object.",
        "Will Microsoft acquire Cerebras?",
        "Intel did not sign a supply deal with TSMC.",
        "Nvidia could invest in Groq next year.",
        "Meta is considering an investment in SambaNova.",
        "Amazon withdrew its bid for Cerebras.",
        "Cerebras raised $250 million from an unnamed investment firm.",
    ],
)
def test_hypotheticals_questions_negations_and_speculation_are_not_deals(extract, text):
    assert [c for c in extract(text) if c.deal_type != "funding"] == []
    if "unnamed" in text:
        funding = only(extract(text), "funding")
        assert names(funding) == ["Cerebras"]


def test_repeated_mentions_are_merged(extract):
    claims = extract(
        "Marvell agreed to acquire Celestial AI. The acquisition of Celestial AI brings Marvell "
        "photonics engineers; Marvell will pay $3.25 billion for Celestial AI."
    )
    acquisitions = [c for c in claims if c.deal_type == "acquisition"]
    assert len(acquisitions) == 1


# --- later additions ----------------------------------------------------------


def test_backers_after_from_lead_the_round_when_no_lead_is_named(extract):
    claim = only(extract("Groq raised $640 million from BlackRock and Cisco."), "funding")
    assert names(claim) == ["Groq", "BlackRock", "Cisco"]


def test_withdrawn_ipo_is_not_a_deal(extract):
    assert extract("Cerebras filed for an IPO in 2024 but later withdrew the filing.") == []


def test_year_before_acquisition_marks_background(extract):
    claim = only(
        extract("Nvidia's 2019 acquisition of Mellanox gave it networking."), "acquisition"
    )
    assert claim.is_background and claim.year == 2019 and claim.status == "completed"


def test_first_person_in_a_call_is_the_document_company(extract):
    text = (
        "Celestica held its quarterly call today. We booked a $1.2 billion order from Meta for "
        "networking racks."
    )
    claim = only(extract(text), "supply")
    assert set(names(claim)) == {"Celestica", "Meta"}
    assert claim.value_usd == 1_200_000_000


def test_separate_orders_are_separate_records(extract):
    text = (
        "Oracle placed a $2 billion order for accelerators with AMD in March. In June, Oracle "
        "placed a second, $3 billion order with AMD."
    )
    values = sorted(c.value_usd for c in extract(text) if c.deal_type == "supply")
    assert values == [2_000_000_000, 3_000_000_000]


def test_descriptor_subject_refers_to_previous_company(extract):
    claim = only(
        extract("Nvidia had a record year. The chipmaker will invest $2 billion in Synopsys."),
        "investment",
    )
    assert names(claim) == ["Nvidia", "Synopsys"]


def test_listed_customers_before_the_trigger_pair_with_the_supplier(extract):
    claims = extract("Groq said Meta and IBM are customers.")
    assert sorted(tuple(sorted(names(c))) for c in claims) == [("Groq", "IBM"), ("Groq", "Meta")]


def test_the_companies_said_is_not_a_report(extract):
    claim = only(
        extract("Nvidia will invest $5 billion in Intel, the companies said."), "investment"
    )
    assert claim.status == "announced"


def test_money_raised_in_an_ipo_is_the_ipo(extract):
    claims = extract("CoreWeave raised $1.5 billion in its IPO on Nasdaq.")
    claim = only(claims, "ipo")
    assert names(claim) == ["CoreWeave"]
    assert claim.value_usd == 1_500_000_000
    assert claim.status == "completed"
    assert not [c for c in claims if c.deal_type == "funding"]


def test_two_named_buyers_each_get_a_record(extract):
    claims = extract("Meta and Microsoft placed orders for accelerators with AMD.")
    assert sorted(tuple(sorted(names(c))) for c in claims) == [
        ("AMD", "Meta"),
        ("AMD", "Microsoft"),
    ]


def test_customer_lists_around_the_trigger_belong_to_the_document_company(extract):
    claims = extract(
        "Cerebras had a busy quarter. Cerebras's wafer-scale systems drew attention. Mistral AI "
        "and Perplexity came on board in the spring, and new customers include Cognition and IBM."
    )
    pairs = sorted(tuple(sorted(names(c))) for c in claims if c.deal_type == "supply")
    assert pairs == [
        ("Cerebras", "Cognition"),
        ("Cerebras", "IBM"),
        ("Cerebras", "Mistral AI"),
        ("Cerebras", "Perplexity"),
    ]
