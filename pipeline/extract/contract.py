"""The scoring contract: `chipwire extract --json FILE...` prints one object per file.

{"file", "companies": [{"name", "ticker", "mentions"}], "deals": [...], "benchmarks": [...]}
Companies use the registry's canonical names, in order of first appearance.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.benchmarks import extract_benchmarks
from pipeline.extract.companies import CompanyTagger, count_mentions
from pipeline.extract.deals import extract_deals


def _tagger(nlp: Language) -> CompanyTagger:
    return nlp.get_pipe("chipwire_companies")  # type: ignore[return-value]


def document_json(nlp: Language, doc: Doc, path: str) -> dict[str, Any]:
    index = _tagger(nlp).index
    companies = []
    for mention in count_mentions(doc):
        info = index.companies[mention.slug]
        companies.append({"name": info.name, "ticker": info.symbol, "mentions": mention.count})
    deals = extract_deals(doc, index)
    named = {c["name"] for c in companies}
    for deal in deals:
        for party in deal.parties:
            if party.slug is None and party.name not in named:
                # Unregistered companies named as parties count as companies (annotation rules).
                companies.append(
                    {"name": party.name, "ticker": None, "mentions": 1, "registered": False}
                )
                named.add(party.name)
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
            for deal in deals
        ],
        "benchmarks": [
            {
                "subject": claim.subject,
                "metric": claim.metric,
                "value": claim.value,
                "unit": claim.unit,
                "model": claim.model,
                "evidence": claim.evidence,
            }
            for claim in extract_benchmarks(doc, index)
        ],
    }
