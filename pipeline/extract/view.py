"""One flat, cached view of a processed Doc for the rule modules that read it.

Iterating a Doc or ``doc.sents`` builds a Python Token object per token, and
reading ``doc.spans`` builds Span objects each time: done by every rule module
in turn, that was most of the extraction time.  The view reads the token
attributes once as numpy arrays and the span groups once as plain tuples;
deals, benchmarks and candidates all work from it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from spacy.attrs import IDX, LENGTH, LOWER, SENT_START  # type: ignore[attr-defined]
from spacy.tokens import Doc

_KEY = "chipwire_view"
TEXT_KEY = "chipwire_text"  # the input string, kept by the pipeline's tokenizer


class SpanRow(NamedTuple):
    """A company or product span: character offsets, slug, product family, surface text."""

    start: int
    end: int
    slug: str
    family: str | None
    text: str
    token_start: int
    token_end: int


@dataclass
class DocView:
    text: str
    sentences: list[tuple[int, int]]  # (start_char, end_char) of each sentence, in order
    companies: list[SpanRow]  # sorted by start
    products: list[SpanRow]  # sorted by start
    lowers: np.ndarray  # LOWER hash of each token
    token_starts: np.ndarray  # character offset of each token
    sentence_starts: list[int] = field(default_factory=list)
    found: object = None  # the rule literal scan (pipeline.extract.scan), once computed
    descriptor_names: object = None  # pipeline.extract.candidates.descriptor_names, once computed

    def sentence_at(self, char: int) -> tuple[int, int]:
        """The (start, end) of the sentence holding character ``char``."""
        i = max(0, bisect.bisect_right(self.sentence_starts, char) - 1)
        return self.sentences[i] if self.sentences else (0, len(self.text))

    def taken_tokens(self) -> set[int]:
        """Token indices inside a company or product span."""
        return {
            i
            for row in (*self.companies, *self.products)
            for i in range(row.token_start, row.token_end)
        }


def _rows(doc: Doc, key: str) -> list[SpanRow]:
    if key not in doc.spans:
        return []
    text = doc_text(doc)  # a slice of the input, not Span.text (which joins its tokens)
    rows = [
        SpanRow(
            span.start_char,
            span.end_char,
            span.kb_id_,
            span.id_ or None,
            text[span.start_char : span.end_char],
            span.start,
            span.end,
        )
        for span in doc.spans[key]
    ]
    rows.sort(key=lambda row: row.start)
    return rows


def drop_view(doc: Doc) -> None:
    """Forget the cached view (it is not serialisable with the Doc)."""
    doc.user_data.pop(_KEY, None)


def doc_text(doc: Doc) -> str:
    """The input string: the tokenizer's copy, since ``Doc.text`` is rebuilt from the tokens
    on every access; rebuilt only for a Doc from another pipeline."""
    text = doc.user_data.get(TEXT_KEY)
    return text if isinstance(text, str) else doc.text


def doc_view(doc: Doc) -> DocView:
    """The view of ``doc``, built on first use and kept in ``doc.user_data``."""
    cached = doc.user_data.get(_KEY)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    text = doc_text(doc)
    if len(doc):
        array = doc.to_array([SENT_START, IDX, LENGTH, LOWER])
        token_starts = array[:, 1].astype(np.int64)
        starts = np.flatnonzero(array[:, 0] == 1)
        if not len(starts) or starts[0] != 0:
            starts = np.concatenate(([0], starts))
        # A sentence ends where its last token ends (Span.end_char), whitespace tokens included.
        last_tokens = np.append(starts[1:] - 1, len(doc) - 1)
        char_starts = token_starts[starts].tolist()
        char_ends = (token_starts[last_tokens] + array[last_tokens, 2].astype(np.int64)).tolist()
        sentences = list(zip(char_starts, char_ends, strict=True))
        lowers = array[:, 3]
    else:
        token_starts = np.zeros(0, dtype=np.int64)
        char_starts = []
        sentences = []
        lowers = np.zeros(0, dtype=np.uint64)
    view = DocView(
        text=text,
        sentences=sentences,
        companies=_rows(doc, "companies"),
        products=_rows(doc, "products"),
        lowers=lowers,
        token_starts=token_starts,
        sentence_starts=char_starts,
    )
    doc.user_data[_KEY] = view
    return view
