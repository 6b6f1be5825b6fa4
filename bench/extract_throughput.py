"""Extraction throughput: chipwire's full extraction against two spaCy references, same corpus.

chipwire's extraction is ``build_nlp()`` (blank English tokenizer, sentencizer, the
registry's company tagger) run with ``nlp.pipe`` and then ``analyse`` on every doc
(mentions, deals, benchmark claims, unknown-organisation candidates).  Its words/s is
compared with two references measured in the same run, on the same corpus:

* **bare spaCy tokenizer** (``spacy.blank("en").tokenizer.pipe``): nothing can be faster
  than tokenising, so it is the practical upper bound.  Target: chipwire >= 50 % of it.
* **chipwire tokenizer**: the same tokenizer configured as chipwire's pipeline configures
  it (``pipeline.extract.nlp.lean_tokenizer``): only the lexical attributes chipwire reads
  (spaCy computes ~20 per new word with Python functions), and plain words kept away from
  the affix patterns (the same tokens, proven and property-tested).  chipwire's own
  tokenisation is that cheap, so this is the stricter bound: it shows what the rules cost.
* **statistical NER** of en_core_web_sm's architecture (``spacy.blank("en")`` + ``tok2vec``
  + ``ner`` with spaCy's default configs: HashEmbedCNN width 96, depth 4; the ``ner``
  component has its own embedded tok2vec, as in en_core_web_sm), initialised untrained: its
  speed does not depend on its weights.  This is what a user would otherwise reach for.
  Target: chipwire >= 15x its words/s.

Why it is built this way:

* **A corpus with a real vocabulary.**  Text made from a few templates lets spaCy's
  tokenizer cache (and chipwire's per-string caches) hit almost every time, which makes
  every ratio meaningless.  Sentences here mix function words with filler drawn from a
  104k-word dictionary (``/usr/share/dict/words``), random registry names, aliases and
  products, varied numbers and money amounts, deal sentences and benchmark sentences with
  varied values and units, from a seeded RNG so runs are reproducible.
* **Each measurement in its own spawned process, with a fresh pipeline**, so neither a
  warm tokenizer cache nor memory left by another variant favours anyone.  Time is taken
  inside the child, after the pipeline is built and the corpus generated.
* **Alternating order, repeated**, medians reported, so a slow first run or a busy moment
  of the machine does not favour one side.
* **Words are whitespace-separated tokens of the corpus text**, the same count for every
  variant, so words/s figures divide into honest ratios.
* **Scaling by sharding articles across worker processes**: each worker builds its own
  pipeline and processes a shard of the corpus.  spaCy's ``nlp.pipe(n_process=2)`` was
  slower than one process on a 2-core machine (docs are pickled back to the parent), so
  sharding is what chipwire does instead (``chipwire extract --processes``); peak memory
  (max RSS) of each worker is reported since every worker holds its own compiled patterns.

Run from the project root: ``.venv/bin/python -m bench.extract_throughput [--docs N]
[--repeat K]``; ``--profile`` adds one cProfile'd extraction and prints where time goes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WORDS = Path("/usr/share/dict/words")
SEED = 20261122
TOKENIZER_SHARE_TARGET = 0.5  # chipwire words/s >= 50 % of the bare tokenizer's
NER_SPEEDUP_TARGET = 15.0  # chipwire words/s >= 15x the statistical NER pipeline's
KINDS = ("tokenizer", "lean", "ner", "chipwire")
LABELS = {
    "tokenizer": "bare tokenizer",
    "lean": "chipwire tokenizer",
    "ner": "tok2vec+ner",
    "chipwire": "chipwire",
}

# -- the corpus ----------------------------------------------------------------------------

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


# -- the variants (run in spawned worker processes) -----------------------------------------


def build(kind: str) -> tuple[Any, Callable[[list[tuple[str, str]]], int]]:
    """A fresh pipeline of ``kind`` and a function running it over (text, title) pairs.

    The function returns a checksum of the work done so the interpreter cannot skip it and a
    broken variant shows up as 0.
    """
    import spacy

    if kind in ("tokenizer", "lean"):
        nlp = spacy.blank("en")
        if kind == "lean":  # chipwire's own tokenizer settings, without its rules
            from chipwire.pipeline.extract.nlp import lean_tokenizer

            lean_tokenizer(nlp)

        def run_tokenizer(items: list[tuple[str, str]]) -> int:
            return sum(len(doc) for doc in nlp.tokenizer.pipe(text for text, _ in items))

        return nlp, run_tokenizer
    if kind == "ner":
        nlp = spacy.blank("en")
        nlp.add_pipe("tok2vec")  # spaCy's default: HashEmbedCNN width 96, depth 4
        ner = nlp.add_pipe("ner")  # default config, with its own embedded HashEmbedCNN
        for label in ("ORG", "MONEY", "PRODUCT"):
            ner.add_label(label)  # type: ignore[attr-defined]
        nlp.initialize()

        def run_ner(items: list[tuple[str, str]]) -> int:
            return sum(len(doc) for doc in nlp.pipe(text for text, _ in items))

        return nlp, run_ner
    if kind == "chipwire":
        from chipwire.pipeline.extract.analysis import analyse
        from chipwire.pipeline.extract.nlp import build_nlp

        nlp = build_nlp()

        def run_chipwire(items: list[tuple[str, str]]) -> int:
            found = 0
            for doc, title in nlp.pipe(items, as_tuples=True):
                result = analyse(nlp, doc, title)
                found += len(result.mentions) + len(result.deals) + len(result.benchmarks)
                found += len(result.candidates)
            return found

        return nlp, run_chipwire
    raise ValueError(kind)


def max_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports ru_maxrss in KiB)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 if sys.platform != "darwin" else rss / 2**20


def worker(
    kind: str,
    docs: int,
    words_path: Path,
    shard: int,
    shards: int,
    barrier: Barrier | None,
    results: Queue[dict[str, Any]],
    ner_docs: int,
) -> None:
    """One measurement: build a fresh pipeline, generate the corpus, time one shard of it.

    With several shards all workers wait at ``barrier`` once ready, so the timed windows
    overlap; times are ``time.monotonic`` (one system-wide clock on Linux), so the parent can
    take the span from the first start to the last end.
    """
    try:
        started = time.perf_counter()
        nlp, run = build(kind)
        built = time.perf_counter() - started
        articles = corpus(docs, words_path)
        if kind == "ner":
            articles = articles[:ner_docs]
        items = pipeline_input(articles[shard::shards])
        words = count_words(text for text, _ in items)
        if barrier is not None:
            barrier.wait()
        begin, cpu = time.monotonic(), time.process_time()
        checksum = run(items)
        end, cpu = time.monotonic(), time.process_time() - cpu
        config = nlp.config["components"] if kind == "ner" else {}
        results.put(
            {
                "kind": kind,
                "shard": shard,
                "begin": begin,
                "end": end,
                "cpu": cpu,
                "build": built,
                "words": words,
                "docs": len(items),
                "checksum": checksum,
                "rss_mb": max_rss_mb(),
                "ner_model": _ner_description(config) if config else "",
            }
        )
    except BaseException as error:  # report instead of hanging the parent on the queue
        results.put({"kind": kind, "shard": shard, "error": repr(error)})
        raise


def _ner_description(components: Any) -> str:
    """What the statistical reference actually ran, read from its resolved config."""
    tok2vec = components["tok2vec"]["model"]
    ner_t2v = components["ner"]["model"]["tok2vec"]
    return (
        f"tok2vec {tok2vec['@architectures']} width {tok2vec['width']} depth {tok2vec['depth']}"
        f" embed {tok2vec['embed_size']}; ner {components['ner']['model']['@architectures']}"
        f" with own {ner_t2v['@architectures']} width {ner_t2v['width']}"
        f" depth {ner_t2v['depth']}"
    )


@dataclass
class Run:
    """One measurement of one variant with ``processes`` workers."""

    kind: str
    processes: int
    words: int
    wall: float  # first worker start to last worker end, pipeline build excluded
    cpu: float  # summed over workers
    build: float  # slowest worker's pipeline build
    docs: int
    checksum: int
    rss_mb: list[float]
    ner_model: str = ""

    @property
    def rate(self) -> float:
        return self.words / self.wall


def measure(kind: str, docs: int, words_path: Path, processes: int = 1, ner_docs: int = 0) -> Run:
    """``kind`` over the corpus in ``processes`` spawned workers, each with its own shard."""
    context = multiprocessing.get_context("spawn")
    results: Queue[dict[str, Any]] = context.Queue()
    barrier = context.Barrier(processes) if processes > 1 else None
    workers = [
        context.Process(
            target=worker,
            args=(kind, docs, words_path, shard, processes, barrier, results, ner_docs),
        )
        for shard in range(processes)
    ]
    for process in workers:
        process.start()
    reports = [results.get() for _ in workers]
    for process in workers:
        process.join()
    failed = [report for report in reports if "error" in report]
    if failed:
        raise SystemExit(f"{kind} worker failed: {failed[0]['error']}")
    reports.sort(key=lambda report: report["shard"])
    return Run(
        kind=kind,
        processes=processes,
        words=sum(report["words"] for report in reports),
        wall=max(r["end"] for r in reports) - min(r["begin"] for r in reports),
        cpu=sum(report["cpu"] for report in reports),
        build=max(report["build"] for report in reports),
        docs=sum(report["docs"] for report in reports),
        checksum=sum(report["checksum"] for report in reports),
        rss_mb=[report["rss_mb"] for report in reports],
        ner_model=reports[0]["ner_model"],
    )


# -- the parent ------------------------------------------------------------------------------


def load() -> str:
    """1-minute load average: other work on the machine slows every variant, unevenly."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:  # pragma: no cover - not available on every platform
        return "n/a"


def print_run(label: str, run: Run) -> None:
    rss = ", ".join(f"{value:.0f}" for value in run.rss_mb)
    print(
        f"{label:<28} {run.wall:7.2f} s {run.rate:10,.0f} words/s  cpu {run.cpu:7.2f} s  "
        f"build {run.build:5.2f} s  max RSS {rss} MB  (checksum {run.checksum})",
        flush=True,
    )


def compare(docs: int, repeat: int, words_path: Path, ner_docs: int) -> dict[str, list[Run]]:
    """Every variant ``repeat`` times, the order reversed every other round.

    The NER reference reads only the first ``ner_docs`` articles: it is some 20-50x slower
    per word and its per-word cost does not depend on how many articles it sees (no cache),
    so a subset gives the same words/s at a fraction of the run time.
    """
    runs: dict[str, list[Run]] = {kind: [] for kind in KINDS}
    for n in range(repeat):
        order = KINDS if n % 2 == 0 else tuple(reversed(KINDS))
        for kind in order:
            run = measure(kind, docs, words_path, ner_docs=ner_docs)
            runs[kind].append(run)
            print_run(f"run {n + 1} {LABELS[kind]}", run)
    return runs


def scale(docs: int, repeat: int, words_path: Path) -> dict[int, list[Run]]:
    """The full extraction sharded over 1, 2 and os.cpu_count() worker processes."""
    counts = sorted({1, 2, os.cpu_count() or 1})
    runs: dict[int, list[Run]] = {count: [] for count in counts}
    for n in range(repeat):
        order = counts if n % 2 == 0 else list(reversed(counts))
        for count in order:
            run = measure("chipwire", docs, words_path, count)
            runs[count].append(run)
            print_run(f"run {n + 1} chipwire x{count} proc", run)
    return runs


def median_rate(runs: list[Run]) -> float:
    return statistics.median(run.rate for run in runs)


def conditions(docs: int, repeat: int, words: int, types: int, words_path: Path) -> list[str]:
    import spacy

    return [
        f"docs {docs}, words {words:,} (whitespace tokens), distinct words {types:,}, "
        f"filler from {words_path}, seed {SEED}, repeat {repeat}, order alternating",
        f"CPUs {os.cpu_count()}, load average {load()}, Python {platform.python_version()}, "
        f"spaCy {spacy.__version__}, {platform.platform()}",
        "each measurement in its own spawned process with a fresh pipeline; time taken "
        "inside it, pipeline build and corpus generation excluded",
    ]


def report(
    compared: dict[str, list[Run]],
    scaled: dict[int, list[Run]],
    docs: int,
    repeat: int,
    words_path: Path,
    articles: list[tuple[str, str]],
) -> None:
    """Medians, the two ratios against their targets, scaling and memory."""
    texts = [text for text, _ in pipeline_input(articles)]
    types = len({word for text in texts for word in text.split()})
    print("\nextraction throughput, chipwire vs bare tokenizer vs tok2vec+ner (same corpus)")
    for line in conditions(docs, repeat, count_words(texts), types, words_path):
        print(f"  {line}")
    ner = compared["ner"][0]
    print(
        f"  statistical reference: {ner.ner_model}, untrained; "
        f"on the first {ner.docs} docs ({ner.words:,} words)"
    )
    rates = {kind: median_rate(compared[kind]) for kind in KINDS}
    for kind in KINDS:
        rss = max(value for run in compared[kind] for value in run.rss_mb)
        print(f"  {LABELS[kind]:<18} median {rates[kind]:10,.0f} words/s  (max RSS {rss:.0f} MB)")
    share = rates["chipwire"] / rates["tokenizer"]
    speedup = rates["chipwire"] / rates["ner"]
    verdict = "meets" if share >= TOKENIZER_SHARE_TARGET else "BELOW"
    print(
        f"  chipwire / bare tokenizer {share:6.1%}  ({verdict} target {TOKENIZER_SHARE_TARGET:.0%})"
    )
    # chipwire configures its tokenizer to do less per new word (same tokens), which makes its
    # own tokenisation cheaper than the bound: the chipwire tokenizer shows what the rules cost.
    lean = rates["chipwire"] / rates["lean"]
    print(f"  chipwire / chipwire tok.  {lean:6.1%}  (its own tokenizer, without the rules)")
    verdict = "meets" if speedup >= NER_SPEEDUP_TARGET else "BELOW"
    print(
        f"  chipwire / tok2vec+ner   {speedup:6.1f}x  ({verdict} target {NER_SPEEDUP_TARGET:.0f}x)"
    )
    if not scaled:
        return
    print("\nscaling: articles sharded across worker processes, each with its own pipeline")
    print(
        "  (spaCy's nlp.pipe(n_process=2) was slower than one process on a 2-core machine: "
        "docs travel back pickled; sharding articles is used instead)"
    )
    base = median_rate(scaled[min(scaled)])
    for count, runs in scaled.items():
        rate = median_rate(runs)
        per_worker = max(value for run in runs for value in run.rss_mb)
        print(
            f"  {count} process{'es' if count > 1 else '  '} median {rate:10,.0f} words/s  "
            f"speed-up {rate / base:4.2f}x  max RSS per worker {per_worker:.0f} MB "
            f"(x{count} = {per_worker * count:.0f} MB)"
        )
    print(f"  parent max RSS {max_rss_mb():.0f} MB")


def profile(docs: int, words_path: Path, limit: int = 25) -> None:
    """One cProfile'd extraction in this process; prints the top functions and chipwire's."""
    import cProfile
    import pstats

    _, run = build("chipwire")
    items = pipeline_input(corpus(docs, words_path))
    profiler = cProfile.Profile()
    profiler.runcall(run, items)
    stats = pstats.Stats(profiler)
    for key in ("tottime", "cumulative"):
        print(f"\n-- extraction profile, top {limit} by {key} --")
        stats.sort_stats(key).print_stats(limit)
    print("\n-- chipwire's own code, by cumulative time --")
    stats.sort_stats("cumulative").print_stats(r"/pipeline/", limit)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="articles in the corpus")
    parser.add_argument("--repeat", type=int, default=3, help="measurements of each variant")
    parser.add_argument(
        "--words", type=Path, default=DEFAULT_WORDS, help="word list for filler (wamerican)"
    )
    parser.add_argument(
        "--ner-docs",
        type=int,
        default=200,
        help="articles the (slow) tok2vec+ner reference reads; its words/s needs no more",
    )
    parser.add_argument("--no-scale", action="store_true", help="skip the worker-process runs")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also run one cProfile'd extraction and print where its time goes",
    )
    args = parser.parse_args(argv)
    if args.docs < 1 or args.repeat < 1:
        parser.error("--docs and --repeat must be positive")
    articles = corpus(args.docs, args.words)  # fails early on a missing word list
    compared = compare(args.docs, args.repeat, args.words, min(args.ner_docs, args.docs))
    scaled = {} if args.no_scale else scale(args.docs, args.repeat, args.words)
    if args.profile:
        profile(args.docs, args.words)
    report(compared, scaled, args.docs, args.repeat, args.words, articles)


if __name__ == "__main__":
    main()
