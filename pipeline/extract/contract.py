"""The scoring contract: `chipwire extract --json FILE...` prints one object per file.

{"file", "companies": [{"name", "ticker", "mentions"}], "deals": [...], "benchmarks": [...]}
Companies use the registry's canonical names, in order of first appearance.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from chipwire.pipeline.extract.analysis import analyse, tagger


def document_json(nlp: Language, doc: Doc, path: str) -> dict[str, Any]:
    index = tagger(nlp).index
    result = analyse(nlp, doc)
    companies = []
    for mention in result.mentions:
        info = index.companies[mention.slug]
        companies.append({"name": info.name, "ticker": info.symbol, "mentions": mention.count})
    named = {c["name"] for c in companies}
    for deal in result.deals:
        for party in deal.parties:
            if party.slug is None and party.name not in named:
                # Unregistered companies named as parties count as companies (annotation rules).
                companies.append(
                    {"name": party.name, "ticker": None, "mentions": 1, "registered": False}
                )
                named.add(party.name)
    for candidate in result.candidates:
        if candidate.context == "org_word" and candidate.name not in named:
            # A firm named by its organisation word ("Harlow Peak Capital") is a company too.
            companies.append(
                {"name": candidate.name, "ticker": None, "mentions": 1, "registered": False}
            )
            named.add(candidate.name)
    return {
        "file": path,
        "companies": companies,
        "deals": [
            {
                "parties": [party.name for party in deal.parties],
                "type": deal.deal_type,
                "value_usd": deal.value_usd,
                "status": deal.status,
                "evidence": deal.evidence,
            }
            for deal in result.deals
        ],
        "benchmarks": [
            {
                "subject": claim.subject,
                "metric": claim.metric,
                "value": claim.value,
                "unit": claim.unit,
                "model": claim.model,
                "claimant": claim.claimant,
                "evidence": claim.evidence,
            }
            for claim in result.benchmarks
        ],
    }
