"""The generated article corpus the extraction benchmarks read.

A real vocabulary, not templates: sentences mix the most frequent English words with
filler from a 104k-word dictionary (``/usr/share/dict/words``; ``apt install wamerican``
or ``--words FILE``), random registry names, aliases and products, varied numbers and
money amounts, deal sentences and benchmark sentences, from a seeded RNG.  Text made
from a few templates would let the tokenizer cache hit nearly every time and make every
ratio meaningless.  The same seed gives the same corpus in every process.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_WORDS = Path("/usr/share/dict/words")
SEED = 20261122

# The most frequent English words: about half the words of real news text are these, and
# they are what makes a tokenizer cache hit in practice.  The other half come from the
# dictionary, so the cache misses as often as it would on real articles.
_FUNCTION_TEXT = (
    "the of and to a in for is on that by this with it from at as be was are have has "
    "its an or will not but which their more than about after also who been would new "
    "over into up said could other were they its we our us one two year last first"
)
FUNCTION_WORDS = tuple(_FUNCTION_TEXT.split())
QUARTERS = ("first", "second", "third", "fourth")
CURRENCIES = ("$", "$", "$", "US$", "€", "£", "¥")
SCALES_LONG = ("million", "billion", "million", "billion", "trillion")
SCALES_SHORT = ("m", "bn", "M", "B", "mn")
MODELS = ("Llama 3.1 70B", "gpt-oss-120b", "DeepSeek-R1", "Llama 4 Maverick", "Qwen3 32B")
DEAL_TEMPLATES = (
    "{a} agreed to acquire {b} for {money} in cash and stock",
    "{a} said it would buy {b} in a deal valued at {money}",
    "{a} raised {money} in a Series {series} round led by {b}",
    "{a} closed a {money} funding round co-led by {b} and {c}",
    "{a} signed a multi-year supply agreement with {b} worth {money}",
    "{a} and {b} announced a strategic partnership to co-develop {product} systems",
    "{a} invested {money} in {b} as part of a broader collaboration",
    "{a} filed confidentially for an initial public offering that could raise {money}",
    "{a} will supply {product} accelerators to {b} under a {money} contract",
    "{a} completed its merger with {b}, creating a company worth about {money}",
)
BENCH_TEMPLATES = (
    "{a} said {product} delivered {n} tokens per second on {model}",
    "{product} reached {n} tokens/s per user running {model}, according to {a}",
    "{a} claims {product} is {x}x faster than {other} on inference",
    "the {product} achieved a time to first token of {s} seconds on {model}",
    "{a} quoted {n} TFLOPS of FP8 compute for {product}",
    "{product} posted latency of {ms} ms at batch size {batch}",
    "{a} said {product} offers {x} times the performance per watt of {other}",
    "{product} delivers {pf} petaflops of AI performance, {a} said",
)
MONEY_TEMPLATES = (
    "{a} reported revenue of {money} in the {quarter} quarter",
    "{a} expects to spend {money} on capital expenditure this year",
    "shares of {a} rose {pct}% after it forecast sales of {money}",
    "{a} said its data center business grew {pct}% to {money}",
)


@dataclass(frozen=True)
class Vocabulary:
    """What the corpus draws from: dictionary filler and the registry's surface forms."""

    lower: list[str]
    capitalised: list[str]
    companies: list[str]  # canonical names and aliases
    products: list[str]  # product names and aliases


def read_words(path: Path) -> tuple[list[str], list[str]]:
    """Dictionary words split into lower-case and capitalised (proper nouns).

    Fails with how to install the list: without a large vocabulary the benchmark would
    measure cache hits, not extraction.
    """
    if not path.is_file():
        raise SystemExit(
            f"word list {path} not found: install it with `apt install wamerican` "
            "(Debian/Ubuntu, 104k words) or pass another one with --words FILE"
        )
    words = [w for w in path.read_text(encoding="utf-8", errors="ignore").split() if w]
    lower = [w for w in words if w[0].islower()]
    capitalised = [w for w in words if w[0].isupper()]
    if len(lower) < 1000:
        raise SystemExit(f"word list {path} has only {len(lower)} lower-case words")
    return lower, capitalised


def vocabulary(words_path: Path) -> Vocabulary:
    from chipwire.pipeline.config import DEFAULT_REGISTRY
    from chipwire.pipeline.registry import load_registry

    registry = load_registry(DEFAULT_REGISTRY)
    companies = [name for entry in registry.companies for name in entry.names]
    products = [
        name for entry in registry.companies for product in entry.products for name in product.names
    ]
    lower, capitalised = read_words(words_path)
    return Vocabulary(lower, capitalised, companies, products)


class _Writer:
    """Random sentences of one seeded RNG: filler, mentions, money, deals, benchmarks."""

    def __init__(self, vocab: Vocabulary, rng: random.Random) -> None:
        self.vocab = vocab
        self.rng = rng

    def filler(self, low: int, high: int) -> str:
        rng, words = self.rng, []
        for _ in range(rng.randint(low, high)):
            roll = rng.random()
            if roll < 0.45:
                words.append(rng.choice(FUNCTION_WORDS))
            elif roll < 0.93:
                words.append(rng.choice(self.vocab.lower))
            else:
                words.append(rng.choice(self.vocab.capitalised))
            if rng.random() < 0.06:
                words[-1] += ","
        return " ".join(words).rstrip(",")

    def number(self) -> str:
        rng = self.rng
        return rng.choice((f"{rng.randint(100, 99_999):,}", str(rng.randint(10, 9_999))))

    def money(self) -> str:
        rng = self.rng
        currency = rng.choice(CURRENCIES)
        amount = rng.choice((str(rng.randint(2, 950)), f"{rng.uniform(1, 99):.1f}"))
        if rng.random() < 0.6:
            return f"{currency}{amount} {rng.choice(SCALES_LONG)}"
        return f"{currency}{amount}{rng.choice(SCALES_SHORT)}"

    def fields(self) -> dict[str, str]:
        rng, vocab = self.rng, self.vocab
        return {
            "a": rng.choice(vocab.companies),
            "b": rng.choice(vocab.companies),
            "c": rng.choice(vocab.companies),
            "product": rng.choice(vocab.products),
            "other": rng.choice(vocab.products),
            "model": rng.choice(MODELS),
            "money": self.money(),
            "series": rng.choice("ABCDEF"),
            "quarter": rng.choice(QUARTERS),
            "pct": f"{rng.uniform(1, 80):.{rng.randint(0, 1)}f}",
            "n": self.number(),
            "x": rng.choice((str(rng.randint(2, 40)), f"{rng.uniform(1.1, 9.9):.1f}")),
            "s": f"{rng.uniform(0.05, 3):.2f}",
            "ms": str(rng.randint(2, 900)),
            "batch": str(rng.choice((1, 8, 16, 32, 64, 128))),
            "pf": f"{rng.uniform(1, 400):.1f}",
        }

    def sentence(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            body = self.filler(8, 28)
        elif roll < 0.65:
            company = rng.choice(self.vocab.companies)
            body = f"{self.filler(3, 12)} {company} {self.filler(3, 12)}"
            if rng.random() < 0.4:
                body += f" {rng.choice(self.vocab.products)} {self.filler(2, 6)}"
        else:
            templates = rng.choice((DEAL_TEMPLATES, BENCH_TEMPLATES, MONEY_TEMPLATES))
            body = rng.choice(templates).format(**self.fields())
            if rng.random() < 0.5:
                body += f", {self.filler(4, 14)}"
        return body[0].upper() + body[1:] + "."

    def article(self) -> tuple[str, str]:
        """(title, text) of about 300-600 words in paragraphs of 3-6 sentences."""
        rng = self.rng
        title = rng.choice(DEAL_TEMPLATES + BENCH_TEMPLATES).format(**self.fields())
        target, words, paragraphs = rng.randint(300, 600), 0, []
        while words < target:
            sentences = [self.sentence() for _ in range(rng.randint(3, 6))]
            paragraph = " ".join(sentences)
            words += len(paragraph.split())
            paragraphs.append(paragraph)
        return title[0].upper() + title[1:], "\n\n".join(paragraphs)


def corpus(docs: int, words_path: Path, seed: int = SEED) -> list[tuple[str, str]]:
    """``docs`` (title, text) articles; the same seed gives the same corpus in every process."""
    writer = _Writer(vocabulary(words_path), random.Random(seed))
    return [writer.article() for _ in range(docs)]


def pipeline_input(articles: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(text, title) as chipwire's extraction feeds ``nlp.pipe``: title, blank line, text."""
    return [(f"{title}\n\n{text}", title) for title, text in articles]


def count_words(texts: Iterable[str]) -> int:
    return sum(len(text.split()) for text in texts)
