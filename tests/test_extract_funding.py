"""Funding rounds: the raiser and its leads in one record, every other participant its own.

Sentences written for these tests (error class 1 of issue 10): participant lists of two to
eight names in varied wording, lists in a later sentence, rounds referred back to, and
hard negatives (people, panels, board seats).
"""

from __future__ import annotations

import pytest

from chipwire.pipeline.extract.deal_parts import DealClaim


def funding(claims: list[DealClaim]) -> list[str]:
    (claim,) = [c for c in claims if c.deal_type == "funding"]
    return [p.name for p in claim.parties]


def investors(claims: list[DealClaim]) -> list[str]:
    """Investors of the round's investment records, which must all name the raiser second."""
    records = [c for c in claims if c.deal_type == "investment"]
    raisers = {c.parties[1].name for c in records}
    assert len(raisers) <= 1, records
    return sorted(c.parties[0].name for c in records)


ROUND = "Groq raised $310 million in a Series D round led by Fidelity."


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [
        ("Temasek and Coatue took part.", ["Coatue", "Temasek"]),
        ("Temasek, Coatue, Cisco and Khosla Ventures also participated.", None),
        ("Temasek took part, as did Coatue and Cisco.", ["Cisco", "Coatue", "Temasek"]),
        ("Coatue, Cisco and Temasek came in as well.", ["Cisco", "Coatue", "Temasek"]),
        ("Samsung and Cisco have also invested.", ["Cisco", "Samsung"]),
        ("Existing backers Coatue and Temasek re-upped.", ["Coatue", "Temasek"]),
        (
            "Other investors include BlackRock, Temasek, Coatue, Cisco, Samsung, Khosla Ventures "
            "and Altimeter.",
            [
                *("Altimeter Capital", "BlackRock", "Cisco", "Coatue"),
                *("Khosla Ventures", "Samsung", "Temasek"),
            ],
        ),
    ],
)
def test_participants_named_in_a_later_sentence_invest_in_the_raiser(
    extract, follow_up: str, expected: list[str] | None
) -> None:
    claims = extract(f"{ROUND} {follow_up}")
    assert funding(claims) == ["Groq", "Fidelity"]
    if expected is None:
        expected = ["Cisco", "Coatue", "Khosla Ventures", "Temasek"]
    assert investors(claims) == expected
    assert all(c.parties[1].name == "Groq" for c in claims if c.deal_type == "investment")


def test_an_inverted_participant_list_does_not_join_the_leads(extract) -> None:
    claims = extract("Groq raised $310 million in a round led by Fidelity, and so did Temasek.")
    assert funding(claims) == ["Groq", "Fidelity"]
    assert investors(claims) == ["Temasek"]


def test_a_lead_list_ends_where_joining_investors_are_named(extract) -> None:
    claims = extract(
        "Groq has closed new funding of $400 million. The round was led by Disruptive, and "
        "BlackRock, Samsung, Cisco and Temasek joined as investors."
    )
    assert funding(claims) == ["Groq", "Disruptive"]
    assert investors(claims) == ["BlackRock", "Cisco", "Samsung", "Temasek"]


def test_a_round_referred_back_to_keeps_its_raiser(extract) -> None:
    claims = extract(
        "Cerebras closed a $1.1 billion Series G in September. Fidelity led the round and "
        "Atreides co-led it."
    )
    assert funding(claims) == ["Cerebras", "Fidelity", "Atreides Management"]


def test_unregistered_firms_in_a_list_are_investors(extract) -> None:
    claims = extract(
        f"{ROUND} Neuberger Berman, Emerson Collective and the Harlow Family Office took part."
    )
    assert investors(claims) == ["Emerson Collective", "Harlow Family Office", "Neuberger Berman"]


def test_people_in_a_list_are_not_companies(extract) -> None:
    claims = extract(f"{ROUND} Angel investors Peter Hartley and Susan Obi also participated.")
    assert funding(claims) == ["Groq", "Fidelity"]
    assert investors(claims) == []


@pytest.mark.parametrize(
    "follow_up",
    [
        "Nvidia and AMD took part in a panel on inference later that week.",
        "Executives from Cisco and Samsung joined the board.",
        "A round of layoffs at Intel came in March.",
    ],
)
def test_participation_words_about_something_else_make_no_investors(extract, follow_up) -> None:
    assert investors(extract(f"{ROUND} {follow_up}")) == []


def test_a_sentence_without_a_round_before_it_makes_no_investors(extract) -> None:
    assert extract("Temasek and Coatue took part.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Etched pulled in $120 million in a Series A round led by Primary Venture Partners.",
        "Etched brought in $120 million in a round led by Primary Venture Partners.",
        "Etched picked up $120 million in fresh funding, in a round led by Primary Venture "
        "Partners.",
    ],
)
def test_other_verbs_of_raising_open_a_round(extract, sentence: str) -> None:
    claims = extract(sentence)
    assert funding(claims) == ["Etched", "Primary Venture Partners"]
    assert next(c for c in claims if c.deal_type == "funding").value_usd == 120_000_000


def test_co_leads_named_in_a_clause_of_their_own_lead_the_round(extract) -> None:
    claims = extract(
        "Groq closed $640 million of Series D funding. BlackRock headed the round, with Cisco "
        "and Samsung serving as co-leads."
    )
    assert funding(claims) == ["Groq", "BlackRock", "Cisco", "Samsung"]


def test_investors_a_company_names_in_its_round_are_participants(extract) -> None:
    claims = extract(
        f"{ROUND} Groq named Temasek, Coatue and Khosla Ventures among the other investors "
        "in the round."
    )
    assert investors(claims) == ["Coatue", "Khosla Ventures", "Temasek"]


def test_a_raise_verb_without_a_round_or_an_amount_is_no_funding(extract) -> None:
    claims = extract("Groq picked up a design award from Samsung at the trade show.")
    assert [c for c in claims if c.deal_type == "funding"] == []


@pytest.mark.parametrize(
    ("sentence", "raiser"),
    [
        (
            "Lumora Systems, a maker of optical inference accelerators, has raised $210 million "
            "in a Series C round led by Fidelity.",
            "Lumora Systems",
        ),
        (
            "On Tuesday, Nerava announced it had raised $95 million in a round led by Coatue.",
            "Nerava",
        ),
        ("Vexa Labs closed a $40 million seed round led by Khosla Ventures.", "Vexa Labs"),
    ],
)
def test_an_unregistered_company_opening_the_clause_is_the_raiser(
    extract, sentence: str, raiser: str
) -> None:
    assert funding(extract(sentence))[0] == raiser


@pytest.mark.parametrize(
    "sentence",
    [
        "They raised $50 million in a round led by Coatue.",
        "Peter Hartley raised $50 million in a round led by Coatue for his new fund.",
        "The startup raised $50 million in a round led by Coatue.",
    ],
)
def test_pronouns_people_and_descriptions_are_no_raisers(extract, sentence: str) -> None:
    assert [c for c in extract(sentence) if c.deal_type == "funding"] == []


def test_an_owner_or_place_before_an_investors_name_is_left_out(extract) -> None:
    claims = extract(
        f"{ROUND} Saudi Arabia's Sanabil Investments and Singapore's Hanwa Capital took part."
    )
    assert investors(claims) == ["Hanwa Capital", "Sanabil Investments"]


def test_it_raised_is_the_documents_company_when_it_clearly_is(extract) -> None:
    claims = extract(
        "Groq opened a data center in Helsinki. Groq now serves open models. Analysts like "
        "Groq's pace. Its ties to Meta run deep: in 2024 it raised $640 million in a round "
        "led by BlackRock."
    )
    assert funding(claims) == ["Groq", "BlackRock"]


def test_it_raised_keeps_the_nearest_company_when_two_are_named_alike(extract) -> None:
    claims = extract(
        "Groq opened a data center in Helsinki. Meta will use it. Its ties to Meta run deep: "
        "in 2024 it raised $640 million in a round led by BlackRock."
    )
    assert funding(claims) != ["Groq", "BlackRock"]


@pytest.mark.parametrize(
    "follow_up",
    [
        "The round also drew Temasek and Coatue.",
        "Temasek and Coatue were also in.",
        "Also investing were Temasek and Coatue.",
        "Temasek, Coatue and others joined the round.",
        "Temasek and Coatue each put in $20 million.",
        "Its filing listed participants including Temasek and Coatue.",
    ],
)
def test_more_ways_of_naming_a_rounds_participants(extract, follow_up: str) -> None:
    claims = extract(f"{ROUND} {follow_up}")
    assert funding(claims) == ["Groq", "Fidelity"]
    assert investors(claims) == ["Coatue", "Temasek"]


def test_an_investment_with_its_investee_stays_an_investment(extract) -> None:
    claims = extract(f"{ROUND} Microsoft will invest $5 billion in Anthropic.")
    records = [[p.name for p in c.parties] for c in claims if c.deal_type == "investment"]
    assert records == [["Microsoft", "Anthropic"]]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "It took part in Vexa Labs' sister firm Orin's $125 million Series B, a round "
            "headed by Coatue.",
            ["Orin", "Coatue"],
        ),
        ("Coatue led Lumora's $80 million Series A.", ["Lumora", "Coatue"]),
        (
            "In late 2024 Nerava raised another $115 million in a round led by Coatue.",
            ["Nerava", "Coatue"],
        ),
    ],
)
def test_the_round_owner_and_a_dated_raiser_are_read(extract, sentence, expected) -> None:
    assert funding(extract(sentence)) == expected


@pytest.mark.parametrize(
    ("text", "investor", "investee"),
    [
        (
            "Hanwha Life Insurance said it had invested $14 million in Rebellions.",
            "Hanwha Life Insurance",
            "Rebellions",
        ),
        (
            "Nordic Pension Fund has put $40 million into Tenstorrent.",
            "Nordic Pension Fund",
            "Tenstorrent",
        ),
        (
            "Ostrava Family Office took a minority stake in Groq last month.",
            "Ostrava Family Office",
            "Groq",
        ),
        (
            "Keswick Export Credit Corporation invested in Lightmatter this spring.",
            "Keswick Export Credit Corporation",
            "Lightmatter",
        ),
    ],
)
def test_an_unregistered_investor_opening_the_clause_is_the_investor(
    extract, text: str, investor: str, investee: str
) -> None:
    found = [[p.name for p in c.parties] for c in extract(text) if c.deal_type == "investment"]
    assert found == [[investor, investee]]


@pytest.mark.parametrize(
    "text",
    [
        "Blackwell Ultra backs the Groq cluster in the new region.",
        "Several funds invested in Groq through secondary sales.",
        "In March, invested capital in Groq doubled.",
    ],
)
def test_a_product_or_common_noun_before_the_verb_is_no_investor(extract, text: str) -> None:
    assert [c for c in extract(text) if c.deal_type == "investment"] == []


def investments(claims: list[DealClaim]) -> list[tuple[list[str], int | None]]:
    return [
        ([p.name for p in c.parties], c.value_usd) for c in claims if c.deal_type == "investment"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Oracle will invest up to $2 billion in Cohere and Samsung up to $1 billion.",
            [(["Oracle", "Cohere"], 2_000_000_000), (["Samsung", "Cohere"], 10**9)],
        ),
        (
            "Intel bought a $1 billion stake in Groq and AMD $2 billion in Cerebras.",
            [(["Intel", "Groq"], 10**9), (["AMD", "Cerebras"], 2_000_000_000)],
        ),
        (
            "Under the plan Samsung invests $300 million in Rebellions, and SK Hynix "
            "another $150 million.",
            [(["Samsung", "Rebellions"], 300_000_000), (["SK Hynix", "Rebellions"], 150_000_000)],
        ),
        # no gap: a plain list of investees shares the verb and the amount
        (
            "Samsung invested $300 million in Rebellions and Groq.",
            [(["Samsung", "Rebellions"], 300_000_000), (["Samsung", "Groq"], 300_000_000)],
        ),
        (
            "Samsung invested in Rebellions and Groq, its annual filing showed.",
            [(["Samsung", "Rebellions"], None), (["Samsung", "Groq"], None)],
        ),
    ],
)
def test_a_gapped_clause_names_its_own_investor_and_amount(extract, text, expected) -> None:
    assert investments(extract(text)) == expected


_ROUND = "Lumina raised $300 million in a Series C led by Kestrel Partners. "


@pytest.mark.parametrize(
    ("text", "backers"),
    [
        (
            _ROUND + "The roster runs on through Orchid Capital, Fidelity, Nordvik Pension "
            "Plan, Harbor Family Office and Coatue.",
            [
                "Orchid Capital",
                "Fidelity",
                "Nordvik Pension Plan",
                "Harbor Family Office",
                "Coatue",
            ],
        ),
        (
            _ROUND + "Also in: Orchid Capital, Fidelity and Coatue, and finally Harbor Family "
            "Office.",
            ["Orchid Capital", "Fidelity", "Coatue", "Harbor Family Office"],
        ),
        (
            _ROUND + "Rounding it out: Tiger Global, Thrive Capital and Brightwater Ventures.",
            ["Tiger Global", "Thrive Capital", "Brightwater Ventures"],
        ),
    ],
)
def test_a_list_of_backers_in_the_next_sentence_joins_the_round(extract, text, backers) -> None:
    claims = extract(text)
    assert [c.parties[0].name for c in claims if c.deal_type == "investment"] == backers
    assert all(c.parties[1].name == "Lumina" for c in claims if c.deal_type == "investment")


@pytest.mark.parametrize(
    "text",
    [
        # customers, not backers
        _ROUND + "Its customers span Meta, Cohere, Reka and Mistral AI.",
        # the list is the subject of other news
        _ROUND + "In March, Orchid Capital, Fidelity and Coatue were seen at a conference.",
        # two names are no roster
        _ROUND + "Spotted at the launch: Orchid Capital and Fidelity.",
        # the round is no longer the topic: a sentence naming a company came between
        _ROUND + "Meta opened an office in Oslo. Orchid Capital, Fidelity and Coatue.",
    ],
)
def test_other_lists_after_a_round_are_no_backers(extract, text) -> None:
    assert [c for c in extract(text) if c.deal_type == "investment"] == []


def test_a_round_whose_leads_are_named_gets_no_new_leads_from_a_later_sentence(extract) -> None:
    text = (
        "Vexa raised $80 million in a round led by Orchid Capital. Next up was Lightmatter. "
        "This one was co-led by Coatue and Fidelity."
    )
    rounds = [[p.name for p in c.parties] for c in extract(text) if c.deal_type == "funding"]
    assert rounds == [["Vexa", "Orchid Capital"], ["Lightmatter", "Coatue", "Fidelity"]]


def test_a_lead_named_later_joins_a_round_without_one(extract) -> None:
    text = "Vexa raised $80 million in a Series A. Orchid Capital led it."
    rounds = [[p.name for p in c.parties] for c in extract(text) if c.deal_type == "funding"]
    assert rounds == [["Vexa", "Orchid Capital"]]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Analysts cited Oracle's letter of intent in May to put up to $5 billion into Cohere.",
            5 * 10**9,
        ),
        ("Samsung put about $300 million into Rebellions last year.", 300_000_000),
        ("Oracle will put another $1 billion into Cohere.", 10**9),
    ],
)
def test_putting_money_into_a_company_is_an_investment(extract, text: str, value: int) -> None:
    found = [(c.parties[1].name, c.value_usd) for c in extract(text) if c.deal_type == "investment"]
    assert len(found) == 1 and found[0][1] == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Vexa secured a further $40 million from Orchid Capital in May.",
            [["Orchid Capital", "Vexa"]],
        ),
        (
            "Cohere received a $500 million strategic investment from Oracle.",
            [["Oracle", "Cohere"]],
        ),
        ("Reka got about $20 million from Samsung last year.", [["Samsung", "Reka"]]),
        # money from a sale, or from customers, is no investment
        ("Cohere received $500 million from a sale of old servers to Oracle.", []),
        ("Cohere received $500 million from customers such as Oracle last year.", []),
    ],
)
def test_money_secured_from_a_named_backer_is_its_investment(extract, text, expected) -> None:
    found = [[p.name for p in c.parties] for c in extract(text) if c.deal_type == "investment"]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "raiser", "backers"),
    [
        (
            "Orchid Capital and Fidelity participated in Vexa's $40 million Series A.",
            "Vexa",
            ["Orchid Capital", "Fidelity"],
        ),
        (
            "Hanil Capital, Mirae Asset Partners and Eugene Securities had committed to the "
            "financing, an extension of Rebellions' Series C, local media reported.",
            "Rebellions",
            ["Hanil Capital", "Mirae Asset Partners", "Eugene Securities"],
        ),
        (
            "Coatue also took part in Lightmatter's latest round.",
            "Lightmatter",
            ["Coatue"],
        ),
    ],
)
def test_backers_taking_part_in_a_named_companys_round(extract, text, raiser, backers) -> None:
    claims = extract(text)
    assert [[p.name for p in c.parties] for c in claims if c.deal_type == "funding"] == [[raiser]]
    found = [c.parties[0].name for c in claims if c.deal_type == "investment"]
    assert found == backers


@pytest.mark.parametrize(
    "text",
    [
        "Orchid Capital declined to take part in any round this year.",
        "Fidelity said it may participate in a future round.",
    ],
)
def test_no_round_without_a_raiser_or_when_only_hypothetical(extract, text) -> None:
    assert extract(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Lambda issued $200 million of its own shares to Cohere in a private placement.",
            [["Cohere", "Lambda"]],
        ),
        (
            "Nebius sold $1 billion of new shares to Nvidia and Accel.",
            [["Nvidia", "Nebius"], ["Accel", "Nebius"]],
        ),
        # selling a holding is no investment in it
        ("SoftBank sold its entire Nvidia stake for $5.8 billion.", []),
        ("Lambda sold old GPUs to Cohere last year.", []),
    ],
)
def test_shares_issued_to_a_buyer_are_its_investment(extract, text, expected) -> None:
    found = [[p.name for p in c.parties] for c in extract(text) if c.deal_type == "investment"]
    assert found == expected


def test_the_country_us_is_no_first_person(extract) -> None:
    text = (
        "Orchid Capital spoke first on the call. Vexa raised $50 million, mostly from US "
        "funds, and the round was led by Harbor Growth Fund."
    )
    rounds = [[p.name for p in c.parties] for c in extract(text) if c.deal_type == "funding"]
    assert rounds == [["Vexa", "Harbor Growth Fund"]]


@pytest.mark.parametrize(
    ("text", "leads", "backers"),
    [
        (
            "Vexa raised $80 million. This one was co-led by Coatue and Fidelity, and Orchid "
            "Capital, who led that last round, put in more money.",
            ["Coatue", "Fidelity"],
            ["Orchid Capital"],
        ),
        (
            "Vexa raised $80 million in a round led by Coatue, which also backs Groq, and "
            "Fidelity.",
            ["Coatue", "Fidelity"],
            [],
        ),
    ],
)
def test_a_relative_clause_about_another_round_adds_no_lead(extract, text, leads, backers) -> None:
    claims = extract(text)
    (funding,) = [c for c in claims if c.deal_type == "funding"]
    assert [p.name for p in funding.parties] == ["Vexa", *leads]
    assert funding.evidence in text  # the sentence as written, not the blanked copy
    assert [c.parties[0].name for c in claims if c.deal_type == "investment"] == backers


def test_a_round_told_inside_a_relative_clause_is_still_read(extract) -> None:
    text = "Coatue, which led Vexa's $80 million Series A, is raising a new fund."
    rounds = [[p.name for p in c.parties] for c in extract(text) if c.deal_type == "funding"]
    assert rounds == [["Vexa", "Coatue"]]


def test_a_headline_and_its_story_give_one_round_with_every_party(extract):
    text = (
        "Lumora raises $80 million to build optical interconnects\n\n"
        "AI chip startup Lumora said it raised $80 million in a Series B round led by "
        "Orchard Capital and Fidelity."
    )
    rounds = [c for c in extract(text) if c.deal_type == "funding"]
    assert [[p.name for p in c.parties] for c in rounds] == [
        ["Lumora", "Orchard Capital", "Fidelity"]
    ]
    assert rounds[0].value_usd == 80_000_000


def test_two_rounds_of_different_sizes_stay_two(extract):
    text = (
        "AI chip startup Lumora raised $20 million in a seed round led by Orchard Capital. "
        "A year later Lumora raised $80 million in a Series A led by Fidelity."
    )
    rounds = [c for c in extract(text) if c.deal_type == "funding"]
    assert sorted(c.value_usd or 0 for c in rounds) == [20_000_000, 80_000_000]


def test_an_unregistered_owner_of_an_investment_is_the_investor(extract) -> None:
    claims = extract("Arvana Capital's $40 million investment in Orvane Systems was its largest.")
    assert [([p.name for p in c.parties], c.value_usd) for c in claims] == [
        (["Arvana Capital", "Orvane Systems"], 40_000_000)
    ]


def test_a_round_owner_read_from_the_text_is_the_registered_company_it_names(extract) -> None:
    """ "an extension of Etched AI's Series B": the name is an alias, so the raiser is the
    registered company, not a second, unregistered one."""
    claims = extract(
        "Orchid Capital and Harbor Ventures committed to the financing, an extension of "
        "Etched AI's Series B."
    )
    assert funding(claims) == ["Etched"]
    assert {c.parties[1].slug for c in claims if c.deal_type == "investment"} == {"etched"}
