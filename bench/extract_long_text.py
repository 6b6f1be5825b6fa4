"""Extraction time on text without sentence breaks: linear in length, or not.

Speech-to-text transcripts and some scraped pages have no full stops, so one "sentence"
can be the whole document.  Rules that look at pairs of things in a sentence are then
quadratic, and a 200,000-character transcript took 28 s before sentences were cut into
bounded windows (``pipeline/extract/windows.py``).  This benchmark extracts from
unpunctuated, transcript-like text of growing length (the throughput corpus's vocabulary:
frequent words and dictionary filler, with a registry company name every dozen words, a
spoken figure, "N tokens per second", every sixty or so and a model name every two
hundred, as in a podcast about the industry) and, in the same process on the same text,
runs the bare spaCy tokenizer, which is linear by construction.  If extraction is linear,
chipwire's time over the tokenizer's stays flat as the text grows; the report prints that
ratio per length and how it moved from the shortest text to the longest.  Up to
``--unbounded-up-to`` characters the pipeline without windows is timed too.

Run from the project root: ``.venv/bin/python -m bench.extract_long_text
[--sizes 50000,400000,2000000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from pathlib import Path

from bench.corpus import DEFAULT_WORDS, FUNCTION_WORDS, MODELS, SEED, vocabulary
from bench.machine import load


def transcript(chars: int, words_path: Path, seed: int = SEED) -> str:
    """``chars`` characters of unpunctuated talk, dense with company names and figures."""
    vocab = vocabulary(words_path)
    rng = random.Random(seed)
    words: list[str] = []
    size = 0
    while size < chars:
        roll = rng.random()
        if roll < 0.08:
            word = rng.choice(vocab.companies)
        elif roll < 0.095:
            word = f"{rng.randint(20, 3000)} tokens per second"
        elif roll < 0.1:
            word = f"on {rng.choice(MODELS)}"
        elif roll < 0.6:
            word = rng.choice(FUNCTION_WORDS)
        else:
            word = rng.choice(vocab.lower)
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:chars]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,400000,2000000", help="characters")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--words", type=Path, default=DEFAULT_WORDS)
    parser.add_argument(
        "--unbounded-up-to",
        type=int,
        default=200_000,
        help="also time the pipeline without windows on sizes up to this (it is quadratic)",
    )
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    import spacy

    from chipwire.pipeline.extract.analysis import analyse
    from chipwire.pipeline.extract.nlp import build_nlp

    nlp = build_nlp()
    unbounded = build_nlp()
    unbounded.remove_pipe("chipwire_windows")
    bare = spacy.blank("en")
    bare.max_length = nlp.max_length
    ratios: dict[int, float] = {}
    print(
        f"unpunctuated text, repeat {args.repeat}; load average {load()}; "
        f"Python {platform.python_version()}, spaCy {spacy.__version__}"
    )
    for size in sizes:
        text = transcript(size, args.words)
        ours, theirs = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            bare.tokenizer(text)
            theirs.append(time.perf_counter() - started)
            started = time.perf_counter()
            doc = nlp(text)
            result = analyse(nlp, doc)
            ours.append(time.perf_counter() - started)
        mine, bound = statistics.median(ours), statistics.median(theirs)
        ratios[size] = mine / bound
        without = ""
        if size <= args.unbounded_up_to:
            started = time.perf_counter()
            analyse(unbounded, unbounded(text))
            slow = time.perf_counter() - started
            without = f"; without windows {slow:6.2f} s, ratio {slow / bound:5.1f}x"
        print(
            f"  {size:>9,} chars: chipwire {mine:6.2f} s ({size / mine / 1e3:6.0f} kchars/s), "
            f"bare tokenizer {bound:5.2f} s, ratio {ratios[size]:5.1f}x; "
            f"{len(result.benchmarks)} claims, {len(result.deals)} deals{without}"
        )
    first, last = sizes[0], sizes[-1]
    print(
        f"  {last / first:.0f}x the length: the ratio to the tokenizer moved "
        f"{ratios[last] / ratios[first]:.2f}x (1.00 = linear; quadratic would be "
        f"{last / first:.0f}x)"
    )


if __name__ == "__main__":
    main()
