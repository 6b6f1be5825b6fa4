"""Cheap "could any of these patterns match here?" tests that skip most sentences.

Most sentences hold no deal trigger and no performance figure, yet testing each
with every case-insensitive pattern was most of the extraction time: Python's
regex engine tries each pattern at every position.  A match of a pattern always
contains one of a few literal strings (``\\b(?:acquir(?:e|ed)|bought)\\b`` needs
"acquire" or "bought"), and one scan of a document for all such literals at once
(``LiteralScan``, a trie-shaped regex) is far cheaper than every pattern on every
sentence.  The literals are worked out from the patterns themselves when they are
compiled, so a rule author never keeps a second list in step; a sentence is
ruled out for a pattern only when it holds none of the pattern's literals, so
callers run their real patterns wherever the answer is "maybe" and lose nothing.
``Gate`` is the same test for one pattern on one piece of text.

The analysis reads the parse tree of Python's own regex parser (``re._parser``,
the module behind ``re.compile``); a construct it does not know makes the pattern
"always maybe", never a wrong "no".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from re import _constants as C
from re import _parser

DIGIT = "\x00digit"  # stands for "some decimal digit" in a literal set
# More exact strings than this from one run of the pattern: stop expanding it.
MAX_STRINGS = 64
# A literal this long is selective enough; beyond it, fewer literals matter more.
SELECTIVE_LENGTH = 4
# Characters that case-insensitive matching equates with another letter but str.lower()
# does not map onto it (İ even lowers to two characters): mapped first, in text and
# literals alike, so the folded text holds a literal wherever the pattern matches.
_FOLD_EXTRA = (("ſ", "s"), ("ı", "i"), ("İ", "i"), ("K", "k"), ("µ", "μ"))

Strings = frozenset[str]


def _union(
    strings_of: Callable[[object], Iterable[str] | None], alternatives: Iterable[object]
) -> set[str] | None:
    """The strings of all alternatives of a branch; None if one alternative has none."""
    result: set[str] = set()
    for alternative in alternatives:
        strings = strings_of(alternative)
        if strings is None:
            return None
        result |= set(strings)
    return result


def _exact_item(op: object, av: object) -> set[str] | None:
    """Every string the item can match, if they are few; None if unbounded or unknown."""
    if op is C.LITERAL:
        return {fold(chr(av))}  # type: ignore[arg-type]
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return {""}  # anchors and lookarounds consume nothing
    if op is C.SUBPATTERN:
        return _exact(av[-1])  # type: ignore[index]
    if op is C.BRANCH:
        result = _union(_exact, av[1])  # type: ignore[index]
        return result if result is not None and len(result) <= MAX_STRINGS else None
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        low, high, sub = av  # type: ignore[misc]
        inner = _exact(sub)
        if inner is None or high > 2:
            return None
        options = {""} if low == 0 else set()
        options |= inner
        if high == 2:
            options |= {a + b for a in inner for b in inner}
        return options if len(options) <= MAX_STRINGS else None
    if op is C.IN:
        chars: set[str] = set()
        for item_op, item_av in av:  # type: ignore[attr-defined]
            if item_op is C.LITERAL:
                chars.add(fold(chr(item_av)))
            elif item_op is C.RANGE and item_av[1] - item_av[0] < 16:
                chars |= {fold(chr(c)) for c in range(item_av[0], item_av[1] + 1)}
            else:
                return None  # negated sets, \w, \s, wide ranges
        return chars
    return None


def _exact(items: object) -> set[str] | None:
    result = {""}
    for op, av in items:  # type: ignore[attr-defined]
        strings = _exact_item(op, av)
        if strings is None:
            return None
        result = {a + b for a in result for b in strings}
        if len(result) > MAX_STRINGS:
            return None
    return result


def _is_digit_class(op: object, av: object) -> bool:
    return op is C.IN and list(av) == [(C.CATEGORY, C.CATEGORY_DIGIT)]  # type: ignore[call-overload]


def _required_item(op: object, av: object) -> Strings | None:
    """Literals one of which any match of a non-finite item contains, if any."""
    if _is_digit_class(op, av):
        return frozenset({DIGIT})
    if op is C.SUBPATTERN:
        return _required(av[-1])  # type: ignore[index]
    if op is C.BRANCH:
        result = _union(_required, av[1])  # type: ignore[index]
        return frozenset(result) if result is not None else None
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:  # type: ignore[index]
        return _required(av[2])  # type: ignore[index]
    return None


def _strength(strings: Strings) -> float:
    """How selective a literal set is: its shortest string's length (a digit: between 2 and 3)."""
    return min((2.5 if s == DIGIT else len(s)) for s in strings)


def _preference(strings: Strings) -> tuple[float, int, float]:
    """Selective enough (shortest literal up to 4 characters counts), then fewest literals:
    each literal costs one substring search per sentence."""
    strength = _strength(strings)
    return (min(strength, SELECTIVE_LENGTH), -len(strings), strength)


def _required(items: object) -> Strings | None:
    """A set of literals one of which every match of the sequence contains; None if none known.

    Consecutive items with few exact strings combine into a run ("acquir" + "e|ed");
    of all runs, their items and sub-results, the preferred set is kept.
    """
    candidates: list[Strings] = []
    run = {""}
    for op, av in items:  # type: ignore[attr-defined]
        strings = _exact_item(op, av)
        if strings is not None:
            if "" not in strings:
                candidates.append(frozenset(strings))  # the item alone: fewer, shorter strings
            combined = {a + b for a in run for b in strings}
            if len(combined) <= MAX_STRINGS:
                run = combined
                continue
            strings = None
        if "" not in run:
            candidates.append(frozenset(run))
        run = {""}
        inner = _required_item(op, av)
        if inner is not None:
            candidates.append(inner)
    if "" not in run:
        candidates.append(frozenset(run))
    if not candidates:
        return None
    return max(candidates, key=_preference)


def required_literals(pattern: str, flags: int = 0) -> Strings | None:
    """Lowercase literals (or ``DIGIT``) one of which every match of ``pattern`` contains.

    None when the pattern guarantees no literal (then any text may match).  Shorter
    strings make longer ones containing them redundant, so those are dropped.
    """
    strings = _required(_parser.parse(pattern, flags))
    if strings is None:
        return None
    return frozenset(s for s in strings if not any(o != s and o in s for o in strings))


def fold(text: str) -> str:
    """Text as the literals are compared with: lowercased, with the case-folding extras."""
    if not text.isascii():
        for char, replacement in _FOLD_EXTRA:
            if char in text:
                text = text.replace(char, replacement)
    return text.lower()


def _trie_pattern(literals: Iterable[str]) -> str:
    """One regex for a set of literals, factored as a trie ("acqui(?:re|sition of)").

    A flat alternation of a hundred literals makes the engine try each at every
    position; a trie tries one branch per first character, and the engine skips
    positions whose character starts no literal at all.
    """
    trie: dict[str, dict] = {}
    for literal in literals:
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if "" in node:  # a literal ends here: the longer ones through this node add nothing
            return ""
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie) if trie else ""


def may_match(keys: frozenset[str] | None, present: frozenset[str] | None) -> bool:
    """Can a pattern with literal ``keys`` match where ``present`` literals were found?

    None on either side means "unknown": the pattern must be tried.
    """
    return keys is None or present is None or not keys.isdisjoint(present)


class Found:
    """The rule literals found in one document, by position."""

    def __init__(
        self,
        starts: list[int],
        ends: list[int],
        literals: list[str],
        digit_runs: list[tuple[int, int]],
        exact: bool = True,
    ) -> None:
        self.starts, self.ends, self.literals = starts, ends, literals
        self.digit_starts = [run[0] for run in digit_runs]
        self.digit_ends = [run[1] for run in digit_runs]
        self.exact = exact  # False: folding moved offsets, nothing can be ruled out

    def within(self, start: int, end: int) -> frozenset[str] | None:
        """The literals lying wholly inside text[start:end] (``DIGIT`` if a digit does)."""
        if not self.exact:
            return None
        present = set()
        i = bisect.bisect_left(self.starts, start)
        while i < len(self.starts) and self.starts[i] < end:
            if self.ends[i] <= end:
                present.add(self.literals[i])
            i += 1
        j = bisect.bisect_right(self.digit_ends, start)
        if j < len(self.digit_starts) and self.digit_starts[j] < end:
            present.add(DIGIT)
        return frozenset(present)

    def partition(self, bounds: list[tuple[int, int]]) -> list[frozenset[str] | None]:
        """``within`` for each of many slices, in one merge pass when they are in order."""
        if not self.exact:
            return [None] * len(bounds)
        starts, ends, literals = self.starts, self.ends, self.literals
        digit_starts, digit_ends = self.digit_starts, self.digit_ends
        result: list[frozenset[str] | None] = []
        i = j = 0
        previous_end = 0
        for start, end in bounds:
            if start < previous_end:  # out of order or overlapping: look this one up
                result.append(self.within(start, end))
                continue
            previous_end = end
            while i < len(starts) and starts[i] < start:
                i += 1
            present: set[str] = set()
            while i < len(starts) and starts[i] < end:
                if ends[i] <= end:
                    present.add(literals[i])
                i += 1
            while j < len(digit_ends) and digit_ends[j] <= start:
                j += 1
            if j < len(digit_starts) and digit_starts[j] < end:
                present.add(DIGIT)
            result.append(frozenset(present) if present else _NOTHING)
        return result


_DIGIT_RUN = re.compile(r"\d+")
_NOTHING: frozenset[str] = frozenset()


class LiteralScan:
    """One scan of a document for the literals of many rule patterns.

    Each pattern gets ``keys``: scan literals one of which any match of it contains
    (a scan literal may be a part of the pattern's own, when another pattern's is
    shorter: "ustomer" serves "customer" too).  A sentence is then tried only
    against patterns whose keys it holds, and one regex pass over the document
    replaces a test per pattern and sentence.
    """

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        required = {p: required_literals(p.pattern, p.flags) for p in patterns}
        union = {s for strings in required.values() if strings for s in strings} - {DIGIT}
        reduced = sorted(s for s in union if not any(o != s and o in s for o in union))
        self.keys: dict[re.Pattern[str], frozenset[str] | None] = {}
        for pattern, strings in required.items():
            if strings is None:
                self.keys[pattern] = None
                continue
            keys = {r for r in reduced for s in strings if s != DIGIT and r in s}
            if DIGIT in strings:
                keys.add(DIGIT)
            self.keys[pattern] = frozenset(keys)
        self.literals = reduced
        self._regex = re.compile(_trie_pattern(reduced)) if reduced else None

    def scan(self, text: str) -> Found:
        folded = fold(text)
        digit_runs = [m.span() for m in _DIGIT_RUN.finditer(text)]
        if len(folded) != len(text):
            return Found([], [], [], digit_runs, exact=False)
        starts: list[int] = []
        ends: list[int] = []
        literals: list[str] = []
        if self._regex is not None:
            # Overlapping search: a literal may start inside another ("customers" holds
            # "customer" and "mers"); no literal is a prefix of another, so each
            # position yields at most one.
            search = self._regex.search
            match = search(folded)
            while match is not None:
                starts.append(match.start())
                ends.append(match.end())
                literals.append(match.group())
                match = search(folded, match.start() + 1)
        return Found(starts, ends, literals, digit_runs)


_DIGIT_RE = re.compile(r"\d")


class Gate:
    """The literal test for one pattern, on an already folded sentence: run the pattern
    only if it passes.  Cheaper than the regex when a sentence is tested against many."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        strings = required_literals(pattern.pattern, pattern.flags)
        self.always = strings is None
        self.digit = bool(strings) and DIGIT in strings  # type: ignore[operator]
        self.literals = tuple(sorted((strings or frozenset()) - {DIGIT}, key=len))

    def passes(self, folded: str) -> bool:
        """False only if the pattern cannot match the text ``folded`` came from."""
        if self.always:
            return True
        for literal in self.literals:
            if literal in folded:
                return True
        return self.digit and _DIGIT_RE.search(folded) is not None


# Escapes whose letter case is their meaning (\S is not \s): copied as they are.
_ESCAPE = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
_NAMED = re.compile(r"\(\?P(?:<\w+>|=\w+\))")


def lowered_pattern(pattern: str) -> str:
    """``pattern`` rewritten to match folded text case-sensitively.

    Literal and character-class letters are folded; escapes (``\\S``, ``\\B``), hex escapes
    of non-letters and group names keep their case.  Inline flags and ``\\N{...}`` are
    refused: the rewrite could change their meaning.
    """
    if re.search(r"\(\?[aiLmsux]|\\N\{", pattern):
        raise ValueError(f"cannot fold a pattern with inline flags or \\N: {pattern!r}")
    out: list[str] = []
    pos = 0
    while pos < len(pattern):
        piece = _ESCAPE.match(pattern, pos) if pattern[pos] == "\\" else None
        if piece is None and pattern.startswith("(?P", pos):
            piece = _NAMED.match(pattern, pos)
        if piece is not None:
            text = piece.group()
            if text[1:2] in ("x", "u", "U") and len(text) > 2:
                char = chr(int(text[2:], 16))
                text = re.escape(fold(char)) if fold(char) != char else text
            out.append(text)
            pos = piece.end()
            continue
        out.append(fold(pattern[pos]))
        pos += 1
    return "".join(out)


def folded_finditer(
    pattern: re.Pattern[str], twin: re.Pattern[str] | None, text: str, folded: str
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` in ``text``, found by its ``twin`` on ``folded`` (= fold(text))
    when folding kept the length, so that the offsets hold for ``text`` too."""
    if twin is not None and len(folded) == len(text):
        return twin.finditer(folded)
    return pattern.finditer(text)


def twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A case-sensitive twin of a case-insensitive pattern, for folded text.

    Python's regex engine runs case-insensitive patterns two to three times slower than
    case-sensitive ones; on ``fold(text)`` (same length as ``text``) the twin finds the
    same spans.  None for a pattern that is case-sensitive already.
    """
    if not pattern.flags & re.IGNORECASE:
        return None
    return re.compile(lowered_pattern(pattern.pattern), pattern.flags & ~re.IGNORECASE)
