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


def supply_sets(claims: list[DealClaim]) -> list[set[str]]:
    return [{p.name for p in c.parties} for c in claims if c.deal_type == "supply"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # earnings-call first person: "we"/"us" is the company holding the call
        (
            "Lambda Q2 2026 earnings call. We entered into an agreement with Cohere to deliver "
            "a cluster of 20,000 GPUs.",
            [{"Cohere", "Lambda"}],
        ),
        (
            "Nebius Q1 2027 results call. Mistral AI expanded its commitment with us by "
            "$800 million.",
            [{"Mistral AI", "Nebius"}],
        ),
        (
            "Crusoe investor day. Reka remains a very important customer, and we keep "
            "adding capacity for them.",
            [{"Reka", "Crusoe"}],
        ),
        (
            "Vultr said xAI has become a major customer of its cloud.",
            [{"xAI", "Vultr"}],
        ),
        (
            "Fluidstack agreed to deliver racks of Blackwell systems to Anthropic by June.",
            [{"Anthropic", "Fluidstack"}],
        ),
    ],
)
def test_customers_and_deliveries_bind_the_speaker_or_named_seller(
    extract, text: str, expected: list[set[str]]
) -> None:
    assert supply_sets(extract(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # no counterparty: a customer in general, an unnamed one, a wish
        "Lambda Q2 2026 earnings call. We hope to deliver more capacity next year.",
        "Crusoe said it remains a very important partner to the industry.",
        "Nebius Q1 results call. An unnamed lab expanded its commitment with us.",
        "Would Meta become a major customer of Fluidstack? Nobody knows.",
    ],
)
def test_delivery_and_customer_words_without_a_named_counterparty_are_no_supply(
    extract, text: str
) -> None:
    assert supply_sets(extract(text)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two clauses, two agreements of one type
        (
            "Lambda Q2 call. This quarter we signed a contract with Cohere worth up to "
            "$2.2 billion, and Mistral AI expanded its commitment with us by $900 million, "
            "bringing its total with Lambda to $3 billion.",
            [({"Cohere", "Lambda"}, 2_200_000_000), ({"Mistral AI", "Lambda"}, 900_000_000)],
        ),
        (
            "Meta bought Nvidia GPUs, while Microsoft bought AMD chips.",
            [({"Meta", "Nvidia"}, None), ({"Microsoft", "AMD"}, None)],
        ),
        (
            "Anthropic rents capacity from Nebius; xAI rents capacity from Crusoe.",
            [({"Anthropic", "Nebius"}, None), ({"xAI", "Crusoe"}, None)],
        ),
        # one clause, one agreement: a second trigger word restates it
        (
            "OpenAI signed a contract with CoreWeave and ordered capacity worth $4 billion.",
            [({"OpenAI", "CoreWeave"}, 4_000_000_000)],
        ),
    ],
)
def test_each_clause_states_its_own_agreement(extract, text: str, expected) -> None:
    found = [
        ({p.name for p in c.parties}, c.value_usd) for c in extract(text) if c.deal_type == "supply"
    ]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Reka has selected Groq's LPU systems for its next models.", [{"Reka", "Groq"}]),
        (
            "Perplexity just signed Cerebras to power its new search answers.",
            [{"Perplexity", "Cerebras"}],
        ),
        ("Cohere picked Lambda's GPU capacity over CoreWeave's.", [{"Cohere", "Lambda"}]),
        ("Mistral AI chose AMD accelerators for its inference fleet.", [{"Mistral AI", "AMD"}]),
        ("xAI tapped Oracle for 50,000 more GPUs of capacity.", [{"xAI", "Oracle"}]),
    ],
)
def test_selecting_a_suppliers_hardware_is_supply(extract, text: str, expected) -> None:
    assert supply_sets(extract(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Analysts picked Nvidia chips as the safest bet.",
        "Reviewers selected Groq's LPU systems as the fastest on the list.",
        "Perplexity signed a letter to regulators about Cerebras.",
        "Cohere has not yet chosen between AMD accelerators and Nvidia GPUs.",
    ],
)
def test_selection_without_a_buyer_is_no_supply(extract, text: str) -> None:
    assert supply_sets(extract(text)) == []


def test_naming_a_company_its_partner_is_a_partnership(extract) -> None:
    claims = extract("Nebius named Nvidia its preferred networking partner for Europe.")
    assert [[p.name for p in c.parties] for c in claims] == [["Nebius", "Nvidia"]]
    assert [c.deal_type for c in claims] == ["partnership"]


def test_a_revenue_total_is_not_the_value_of_a_customers_share(extract) -> None:
    claims = extract("Meta accounted for 40% of Nebius's $2.1 billion of revenue last year.")
    assert supplies(claims) == [("Meta", "Nebius", None)]


def test_superchips_are_hardware_a_customer_deploys(extract) -> None:
    claims = extract("Nvidia Q2 call. Reka will deploy an initial 20,000 of our GB300 superchips.")
    assert supplies(claims) == [("Reka", "Nvidia", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Lambda grew fast, naming Reka and Black Forest Labs among its customers.",
            [{"Reka", "Lambda"}, {"Black Forest Labs", "Lambda"}],
        ),
        (
            "Crusoe lists Mistral AI, Cohere and Reka as customers.",
            [{"Mistral AI", "Crusoe"}, {"Cohere", "Crusoe"}, {"Reka", "Crusoe"}],
        ),
        ("Analysts named Nvidia and AMD as the most likely winners.", []),
        ("Crusoe lists its prices per GPU hour on its website, like Lambda.", []),
    ],
)
def test_customers_named_or_listed_by_their_supplier(extract, text: str, expected) -> None:
    assert supply_sets(extract(text)) == expected


def test_a_contract_signed_in_a_participle_clause_carries_its_value(extract) -> None:
    text = (
        "Lambda has expanded its arrangement with Cohere for the second time, signing a new "
        "contract worth up to $2.5 billion that takes the combined value of their agreements "
        "to about $6 billion."
    )
    found = [({p.name for p in c.parties}, c.value_usd) for c in extract(text)]
    assert found == [({"Lambda", "Cohere"}, 2_500_000_000)]


def test_separate_orders_from_one_customer_are_separate_records(extract) -> None:
    claims = extract(
        "Marvell said it received a $2 billion order from Microsoft in March. In June it "
        "received another $3 billion order from Microsoft."
    )
    assert [([p.name for p in c.parties], c.value_usd) for c in claims] == [
        (["Microsoft", "Marvell"], 2_000_000_000),
        (["Microsoft", "Marvell"], 3_000_000_000),
    ]


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("Marvell makes custom chips. It received a $3 billion order from Microsoft.", True),
        ("Marvell makes custom chips. It booked a $3 billion order from Microsoft.", True),
        ("Marvell makes custom chips. It received an award from Microsoft.", False),
    ],
)
def test_it_receiving_an_order_is_the_company_just_named(extract, text, parties) -> None:
    expected = [["Microsoft", "Marvell"]] if parties else []
    assert [[p.name for p in c.parties] for c in extract(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Marvell said it received a $2 billion order from Microsoft in March. In June it "
            "received another $3 billion order from that same customer.",
            [2_000_000_000, 3_000_000_000],
        ),
        # the sentence before stated a partnership: there is no customer to refer back to
        (
            "Marvell partnered with Microsoft. It received a $3 billion order from that same "
            "customer.",
            [],
        ),
    ],
)
def test_that_same_customer_is_the_customer_of_the_order_before(extract, text, expected) -> None:
    orders = [c for c in extract(text) if c.deal_type == "supply"]
    assert [c.value_usd for c in orders] == expected
    assert all([p.name for p in c.parties] == ["Microsoft", "Marvell"] for c in orders)


@pytest.mark.parametrize(
    "text",
    [
        "Marvell received a $2 billion order to sell custom accelerators to Microsoft.",
        "Marvell won a $2 billion contract to supply custom accelerators to Microsoft.",
        # a relative clause selling "it" something names no buyer after "to": the order stands
        "Microsoft placed a $2 billion order with Marvell, which agreed to sell it accelerators.",
    ],
)
def test_the_buyer_an_order_sells_to_comes_first(extract, text: str) -> None:
    assert [[p.name for p in c.parties] for c in extract(text)] == [["Microsoft", "Marvell"]]
