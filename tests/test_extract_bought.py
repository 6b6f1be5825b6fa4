"""Bought companies: filed under their parent, except in the story of buying them.

Sentences written for these tests, with the bundled registry's bought companies
(Paperspace → DigitalOcean, Habana Labs → Intel, Xilinx → AMD).
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from chipwire.pipeline.extract.analysis import ArticleExtraction, analyse, tagger
from chipwire.pipeline.extract.nlp import build_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


def run(nlp: Language, text: str) -> ArticleExtraction:
    return analyse(nlp, nlp(text))


def deals(result: ArticleExtraction) -> list[tuple[str, list[str]]]:
    return [(d.deal_type, [p.name for p in d.parties]) for d in result.deals]


def companies(nlp: Language, result: ArticleExtraction) -> dict[str, int]:
    index = tagger(nlp).index
    return {index.companies[m.slug].name: m.count for m in result.mentions}


def test_a_bought_company_named_in_passing_stands_for_its_parent(nlp: Language) -> None:
    result = run(nlp, "Groq is partnering with Paperspace on developer tools.")
    assert deals(result) == [("partnership", ["Groq", "DigitalOcean"])]
    assert companies(nlp, result) == {"Groq": 1, "DigitalOcean": 1}


def test_its_mentions_add_to_the_parents(nlp: Language) -> None:
    result = run(
        nlp, "DigitalOcean said Paperspace would add Groq racks. Groq will supply Paperspace."
    )
    assert companies(nlp, result) == {"DigitalOcean": 3, "Groq": 2}


@pytest.mark.parametrize(
    "text",
    [
        # bought by a company other than the registry's parent: not "Celestica bought DigitalOcean"
        "Celestica agreed to acquire Paperspace for $300 million, the companies said.",
        # bought by the parent: not "DigitalOcean bought DigitalOcean"
        "DigitalOcean completed its $111 million purchase of GPU cloud provider Paperspace.",
    ],
)
def test_the_target_of_an_acquisition_keeps_its_own_name(nlp: Language, text: str) -> None:
    result = run(nlp, text)
    ((kind, parties),) = deals(result)
    assert kind == "acquisition" and parties[1] == "Paperspace"
    assert "Paperspace" in companies(nlp, result)


def test_once_bought_in_the_document_it_keeps_its_name_throughout(nlp: Language) -> None:
    result = run(
        nlp,
        "DigitalOcean closed its purchase of Paperspace in July. Paperspace has since signed "
        "a partnership with Groq to host inference.",
    )
    assert deals(result) == [
        ("acquisition", ["DigitalOcean", "Paperspace"]),
        ("partnership", ["Paperspace", "Groq"]),
    ]
    assert companies(nlp, result) == {"DigitalOcean": 1, "Paperspace": 2, "Groq": 1}


def test_a_deal_between_a_parent_and_its_own_unit_is_no_deal(nlp: Language) -> None:
    result = run(nlp, "Intel signed a partnership with Habana Labs on Gaudi software.")
    assert deals(result) == []
    assert companies(nlp, result) == {"Intel": 2}


def test_a_figure_about_a_bought_company_is_about_its_parents_hardware(nlp: Language) -> None:
    result = run(
        nlp,
        "Habana Labs says its Gaudi 3 accelerator runs Llama 3.1 8B at 1,500 tokens per second.",
    )
    assert [(c.subject, c.value) for c in result.benchmarks] == [("Intel", 1500.0)]


def test_folding_keeps_one_record_of_a_figure_given_for_both(nlp: Language) -> None:
    result = run(
        nlp,
        "Xilinx says its Versal chip is 2x faster than a CPU. AMD says its Versal chip is 2x "
        "faster than a CPU.",
    )
    assert [(c.subject, c.metric, c.value) for c in result.benchmarks] == [("AMD", "speedup", 2.0)]
