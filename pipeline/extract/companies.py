"""Company and product mentions: registry names → canonical companies on a spaCy Doc.

The patterns are generated from the registry when the pipeline is built (never
written as Python literals): every name and alias becomes a phrase pattern,
matched case-insensitively unless the registry marks it case-sensitive (Arm,
Etched, Apple); products (TPU, LPU, Trainium...) are matched with their exact
casing and point at their maker without counting as a mention of it (the
annotation rules: a product implies nothing by itself).

Transcripts misspell names ("Grock", "Cerebrus"): a capitalised word that is no
known name but is within a small edit distance of a distinctive registry name
counts as that company.  The fuzzy step is confined to capitalised, non-initial,
non-dictionary-looking tokens so ordinary prose cannot invent companies.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from spacy.attrs import IS_ALPHA, IS_LOWER, IS_UPPER, LENGTH, ORTH, SENT_START  # type: ignore[attr-defined]
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from chipwire.pipeline.extract.view import doc_text, doc_view
from chipwire.pipeline.registry import CompanyEntry, Registry, load_registry, name_key

COMPANY = "COMPANY"
PRODUCT = "PRODUCT"
FUZZY_MIN_LENGTH = 5
FUZZY_MIN_SCORE = 87.0
FUZZY_MAX_LENGTH_GAP = 1  # a misspelling keeps the name's length: Amazonia is not Amazon
FUZZY_CACHE_SIZE = 200_000  # words whose fuzzy answer is remembered
_MISSING = object()
# How much a mention in the title / first paragraph counts toward relevance.
LEAD_CHARS = 400


@dataclass(frozen=True)
class CompanyInfo:
    slug: str
    name: str
    symbol: str | None
    kind: str
    parent: str | None = None  # slug of the company that bought this one


@dataclass
class CompanyIndex:
    """What the tagger knows about each company, by slug."""

    companies: dict[str, CompanyInfo] = field(default_factory=dict)
    product_family: dict[str, tuple[str, str]] = field(default_factory=dict)  # key→(slug, family)

    @classmethod
    def from_registry(cls, registry: Registry) -> CompanyIndex:
        index = cls()
        for entry in registry.companies:
            index.companies[entry.slug] = CompanyInfo(
                entry.slug, entry.name, entry.symbol, entry.kind, entry.parent
            )
            for product in entry.products:
                for surface in product.names:
                    index.product_family[name_key(surface)] = (entry.slug, product.name)
        return index


_SOUNDS = (("ph", "f"), ("ck", "k"), ("q", "k"), ("c", "k"), ("z", "s"), ("y", "i"))


def sound_key(word: str) -> str:
    """A rough phonetic key: speech recognisers spell names by sound (Grock, Cerebrus)."""
    key = word.lower()
    for old, new in _SOUNDS:
        key = key.replace(old, new)
    collapsed = [ch for i, ch in enumerate(key) if ch.isalpha() and (i == 0 or ch != key[i - 1])]
    return "".join(collapsed)


def _fuzzy_targets(registry: Registry) -> dict[str, str]:
    """Phonetic keys of single-word, distinctive names (no dictionary words) → slug."""
    targets: dict[str, str] = {}
    for entry in registry.companies:
        for surface in entry.names:
            if " " in surface or len(surface) < 4 or surface in entry.case_sensitive:
                continue
            if not surface[0].isupper() or surface.isupper() or not surface.isalpha():
                continue
            targets[sound_key(surface)] = entry.slug
    return targets


def _ordinary_opener(doc: Doc, start: int, end: int) -> bool:
    """ "Together, they ...": a one-word name that is also a function word ("Together") says
    nothing by its capital at the start of a sentence; mid-sentence it names the company."""
    token = doc[start]
    return end - start == 1 and bool(token.is_sent_start) and token.lower_ in STOP_WORDS


# "DeepSeek-R1", "Mistral-7B": a name fused to a version by a hyphen is a model's name,
# and a product implies nothing about its maker (annotation rules).
_VERSION_SUFFIX = re.compile(r"-[A-Za-z]{0,3}\d[\w.]*\b")


def _versioned(text: str, span: Span) -> bool:
    return _VERSION_SUFFIX.match(text, span.end_char) is not None


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")


def split_camel_case(name: str) -> str | None:
    """ "CoreWeave" -> "Core Weave", "OpenAI" -> "Open AI"; None for names that are not one
    capitalised word with capitals inside, or whose halves would be single letters."""
    if " " in name or not name[:1].isupper():
        return None
    parts = _CAMEL_BOUNDARY.split(name)
    if len(parts) < 2 or any(len(part) < 2 for part in parts):
        return None
    return " ".join(parts)


class CompanyTagger:
    """spaCy component: sets ``doc.spans["companies"]`` and ``doc.spans["products"]``.

    Span ``label_`` is COMPANY or PRODUCT, ``kb_id_`` the company slug; a product
    span's ``id_`` is its family ("Ironwood" → TPU).
    """

    def __init__(self, nlp: Language, registry: Registry, fuzzy: bool = True) -> None:
        self.index = CompanyIndex.from_registry(registry)
        self.loose = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.products = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.known_lower: set[str] = set()
        self.fuzzy_targets = _fuzzy_targets(registry) if fuzzy else {}
        # (ORTH hash, sentence-initial) -> slug or None: a word's answer never changes
        self._fuzzy_cache: dict[tuple[int, bool], object] = {}
        self._by_length: dict[int, list[str]] = {}
        for entry in registry.companies:
            self._add_company(nlp, entry)
        for entry in registry.companies:
            for product in entry.products:
                for surface in product.names:
                    doc = nlp.make_doc(surface)
                    self.known_lower.update(token.lower_ for token in doc)
                    self.products.add(f"{entry.slug}|{product.name}", [doc])

    def _add_company(self, nlp: Language, entry: CompanyEntry) -> None:
        for surface in entry.names:
            doc = nlp.make_doc(surface)
            self.known_lower.update(token.lower_ for token in doc)
            if surface in entry.case_sensitive:
                self.exact.add(entry.slug, [doc])
            else:
                self.loose.add(entry.slug, [doc])
            split = split_camel_case(surface)
            if split is not None:
                # Speech-to-text writes "CoreWeave" as "Core Weave": the capitalised halves
                # together name the company (case-sensitive, so "open AI models" does not).
                self.exact.add(entry.slug, [nlp.make_doc(split)])

    def __call__(self, doc: Doc) -> Doc:
        vocab = doc.vocab.strings
        spans: list[Span] = []
        for matcher in (self.loose, self.exact):
            for match_id, start, end in matcher(doc):
                if matcher is self.exact and _ordinary_opener(doc, start, end):
                    continue
                slug = vocab[match_id]
                spans.append(Span(doc, start, end, label=COMPANY, kb_id=slug))
        spans.extend(self._fuzzy(doc, spans))
        products: list[Span] = []
        for match_id, start, end in self.products(doc):
            slug, family = vocab[match_id].split("|", 1)
            products.append(Span(doc, start, end, label=PRODUCT, kb_id=slug, span_id=family))
        text = doc_text(doc)  # read once: the view is built after the spans are set
        companies = [span for span in filter_spans(spans) if not _versioned(text, span)]
        taken = {i for span in companies for i in range(span.start, span.end)}
        doc.spans["companies"] = companies
        doc.spans["products"] = [
            span
            for span in filter_spans(products)
            if not any(i in taken for i in range(span.start, span.end))
        ]
        return doc

    def _fuzzy(self, doc: Doc, found: list[Span]) -> list[Span]:
        """Misspelled names: same sound as a registry name, or (long words) nearly so.

        Only capitalised, mixed-case alphabetic words of four letters or more can be
        misspelled names; numpy picks them out of the token attributes, so ordinary
        lowercase prose never reaches Python code.
        """
        if not self.fuzzy_targets or not len(doc):
            return []
        attrs = doc.to_array([LENGTH, IS_ALPHA, IS_LOWER, IS_UPPER, SENT_START, ORTH])
        mask = (attrs[:, 0] >= 4) & (attrs[:, 1] == 1) & (attrs[:, 2] == 0) & (attrs[:, 3] == 0)
        for span in found:
            mask[span.start : span.end] = False
        where = np.flatnonzero(mask)
        orths = attrs[where, 5].tolist()
        starts = (attrs[where, 4] == 1).tolist()
        strings = doc.vocab.strings
        cache = self._fuzzy_cache
        spans = []
        for i, orth, sentence_start in zip(where.tolist(), orths, starts, strict=True):
            slug = cache.get((orth, sentence_start), _MISSING)
            if slug is _MISSING:
                text = strings[orth]
                slug = None
                if text[0].isupper() and text.lower() not in self.known_lower:
                    slug = self._sounds_like(text, sentence_start=sentence_start)
                if len(cache) >= FUZZY_CACHE_SIZE:
                    cache.clear()  # a crude bound; the cache refills with the current words
                cache[(orth, sentence_start)] = slug
            if slug is not None:
                spans.append(Span(doc, i, i + 1, label=COMPANY, kb_id=slug))
        return spans

    def _reachable(self, length: int) -> list[str]:
        """The fuzzy targets whose length lets fuzz.ratio reach the cutoff, in registry order.

        ratio = 2·matches / (len(a) + len(b)) · 100 can only reach FUZZY_MIN_SCORE when
        the lengths are close; leaving the others out changes no answer (same best
        match, same order for ties) and makes the search several times cheaper.
        """
        window = self._by_length.get(length)
        if window is None:
            share = FUZZY_MIN_SCORE / 100
            low, high = length * share / (2 - share), length * (2 - share) / share
            window = [key for key in self.fuzzy_targets if low <= len(key) <= high]
            self._by_length[length] = window
        return window

    def _sounds_like(self, text: str, *, sentence_start: bool) -> str | None:
        """The company ``text`` is a misspelling of, if any."""
        key = sound_key(text)
        slug = self.fuzzy_targets.get(key)
        if slug is None and len(text) >= FUZZY_MIN_LENGTH + 1 and not sentence_start:
            match = process.extractOne(
                key, self._reachable(len(key)), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE
            )
            if (
                match is not None
                and match[0][0] == key[0]
                and abs(len(match[0]) - len(key)) <= FUZZY_MAX_LENGTH_GAP
            ):
                slug = self.fuzzy_targets[match[0]]
        return slug


@Language.factory(
    "chipwire_companies",
    default_config={"registry_path": None, "fuzzy": True},
)
def make_company_tagger(
    nlp: Language, name: str, registry_path: str | None, fuzzy: bool
) -> CompanyTagger:
    from chipwire.pipeline.config import DEFAULT_REGISTRY

    registry = load_registry(Path(registry_path) if registry_path else DEFAULT_REGISTRY)
    return CompanyTagger(nlp, registry, fuzzy=fuzzy)


@dataclass(frozen=True)
class MentionCount:
    slug: str
    count: int
    relevance: float
    first_char: int


def most_named(slugs: Iterable[str]) -> tuple[str | None, bool]:
    """The company named most, and whether the text is plainly about it: named at least
    twice as often as any other (then "it", "the company" stand for it)."""
    ranked = Counter(slugs).most_common(2)
    if not ranked:
        return None, False
    return ranked[0][0], len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]


def count_mentions(doc: Doc, title: str | None = None) -> list[MentionCount]:
    """Companies named in the document, in order of first appearance, with a 0..1 relevance.

    Relevance rewards being named in the title or lead and being named often,
    relative to the most-named company of the article.
    """
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    lead: set[str] = set()
    for row in doc_view(doc).companies:
        counts[row.slug] += 1
        first.setdefault(row.slug, row.start)
        if row.start < LEAD_CHARS:
            lead.add(row.slug)
    in_title = set()
    if title:
        lowered = title.lower()
        in_title = {slug for slug in counts if slug.replace("-", " ") in lowered}
    top = max(counts.values(), default=1)
    result = []
    for slug in sorted(counts, key=first.__getitem__):
        score = 0.5 * counts[slug] / top + 0.25 * (slug in lead) + 0.25 * (slug in in_title)
        result.append(MentionCount(slug, counts[slug], round(min(1.0, score), 3), first[slug]))
    return result
