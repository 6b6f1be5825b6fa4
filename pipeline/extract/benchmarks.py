"""Benchmark claims: subject, metric, value, unit, model, baseline.

(Being built: see issue 4.)  Input is a Doc processed by the chipwire pipeline
(``doc.spans["companies"]`` and ``doc.spans["products"]``, sentences set).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from pipeline.extract.companies import CompanyIndex


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
    claimant: str | None = None


def extract_benchmarks(doc: Doc, index: CompanyIndex) -> list[BenchmarkClaim]:
    """Quantitative performance claims in the document, one per (subject, metric, value, model)."""
    return []
