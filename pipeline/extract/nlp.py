"""Building the extraction pipeline: spacy.blank("en"), sentences, then chipwire's rules.

No statistical model is needed (none can be downloaded here and third-party
re-uploads are not trusted); the pipeline is a blank English tokenizer plus
rule components whose data comes from the registry and pattern files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import spacy
from spacy.attrs import (  # type: ignore[attr-defined]
    IS_ALPHA,
    IS_LOWER,
    IS_PUNCT,
    IS_SPACE,
    IS_UPPER,
    LANG,
    LOWER,
    NORM,
)
from spacy.language import Language
from spacy.tokens import Doc

import chipwire.pipeline.extract.companies
import chipwire.pipeline.extract.sentences
import chipwire.pipeline.extract.windows  # noqa: F401 - registers the chipwire_windows factory
from chipwire.pipeline.extract import scan
from chipwire.pipeline.extract.candidates import descriptor_index, org_word_pattern
from chipwire.pipeline.extract.rules import default_rules
from chipwire.pipeline.extract.tokenizer import skip_letters
from chipwire.pipeline.extract.view import TEXT_KEY

# The lexical attributes chipwire's rules read (the phrase matchers: LOWER; the sentence
# splitter: IS_PUNCT; the fuzzy pass: IS_ALPHA, IS_LOWER, IS_UPPER) plus NORM, IS_SPACE and LANG.
# spaCy computes every attribute in its table, with Python functions, for each word it has
# not seen before; in news text a third of the words are new to a fresh pipeline, and the
# unused ones (shape, prefix, suffix, like_num, like_url, is_stop...) were a quarter of the
# tokenizer's time.  Tokens of chipwire's pipeline therefore report those as unset.
LEXICAL_ATTRIBUTES = frozenset(
    {IS_ALPHA, IS_LOWER, IS_UPPER, IS_PUNCT, IS_SPACE, LOWER, NORM, LANG}
)


# Whitespace chunks whose tokens spaCy's tokenizer remembers (spaCy: 10,000, then it stops
# caching).  News vocabulary has a long tail of names and figures; a run over a few thousand
# articles meets far more distinct chunks, and re-tokenising them was 15 % of the tokenizer's
# time on 2,000 articles.  An entry is a few dozen bytes: 100,000 cost a few MB.
TOKENIZER_CACHE_SIZE = 100_000

# Longest text extracted as a whole.  spaCy refuses more than nlp.max_length characters (1M
# by default, for its memory-hungry parser and NER, which chipwire does not run); two million
# characters is a long book, far beyond any article, and costs about 1 GB at worst.
MAX_TEXT_CHARS = 2_000_000


def compile_rules() -> None:
    """Load and compile every rule file now instead of on the first document.

    Called when a pipeline is built: the cost (a few hundred patterns) belongs to
    start-up, where ``build_nlp`` says it is, not to whichever article comes first.
    """
    default_rules()  # reads, validates and compiles every rule file
    descriptor_index()
    org_word_pattern()
    scan.keys_by_id()  # builds the literal scan over the deal and benchmark rules
    for selector in (
        scan.trigger_selector,
        scan.unit_selector,
        scan.multiplier_selector,
        scan.skip_selector,
        scan.model_selector,
    ):
        selector()


def clip(text: str, limit: int | None = None) -> tuple[str, bool]:
    """``text`` cut to the extraction limit at a space, and whether it was cut."""
    limit = MAX_TEXT_CHARS if limit is None else limit
    if len(text) <= limit:
        return text, False
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit], True


class TextKeepingTokenizer:
    """spaCy's tokenizer, keeping the input string on the Doc (``doc.user_data``).

    ``Doc.text`` rebuilds the string from a Python Token object per token on every
    call; the rule modules read the text of every document, and rebuilding it was a
    measurable share of the extraction time.  Tokenisation itself is unchanged.
    """

    def __init__(self, tokenizer: Any) -> None:
        self._tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self._tokenizer(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str) -> Any:  # explain(), vocab, to_bytes()... as spaCy's
        if name.startswith("__") or name == "_tokenizer":
            raise AttributeError(name)
        return getattr(self._tokenizer, name)


def lean_tokenizer(nlp: Language) -> None:
    """spaCy's tokens for less work: the lexical attributes chipwire reads, no more, and
    plain words kept away from the affix patterns (``tokenizer.skip_letters``).

    Shared with the benchmark, whose "chipwire tokenizer" reference is exactly this.
    """
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {k: v for k, v in getters.items() if k in LEXICAL_ATTRIBUTES}
    skip_letters(nlp.tokenizer)
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE_SIZE  # type: ignore[attr-defined]


def build_nlp(
    registry_path: Path | None = None, *, fuzzy: bool = True, model: str | None = None
) -> Language:
    """A fresh pipeline; building it compiles every pattern once (about a second)."""
    nlp = spacy.blank("en")
    nlp.max_length = MAX_TEXT_CHARS
    lean_tokenizer(nlp)
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    nlp.add_pipe("chipwire_sentences")  # spaCy's sentencizer rule, on arrays
    nlp.add_pipe("chipwire_windows")  # over-long sentences cut into bounded windows
    nlp.add_pipe(
        "chipwire_companies",
        config={"registry_path": str(registry_path) if registry_path else None, "fuzzy": fuzzy},
    )
    compile_rules()
    if model:  # an installed statistical pipeline may add unknown-organisation candidates
        import chipwire.pipeline.extract.model_orgs  # noqa: F401 - registers the factory

        nlp.add_pipe("chipwire_model_orgs", config={"model": model})
    return nlp
