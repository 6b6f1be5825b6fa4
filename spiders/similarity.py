"""Near-duplicate detection for syndicated copies (wire stories, AMP pages, reposts).

Word 5-gram shingles compared by containment (shared / smaller set), so a copy
with an extra paragraph or a different headline still matches.  A bottom-k
sketch indexes candidates, so each new article is compared with the few stored
articles that share some of its rarest shingles, not with all of them.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict

SHINGLE_WORDS = 5
SKETCH_SIZE = 24
THRESHOLD = 0.8
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[int]:
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return frozenset({zlib.crc32(" ".join(words).encode())}) if words else frozenset()
    return frozenset(
        zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)
    )


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


class NearDuplicateIndex:
    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._sets: dict[int, frozenset[int]] = {}
        self._buckets: defaultdict[int, set[int]] = defaultdict(set)

    def __len__(self) -> int:
        return len(self._sets)

    def add(self, article_id: int, text: str, signature: frozenset[int] | None = None) -> None:
        """Index an article; pass its ``signature`` when already computed (``shingles(text)``)."""
        signature = shingles(text) if signature is None else signature
        self._sets[article_id] = signature
        for value in sorted(signature)[:SKETCH_SIZE]:
            self._buckets[value].add(article_id)

    def find(self, text: str, signature: frozenset[int] | None = None) -> int | None:
        """Id of the stored article this text copies (best match above threshold), or None."""
        signature = shingles(text) if signature is None else signature
        candidates: set[int] = set()
        for value in sorted(signature)[:SKETCH_SIZE]:
            candidates |= self._buckets.get(value, set())
        best, best_score = None, self.threshold
        for candidate in sorted(candidates):
            score = containment(signature, self._sets[candidate])
            if score >= best_score:
                best, best_score = candidate, score
        return best
