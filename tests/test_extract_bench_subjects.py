"""Benchmark subjects: the maker or provider of the hardware a figure is about.

Sentences written for these tests (error class 7 of issue 10): the model's lab, an
investor, the foundry or the memory maker named beside a figure is not its subject, unless
the sentence names nobody else.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from chipwire.pipeline.extract.analysis import analyse
from chipwire.pipeline.extract.nlp import build_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


def subjects(nlp: Language, text: str) -> list[str | None]:
    return [claim.subject for claim in analyse(nlp, nlp(text)).benchmarks]


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        ("DeepSeek's R1 ran at 1,500 tokens per second on Cerebras systems.", "Cerebras"),
        ("Built on TSMC's 3nm process, Groq's next LPU reaches 2,000 tokens per second.", "Groq"),
        (
            "With HBM3E from SK Hynix, the AMD MI355X offers 8 TB/s of memory bandwidth.",
            "AMD",
        ),
        (
            "Backed by BlackRock, Etched says its Sohu chip runs Llama 3 70B at 500,000 tokens "
            "per second.",
            "Etched",
        ),
        ("Anthropic said Claude ran twice as fast on Google's TPUs.", "Google"),
        ("Mistral AI's model served by Cerebras reached 1,100 tokens per second.", "Cerebras"),
    ],
)
def test_the_hardware_or_provider_is_the_subject(nlp: Language, sentence, subject) -> None:
    assert subjects(nlp, sentence) == [subject]


def test_a_model_lab_alone_in_its_sentence_stays_the_subject(nlp: Language) -> None:
    assert subjects(nlp, "OpenAI said its own model reaches 300 tokens per second.") == ["OpenAI"]


def test_two_providers_named_together_share_the_figure(nlp: Language) -> None:
    text = "Groq and Cerebras both exceed 1,000 tokens per second on Llama 3.1 8B."
    assert subjects(nlp, text) == ["Groq", "Cerebras"]
