"""Over-long sentences are cut into bounded windows; ordinary sentences are left alone."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.extract.analysis import analyse
from chipwire.pipeline.extract.nlp import build_nlp
from chipwire.pipeline.extract.windows import WINDOWS_FILE, load_window_rules

RULES = load_window_rules()
FILLER_TEXT = (
    "we were talking about racks and cooling and the whole supply picture for data centers "
    "in general and what people expect from the next generation of parts over the year"
)
FILLER = FILLER_TEXT.split(" ")


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


def rambling(words: int, seed: int = 3, every: int = 0, joiner: str = "") -> str:
    """Speech without full stops; ``joiner`` every ``every`` words when given."""
    rng = random.Random(seed)  # noqa: S311 - reproducible filler, not secrets
    out = []
    for i in range(words):
        if every and i and i % every == 0:
            out.append(joiner)
        out.append(rng.choice(FILLER))
    return " ".join(out)


def test_an_unpunctuated_transcript_becomes_windows_that_tile_it(nlp: Language) -> None:
    doc = nlp(rambling(3000))
    sentences = list(doc.sents)
    assert len(sentences) >= 3000 // RULES.max_tokens
    assert max(len(sent) for sent in sentences) <= RULES.max_tokens
    assert sentences[0].start == 0 and sentences[-1].end == len(doc)
    assert all(a.end == b.start for a, b in itertools.pairwise(sentences))


def test_a_window_ends_after_a_comma_when_its_second_half_has_one(nlp: Language) -> None:
    doc = nlp(rambling(2000, every=70, joiner="then,"))
    cuts = [sent.start for sent in doc.sents][1:]
    assert cuts
    assert all(doc[cut - 1].text == "," for cut in cuts)
    assert min(len(sent) for sent in list(doc.sents)[:-1]) >= RULES.min_tokens


def test_spoken_clause_openers_are_preferred_cut_points(nlp: Language) -> None:
    doc = nlp(rambling(1500, every=90, joiner="so"))
    cuts = [sent.start for sent in doc.sents][1:]
    assert cuts
    assert all(doc[cut].lower_ == "so" for cut in cuts)


def test_without_any_break_a_window_is_cut_at_the_bound(nlp: Language) -> None:
    doc = nlp(" ".join(["wafer"] * (RULES.max_tokens * 3 + 7)))
    assert [len(sent) for sent in doc.sents] == [RULES.max_tokens] * 3 + [7]


def test_punctuated_text_keeps_the_sentencizers_sentences(nlp: Language) -> None:
    text = (
        "The startup said its second-generation accelerator ships in March. Customers in "
        "three regions have placed orders, according to the company; the first racks went "
        "to a cloud provider in Oregon. A long sentence with many clauses, commas, asides "
        "and a list of seven or eight items, still well below the bound, is kept whole."
    )
    plain = spacy.blank("en")
    plain.add_pipe("sentencizer")
    expected = [sent.text for sent in plain(text).sents]
    assert [sent.text for sent in nlp(text).sents] == expected


def test_a_claim_inside_a_long_transcript_is_still_found(nlp: Language) -> None:
    claim = (
        "and the number everyone quoted was Cerebras running Llama 3.1 70B at 2100 tokens "
        "per second which"
    )
    text = f"{rambling(1200, seed=5)} {claim} {rambling(1200, seed=6)}"
    result = analyse(nlp, nlp(text))
    found = {(c.subject, c.metric, c.value) for c in result.benchmarks}
    assert ("Cerebras", "tokens_per_second", 2100) in found


def test_window_rules_refuse_unknown_keys_naming_the_file(tmp_path: Path) -> None:
    data = json.loads(WINDOWS_FILE.read_text("utf-8"))
    path = tmp_path / "windows.json"
    path.write_text(json.dumps({**data, "max_token": 50}), "utf-8")
    with pytest.raises(ChipwireError, match=r"windows\.json: max_token: Extra inputs are not"):
        load_window_rules(path)


def test_window_rules_need_a_soft_cut_range_below_the_bound(tmp_path: Path) -> None:
    data = json.loads(WINDOWS_FILE.read_text("utf-8"))
    path = tmp_path / "windows.json"
    path.write_text(json.dumps({**data, "min_tokens": data["max_tokens"]}), "utf-8")
    with pytest.raises(ChipwireError, match="min_tokens must be below max_tokens"):
        load_window_rules(path)
