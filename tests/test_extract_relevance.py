"""Relevance first: text that is not about the AI-compute market yields no deals or
benchmark claims, though the companies it names are still counted.

The off-topic texts (``fixtures/offtopic``: a monitor review, a car review, a recipe-app
story, a phone launch) were written for these tests; each names registered companies and
states figures the benchmark rules would otherwise read.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from spacy.language import Language

from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.extract.analysis import analyse
from chipwire.pipeline.extract.nlp import build_nlp
from chipwire.pipeline.extract.rules import load_rules
from chipwire.pipeline.extract.rules_schema import PATTERNS_DIR

OFFTOPIC = sorted((Path(__file__).parent / "fixtures" / "offtopic").glob("*.txt"))

MARKET_TEXTS = [
    # vocabulary of the market
    "Groq opened a new data center in Helsinki this week. "
    + "The site is large. " * 20
    + "Groq says its chips now serve 2,000 tokens per second on Llama 3.1 70B.",
    # a unit of the market, no vocabulary
    "Thread: who is fastest? "
    + "Somebody posted numbers again. " * 15
    + "Cerebras - 1,800 t/s and SambaNova - 700 t/s on the same model.",
    # several providers and labs, no vocabulary
    "Together AI and Fireworks AI both won business from Cohere this year. " * 8
    + "Cohere signed a contract with Together AI worth $200 million.",
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


def test_the_fixtures_exist() -> None:
    assert len(OFFTOPIC) == 4


@pytest.mark.parametrize("path", OFFTOPIC, ids=lambda p: p.stem)
def test_off_topic_text_yields_mentions_but_no_deals_or_claims(nlp: Language, path: Path) -> None:
    result = analyse(nlp, nlp(path.read_text(encoding="utf-8")))
    assert result.deals == []
    assert result.benchmarks == []
    assert len(result.mentions) >= 2  # Google, Microsoft... are still counted


@pytest.mark.parametrize("text", MARKET_TEXTS)
def test_market_text_keeps_its_deals_and_claims(nlp: Language, text: str) -> None:
    result = analyse(nlp, nlp(text))
    assert result.deals or result.benchmarks


def test_a_single_sentence_is_too_short_to_judge(nlp: Language) -> None:
    result = analyse(nlp, nlp("Back when AMD bought Xilinx, the deal was valued at $49 billion."))
    assert [c.deal_type for c in result.deals] == ["acquisition"]


def test_the_relevance_rules_are_checked_data(tmp_path: Path) -> None:
    """relevance.json goes through its schema like every rule file: a misspelt key or a
    missing threshold is an error naming the file."""
    patterns = tmp_path / "patterns"
    shutil.copytree(PATTERNS_DIR, patterns)
    spec = json.loads((patterns / "relevance.json").read_text("utf-8"))
    assert load_rules(patterns).relevance.min_words == spec["min_words"]
    spec["min_term"] = spec.pop("min_terms")
    (patterns / "relevance.json").write_text(json.dumps(spec), "utf-8")
    with pytest.raises(ChipwireError, match=r"relevance\.json: "):
        load_rules(patterns)


@pytest.mark.parametrize(
    "text",
    [
        "Its new GPUs ship next month.",
        "Accelerators are sold out.",
        "Demand for Large Language Models keeps rising.",
    ],
)
def test_the_vocabulary_is_matched_whatever_its_case_or_number(text: str) -> None:
    terms = load_rules(PATTERNS_DIR).relevance.terms
    assert terms.search(text.lower()) is not None
