"""Sentence starts from token arrays: spaCy's rule-based sentencizer, without a Python loop.

spaCy's ``sentencizer`` walks the document token by token in Python (a Token object per
token), which was a sixth of the whole extraction's time.  The rule is simple enough to
state on arrays: a token starts a sentence if it is neither punctuation nor a sentence-end
character and a sentence-end character (``.``, ``!``, ``?`` and their variants) stands
between it and the previous such token; the first token always starts one.  The result is
the same boundaries, set in one ``Doc.from_array`` call; a test compares the two.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import IS_PUNCT, ORTH, SENT_START  # type: ignore[attr-defined]
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import hash_string
from spacy.tokens import Doc

_ENDS = np.array(sorted(hash_string(c) for c in Sentencizer.default_punct_chars), "uint64")


class ArraySentencizer:
    """Pipeline component: what ``sentencizer`` with its default characters decides."""

    def __call__(self, doc: Doc) -> Doc:
        size = len(doc)
        if size == 0:
            return doc
        attrs = doc.to_array([ORTH, IS_PUNCT])
        punct = attrs[:, 1] == 1
        # every sentence-end character is punctuation: look them up among those tokens only
        ends = np.zeros(size, dtype=bool)
        marks = np.flatnonzero(punct)
        ends[marks[np.isin(attrs[marks, 0], _ENDS)]] = True
        words = np.flatnonzero(~punct)
        seen = np.cumsum(ends)  # sentence-end characters up to and including each token
        starts = np.full(size, -1, dtype="int64")
        starts[0] = 1
        if len(words):
            before = np.concatenate(([0], seen[words[:-1]]))
            starts[words[seen[words] > before]] = 1
        # Doc arrays are uint64: -1 ("not a start") travels as its two's complement
        doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
        return doc


@Language.factory("chipwire_sentences")
def make_sentences(nlp: Language, name: str) -> ArraySentencizer:
    return ArraySentencizer()
