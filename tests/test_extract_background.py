"""Deals told in passing are background, with their year when the text gives one.

Sentences written for these tests (error class 6 of issue 10, and the background flags):
speech-style asides ("back when X bought Y", "years ago"), the year read through fillers
("back in like 2019"), the value stated later in the same sentence, and hard negatives:
news of a deal made now.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from chipwire.pipeline.extract.analysis import analyse
from chipwire.pipeline.extract.nlp import build_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


def deals(nlp: Language, text: str) -> list[tuple]:
    return [
        (d.deal_type, [p.name for p in d.parties], d.is_background, d.year, d.value_usd)
        for d in analyse(nlp, nlp(text)).deals
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Back when AMD bought Xilinx, the deal was valued at $49 billion.",
            ("acquisition", ["AMD", "Xilinx"], True, None, 49_000_000_000),
        ),
        (
            "Years ago Nvidia acquired Mellanox for $6.9 billion.",
            ("acquisition", ["Nvidia", "Mellanox"], True, None, 6_900_000_000),
        ),
        (
            "so yeah back in like 2019 Intel bought Habana for two billion dollars and then "
            "nothing much happened",
            ("acquisition", ["Intel", "Habana Labs"], True, 2019, 2_000_000_000),
        ),
        (
            "AMD, which bought Xilinx in 2022, now sells FPGAs to data centers.",
            ("acquisition", ["AMD", "Xilinx"], True, 2022, None),
        ),
    ],
)
def test_deals_told_in_passing_are_background(nlp: Language, text: str, expected) -> None:
    assert deals(nlp, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Nvidia agreed to acquire Groq for $20 billion, the companies said on Monday.",
        "Marvell bought Kato Devices, and the deal was worth $1.3 billion.",
    ],
)
def test_news_of_a_deal_is_not_background(nlp: Language, text: str) -> None:
    assert [d[2] for d in deals(nlp, text)] == [False]


def test_a_value_stated_later_in_the_sentence_is_the_deals(nlp: Language) -> None:
    (deal,) = deals(nlp, "Marvell bought Kato Devices, and the deal was worth $1.3 billion.")
    assert deal[4] == 1_300_000_000
