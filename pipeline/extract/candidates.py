"""Unknown organisations: names that look like companies but are not in the registry.

"AI chip startup Vireo Silicon raised..." names a company the registry lacks;
such names are kept as candidates (with an example sentence) so analysts can
add them.  A candidate is the run of capitalised words right after a
descriptor word from ``patterns/candidate_descriptors.txt``, not overlapping a
registry company or product.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.strings import hash_string
from spacy.tokens import Doc

from chipwire.pipeline.extract.rules import deal_rules
from chipwire.pipeline.extract.view import doc_view

SPANS_KEY = "model_orgs"  # set by pipeline.extract.model_orgs when a model is configured

MAX_NAME_TOKENS = 4


@dataclass(frozen=True)
class Candidate:
    name: str
    context: str  # "descriptor", "org_word", "deal_party" or "ner"
    sentence: str


def _descriptors() -> tuple[tuple[str, ...], ...]:
    return deal_rules().descriptors


@lru_cache(maxsize=1)
def descriptor_index() -> tuple[dict[int, list[tuple[str, ...]]], np.ndarray]:
    """Descriptor phrases by the LOWER hash of their first word (hashes are vocab-independent),
    and those hashes as an array for numpy's membership test."""
    by_first: dict[int, list[tuple[str, ...]]] = {}
    for phrase in _descriptors():
        by_first.setdefault(hash_string(phrase[0]), []).append(phrase)
    return by_first, np.array(sorted(by_first), dtype=np.uint64)


def _is_name_token(text: str) -> bool:
    return text[:1].isupper() and any(ch.isalpha() for ch in text)


@dataclass(frozen=True)
class NamedSpan:
    start: int  # character offsets in the document
    end: int
    name: str


def descriptor_names(doc: Doc) -> list[NamedSpan]:
    """Names right after a descriptor ("AI chip startup Vireo Silicon"), in text order.

    Worked out once per document (kept on its view): the deal rules use them as
    unregistered parties, and they are the descriptor candidates.
    """
    view = doc_view(doc)
    if view.descriptor_names is not None:
        return view.descriptor_names  # type: ignore[no-any-return]
    by_first, first_hashes = descriptor_index()
    names: list[NamedSpan] = []
    starts = np.flatnonzero(np.isin(view.lowers, first_hashes))
    taken = view.taken_tokens() if len(starts) else set()
    strings = doc.vocab.strings
    for start in starts.tolist():
        for phrase in by_first[int(view.lowers[start])]:
            end = start + len(phrase)
            if end > len(doc) or tuple(strings[int(h)] for h in view.lowers[start:end]) != phrase:
                continue
            name_end = end
            while (
                name_end < len(doc)
                and name_end - end < MAX_NAME_TOKENS
                and name_end not in taken
                and _is_name_token(doc[name_end].text)
            ):
                name_end += 1
            if name_end == end:
                continue
            span = doc[end:name_end]
            named = NamedSpan(span.start_char, span.end_char, span.text)
            if named not in names:
                names.append(named)
    names.sort(key=lambda n: (n.start, n.end))
    view.descriptor_names = names
    return names


@lru_cache(maxsize=1)
def org_word_pattern() -> re.Pattern[str]:
    """A capitalised name of up to six words ending in an organisation word, and an "of"
    phrase after it ("Bank of Jeju"): a firm, whatever the registry knows."""
    words = sorted(deal_rules().org_words, key=len, reverse=True)
    part = r"(?:[A-Z][\w&'-]*|&|of)"
    kind = "|".join(map(re.escape, words))
    return re.compile(
        rf"\b[A-Z][\w&'-]*(?:\s+{part}){{0,4}}\s+(?:{kind})(?:\s+of\s+[A-Z][\w'-]*)?\b"
    )


def org_word_names(doc: Doc) -> list[NamedSpan]:
    """Unregistered names ending in an organisation word, outside any registered mention."""
    view = doc_view(doc)
    rules = deal_rules()
    spans = [(row.start, row.end) for row in (*view.companies, *view.products)]
    names = []
    for match in org_word_pattern().finditer(view.text):
        words = match.group(0).split()
        while words and (words[0] in rules.name_stop_words or words[0] in ("&", "of")):
            words.pop(0)
        if "of" in words[1:-1] and words[words.index("of") - 1] not in rules.org_words:
            words = words[words.index("of") + 1 :]  # "Shares of X Capital": the name is after it
        if len(words) < 2:
            continue
        name = " ".join(words)
        start = match.end() - len(name)
        if any(a < match.end() and start < b for a, b in spans):
            continue
        names.append(NamedSpan(start, match.end(), name))
    return names


def find_candidates(doc: Doc) -> list[Candidate]:
    view = doc_view(doc)
    found: dict[str, Candidate] = {}
    for named in org_word_names(doc):
        key = named.name.casefold()
        if key not in found:
            sent_start, sent_end = view.sentence_at(named.start)
            found[key] = Candidate(named.name, "org_word", view.text[sent_start:sent_end].strip())
    for named in descriptor_names(doc):
        key = named.name.casefold()
        if key not in found:
            sent_start, sent_end = view.sentence_at(named.start)
            sentence = view.text[sent_start:sent_end].strip()
            found[key] = Candidate(named.name, "descriptor", sentence)
    if SPANS_KEY not in doc.spans:
        return list(found.values())
    taken = view.taken_tokens()
    for span in doc.spans[SPANS_KEY]:  # an installed statistical model's ORGs
        key = span.text.casefold()
        if key in found or any(i in taken for i in range(span.start, span.end)):
            continue
        sent_start, sent_end = view.sentence_at(span.start_char)
        found[key] = Candidate(span.text, "ner", view.text[sent_start:sent_end].strip())
    return list(found.values())
