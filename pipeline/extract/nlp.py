"""Building the extraction pipeline: spacy.blank("en"), sentences, then chipwire's rules.

No statistical model is needed (none can be downloaded here and third-party
re-uploads are not trusted); the pipeline is a blank English tokenizer plus
rule components whose data comes from the registry and pattern files.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

import pipeline.extract.companies  # noqa: F401 - registers the chipwire_companies factory


def build_nlp(registry_path: Path | None = None, *, fuzzy: bool = True) -> Language:
    """A fresh pipeline; building it compiles every pattern once (about a second)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(
        "chipwire_companies",
        config={"registry_path": str(registry_path) if registry_path else None, "fuzzy": fuzzy},
    )
    return nlp
