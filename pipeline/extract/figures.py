"""Figures in text: segments (sentences split at line breaks), numbers with their units and
multipliers, table rows, and the cue words that classify or disqualify a figure."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable

from spacy.tokens import Doc

from chipwire.pipeline.extract import scan
from chipwire.pipeline.extract.bench_parts import (
    AFTER_WINDOW,
    BEFORE_WINDOW,
    MAX_CUE_WORDS,
    Entity,
    Figure,
    Segment,
)
from chipwire.pipeline.extract.prefilter import fold, folded_finditer
from chipwire.pipeline.extract.quantities import parse_number
from chipwire.pipeline.extract.rules import BenchPatterns, UnitPattern
from chipwire.pipeline.extract.view import doc_view


def split_segments(doc: Doc) -> list[Segment]:
    """Sentences, cut further at line breaks (list items and table rows stand alone)."""
    view = doc_view(doc)
    text = view.text
    cuts = sorted({*view.sentence_starts, len(text)})
    segments: list[Segment] = []
    for line in re.finditer(r"[^\n]+", text):
        first = bisect.bisect_right(cuts, line.start())
        inner = cuts[first : bisect.bisect_left(cuts, line.end())]
        bounds = [line.start(), *inner, line.end()]
        for start, end in itertools.pairwise(bounds):
            piece = text[start:end]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                body = piece.strip()
                segments.append(Segment(start + lead, start + lead + len(body), body, ""))
    for i, seg in enumerate(segments):
        if not is_table_row(seg.text):
            continue
        first = seg
        for prev in reversed(segments[:i]):
            if not is_table_row(prev.text) or re.search(r"\n\s*\n", text[prev.end : first.start]):
                break
            first = prev
        if first is not seg:
            seg.table_header = first.text
    return segments


def set_header(segments: list[Segment], i: int, text: str) -> None:
    """A list item or table row inherits the cue words of the line that introduces it.

    Worked out only for segments that hold a figure: looking back up to a dozen
    segments for each one was a large share of the time on figure-free text.
    """
    seg = segments[i]
    later = seg
    for prev in reversed(segments[max(0, i - 12) : i]):
        if re.search(r"\n\s*\n", text[prev.end : later.start]):
            break
        if prev.text.rstrip().endswith(":") or is_heading(prev.text):
            seg.header = prev.text
            break
        later = prev


def is_heading(line: str) -> bool:
    bare = re.sub(r"\([^)]*\)", "", line)
    return len(line) < 80 and not re.search(r"[.!?]$", line) and not re.search(r"(?<!\w)\d", bare)


def entities_of(doc: Doc) -> list[Entity]:
    view = doc_view(doc)
    found = [Entity(row.start, row.end, row.slug, None) for row in view.companies]
    found += [Entity(row.start, row.end, row.slug, row.family) for row in view.products]
    return sorted(found, key=lambda e: e.start)


def word_count_cut(text: str, pats: BenchPatterns) -> str:
    cut = pats.single["clause_cut"].search(text)
    if cut:
        text = text[: cut.start()]
    return " ".join(text.split()[:MAX_CUE_WORDS])


_WEAK_CUE_LINK = re.compile(
    r"\b(?:of|by|is|was|at|to)\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+|"
    r"over\s+|more\s+than\s+|up\s+to\s+|as\s+much\s+as\s+)?$|"
    r"\b(?:at|of)\s+[\d.]+\s*[x×]\s+to\s+$"
)


def classify_multiplier(after: str, before: str, pats: BenchPatterns) -> str | None:
    """speedup / power_efficiency / None (excluded or no cue) for an 'Nx' figure."""
    phrase = word_count_cut(after, pats)
    best: tuple[int, str] | None = None
    weak = False
    for category, regex in pats.multiplier_cues:
        match = regex.search(phrase)
        if not match:
            continue
        if category == "speedup_weak":
            weak = True
            continue
        if best is None or match.start() < best[0]:
            best = (match.start(), category)
    if best is not None:
        return None if best[1] == "exclude" else best[1]
    if weak:
        near = before[-BEFORE_WINDOW // 2 :]
        excluded = any(cat == "exclude" and rx.search(near) for cat, rx in pats.multiplier_cues)
        return None if excluded else "speedup"
    # "a speedup of 4x", "price-performance of 10x": the latest cue before the figure.
    tail = before[-BEFORE_WINDOW:]
    best = None
    for category, regex in pats.multiplier_cues:
        for match in regex.finditer(tail):
            if best is None or match.end() > best[0]:
                best = (match.end(), category)
    if best is None or best[1] == "exclude":
        return None
    if best[1] == "speedup_weak":
        # "a lead of 2x", "the edge shrinks to about 2.5x", "at 1.2x to 1.3x"
        return "speedup" if _WEAK_CUE_LINK.search(tail) else None
    return best[1]


def clause_around(text: str, start: int, end: int) -> str:
    """The clause holding text[start:end]: bounded by , ; and/while, at most a window wide."""
    left = text[max(0, start - BEFORE_WINDOW) : start]
    right = text[end : end + 30]
    boundary = r"[,;]|\b(?:and|while|whereas|but)\b"
    cuts = list(re.finditer(boundary, left))
    if cuts:
        left = left[cuts[-1].end() :]
    cut = re.search(boundary, right)
    if cut:
        right = right[: cut.start()]
    return left + text[start:end] + right


def strip_qualifier(before: str, pats: BenchPatterns) -> str:
    match = pats.single["qualifier"].search(before)
    return before[: match.start()] if match else before


def find_figures(seg: Segment, pats: BenchPatterns) -> list[Figure]:
    text, present = seg.text, seg.present
    figures: list[Figure] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def upper_bounded(start: int) -> bool:
        return bool(pats.single["upper_bound"].search(text[:start]))

    def add(metric: str, value: float, unit: str, start: int, end: int, range_ok: bool) -> None:
        before = strip_qualifier(text[:start], pats)
        baseline = bool(pats.single["baseline"].search(before[-BEFORE_WINDOW:]))
        figures.append(Figure(metric, value, unit, seg.start + start, seg.start + end, baseline))
        if range_ok:
            rng = pats.single["range"].search(before)
            if rng:
                first = parse_number(rng.group("num"))
                scale = value / parse_number_at(text, start)
                figures.append(
                    Figure(
                        metric,
                        first * scale if unit != "x%" else first,
                        unit,
                        seg.start + rng.start(),
                        seg.start + rng.end(),
                        baseline,
                    )
                )

    context = f"{seg.header} {text}"
    # The unit and multiplier patterns run as case-sensitive twins on the folded segment
    # (same spans, faster) unless folding changed its length.
    folded = fold(text)
    for unit_pattern in [pats.units[i] for i in scan.unit_selector().select(present)]:
        for match in folded_finditer(unit_pattern.regex, unit_pattern.folded, text, folded):
            start, end = match.start("num"), match.end()
            if not free(start, end) or upper_bounded(start):
                continue
            if unit_pattern.needs:
                if not pats.context[unit_pattern.needs].search(context):
                    continue
                local = clause_around(text, start, end)
                exclude = pats.context_exclude.get(unit_pattern.needs)
                if exclude and exclude.search(local):
                    continue
            value = parse_number(match.group("num")) * unit_pattern.scale
            taken.append((start, end))
            add(unit_pattern.metric, value, unit_pattern.unit, start, end, True)
            bare = pats.single["baseline_bare"].match(text[end:])
            if bare:
                b_start, b_end = end + bare.start("num"), end + bare.end("num")
                if free(b_start, b_end):
                    taken.append((b_start, b_end))
                    base_value = parse_number(bare.group("num")) * unit_pattern.scale
                    figure = Figure(
                        unit_pattern.metric,
                        base_value,
                        unit_pattern.unit,
                        seg.start + b_start,
                        seg.start + b_end,
                        True,
                        figures[-1],
                    )
                    figures.append(figure)
            figures.extend(_gapped(text, end, unit_pattern, seg.start, pats, free, taken))
    for mult in [pats.multipliers[i] for i in scan.multiplier_selector().select(present)]:
        for match in folded_finditer(mult.regex, mult.folded, text, folded):
            # A pattern may reach back to its verb ("beat ... by 31%"): the figure is the number.
            start = match.start("num") if "num" in mult.regex.groupindex else match.start()
            end = match.end()
            if not free(start, end) or upper_bounded(start):
                continue
            groups = match.groupdict()
            if mult.value is not None:
                value = float(mult.value)
            elif groups.get("word"):
                value = pats.words[groups["word"].lower()]
            else:
                value = parse_number(groups["num"])
            if mult.kind in ("percent", "percent_by"):
                value = round(1 + value / 100, 4)
            if mult.check_exclude and any(
                cat == "exclude" and rx.search(text) for cat, rx in pats.multiplier_cues
            ):
                metric: str | None = None
            elif mult.metric:
                metric = mult.metric
            else:
                metric = classify_multiplier(text[end : end + AFTER_WINDOW], text[:start], pats)
            if metric is None:
                continue
            taken.append((start, end))
            before = strip_qualifier(text[:start], pats)
            figures.append(Figure(metric, value, "x", seg.start + start, seg.start + end))
            rng = pats.single["range"].search(before)
            if rng and mult.kind in ("times", "percent"):
                first = parse_number(rng.group("num"))
                if mult.kind == "percent":
                    first = round(1 + first / 100, 4)
                figures.append(
                    Figure(metric, first, "x", seg.start + rng.start(), seg.start + rng.end())
                )
    return figures


def cells(line: str) -> list[tuple[int, str]]:
    """(offset, text) of each cell of a '|'-separated table row."""
    cells = []
    for match in re.finditer(r"[^|]+", line):
        if match.group().strip():
            lead = len(match.group()) - len(match.group().lstrip())
            cells.append((match.start() + lead, match.group().strip()))
    return cells


def is_table_row(line: str) -> bool:
    return line.count("|") >= 2


def table_figures(seg: Segment, header: str, pats: BenchPatterns) -> list[Figure]:
    """Numbers in a table row, read with the unit named in their column's header."""
    heads = [text for _, text in cells(header)]
    figures: list[Figure] = []
    for column, (offset, cell) in enumerate(cells(seg.text)):
        number = re.fullmatch(r"~?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)", cell)
        if number is None or column >= len(heads):
            continue
        head = heads[column]
        unit = re.search(r"\(([^)]*)\)", head)
        pseudo = f"{number.group(1)} {unit.group(1) if unit else head}"
        for unit_pattern in pats.units:
            match = unit_pattern.regex.match(pseudo)
            if not match:
                continue
            if unit_pattern.needs and not pats.context[unit_pattern.needs].search(head):
                continue
            value = parse_number(match.group("num")) * unit_pattern.scale
            start = seg.start + offset
            figures.append(
                Figure(unit_pattern.metric, value, unit_pattern.unit, start, start + len(cell))
            )
            break
    return figures


def marker_start(regex: re.Pattern[str], text: str) -> int:
    """Where the baseline marker ending at the end of ``text`` starts (len(text) if none)."""
    match = regex.search(text)
    return match.start() if match else len(text)


def parse_number_at(text: str, start: int) -> float:
    match = re.match(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", text[start:])
    value = parse_number(match.group()) if match else 1.0
    return value or 1.0


def _gapped(
    text: str,
    end: int,
    unit: UnitPattern,
    offset: int,
    pats: BenchPatterns,
    free: Callable[[int, int], bool],
    taken: list[tuple[int, int]],
) -> list[Figure]:
    """ "Groq ran it at 540 tokens per second, Cerebras at about 2,100 and SambaNova 460":
    the unit is stated once and each later name has a bare number of its own."""
    found: list[Figure] = []
    pos = end
    while (gap := pats.single["gapped"].match(text, pos)) is not None:
        start, stop = gap.start("num"), gap.end("num")
        if not free(start, stop):
            break
        taken.append((start, stop))
        value = parse_number(gap.group("num")) * unit.scale
        span = (offset + gap.start("name"), offset + gap.end("name"))
        found.append(
            Figure(unit.metric, value, unit.unit, offset + start, offset + stop, subject_span=span)
        )
        pos = stop
    return found
