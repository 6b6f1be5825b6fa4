"""Benchmark claims: metrics, unit conversions, subjects, models and the exclusion rules."""

from __future__ import annotations

import pytest
from spacy.language import Language

from chipwire.pipeline.extract.bench_parts import BenchmarkClaim
from chipwire.pipeline.extract.benchmarks import extract_benchmarks
from chipwire.pipeline.extract.nlp import build_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


def claims(nlp: Language, text: str) -> list[BenchmarkClaim]:
    index = nlp.get_pipe("chipwire_companies").index
    return extract_benchmarks(nlp(text), index)


def facts(nlp: Language, text: str) -> set[tuple[str | None, str, float]]:
    return {(c.subject, c.metric, c.value) for c in claims(nlp, text)}


# --- metrics and unit conversions -------------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    ["410 tokens per second", "410 TPS", "410 tok/s", "410 t/s", "410 tokens/sec per user"],
)
def test_tokens_per_second_surface_forms(nlp: Language, phrase: str) -> None:
    text = f"In our tests Groq served the model at {phrase}."
    assert facts(nlp, text) == {("Groq", "tokens_per_second", 410.0)}


def test_thousands_separators_and_decimals_are_parsed(nlp: Language) -> None:
    text = "SambaNova reached 2,517.5 tokens per second."
    assert facts(nlp, text) == {("SambaNova", "tokens_per_second", 2517.5)}


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("7x faster", 7.0),
        ("3.5 times faster", 3.5),
        ("45% faster", 1.45),
        ("an order of magnitude faster", 10.0),
        ("twice as fast", 2.0),
    ],
)
def test_speedup_multipliers(nlp: Language, phrase: str, value: float) -> None:
    text = f"Cerebras says its wafer-scale system runs inference {phrase} than before."
    assert facts(nlp, text) == {("Cerebras", "speedup", value)}


def test_latency_in_seconds_is_converted_to_milliseconds(nlp: Language) -> None:
    text = "On Groq the time to first token was 0.25 seconds for a long prompt."
    assert facts(nlp, text) == {("Groq", "latency_ms", 250.0)}


def test_per_token_latency_in_milliseconds(nlp: Language) -> None:
    text = "Etched quotes a per-token latency of 4 ms for its Sohu chip."
    assert facts(nlp, text) == {("Etched", "latency_ms", 4.0)}


def test_exaflops_become_petaflops(nlp: Language) -> None:
    text = "AMD said the new cluster delivers 3.2 exaflops of AI compute."
    assert facts(nlp, text) == {("AMD", "pflops", 3200.0)}


def test_teraflops_and_petaflops(nlp: Language) -> None:
    assert facts(nlp, "Intel rates the accelerator at 1,835 TFLOPS of FP8.") == {
        ("Intel", "tflops", 1835.0)
    }
    assert facts(nlp, "Google says one pod reaches 42 petaflops.") == {("Google", "pflops", 42.0)}


def test_memory_bandwidth_in_terabytes_per_second(nlp: Language) -> None:
    text = "AMD's accelerator offers 8 TB/s of HBM memory bandwidth."
    assert facts(nlp, text) == {("AMD", "memory_bandwidth_tbps", 8.0)}


def test_power_efficiency_multiplier(nlp: Language) -> None:
    text = "Positron claims 4x better performance per watt than the incumbents."
    assert facts(nlp, text) == {("Positron", "power_efficiency", 4.0)}


def test_same_performance_at_a_fraction_of_the_power(nlp: Language) -> None:
    text = "Groq says its LPU delivers the same output at a third of the power."
    assert facts(nlp, text) == {("Groq", "power_efficiency", 3.0)}


# --- ranges, qualifiers, several companies, dedupe ----------------------------------------


def test_range_gives_one_claim_per_end(nlp: Language) -> None:
    text = "Cerebras says inference runs 5x to over 40x faster on its systems."
    assert facts(nlp, text) == {("Cerebras", "speedup", 5.0), ("Cerebras", "speedup", 40.0)}


@pytest.mark.parametrize("qualifier", ["more than", "about", "up to", "roughly"])
def test_qualifiers_keep_the_stated_number(nlp: Language, qualifier: str) -> None:
    text = f"Groq delivered {qualifier} 650 tokens per second."
    assert facts(nlp, text) == {("Groq", "tokens_per_second", 650.0)}


def test_claim_about_two_companies_gives_one_per_company(nlp: Language) -> None:
    text = "Microsoft and Cerebras said the joint service answers 12x faster."
    assert facts(nlp, text) == {("Microsoft", "speedup", 12.0), ("Cerebras", "speedup", 12.0)}


def test_restatements_are_not_duplicated(nlp: Language) -> None:
    text = "Groq hit 540 tokens per second. Again: Groq hit 540 TPS, a new high."
    assert len(claims(nlp, text)) == 1


# --- subjects and baselines ---------------------------------------------------------------


def test_subject_from_product_maker(nlp: Language) -> None:
    text = "In the benchmark the Trainium2 instance produced 210 tokens per second."
    assert facts(nlp, text) == {("Amazon", "tokens_per_second", 210.0)}


def test_unnamed_gpu_baseline_goes_to_nvidia(nlp: Language) -> None:
    text = "Groq ran the model at 480 tokens per second versus 55 on conventional GPUs."
    found = claims(nlp, text)
    assert {(c.subject, c.value) for c in found} == {("Groq", 480.0), ("Nvidia", 55.0)}
    main = next(c for c in found if c.subject == "Groq")
    assert main.baseline_value == 55.0
    assert main.baseline_subject == "Nvidia"


def test_provider_running_on_gpus_is_the_provider(nlp: Language) -> None:
    text = "DeepInfra, serving on H100 GPUs, measured 95 tokens per second."
    assert facts(nlp, text) == {("DeepInfra", "tokens_per_second", 95.0)}


def test_company_after_than_is_a_baseline_not_the_subject(nlp: Language) -> None:
    text = "Etched claims Sohu is 15x faster than Nvidia's H100."
    assert facts(nlp, text) == {("Etched", "speedup", 15.0)}


def test_model_maker_is_not_the_subject(nlp: Language) -> None:
    text = "Running Meta's Llama 3.1 70B, SambaNova reached 460 tokens per second."
    found = claims(nlp, text)
    assert [(c.subject, c.model) for c in found] == [("SambaNova", "Llama 3.1 70B")]


def test_list_rows_take_cue_and_model_from_their_heading(nlp: Language) -> None:
    text = (
        "End-to-end latency for gpt-oss-120b, 500 output tokens:\n"
        "- Cerebras: 1.9 s\n"
        "- Acme Inference: 5.25 s\n"
    )
    found = {(c.subject, c.metric, c.value, c.model) for c in claims(nlp, text)}
    assert found == {
        ("Cerebras", "latency_ms", 1900.0, "gpt-oss-120b"),
        ("Acme Inference", "latency_ms", 5250.0, "gpt-oss-120b"),
    }


def test_table_columns_give_units(nlp: Language) -> None:
    text = (
        "| Provider | Output speed (t/s) | E2E latency (s) |\n"
        "|---|---|---|\n"
        "| Groq | 612.4 | 2.1 |\n"
    )
    assert facts(nlp, text) == {
        ("Groq", "tokens_per_second", 612.4),
        ("Groq", "latency_ms", 2100.0),
    }


# --- model normalisation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mention", "model"),
    [
        ("GPT-OSS 120B", "gpt-oss-120b"),
        ("Llama-4 Maverick", "Llama 4 Maverick"),
        ("Llama 3.1 405B", "Llama 3.1 405B"),
        ("Llama3 70B", "Llama 3 70B"),
        ("Llama 70B", "Llama 70B"),
        ("DeepSeek R1", "DeepSeek-R1"),
        ("Mixtral 8x7B", "Mixtral"),
    ],
)
def test_model_names_are_normalised(nlp: Language, mention: str, model: str) -> None:
    text = f"Cerebras served {mention} at 900 tokens per second."
    assert [c.model for c in claims(nlp, text)] == [model]


def test_no_model_when_none_is_named(nlp: Language) -> None:
    assert [c.model for c in claims(nlp, "Groq served 300 tokens per second.")] == [None]


# --- hard negatives -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Qualcomm promises 8x better price-performance for its inference cards.",
        "Microsoft says Maia gives 25% better performance per dollar.",
        "Etched says its servers are 12x cheaper to build.",
        "Google reported 70% utilization across the TPU fleet.",
        "AMD packs 288 GB of HBM3E on the accelerator.",
        "Nvidia's chip has 208 billion transistors and 20,000 cores.",
        "Nvidia's NVLink switch offers 130 TB/s of scale-up bandwidth.",
        "Cerebras offers 5,000x more memory bandwidth than a GPU.",
        "Groq is running below 150 TPS on this model today.",
        "The rules require at least 100 tokens per second threshold to qualify.",
        "Groq keeps users within 50 milliseconds of a data center.",
        "The Positron rack draws 20 kW while an Nvidia rack draws 120 kW.",
        "xAI used 40,000x more compute to train the model than Google did.",
        "I'm excited to run Codex on Cerebras at 2,000 TPS one day.",
        "This video is sponsored by Groq: get 500 tokens per second with code FAST.",
        "Anthropic is valued at $180 billion and Groq has 2 million users.",
    ],
)
def test_exclusions_are_not_benchmarks(nlp: Language, text: str) -> None:
    assert claims(nlp, text) == []


def test_evidence_is_the_sentence_as_written(nlp: Language) -> None:
    text = "Intro. Groq served 300 tokens per second on Mixtral! Outro."
    (claim,) = claims(nlp, text)
    assert claim.evidence == "Groq served 300 tokens per second on Mixtral!"
    assert claim.evidence in text


def test_a_whole_sponsor_read_is_skipped(nlp: Language) -> None:
    text = (
        "Groq served 300 tokens per second in my test.\n\n"
        "This episode is brought to you by Cerebras. Cerebras runs models at 2,000 TPS, "
        "so try it today.\n\n"
        "Back to the show."
    )
    assert facts(nlp, text) == {("Groq", "tokens_per_second", 300.0)}


@pytest.mark.parametrize(
    "text",
    [
        "Groq improved inference throughput by 45% with the new compiler.",
        "Groq beat the prior record by 45%.",
        "Groq's throughput rose 45% after the update.",
    ],
)
def test_percentage_gains_stated_with_by_are_speedups(nlp: Language, text: str) -> None:
    assert facts(nlp, text) == {("Groq", "speedup", 1.45)}


def test_money_growth_percentages_are_not_speedups(nlp: Language) -> None:
    text = "Groq's revenue grew by 45% and its sales rose 30% last year."
    assert claims(nlp, text) == []


def test_memory_bandwidth_next_to_an_interconnect_figure(nlp: Language) -> None:
    text = "AMD's chip has memory bandwidth of 6 TB/s and Infinity Fabric links at 1.5 TB/s."
    assert facts(nlp, text) == {("AMD", "memory_bandwidth_tbps", 6.0)}


def test_decades_are_not_seconds(nlp: Language) -> None:
    text = "In the 1980s, output tokens were rare; today Groq answers in 0.4 seconds."
    assert facts(nlp, text) == {("Groq", "latency_ms", 400.0)}


def test_unregistered_provider_in_a_comma_list(nlp: Language) -> None:
    text = "Output speed: Groq 610 t/s, Zephyr Cloud 402 t/s."
    assert facts(nlp, text) == {
        ("Groq", "tokens_per_second", 610.0),
        ("Zephyr Cloud", "tokens_per_second", 402.0),
    }


def test_company_inside_a_relative_clause_is_not_the_subject(nlp: Language) -> None:
    text = "Groq, which buys wafers from Samsung, hit 820 tokens per second."
    assert facts(nlp, text) == {("Groq", "tokens_per_second", 820.0)}


def test_hosting_platform_shares_the_claim(nlp: Language) -> None:
    text = "Microsoft will offer Cerebras inference in its cloud, running up to 15x faster."
    assert facts(nlp, text) == {("Microsoft", "speedup", 15.0), ("Cerebras", "speedup", 15.0)}


# --- who makes the claim ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        ("Groq said its LPU serves Llama 3 70B at 300 tokens per second.", "Groq"),
        ("Nvidia CEO Jensen Huang said Blackwell is 30x faster than Hopper.", "Nvidia"),
        (
            "According to Cerebras, the WSE-3 runs gpt-oss-120b at 3,000 tokens per second.",
            "Cerebras",
        ),
        # a press release: "our" is the company the document opens with
        ("Groq today launched a new rack. Our LPU delivers 500 tokens/s on Llama 3.1 8B.", "Groq"),
        # neutral reports name no claimant
        ("Independent tests put the Groq LPU at 500 tokens per second.", None),
        ("Groq serves Llama at 300 tokens per second, analysts said.", None),
    ],
)
def test_claimant(nlp: Language, text: str, claimant: str | None) -> None:
    found = claims(nlp, text)
    assert found, text
    assert {c.claimant for c in found} == {claimant}
    assert {c.claimant_slug for c in found} == {claimant.lower() if claimant else None}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "On the leaderboard, Groq ran Llama 3.1 70B at 540 tokens per second and Cerebras "
            "at about 2,100, with Together AI at 180.",
            {
                ("Groq", "tokens_per_second", 540.0),
                ("Cerebras", "tokens_per_second", 2100.0),
                ("Together AI", "tokens_per_second", 180.0),
            },
        ),
        (
            "Groq hit 540 tokens per second, Cerebras 2,100 and SambaNova 460.",
            {
                ("Groq", "tokens_per_second", 540.0),
                ("Cerebras", "tokens_per_second", 2100.0),
                ("SambaNova", "tokens_per_second", 460.0),
            },
        ),
        (
            "Groq's time to first token was 0.2 seconds, with Cerebras at 0.15.",
            {("Groq", "latency_ms", 200.0), ("Cerebras", "latency_ms", 150.0)},
        ),
    ],
)
def test_a_unit_stated_once_covers_the_bare_figures_of_later_names(
    nlp: Language, text: str, expected: set[tuple[str | None, str, float]]
) -> None:
    assert facts(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Groq hit 540 tokens per second, and Cerebras raised $250 million in 2024.",
        "Groq hit 540 tokens per second, and Cerebras has 44 GB of memory.",
        "Groq hit 540 tokens per second across 64 chips, and Cerebras 16 racks.",
        # an unregistered name is no subject a bare number can be given to
        "Groq hit 540 tokens per second on Llama 3.1 70B, while Orvane Cloud managed 90.",
    ],
)
def test_numbers_that_are_no_figure_of_the_unit_are_left_alone(nlp: Language, text: str) -> None:
    assert facts(nlp, text) == {("Groq", "tokens_per_second", 540.0)}
