"""Company mentions: registry names to canonical companies, robust to case and traps."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from spacy.language import Language
from typer.testing import CliRunner

from chipwire.pipeline.cli import app
from chipwire.pipeline.extract.analysis import analyse
from chipwire.pipeline.extract.companies import count_mentions
from chipwire.pipeline.extract.nlp import build_nlp, clip
from tests.conftest import write


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


def names(nlp: Language, text: str) -> list[str]:
    tagger = nlp.get_pipe("chipwire_companies")
    return [tagger.index.companies[m.slug].name for m in count_mentions(nlp(text))]


def test_aliases_legal_names_and_possessives_map_to_canonical(nlp: Language) -> None:
    text = (
        "NVIDIA Corporation's shares rose. Cerebras Systems Inc. and AWS signed a deal; "
        "Amazon Web Services will host it. Nvidia's CEO spoke."
    )
    assert names(nlp, text) == ["Nvidia", "Cerebras", "Amazon"]


def test_counts_and_order_of_first_appearance(nlp: Language) -> None:
    mentions = count_mentions(nlp("Groq beat Nvidia. Groq again, and GROQ once more."))
    tagger = nlp.get_pipe("chipwire_companies")
    assert [(tagger.index.companies[m.slug].name, m.count) for m in mentions] == [
        ("Groq", 3),
        ("Nvidia", 1),
    ]
    assert mentions[0].relevance > mentions[1].relevance


def test_groq_is_not_grok(nlp: Language) -> None:
    assert names(nlp, "xAI's Grok model answered, while Groq served Llama.") == ["xAI", "Groq"]
    assert names(nlp, "The Grok chatbot is popular.") == []


def test_case_sensitive_names_need_their_casing(nlp: Language) -> None:
    assert names(nlp, "The company is an arm of the state; it etched logos on glass.") == []
    assert names(nlp, "SoftBank-owned Arm licensed the design to Etched.") == [
        "SoftBank",
        "Arm",
        "Etched",
    ]


def test_names_inside_other_words_do_not_count(nlp: Language) -> None:
    text = "Pineapple growers use artificial intelligence; Intelligent Systems is a bakery."
    assert names(nlp, text) == []


def test_products_do_not_add_their_maker(nlp: Language) -> None:
    doc = nlp("Anthropic trains on Trainium and serves from TPU pods and Blackwell racks.")
    tagger = nlp.get_pipe("chipwire_companies")
    assert [tagger.index.companies[m.slug].name for m in count_mentions(doc)] == ["Anthropic"]
    products = {(span.text, span.kb_id_, span.id_) for span in doc.spans["products"]}
    assert ("Trainium", "amazon", "Trainium") in products
    assert ("TPU", "google", "TPU") in products


def test_transcript_misspellings_are_matched_but_prose_is_not(nlp: Language) -> None:
    assert "Groq" in names(nlp, "so the Grock chips are fast and the Cerebrus wafer is huge")
    assert "Cerebras" in names(nlp, "so the Grock chips are fast and the Cerebrus wafer is huge")
    # Ordinary capitalised words near a registry name are not fuzzy-matched into companies.
    assert names(nlp, "We visited Micronesia and Amazonia. Nvidiaesque designs abound.") == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "word " * 200_000,  # a megabyte of text
        "Nvidia " + "and Groq " * 5000,  # no sentence breaks
        "Nvidia und Deutsche Telekom erweitern das KI-Rechenzentrum in München.",
        "Nvidia\u00a0and\u200fGroq \u202bAMD\u202c ＡＭＤ １２３ tokens",
    ],
    ids=["empty", "blank", "megabyte", "no-breaks", "german", "odd-unicode"],
)
def test_bad_input_does_not_crash(nlp: Language, text: str) -> None:
    result = analyse(nlp, nlp(text))  # the full extraction: mentions, deals, claims, candidates
    assert all(m.count >= 1 for m in result.mentions)
    for deal in result.deals:
        assert deal.evidence in text


def test_extract_json_contract(tmp_path) -> None:
    first = write(tmp_path / "a.txt", "Groq and Nvidia signed a licensing deal.")
    second = write(tmp_path / "b.txt", "Nothing relevant here.")
    result = subprocess.run(
        [sys.executable, "-m", "chipwire.pipeline", "extract", "--json", str(first), str(second)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(first), str(second)]
    assert [c["name"] for c in lines[0]["companies"]] == ["Groq", "Nvidia"]
    assert lines[0]["companies"][1]["ticker"] == "NVDA"
    assert lines[1]["companies"] == []
    assert set(lines[0]) == {"file", "companies", "deals", "benchmarks"}


def test_unregistered_organisations_after_descriptors_are_candidates(nlp: Language) -> None:
    from chipwire.pipeline.extract.candidates import find_candidates

    doc = nlp(
        "AI chip startup Vireo Silicon raised $40 million. The chip designer Nvidia grew. "
        "The company said little; a rival did too."
    )
    found = find_candidates(doc)
    assert [c.name for c in found] == ["Vireo Silicon"]
    assert found[0].sentence == "AI chip startup Vireo Silicon raised $40 million."


def test_text_beyond_the_limit_is_cut_at_a_space() -> None:
    text = "Groq serves models. " * 10
    cut, was_cut = clip(text, limit=50)
    assert was_cut and len(cut) <= 50 and text.startswith(cut)
    assert text[len(cut)] == " "  # no word is split
    assert clip(text, limit=1000) == (text, False)


def test_extract_json_reads_a_long_file_with_a_warning(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("chipwire.pipeline.extract.nlp.MAX_TEXT_CHARS", 60)
    path = write(tmp_path / "long.txt", "Groq and Nvidia met. " * 10 + "Cerebras came late.")
    result = CliRunner().invoke(app, ["extract", "--json", str(path)])
    assert result.exit_code == 0, result.output
    assert f"warning: {path}: only its first" in result.stderr
    companies = json.loads(result.stdout)["companies"]
    assert {c["name"] for c in companies} == {"Groq", "Nvidia"}  # Cerebras lies beyond the cut


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name fused to a version by a hyphen is a model: it implies nothing of its maker
        ("We served DeepSeek-R1 and DeepSeek-V3.1 on Groq hardware.", ["Groq"]),
        ("Mistral-7B still runs on Cerebras systems.", ["Cerebras"]),
        # the company itself, named beside its model or with a hyphenated adjective
        ("DeepSeek released R1 in January.", ["DeepSeek"]),
        (
            "Samsung-backed Rebellions grew, and so did Nvidia-powered clouds.",
            ["Samsung", "Rebellions", "Nvidia"],
        ),
    ],
)
def test_model_names_built_on_a_lab_name_are_no_mention(
    nlp: Language, text: str, expected: list[str]
) -> None:
    assert names(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a one-word name that is also a function word names the company mid-sentence only
        ("Together, the two firms serve most of the market.", []),
        ("This autumn Together published new speed results.", ["Together AI"]),
        # names that are ordinary words but no function words keep their sentence-initial use
        ("Modular raised money last year.", ["Modular"]),
        ("Etched builds one chip for transformers.", ["Etched"]),
    ],
)
def test_a_function_word_name_at_the_start_of_a_sentence_is_no_mention(
    nlp: Language, text: str, expected: list[str]
) -> None:
    assert names(nlp, text) == expected
