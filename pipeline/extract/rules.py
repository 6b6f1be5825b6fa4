"""Every rule file, validated (``rules_schema``) and compiled once into one immutable object.

``load_rules(directory)`` reads a whole ``patterns/`` directory, so a test can build
rules from files of its own; ``default_rules()`` is the bundled set, built once per
process (``build_nlp`` builds it at start-up).  The rule modules read their part
through ``deal_rules()``, ``money_rules()`` and ``load_patterns()``.

Case-insensitive patterns also get a case-sensitive "twin" for lowercased text
(``prefilter.twin``: the same spans, two to three times faster); a case-sensitive
pattern has no twin and is only ever run on the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from chipwire.pipeline.extract.prefilter import Gate, twin
from chipwire.pipeline.extract.quantities import NUM
from chipwire.pipeline.extract.rules_schema import (
    PATTERNS_DIR,
    BenchSubjects,
    CueRow,
    DealCues,
    DealParties,
    DealTables,
    ModelRow,
    MoneyPatterns,
    MoneyRates,
    MultiplierRow,
    Regex,
    RelevanceSpec,
    TriggerRow,
    UnitRow,
    WordRow,
    read_json,
    read_jsonl,
    read_phrases,
    read_words,
)


def compile_regex(spec: Regex) -> re.Pattern[str]:
    """A rule's regex as written, ``{NUM}`` standing for a written number."""
    flags = 0 if spec.case_sensitive else re.IGNORECASE
    return re.compile(spec.regex.replace("{NUM}", NUM), flags)


def _optional(spec: Regex | None) -> re.Pattern[str] | None:
    return compile_regex(spec) if spec is not None else None


# --- compiled deal rules ----------------------------------------------------------------


@dataclass(frozen=True)
class Trigger:
    deal_type: str
    pattern: re.Pattern[str]
    initiator: str  # "left" | "right": where the paying/initiating party stands
    status: str
    exclude_after: re.Pattern[str] | None
    right_initiator_cue: re.Pattern[str] | None
    funding: bool
    symmetric: bool
    modifier_target: bool = False
    owner_cue: re.Pattern[str] | None = None
    owner_in_object: bool = False


@dataclass(frozen=True)
class DealRules:
    triggers: tuple[Trigger, ...]
    cues: dict[str, re.Pattern[str]]
    parties: dict[str, re.Pattern[str]]
    name_stop_words: frozenset[str]
    agreement_nouns: frozenset[str]
    max_name_words: int
    org_suffixes: frozenset[str]
    given_names: frozenset[str]  # a listed name starting with one is a person's
    org_words: frozenset[str]  # words that end a firm's name ("Capital", "Bank")
    descriptors: tuple[tuple[str, ...], ...]  # words that introduce a name ("chip startup")
    tables: DealTables
    # Case-sensitive twins of the case-insensitive cues and triggers, for folded sentence
    # text; a case-sensitive cue has no entry (it must read the original text).
    folded_cues: dict[str, re.Pattern[str]] = field(default_factory=dict)
    folded_triggers: tuple[re.Pattern[str], ...] = ()


def _deal_rules(directory: Path) -> DealRules:
    rows = read_jsonl(directory / "deal_triggers.jsonl", TriggerRow)
    triggers = tuple(
        Trigger(
            deal_type=row.type,
            pattern=compile_regex(row),
            initiator=row.initiator,
            status=row.status,
            exclude_after=_optional(row.exclude_after),
            right_initiator_cue=_optional(row.right_initiator_cue),
            funding=row.funding,
            symmetric=row.symmetric,
            modifier_target=row.modifier_target,
            owner_cue=_optional(row.owner_cue),
            owner_in_object=row.owner_in_object,
        )
        for row in rows
    )
    cue_file = read_json(directory / "deal_cues.json", DealCues)
    cues = {name: compile_regex(getattr(cue_file, name)) for name in DealCues.model_fields}
    parties_file = read_json(directory / "deal_parties.json", DealParties)
    parties = {
        name: compile_regex(value)
        for name in DealParties.model_fields
        if isinstance(value := getattr(parties_file, name), Regex)
    }
    return DealRules(
        triggers=triggers,
        cues=cues,
        parties=parties,
        name_stop_words=frozenset(parties_file.name_stop_words),
        agreement_nouns=frozenset(parties_file.agreement_nouns),
        max_name_words=parties_file.max_name_words,
        org_suffixes=frozenset(parties_file.org_suffixes),
        given_names=frozenset(read_words(directory / "given_names.txt")),
        org_words=frozenset(read_words(directory / "org_words.txt")),
        descriptors=read_phrases(directory / "candidate_descriptors.txt"),
        tables=read_json(directory / "deal_tables.json", DealTables),
        folded_cues={
            name: twin(cue) or cue for name, cue in cues.items() if cue.flags & re.IGNORECASE
        },
        folded_triggers=tuple(twin(t.pattern) or t.pattern for t in triggers),
    )


# --- compiled money rules ---------------------------------------------------------------


@dataclass(frozen=True)
class MoneyRules:
    amount: re.Pattern[str]
    amount_folded: re.Pattern[str] | None  # case-sensitive twin of ``amount`` for folded text
    words: re.Pattern[str]
    word_values: dict[str, int]
    spoken_money_before: re.Pattern[str]
    stated_dollars_gap: re.Pattern[str]
    vague: re.Pattern[str]
    scales: dict[str, float]
    qualifiers: dict[str, str]
    currencies: dict[str, str]
    rates: dict[str, float]
    words_gate: Gate  # "twenty billion dollars" needs a scale word; most sentences have none
    vague_gate: Gate


def _money_rules(directory: Path) -> MoneyRules:
    data = read_json(directory / "money_patterns.json", MoneyPatterns)
    rates = read_json(directory / "money_rates.json", MoneyRates)
    amount, words, vague = (compile_regex(r) for r in (data.amount, data.words, data.vague))
    return MoneyRules(
        amount=amount,
        amount_folded=twin(amount),
        words=words,
        word_values={k.lower(): v for k, v in data.word_values.items()},
        spoken_money_before=compile_regex(data.spoken_money_before),
        stated_dollars_gap=compile_regex(data.stated_dollars_gap),
        vague=vague,
        scales={k.lower(): v for k, v in data.scales.items()},
        qualifiers={k.lower(): v for k, v in data.qualifiers.items()},
        currencies=dict(data.currency_aliases),
        rates=dict(rates.rates),
        words_gate=Gate(words),
        vague_gate=Gate(vague),
    )


# --- compiled benchmark rules -----------------------------------------------------------


@dataclass(frozen=True)
class UnitPattern:
    metric: str
    unit: str
    scale: float
    regex: re.Pattern[str]
    needs: str | None
    folded: re.Pattern[str] | None = None  # case-sensitive twin for folded text


@dataclass(frozen=True)
class MultiplierPattern:
    kind: str
    regex: re.Pattern[str]
    value: float | None
    metric: str | None = None  # set when the phrase itself names the metric ("twice as fast")
    check_exclude: bool = False  # drop it in sentences about money, utilisation...
    folded: re.Pattern[str] | None = None  # case-sensitive twin for folded text


@dataclass
class BenchPatterns:
    units: list[UnitPattern] = field(default_factory=list)
    multipliers: list[MultiplierPattern] = field(default_factory=list)
    words: dict[str, float] = field(default_factory=dict)
    # (category, regex) in file order for multiplier cue classification
    multiplier_cues: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    sentence_skip: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    context: dict[str, re.Pattern[str]] = field(default_factory=dict)
    context_exclude: dict[str, re.Pattern[str]] = field(default_factory=dict)
    single: dict[str, re.Pattern[str]] = field(default_factory=dict)  # upper_bound, baseline...
    models: list[tuple[str | None, re.Pattern[str]]] = field(default_factory=list)
    # registry kinds that are a subject only when nothing else is named (bench_subjects.json)
    excluded_subject_kinds: frozenset[str] = frozenset()


def _bench_patterns(directory: Path) -> BenchPatterns:
    patterns = BenchPatterns()
    for unit in read_jsonl(directory / "bench_units.jsonl", UnitRow):
        regex = compile_regex(unit)
        patterns.units.append(
            UnitPattern(unit.metric, unit.unit, unit.scale, regex, unit.needs, twin(regex))
        )
    for mult in read_jsonl(directory / "bench_multipliers.jsonl", MultiplierRow):
        regex = compile_regex(mult)
        patterns.multipliers.append(
            MultiplierPattern(
                mult.kind, regex, mult.value, mult.metric, mult.check_exclude, twin(regex)
            )
        )
    words = read_jsonl(directory / "bench_words.jsonl", WordRow)
    patterns.words = {row.word: row.value for row in words}
    for row in read_jsonl(directory / "bench_cues.jsonl", CueRow):
        regex = compile_regex(row)
        if row.cue == "multiplier":
            patterns.multiplier_cues.append((row.category, regex))
        elif row.cue == "sentence_skip":
            patterns.sentence_skip.append((row.category, regex))
        elif row.cue == "context":
            patterns.context[row.category] = regex
        elif row.cue == "context_exclude":
            patterns.context_exclude[row.category] = regex
        else:
            patterns.single[row.cue] = regex
    for model in read_jsonl(directory / "model_names.jsonl", ModelRow):
        patterns.models.append((model.name, compile_regex(model)))
    subjects = read_json(directory / "bench_subjects.json", BenchSubjects)
    patterns.excluded_subject_kinds = frozenset(subjects.excluded_kinds)
    return patterns


# --- relevance --------------------------------------------------------------------------


@dataclass(frozen=True)
class RelevanceRules:
    """What makes a text about the AI-compute market, compiled."""

    terms: re.Pattern[str]  # runs on the lowercased text
    units: re.Pattern[str]
    core_kinds: frozenset[str]
    min_terms: int
    min_core_companies: int
    min_words: int


def _relevance_rules(directory: Path) -> RelevanceRules:
    spec = read_json(directory / "relevance.json", RelevanceSpec)
    # Case-sensitive over the lowercased text (the engine runs case-insensitive patterns two
    # to three times slower); longest first, so "large language model" wins over "language
    # model" and "gpus" over "gpu" at one position.
    words = sorted({re.escape(term.lower()) for term in spec.terms}, key=len, reverse=True)
    return RelevanceRules(
        terms=re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])"),
        units=compile_regex(spec.units),
        core_kinds=frozenset(spec.core_kinds),
        min_terms=spec.min_terms,
        min_core_companies=spec.min_core_companies,
        min_words=spec.min_words,
    )


# --- the whole set ----------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """Every rule file of one ``patterns/`` directory, compiled."""

    deal: DealRules
    money: MoneyRules
    bench: BenchPatterns
    relevance: RelevanceRules


def load_rules(directory: Path = PATTERNS_DIR) -> Rules:
    """Read, validate and compile every rule file in ``directory``."""
    return Rules(
        deal=_deal_rules(directory),
        money=_money_rules(directory),
        bench=_bench_patterns(directory),
        relevance=_relevance_rules(directory),
    )


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The bundled rules, compiled once per process."""
    return load_rules()


def deal_rules() -> DealRules:
    return default_rules().deal


def money_rules() -> MoneyRules:
    return default_rules().money


def load_patterns() -> BenchPatterns:
    return default_rules().bench
