"""Optional: organisations found by an installed statistical spaCy pipeline.

chipwire's extraction is rule-based and needs no model.  A user who has a trained
pipeline installed (``en_core_web_sm`` from their own mirror, or a directory
saved with ``nlp.to_disk``) can name it in ``spacy_model``; its ORG entities
that the registry does not know then become unknown-organisation candidates
(context "ner"), next to the rule-based ones.  It only adds candidates: company
mentions, deals and benchmark claims stay rule-based, so results do not depend
on which model is installed.
"""

from __future__ import annotations

from collections.abc import Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from chipwire.pipeline.errors import ChipwireError, first_line
from chipwire.pipeline.extract.candidates import SPANS_KEY
from chipwire.pipeline.extract.view import TEXT_KEY


class ModelOrgs:
    """spaCy component: ``doc.spans["model_orgs"]`` from another pipeline's entities."""

    def __init__(self, model: str, labels: Iterable[str]) -> None:
        try:
            self.model = spacy.load(model)
        except (OSError, ValueError) as exc:
            raise ChipwireError(
                f"spaCy model {model!r} cannot be loaded (install it, or give the path of a "
                f"pipeline saved with nlp.to_disk): {first_line(exc)}"
            ) from exc
        if not any(name in self.model.pipe_names for name in ("ner", "entity_ruler")):
            raise ChipwireError(f"spaCy model {model!r} has no 'ner' or 'entity_ruler' component")
        self.labels = frozenset(labels)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.user_data.get(TEXT_KEY)
        other = self.model(text if isinstance(text, str) else doc.text)
        spans = []
        for ent in other.ents:
            if ent.label_ not in self.labels:
                continue
            span = doc.char_span(ent.start_char, ent.end_char, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPANS_KEY] = spans
        return doc


@Language.factory("chipwire_model_orgs", default_config={"model": "", "labels": ["ORG"]})
def make_model_orgs(nlp: Language, name: str, model: str, labels: list[str]) -> ModelOrgs:
    return ModelOrgs(model, labels)
