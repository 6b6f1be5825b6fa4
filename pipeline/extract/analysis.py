"""One document in, everything chipwire extracts from it out.

The meeting point of the rule modules, kept apart from both callers (the store
writer in ``run`` and the worker processes in ``workers``) so neither has to
import the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from chipwire.pipeline.extract.bench_parts import BenchmarkClaim
from chipwire.pipeline.extract.benchmarks import extract_benchmarks
from chipwire.pipeline.extract.bought import fold_benchmarks, fold_deals, fold_mentions, kept_names
from chipwire.pipeline.extract.candidates import Candidate, find_candidates
from chipwire.pipeline.extract.companies import CompanyTagger, MentionCount, count_mentions
from chipwire.pipeline.extract.consolidate import merge_claims
from chipwire.pipeline.extract.deal_parts import DealClaim
from chipwire.pipeline.extract.deals import extract_deals
from chipwire.pipeline.extract.relevance import about_the_market
from chipwire.pipeline.extract.view import drop_view


@dataclass
class ArticleExtraction:
    mentions: list[MentionCount]
    deals: list[DealClaim]
    benchmarks: list[BenchmarkClaim]
    candidates: list[Candidate]


def analyse(nlp: Language, doc: Doc, title: str | None = None) -> ArticleExtraction:
    """Everything chipwire extracts from one processed document: deals and benchmark
    claims only from text about the AI-compute market (``relevance``).

    The rule modules share a cached view of the Doc kept in ``doc.user_data``; it is
    dropped afterwards so the Doc stays serialisable (``Doc.to_bytes``) and small.
    """
    index = tagger(nlp).index
    try:
        relevant = about_the_market(doc, index)
        deals = extract_deals(doc, index) if relevant else []
        # a bought company keeps its name only where the document tells of buying it
        kept = kept_names(deals, index)
        deals, folded = fold_deals(deals, index, kept)
        return ArticleExtraction(
            mentions=fold_mentions(count_mentions(doc, title), index, kept),
            deals=merge_claims(deals) if folded else deals,
            benchmarks=fold_benchmarks(
                extract_benchmarks(doc, index) if relevant else [], index, kept
            ),
            candidates=find_candidates(doc),
        )
    finally:
        drop_view(doc)


def tagger(nlp: Language) -> CompanyTagger:
    return nlp.get_pipe("chipwire_companies")  # type: ignore[return-value]
