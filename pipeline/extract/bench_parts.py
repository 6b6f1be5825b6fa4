"""What benchmark extraction passes around: claims, figures, segments and named entities,
and the distances its rules look across."""

from __future__ import annotations

from dataclasses import dataclass

NVIDIA = "nvidia"
# How far (characters) around a figure its cue words and baseline entities are looked for.
AFTER_WINDOW = 80
BEFORE_WINDOW = 60
MAX_CUE_WORDS = 8
LIST_LINE_MAX = 160
VALUE_TOLERANCE = 0.002


@dataclass
class BenchmarkClaim:
    subject: str | None  # canonical company name of the hardware/provider the figure is about
    subject_slug: str | None
    metric: str  # one of models.vocab.BENCHMARK_METRICS
    value: float  # in the metric's unit (pflops, ms, x, tokens/s, TB/s)
    unit: str
    evidence: str  # the sentence, exactly as in the text
    model: str | None = None  # normalised AI model name, e.g. "gpt-oss-120b"
    product: str | None = None  # product family, e.g. "LPU"
    baseline_value: float | None = None
    baseline_subject: str | None = None
    claimant: str | None = None  # canonical name of the company making the claim, if stated
    claimant_slug: str | None = None


@dataclass
class Entity:
    start: int
    end: int
    slug: str
    product: str | None  # family when the mention is a product


@dataclass
class Figure:
    metric: str
    value: float
    unit: str
    start: int  # absolute char offsets of the number
    end: int
    baseline: bool = False  # stated as the comparison point ("vs 60 on GPUs")
    baseline_of: Figure | None = None
    # "540 TPS for Groq, Cerebras at 2,100": a gapped figure is about the name before it
    subject_span: tuple[int, int] | None = None


@dataclass
class Segment:
    start: int
    end: int
    text: str
    header: str  # text of a preceding heading line ("E2E latency:"), else ""
    table_header: str = ""  # first row of the '|' table this row belongs to
    present: frozenset[str] | None = None  # its rule literals (None: not scanned)
