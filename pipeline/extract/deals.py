"""Deals from sentences with a deal trigger: type, parties, value, status.

(Being built: see issue 4.)  Input is a Doc processed by the chipwire pipeline
(``doc.spans["companies"]`` with ``kb_id_`` = registry slug, sentences set).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from pipeline.extract.companies import CompanyIndex


@dataclass
class Party:
    name: str  # registry canonical name, or the name as written when not registered
    slug: str | None  # registry slug; None for an unregistered company
    role: str  # one of models.vocab.DEAL_ROLES


@dataclass
class DealClaim:
    deal_type: str  # one of models.vocab.DEAL_TYPES
    parties: list[Party]  # paying/initiating party first
    status: str  # announced | completed | reported | talks
    evidence: str  # the sentence, exactly as in the text
    value_usd: int | None = None
    value_qualifier: str | None = None  # over | up to | about | None
    value_original: str | None = None
    is_background: bool = False
    year: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


def extract_deals(doc: Doc, index: CompanyIndex) -> list[DealClaim]:
    """Deals stated in the document, one per distinct agreement and component type."""
    return []
