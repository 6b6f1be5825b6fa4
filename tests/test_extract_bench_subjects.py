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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a sentence naming only models belongs to the provider named before it
        (
            "Fireworks AI published new speed results this week. It ran 2.5x faster on "
            "Kimi-K2 and 40% faster on Llama 3.1 70B.",
            ["Fireworks AI", "Fireworks AI"],
        ),
        # the company after 'performance per watt of' / 'below' is the baseline
        (
            "Rebellions unveiled its next chip on Monday. It is rated at 600 teraflops, far "
            "below the power budget of Nvidia's GPUs.",
            ["Rebellions"],
        ),
        (
            "Rebellions says the chip gives three times the performance per watt of Nvidia's H100.",
            ["Rebellions"],
        ),
        # a memory maker named earlier is not the subject of a later figure
        (
            "Tenstorrent said its new card uses HBM from SK Hynix. The card reaches 900 "
            "teraflops at FP8.",
            ["Tenstorrent"],
        ),
    ],
)
def test_a_figure_without_its_own_maker_goes_to_the_maker_named_before(
    nlp: Language, text: str, expected: list[str]
) -> None:
    assert subjects(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the document is plainly about one provider: a figure with no maker of its own is its
        (
            "Fireworks AI raised money this year. Fireworks AI also hired staff. Fireworks AI "
            "serves models for Nvidia customers. The headline numbers: nearly 2x the "
            "next-fastest provider on one model.",
            ["Fireworks AI"],
        ),
        # a memory maker named only as the source of a part is not the subject
        (
            "Rebellions makes the Atom chip. Each card pairs the processor with HBM3E memory "
            "from SK hynix, for 2.1 terabytes per second of memory bandwidth.",
            ["Rebellions"],
        ),
    ],
)
def test_a_figure_without_a_maker_goes_to_the_documents_company(
    nlp: Language, text: str, expected: list[str]
) -> None:
    assert subjects(nlp, text) == expected


def test_without_a_plain_topic_the_last_maker_named_is_the_subject(nlp: Language) -> None:
    text = (
        "Groq and Cerebras both posted results. Cerebras then spoke. The headline number: "
        "nearly 2x the next-fastest provider."
    )
    assert subjects(nlp, text) == ["Cerebras"]
