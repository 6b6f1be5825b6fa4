"""Rule files: validated on load, case sensitivity explicit, compiled into one object."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from spacy.language import Language

from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.extract.analysis import analyse
from chipwire.pipeline.extract.nlp import build_nlp
from chipwire.pipeline.extract.rules import default_rules, load_rules
from chipwire.pipeline.extract.rules_schema import PATTERNS_DIR


@pytest.fixture
def patterns(tmp_path: Path) -> Path:
    """A copy of the bundled rule files to break."""
    return Path(shutil.copytree(PATTERNS_DIR, tmp_path / "patterns"))


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


def _edit_json(path: Path, change: dict) -> None:
    data = json.loads(path.read_text("utf-8"))
    data.update(change)
    path.write_text(json.dumps(data), "utf-8")


def _edit_jsonl_line(path: Path, number: int, change: dict, drop: str | None = None) -> None:
    lines = path.read_text("utf-8").splitlines()
    index = [i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")][
        number - 1
    ]
    row = {**json.loads(lines[index]), **change}
    if drop:
        row.pop(drop)
    lines[index] = json.dumps(row)
    path.write_text("\n".join(lines) + "\n", "utf-8")


def test_a_copy_of_the_bundled_files_compiles_like_the_bundled_set(patterns: Path) -> None:
    mine, bundled = load_rules(patterns), default_rules()
    assert [t.pattern.pattern for t in mine.deal.triggers] == [
        t.pattern.pattern for t in bundled.deal.triggers
    ]
    assert mine.deal.tables == bundled.deal.tables
    assert mine is not bundled


def test_an_unknown_key_in_a_rules_line_names_file_line_and_key(patterns: Path) -> None:
    _edit_jsonl_line(patterns / "deal_triggers.jsonl", 2, {"initator": "right"})
    lines = (patterns / "deal_triggers.jsonl").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "initator" in text)
    with pytest.raises(ChipwireError, match=rf"deal_triggers\.jsonl:{line}: initator: Extra"):
        load_rules(patterns)


def test_case_sensitivity_must_be_stated(patterns: Path) -> None:
    _edit_jsonl_line(patterns / "bench_units.jsonl", 1, {}, drop="case_sensitive")
    with pytest.raises(ChipwireError, match=r"bench_units\.jsonl:\d+: case_sensitive: Field"):
        load_rules(patterns)


def test_a_missing_cue_is_an_error_naming_it(patterns: Path) -> None:
    data = json.loads((patterns / "deal_cues.json").read_text("utf-8"))
    del data["talks"]
    (patterns / "deal_cues.json").write_text(json.dumps(data), "utf-8")
    with pytest.raises(ChipwireError, match=r"deal_cues\.json: talks: Field required"):
        load_rules(patterns)


def test_a_deal_type_outside_the_vocabulary_is_refused(patterns: Path) -> None:
    _edit_jsonl_line(patterns / "deal_triggers.jsonl", 1, {"type": "merger"})
    with pytest.raises(ChipwireError, match=r"deal_triggers\.jsonl:\d+: type: Input should be"):
        load_rules(patterns)


def test_tables_are_data_and_checked(patterns: Path) -> None:
    _edit_json(patterns / "deal_tables.json", {"skip_window": 0})
    with pytest.raises(ChipwireError, match=r"deal_tables\.json: skip_window: Input should be"):
        load_rules(patterns)


def test_a_cue_compiles_with_the_case_it_states(patterns: Path) -> None:
    data = json.loads((patterns / "deal_cues.json").read_text("utf-8"))
    data["talks"]["case_sensitive"] = True
    (patterns / "deal_cues.json").write_text(json.dumps(data), "utf-8")
    rules = load_rules(patterns)
    assert not rules.deal.cues["talks"].flags & re.IGNORECASE
    assert "talks" not in rules.deal.folded_cues  # never run on lowercased text
    assert default_rules().deal.cues["talks"].flags & re.IGNORECASE


def test_the_named_outlet_cue_is_case_sensitive() -> None:
    cue = default_rules().deal.cues["reported_by_name"]
    assert cue.search("Nikkei Asia reported the order on Monday")
    assert cue.search("As Data Center Dynamics first reported, the lease is signed")
    assert not cue.search("financial terms were never reported")
    assert not cue.search("the figure has not been reported anywhere")


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Oracle agreed to buy 4,000 GPUs from Nvidia; the price was never reported.", "announced"),
        (
            "Oracle signed a supply agreement with AMD for MI450 accelerators, Nikkei Asia "
            "reported.",
            "reported",
        ),
        (
            "AMD will supply Oracle with MI450 racks under a deal whose size was not reported.",
            "announced",
        ),
    ],
)
def test_only_a_named_source_makes_a_deal_reported(
    nlp: Language, sentence: str, status: str
) -> None:
    deals = analyse(nlp, nlp(sentence)).deals
    assert [d.status for d in deals] == [status]


def test_a_word_list_entry_that_is_not_one_capitalised_word_names_its_line(
    patterns: Path,
) -> None:
    path = patterns / "given_names.txt"
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join([*lines, "mary ann"]) + "\n", "utf-8")
    with pytest.raises(ChipwireError, match=rf"given_names\.txt:{len(lines) + 1}: 'mary ann'"):
        load_rules(patterns)


def test_descriptor_phrases_are_read_with_the_other_rule_files(patterns: Path) -> None:
    """candidate_descriptors.txt is part of the compiled rules: a bad line is a load error
    naming its line, and a copy with an extra phrase compiles into the rules object."""
    path = patterns / "candidate_descriptors.txt"
    path.write_text(path.read_text("utf-8") + "photonics house\n", "utf-8")
    assert ("photonics", "house") in load_rules(patterns).deal.descriptors
    path.write_text(path.read_text("utf-8") + "Chip Startup\n", "utf-8")
    with pytest.raises(ChipwireError, match=r"candidate_descriptors\.txt:\d+: 'Chip Startup'"):
        load_rules(patterns)
