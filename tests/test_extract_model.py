"""The optional statistical model: it may add candidates, and is never needed.

No trained model can be downloaded here, so the test saves a small pipeline whose
entity recogniser is an EntityRuler: the hook loads any pipeline the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.extract.analysis import analyse
from chipwire.pipeline.extract.nlp import build_nlp

TEXT = "Vireo Silicon and Groq both spoke at the conference. Nvidia was there too."


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    model = spacy.blank("en")
    ruler = model.add_pipe("entity_ruler")
    ruler.add_patterns(  # type: ignore[attr-defined]
        [
            {"label": "ORG", "pattern": "Vireo Silicon"},
            {"label": "ORG", "pattern": "Groq"},  # registered: not a candidate
            {"label": "PERSON", "pattern": "Nvidia"},  # wrong label: ignored
        ]
    )
    model.to_disk(tmp_path / "model")
    return tmp_path / "model"


def test_default_pipeline_needs_no_model() -> None:
    nlp = build_nlp()
    assert "chipwire_model_orgs" not in nlp.pipe_names
    result = analyse(nlp, nlp(TEXT))
    assert result.candidates == []  # no descriptor, no model: nothing to suggest


def test_model_orgs_become_candidates(model_dir: Path) -> None:
    nlp = build_nlp(model=str(model_dir))
    result = analyse(nlp, nlp(TEXT))
    assert [(c.name, c.context) for c in result.candidates] == [("Vireo Silicon", "ner")]
    assert result.candidates[0].sentence == "Vireo Silicon and Groq both spoke at the conference."
    assert {m.slug for m in result.mentions} == {"groq", "nvidia"}  # mentions stay rule-based


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ChipwireError, match="cannot be loaded"):
        build_nlp(model=str(tmp_path / "no-such-model"))
    empty = spacy.blank("en")
    empty.to_disk(tmp_path / "empty")
    with pytest.raises(ChipwireError, match="no 'ner'"):
        build_nlp(model=str(tmp_path / "empty"))
