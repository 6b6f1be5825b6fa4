"""Speedup phrasings beyond "Nx faster" (error class 7 of issue 10): leads and edges over a
baseline, "more powerful", compute stated per precision, doubling and quadrupling, and
"the next-fastest". Sentences written for these tests, with hard negatives from the
annotation rules' exclusions (memory, counts of GPUs, training compute).
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from chipwire.pipeline.extract.benchmarks import extract_benchmarks
from chipwire.pipeline.extract.nlp import build_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


def speedups(nlp: Language, text: str) -> list[float]:
    index = nlp.get_pipe("chipwire_companies").index  # type: ignore[attr-defined]
    found = extract_benchmarks(nlp(text), index)
    return sorted(c.value for c in found if c.metric == "speedup")


@pytest.mark.parametrize(
    ("text", "values"),
    [
        (
            "Groq says its Vireo card delivers up to four times the AI compute of its predecessor.",
            [4],
        ),
        ("Groq put its inference lead over the H200 at 1.4x to 1.6x in its own tests.", [1.4, 1.6]),
        ("Cerebras claimed a 1.25x edge in selected inference workloads.", [1.25]),
        ("The Groq lead narrows to about 1.8x.", [1.8]),
        ("Groq's advantage over the B200 is 2.2x on long prompts.", [2.2]),
        ("Groq said the LPU v3 doubled FP8 compute and quadrupled INT8 throughput.", [2, 4]),
        ("The next Groq chip would be up to 8 times more powerful than the current one.", [8]),
        ("Together AI reached nearly 3x the next-fastest provider on one benchmark.", [3]),
        ("SambaNova says its new rack quadrupled inference throughput.", [4]),
        # a multiple of a named baseline chip, per chip or per GPU
        ("Groq says that puts the LPU at 2.5x to 3x the H200 per chip.", [2.5, 3]),
        ("Groq claims 4x a single B200 on long prompts.", [4]),
        ("Etched says Sohu runs at 20x the H100 per GPU.", [20]),
    ],
)
def test_speedup_phrasings(nlp: Language, text: str, values: list[float]) -> None:
    assert speedups(nlp, text) == pytest.approx(values)


@pytest.mark.parametrize(
    "text",
    [
        "Groq's memory capacity is 4x larger than last year's.",
        "Groq says the LPU has 6x the H100's memory capacity.",
        "Groq says the part costs a third of the B200 price, 3x the H100 bandwidth.",
        "Groq now runs 10x more GPUs than it did in 2024.",
        "Frontier models need 50,000x more compute to train than in 2015.",
        "The lead investor put in 3x more money than in the last round.",
        "Groq doubled its headcount and quadrupled its customer count.",
        "Cerebras cut its price by half, a 2x edge on cost per token.",
    ],
)
def test_non_performance_multipliers_are_not_speedups(nlp: Language, text: str) -> None:
    assert speedups(nlp, text) == []
