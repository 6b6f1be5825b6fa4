"""The shape of every rule file in ``patterns/``, checked when the files are read.

A typo in a rule file must not quietly switch a rule off, so every file is validated:
an unknown key, a missing key or a value of the wrong kind is a load-time error naming
the file, the line (for JSON-lines files) and the key.  Every regular expression says
whether it is case-sensitive (``case_sensitive``, required): a cue meant for a named
outlet ("Reuters reported") and a cue meant for any wording ("reportedly") need
different answers, and a default would hide which one a pattern was written for.

This module only describes and reads the files; ``rules`` compiles them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chipwire.models.vocab import BENCHMARK_METRICS, DEAL_STATUSES, DEAL_TYPES
from chipwire.pipeline.errors import ChipwireError, first_line, validation_message

PATTERNS_DIR = Path(__file__).parent / "patterns"

DealType = Literal[DEAL_TYPES]  # type: ignore[valid-type]
DealStatus = Literal[DEAL_STATUSES]  # type: ignore[valid-type]
Metric = Literal[BENCHMARK_METRICS]  # type: ignore[valid-type]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Regex(_Strict):
    """One regular expression and whether letter case matters to it."""

    regex: str = Field(min_length=1)
    case_sensitive: bool


# --- deals ------------------------------------------------------------------------------


class TriggerRow(Regex):
    """A line of deal_triggers.jsonl: the words that make a sentence a deal of one type."""

    type: DealType
    initiator: Literal["left", "right"] = "left"  # where the paying party stands
    status: DealStatus = "announced"
    exclude_after: Regex | None = None  # what right after the trigger makes it no deal
    right_initiator_cue: Regex | None = None
    # read right after a party's name ("Vireo's interconnect designs"): that party owns what
    # changes hands, so it takes the second role (licensor) wherever the sentence puts it
    owner_cue: Regex | None = None
    funding: bool = False
    symmetric: bool = False
    modifier_target: bool = False  # "the Vantor takeover": the name before the word is the target
    # "buy Nvidia GPUs", "deploy chips from AMD": the supplier is named in the object or
    # right after it ("from", "made by"); a product without an owner binds no one
    owner_in_object: bool = False


class DealCues(_Strict):
    """deal_cues.json: phrases that change what a deal sentence states."""

    skip: Regex
    talks: Regex
    reported: Regex
    reported_by_name: Regex
    completed: Regex
    completed_strong: Regex
    announced_override: Regex
    cumulative: Regex
    background: Regex
    background_year_first: Regex
    background_no_year: Regex  # "back when X bought Y": a deal told in passing
    year: Regex
    question_end: Regex
    speculative_mention: Regex
    first_person: Regex
    funding_context: Regex
    valuation_before: Regex
    valuation_after: Regex
    list_trigger: Regex
    anaphor: Regex
    value_reference: Regex  # "the deal is worth $X": a value for the agreement just named
    agreement_noun: Regex  # a head that binds its co-subjects as parties
    void: Regex
    same_customer: Regex  # "that same customer": the customer of the deal just stated


class DealParties(_Strict):
    """deal_parties.json: where the parties of a funding round stand, and what a name is."""

    lead: Regex
    lead_subject: Regex
    participants: Regex
    participant_subject: Regex
    segment_stop: Regex
    name_strip_prefix: Regex
    function_words: Regex
    co_lead: Regex
    co_lead_subject: Regex
    preposition_before: Regex
    from_investors: Regex
    subject_tail: Regex  # between a clause's subject and its head: appositive, auxiliaries
    possessive_subject: Regex  # "Kestrel's $2 billion purchase of": the head noun's owner
    clause_subject: Regex  # a capitalised name opening a clause, then its verb
    pronoun_subject: Regex  # "it" right before the head: the document's company
    plural_pronoun_subject: Regex  # "They raised ...": a clause opened by "they"
    investee_object: Regex  # "invest(ed) [$X] in Y": an investment with its investee
    round_owner: Regex  # "X's $N million Series B": the round's raiser
    round_reference: Regex  # "X led the round": a round named before, not a new one
    reduced_relative: Regex  # "X, the startup <acquirer> bought": X is the target
    release_issuer: Regex  # a press release's dateline "-- X, Inc., ... today announced"
    object_owner_after: Regex  # between a product and its maker: "chips from", "GPUs made by"
    name_stop_words: tuple[str, ...]
    # a capitalised run ending in one of these is the agreement, not a company, as in
    # title-case headlines ("... Signs Supply Agreement with ...")
    agreement_nouns: tuple[str, ...]
    max_name_words: int = Field(gt=0)
    org_suffixes: tuple[str, ...]


class DealTables(_Strict):
    """deal_tables.json: the deal logic's tables and distances."""

    status_rank: dict[DealStatus, int]
    roles: dict[DealType, tuple[str, str]]  # (first party's role, other party's role)
    drops: dict[DealType, tuple[DealType, ...]]  # a type found in a sentence drops these
    value_window: int = Field(gt=0)  # characters around an amount a valuation cue governs
    object_window: int = Field(gt=0)  # characters after a trigger its object is read in
    skip_window: int = Field(gt=0)  # characters before a trigger a negation still governs


# --- money ------------------------------------------------------------------------------


class MoneyPatterns(_Strict):
    """money_patterns.json: amounts, their words and qualifiers."""

    amount: Regex
    vague: Regex
    words: Regex
    scales: dict[str, float]
    qualifiers: dict[str, str]
    currency_aliases: dict[str, str]
    word_values: dict[str, int]
    spoken_money_before: Regex  # "raised two hundred million": no currency word, a money verb
    # "€1.7 billion (about $2 billion)": between an amount and the text's own dollar figure
    stated_dollars_gap: Regex


class MoneyRates(_Strict):
    """money_rates.json: approximate USD per unit of currency, for deal values in USD."""

    comment: str = Field(alias="_comment", default="")
    rates: dict[str, float]


# --- benchmarks -------------------------------------------------------------------------


class UnitRow(Regex):
    """A line of bench_units.jsonl: a figure with its unit, and the metric it measures."""

    metric: Metric
    unit: str
    scale: float
    needs: str | None = None


class MultiplierRow(Regex):
    """A line of bench_multipliers.jsonl: "3x", "three times", "twice as fast"."""

    kind: str
    value: float | None = None
    metric: Metric | None = None
    check_exclude: bool = False


class WordRow(_Strict):
    """A line of bench_words.jsonl: a number written as a word."""

    word: str
    value: float


class CueRow(Regex):
    """A line of bench_cues.jsonl: a phrase that classifies or disqualifies a figure."""

    cue: str
    category: str


class ModelRow(Regex):
    """A line of model_names.jsonl: a model's normalised name and how it is written."""

    name: str | None


class BenchSubjects(_Strict):
    """bench_subjects.json: which kinds of company are never first choice as a subject."""

    comment: str = Field(alias="_comment", default="")
    excluded_kinds: tuple[str, ...]


class RelevanceSpec(_Strict):
    """relevance.json: what makes a text about the AI-compute market (see its comment)."""

    comment: str = Field(alias="_comment", default="")
    terms: tuple[str, ...] = Field(min_length=1)
    units: Regex
    core_kinds: tuple[str, ...]
    min_terms: int = Field(gt=0)
    min_core_companies: int = Field(gt=0)
    min_words: int = Field(ge=0)


# --- reading ----------------------------------------------------------------------------

Row = TypeVar("Row", bound=BaseModel)


def read_json(path: Path, shape: type[Row]) -> Row:
    """One JSON file validated as ``shape``, or a ChipwireError naming file and key."""
    try:
        data: Any = json.loads(path.read_text("utf-8"))
        return shape.model_validate(data)
    except ValidationError as exc:
        raise ChipwireError(f"{path}: {validation_message(exc)}") from exc
    except (OSError, ValueError) as exc:
        raise ChipwireError(f"{path}: {first_line(exc)}") from exc


def _content_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, stripped text) of the lines that are neither blank nor ``#`` comments."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise ChipwireError(f"{path}: {first_line(exc)}") from exc
    return [
        (number, line.strip())
        for number, line in enumerate(lines, start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def read_jsonl(path: Path, shape: type[Row]) -> tuple[Row, ...]:
    """One row per non-blank line (``#`` starts a comment line), each validated."""
    rows = []
    for number, line in _content_lines(path):
        try:
            rows.append(shape.model_validate(json.loads(line)))
        except ValidationError as exc:
            raise ChipwireError(f"{path}:{number}: {validation_message(exc)}") from exc
        except ValueError as exc:
            raise ChipwireError(f"{path}:{number}: {first_line(exc)}") from exc
    return tuple(rows)


def read_words(path: Path) -> tuple[str, ...]:
    """A word list: one entry per line, ``#`` starts a comment line; each a capitalised word."""
    lines = _content_lines(path)
    for number, word in lines:
        if not word[0].isupper() or " " in word:
            raise ChipwireError(f"{path}:{number}: {word!r} is not one capitalised word")
    return tuple(word for _, word in lines)


def read_phrases(path: Path) -> tuple[tuple[str, ...], ...]:
    """A phrase list: one lowercase phrase per line, ``#`` starts a comment line; each phrase
    as its words (a hyphen stands alone, as the tokenizer splits it)."""
    phrases = []
    for number, phrase in _content_lines(path):
        if phrase != phrase.lower() or not any(ch.isalpha() for ch in phrase):
            raise ChipwireError(f"{path}:{number}: {phrase!r} is not a lowercase phrase")
        phrases.append(tuple(phrase.replace("-", " - ").split()))
    return tuple(phrases)
