"""The flat document view must agree with spaCy's own Doc, Span and sentence objects."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from spacy.language import Language

from chipwire.pipeline.extract.nlp import build_nlp
from chipwire.pipeline.extract.view import doc_view


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "one",
        "Groq raised $750 million.\n\nNvidia licensed Groq's LPU technology!  Then what?",
        "  leading space. Trailing spaces.   \n\n\n",
        "no sentence break at all " * 40,
        "Cerebras\u00a0Systems ships WSE-3\u200f wafers. ＴＰＵ v7 Ironwood\tfrom Google.",
    ],
)
def test_view_matches_doc(nlp: Language, text: str) -> None:
    doc = nlp(text)
    view = doc_view(doc)
    assert view.text == doc.text == text
    assert view.sentences == [(s.start_char, s.end_char) for s in doc.sents]
    companies = [(s.start_char, s.end_char, s.kb_id_, s.text) for s in doc.spans["companies"]]
    assert [(r.start, r.end, r.slug, r.text) for r in view.companies] == sorted(companies)
    assert [t.lower_ for t in doc] == [doc.vocab.strings[int(h)] for h in view.lowers]
    for start, end in view.sentences:
        assert view.sentence_at(start) == (start, end)
    assert doc_view(doc) is view  # built once per document


def test_view_rows_name_companies_and_products(nlp: Language) -> None:
    view = doc_view(nlp("Meta will rent Google's TPU capacity, and Groq's LPU too."))
    assert [r.slug for r in view.companies] == ["meta", "google", "groq"]
    assert [(r.slug, r.family) for r in view.products] == [("google", "TPU"), ("groq", "LPU")]
    assert view.taken_tokens() >= {0, 3, 5}


def test_analysed_doc_stays_serialisable(nlp: Language) -> None:
    from chipwire.pipeline.extract.analysis import analyse

    doc = nlp("Groq said its LPU serves Llama 3 70B at 300 tokens per second.")
    assert analyse(nlp, doc).benchmarks
    restored = type(doc)(nlp.vocab).from_bytes(doc.to_bytes())
    assert restored.text == doc.text


def test_building_a_pipeline_compiles_every_rule_file() -> None:
    """In a fresh interpreter (the rule caches are per process and shared by the tests)."""
    probe = (
        "import json\n"
        "from chipwire.pipeline.extract import candidates, rules, scan\n"
        "from chipwire.pipeline.extract.nlp import build_nlp\n"
        "caches = [rules.default_rules,\n"
        "    candidates.descriptor_index, scan.rule_scan, scan.trigger_selector,\n"
        "    scan.unit_selector, scan.multiplier_selector, scan.skip_selector,\n"
        "    scan.model_selector]\n"
        "before = [c.cache_info().currsize for c in caches]\n"
        "build_nlp()\n"
        "print(json.dumps([before, [c.cache_info().currsize for c in caches]]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    before, after = json.loads(result.stdout)
    assert before == [0] * len(before) and after == [1] * len(after)
