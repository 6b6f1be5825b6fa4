"""Relevance first: is a text about the AI-compute market at all?

A consumer-technology review names Google, Microsoft and Nvidia and states response times
and speed-ups; read with the deal and benchmark rules it would yield "deals" between them
and monitor latencies as Nvidia benchmarks.  Such text still yields company mentions, but
deals and benchmark claims are read only from text that uses the market's vocabulary,
states a figure in one of its units, or names several companies of its core kinds
(``patterns/relevance.json``).
"""

from __future__ import annotations

import itertools
import re

from spacy.tokens import Doc

from chipwire.pipeline.extract.companies import CompanyIndex
from chipwire.pipeline.extract.rules import RelevanceRules, default_rules
from chipwire.pipeline.extract.view import doc_view

_WORD = re.compile(r"\S+")


def about_the_market(doc: Doc, index: CompanyIndex, rules: RelevanceRules | None = None) -> bool:
    rules = rules or default_rules().relevance
    view = doc_view(doc)
    text = view.text
    words = sum(1 for _ in itertools.islice(_WORD.finditer(text), rules.min_words))
    if words < rules.min_words:
        return True  # a headline or a sentence is too short to judge
    core = {
        row.slug
        for row in view.companies
        if (info := index.companies.get(row.slug)) is not None and info.kind in rules.core_kinds
    }
    if len(core) >= rules.min_core_companies:
        return True  # the cheapest test first: the companies are already found
    for count, _ in enumerate(rules.terms.finditer(text.lower()), start=1):
        if count >= rules.min_terms:
            return True
    return rules.units.search(text) is not None
