"""chipwire's tokenizer: spaCy's English tokenizer, the same tokens, less work per new word.

spaCy tokenises a whitespace-separated chunk it has not cached by asking its prefix,
suffix, infix and URL patterns about it, with Python's regex engine.  The suffix and
infix patterns are alternations of a hundred pieces tried at every position, some
5 microseconds per new word, and spaCy caches only the first 10,000 chunks: on news
text, with its long tail of names and rare words, that was most of the tokenizer's
time and a third of the whole extraction.

Most such chunks are plain words, letters only ("wafer", "Cerebras").  None of
English's prefix, suffix, infix or URL patterns can match inside a letters-only
string (every piece needs a digit, a punctuation mark, a symbol or a dot), so for
those chunks the answer is known without running them.  ``letters_cannot_match``
proves that from the parse tree of each pattern when the pipeline is built, the way
``prefilter`` reads patterns; a pattern it cannot prove keeps running on every
chunk, so the tokens never differ from spaCy's (property-tested against it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from re import _constants as C
from re import _parser
from typing import Any

# Which sre categories can match a letter (str.isalpha): \w holds every letter, \d, \s and
# \W hold none.  Categories not listed count as "may match a letter".
_CATEGORY_LETTERS = {
    C.CATEGORY_DIGIT: False,
    C.CATEGORY_SPACE: False,
    C.CATEGORY_NOT_WORD: False,
    C.CATEGORY_UNI_DIGIT: False,
    C.CATEGORY_UNI_SPACE: False,
    C.CATEGORY_UNI_NOT_WORD: False,
}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}


def _range_has_letter(low: int, high: int) -> bool:
    return any(chr(code).isalpha() for code in range(low, high + 1))


def _set_has_letter(items: Iterable[tuple[Any, Any]]) -> bool:
    for op, av in items:
        if op is C.NEGATE:
            return True  # a negated set holds almost everything
        if op is C.LITERAL and chr(av).isalpha():
            return True
        if op is C.RANGE and _range_has_letter(*av):
            return True
        if op is C.CATEGORY and _CATEGORY_LETTERS.get(av, True):
            return True
        if op not in (C.LITERAL, C.RANGE, C.CATEGORY):
            return True  # unknown: assume it may
    return False


def _letters_may_match(items: Iterable[tuple[Any, Any]]) -> bool:
    """Whether a match of this sequence can consume and look at letters only.

    Errs towards True: "may" is always safe, it only keeps the pattern running.
    """
    for op, av in items:
        if op is C.LITERAL:
            ok = chr(av).isalpha()
        elif op is C.IN:
            ok = _set_has_letter(av)
        elif op in _REPEATS:
            ok = av[0] == 0 or _letters_may_match(av[2])
        elif op is C.SUBPATTERN:
            add_flags = av[1]
            # Case-insensitively a non-letter may equal a letter (U+0345 and iota).
            ok = bool(add_flags & re.IGNORECASE) or _letters_may_match(av[3])
        elif op is C.BRANCH:
            ok = any(_letters_may_match(branch) for branch in av[1])
        elif op is C.ASSERT:
            # A positive lookaround must see what its body matches, inside the string.
            ok = _letters_may_match(av[1])
        elif op is getattr(C, "ATOMIC_GROUP", None):
            ok = _letters_may_match(av)
        else:  # ANY, NOT_LITERAL, AT (anchors), ASSERT_NOT, group references...
            ok = True
        if not ok:
            return False
    return True


def letters_cannot_match(pattern: re.Pattern[str]) -> bool:
    """True when no match of ``pattern`` can lie inside a string made of letters only."""
    if pattern.flags & re.IGNORECASE:
        return False
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except re.error:  # pragma: no cover - it compiled once already
        return False
    return not _letters_may_match(parsed)


class LettersSkip:
    """A pattern's bound ``search``/``match``/``finditer`` that answers "no match" at once
    for a letters-only string; build it only for a pattern ``letters_cannot_match``.

    spaCy serialises a tokenizer's patterns by reading ``fn.__self__.pattern``; the
    property keeps ``Tokenizer.to_bytes`` writing the real pattern.
    """

    __slots__ = ("_method", "_nothing")

    def __init__(self, method: Callable[[str], Any], nothing: Any) -> None:
        self._method = method
        self._nothing = nothing

    def __call__(self, string: str) -> Any:
        if string.isalpha():
            return self._nothing
        return self._method(string)

    @property
    def __self__(self) -> re.Pattern[str]:
        return self._method.__self__  # type: ignore[attr-defined,no-any-return]


# The tokenizer attributes that hold a bound pattern method, and what "no match" is.
_SKIPPABLE = (
    ("prefix_search", None),
    ("suffix_search", None),
    ("infix_finditer", ()),
    ("url_match", None),
    ("token_match", None),
)


def skip_letters(tokenizer: Any) -> list[str]:
    """Give ``tokenizer`` the letters-only shortcut wherever it is provably safe.

    Returns the attributes that got it (for tests and the benchmark's report).
    Setting a pattern flushes spaCy's tokenizer cache, so this is done once, on a
    fresh pipeline.
    """
    done: list[str] = []
    for name, nothing in _SKIPPABLE:
        method = getattr(tokenizer, name, None)
        pattern = getattr(method, "__self__", None)
        if isinstance(method, LettersSkip) or not isinstance(pattern, re.Pattern):
            continue
        if letters_cannot_match(pattern):
            setattr(tokenizer, name, LettersSkip(method, nothing))
            done.append(name)
    return done
