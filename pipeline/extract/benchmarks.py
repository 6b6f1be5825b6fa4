"""Benchmark claims: subject, metric, value, unit, model, baseline.

Input is a Doc processed by the chipwire pipeline (``doc.spans["companies"]`` and
``doc.spans["products"]``, sentences set).  Figures are found per segment (a
sentence, split further at line breaks so list items and table rows stand
alone) with the surface forms in ``patterns/bench_*.jsonl``; the subject is the
company (or product maker) the figure is about, the model comes from
``patterns/model_names.jsonl``.  See the annotation rules ("Benchmarks").
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from chipwire.pipeline.extract import scan
from chipwire.pipeline.extract.companies import CompanyIndex
from chipwire.pipeline.extract.prefilter import fold, folded_finditer
from chipwire.pipeline.extract.quantities import parse_number
from chipwire.pipeline.extract.rules import BenchPatterns, load_patterns
from chipwire.pipeline.extract.view import doc_view

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
class _Entity:
    start: int
    end: int
    slug: str
    product: str | None  # family when the mention is a product


@dataclass
class _Figure:
    metric: str
    value: float
    unit: str
    start: int  # absolute char offsets of the number
    end: int
    baseline: bool = False  # stated as the comparison point ("vs 60 on GPUs")
    baseline_of: _Figure | None = None


@dataclass
class _Segment:
    start: int
    end: int
    text: str
    header: str  # text of a preceding heading line ("E2E latency:"), else ""
    table_header: str = ""  # first row of the '|' table this row belongs to
    present: frozenset[str] | None = None  # its rule literals (None: not scanned)


def _segments(doc: Doc) -> list[_Segment]:
    """Sentences, cut further at line breaks (list items and table rows stand alone)."""
    view = doc_view(doc)
    text = view.text
    cuts = sorted({*view.sentence_starts, len(text)})
    segments: list[_Segment] = []
    for line in re.finditer(r"[^\n]+", text):
        first = bisect.bisect_right(cuts, line.start())
        inner = cuts[first : bisect.bisect_left(cuts, line.end())]
        bounds = [line.start(), *inner, line.end()]
        for start, end in itertools.pairwise(bounds):
            piece = text[start:end]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                body = piece.strip()
                segments.append(_Segment(start + lead, start + lead + len(body), body, ""))
    for i, seg in enumerate(segments):
        if not _is_table_row(seg.text):
            continue
        first = seg
        for prev in reversed(segments[:i]):
            if not _is_table_row(prev.text) or re.search(r"\n\s*\n", text[prev.end : first.start]):
                break
            first = prev
        if first is not seg:
            seg.table_header = first.text
    return segments


def _set_header(segments: list[_Segment], i: int, text: str) -> None:
    """A list item or table row inherits the cue words of the line that introduces it.

    Worked out only for segments that hold a figure: looking back up to a dozen
    segments for each one was a large share of the time on figure-free text.
    """
    seg = segments[i]
    later = seg
    for prev in reversed(segments[max(0, i - 12) : i]):
        if re.search(r"\n\s*\n", text[prev.end : later.start]):
            break
        if prev.text.rstrip().endswith(":") or _is_heading(prev.text):
            seg.header = prev.text
            break
        later = prev


def _is_heading(line: str) -> bool:
    bare = re.sub(r"\([^)]*\)", "", line)
    return len(line) < 80 and not re.search(r"[.!?]$", line) and not re.search(r"(?<!\w)\d", bare)


def _entities(doc: Doc) -> list[_Entity]:
    view = doc_view(doc)
    found = [_Entity(row.start, row.end, row.slug, None) for row in view.companies]
    found += [_Entity(row.start, row.end, row.slug, row.family) for row in view.products]
    return sorted(found, key=lambda e: e.start)


def _word_count_cut(text: str, pats: BenchPatterns) -> str:
    cut = pats.single["clause_cut"].search(text)
    if cut:
        text = text[: cut.start()]
    return " ".join(text.split()[:MAX_CUE_WORDS])


def _classify_multiplier(after: str, before: str, pats: BenchPatterns) -> str | None:
    """speedup / power_efficiency / None (excluded or no cue) for an 'Nx' figure."""
    phrase = _word_count_cut(after, pats)
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
        return "speedup" if re.search(r"(?:of|by|is|was|at)\s*$", tail) else None
    return best[1]


def _clause_around(text: str, start: int, end: int) -> str:
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


def _strip_qualifier(before: str, pats: BenchPatterns) -> str:
    match = pats.single["qualifier"].search(before)
    return before[: match.start()] if match else before


def _find_figures(seg: _Segment, pats: BenchPatterns) -> list[_Figure]:
    text, present = seg.text, seg.present
    figures: list[_Figure] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def upper_bounded(start: int) -> bool:
        return bool(pats.single["upper_bound"].search(text[:start]))

    def add(metric: str, value: float, unit: str, start: int, end: int, range_ok: bool) -> None:
        before = _strip_qualifier(text[:start], pats)
        baseline = bool(pats.single["baseline"].search(before[-BEFORE_WINDOW:]))
        figures.append(_Figure(metric, value, unit, seg.start + start, seg.start + end, baseline))
        if range_ok:
            rng = pats.single["range"].search(before)
            if rng:
                first = parse_number(rng.group("num"))
                scale = value / parse_number_at(text, start)
                figures.append(
                    _Figure(
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
                local = _clause_around(text, start, end)
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
                    figure = _Figure(
                        unit_pattern.metric,
                        base_value,
                        unit_pattern.unit,
                        seg.start + b_start,
                        seg.start + b_end,
                        True,
                        figures[-1],
                    )
                    figures.append(figure)
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
                metric = _classify_multiplier(text[end : end + AFTER_WINDOW], text[:start], pats)
            if metric is None:
                continue
            taken.append((start, end))
            before = _strip_qualifier(text[:start], pats)
            figures.append(_Figure(metric, value, "x", seg.start + start, seg.start + end))
            rng = pats.single["range"].search(before)
            if rng and mult.kind in ("times", "percent"):
                first = parse_number(rng.group("num"))
                if mult.kind == "percent":
                    first = round(1 + first / 100, 4)
                figures.append(
                    _Figure(metric, first, "x", seg.start + rng.start(), seg.start + rng.end())
                )
    return figures


def _cells(line: str) -> list[tuple[int, str]]:
    """(offset, text) of each cell of a '|'-separated table row."""
    cells = []
    for match in re.finditer(r"[^|]+", line):
        if match.group().strip():
            lead = len(match.group()) - len(match.group().lstrip())
            cells.append((match.start() + lead, match.group().strip()))
    return cells


def _is_table_row(line: str) -> bool:
    return line.count("|") >= 2


def _table_figures(seg: _Segment, header: str, pats: BenchPatterns) -> list[_Figure]:
    """Numbers in a table row, read with the unit named in their column's header."""
    heads = [text for _, text in _cells(header)]
    figures: list[_Figure] = []
    for column, (offset, cell) in enumerate(_cells(seg.text)):
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
                _Figure(unit_pattern.metric, value, unit_pattern.unit, start, start + len(cell))
            )
            break
    return figures


def _marker_start(regex: re.Pattern[str], text: str) -> int:
    """Where the baseline marker ending at the end of ``text`` starts (len(text) if none)."""
    match = regex.search(text)
    return match.start() if match else len(text)


def parse_number_at(text: str, start: int) -> float:
    match = re.match(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", text[start:])
    value = parse_number(match.group()) if match else 1.0
    return value or 1.0


class _Resolver:
    def __init__(self, doc: Doc, index: CompanyIndex, pats: BenchPatterns) -> None:
        self.doc = doc
        self.text = doc_view(doc).text
        self.index = index
        self.pats = pats
        self.entities = _entities(doc)
        self.starts = [entity.start for entity in self.entities]  # for bisect: sorted
        self._models_of: _Segment | None = None
        self._models: list[tuple[int, str]] = []

    def claimant(self, seg: _Segment, speaker: str | None) -> str | None:
        """The registered company that makes the segment's claims, when the text says so:
        "Groq said...", "according to Cerebras", or "we"/"our" in a document whose first
        named company speaks (a press release, an earnings call).  None for a neutral report."""
        after = self.pats.single["claimant_after"]
        before = self.pats.single["claimant_before"]
        first = bisect.bisect_left(self.starts, seg.start)
        last = bisect.bisect_left(self.starts, seg.end)
        for entity in self.entities[first:last]:
            if entity.product is not None or entity.end > seg.end:
                continue
            if after.match(self.text, entity.end, min(seg.end, entity.end + 60)):
                return entity.slug
            if before.search(self.text[max(seg.start, entity.start - 50) : entity.start]):
                return entity.slug
        if speaker is not None and self.pats.single["first_person"].search(seg.text):
            return speaker
        return None

    def name(self, slug: str) -> str:
        info = self.index.companies.get(slug)
        return info.name if info else slug

    def excluded_kind(self, entity: _Entity) -> bool:
        info = self.index.companies.get(entity.slug)
        return info is not None and info.kind in self.pats.excluded_subject_kinds

    def in_baseline_zone(self, entity: _Entity, seg: _Segment) -> bool:
        before = self.text[max(seg.start, entity.start - BEFORE_WINDOW) : entity.start]
        return bool(self.pats.single["baseline_entity"].search(before))

    def owns_model(self, entity: _Entity) -> bool:
        """'Meta's Llama 4': the model's maker, not the hardware the figure is about."""
        after = re.sub(r"^(?:['’]s)?\s+", "", self.text[entity.end : entity.end + 40])
        return any(regex.match(after) for _, regex in self.pats.models)

    def coordinated(self, entity: _Entity, pool: list[_Entity]) -> list[_Entity]:
        """'AWS and Cerebras' → both: companies joined only by and/,/& around the chosen one."""
        group = [entity]
        companies = [e for e in pool if e.product is None]
        idx = companies.index(entity) if entity in companies else -1
        if idx < 0:
            return group
        joiner = re.compile(r"^(?:['’]s)?\s*(?:,|,?\s+and|&|\+|/)\s*$", re.IGNORECASE)
        i = idx
        while i > 0 and joiner.match(self.text[companies[i - 1].end : companies[i].start]):
            group.insert(0, companies[i - 1])
            i -= 1
        i = idx
        while i + 1 < len(companies) and joiner.match(
            self.text[companies[i].end : companies[i + 1].start]
        ):
            group.append(companies[i + 1])
            i += 1
        return group

    def subjects(self, fig: _Figure, seg: _Segment) -> list[tuple[str | None, str, str | None]]:
        """(slug, name, product family) of what the figure is about."""
        first = bisect.bisect_left(self.starts, seg.start)
        last = bisect.bisect_left(self.starts, seg.end)
        pool = [e for e in self.entities[first:last] if e.end <= seg.end]
        gpu = self.pats.single["gpu"]
        if fig.baseline:
            after = [e for e in pool if e.start >= fig.end and e.start - fig.end < AFTER_WINDOW]
            marker = _marker_start(self.pats.single["baseline"], self.text[seg.start : fig.start])
            between = [e for e in pool if seg.start + marker <= e.start and e.end <= fig.start]
            chosen = (between[-1:] or after[:1])[:1]
            if chosen:
                return [self._as_subject(chosen[0])]
            window = self.text[
                max(seg.start, fig.start - 40) : min(seg.end, fig.end + AFTER_WINDOW)
            ]
            if gpu.search(window):
                return [(NVIDIA, self.name(NVIDIA), None)]
            return []
        unregistered = self._clause_name(fig, seg, pool)
        if unregistered:
            return [(None, unregistered, None)]
        asides = [
            (seg.start + m.start(), seg.start + m.end())
            for m in self.pats.single["aside"].finditer(seg.text)
            if seg.start + m.end() <= fig.start
        ]
        usable = [
            e
            for e in pool
            if not self.in_baseline_zone(e, seg)
            and not self.owns_model(e)
            and not any(a <= e.start < b for a, b in asides)
        ]
        # The model's lab, an investor, the foundry or the memory maker named beside a
        # figure is not what it measures, unless nothing else is named.
        makers = [e for e in usable if not self.excluded_kind(e)]
        usable = makers or usable
        before = [e for e in usable if e.end <= fig.start]
        companies_before = [e for e in before if e.product is None]
        if companies_before:
            chosen = companies_before[-1]
            group = self.coordinated(chosen, pool)
            group = [e for e in group if not self.excluded_kind(e)] or group
            # "AWS will offer Cerebras inference ...": a joint service is about both.
            first = group[0]
            earlier = [e for e in companies_before if e.end <= first.start]
            if earlier and earlier[-1].slug not in {e.slug for e in group}:
                between = self.text[earlier[-1].end : first.start]
                if len(between) <= 40 and self.pats.single["joint"].search(between):
                    group = [*self.coordinated(earlier[-1], pool), *group]
            # "... 10x faster on Amazon Bedrock": the platform serving it shares the claim.
            for later in (e for e in usable if e.start >= fig.end and e.product is None):
                gap = self.text[fig.end : later.start]
                if len(gap) > AFTER_WINDOW or re.search(r"[.;,]", gap):
                    break
                if self.pats.single["host"].search(gap) and later.slug not in {
                    e.slug for e in group
                }:
                    group.append(later)
                break
            return [self._as_subject(e) for e in group]
        if before:
            return [self._as_subject(before[-1])]
        after = [e for e in usable if e.start >= fig.end]
        if after:
            chosen = after[0]
            if chosen.product is None:
                return [self._as_subject(e) for e in self.coordinated(chosen, pool)]
            return [self._as_subject(chosen)]
        if gpu.search(seg.text):
            return [(NVIDIA, self.name(NVIDIA), None)]
        leading = self._leading_name(seg)
        if leading:
            return [(None, leading, None)]
        earlier = [e for e in self.entities if e.end <= seg.start and e.product is None]
        if earlier:
            return [self._as_subject(e) for e in self.coordinated(earlier[-1], self.entities)]
        return []

    def _clause_name(self, fig: _Figure, seg: _Segment, pool: list[_Entity]) -> str | None:
        """'..., Quillon AI 3.2 s': an unregistered provider right before its figure."""
        before = self.text[seg.start : fig.start]
        cut = max(before.rfind(","), before.rfind(";"), before.rfind("|"), before.rfind(":"))
        clause_start = seg.start + cut + 1
        if any(clause_start <= e.start < fig.start for e in pool):
            return None
        match = re.fullmatch(
            r"\s*(?:and\s+)?([A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,2})\s*(?:[(–—-]\s*|at\s+)?",
            self.text[clause_start : fig.start],
        )
        if not match or cut < 0:
            return None
        return self._plausible_name(match.group(1))

    def _plausible_name(self, name: str) -> str | None:
        """A capitalised phrase that could be a company, not 'At' or 'E2E latency'."""
        if name.split()[0].lower() in STOP_WORDS:
            return None
        if any(regex.search(name) for regex in self.pats.context.values()):
            return None
        return name

    def _leading_name(self, seg: _Segment) -> str | None:
        """An unregistered provider opening a list line: 'Quillon AI: 640 t/s'."""
        if len(seg.text) > LIST_LINE_MAX:
            return None
        match = re.match(
            r"^(?:[-*•|]\s*|\d+[.)]\s*)?((?:[A-Z][\w.&'-]*)(?:\s+[A-Z][\w.&'-]*){0,3})\s*(?:[:|–—-]|\(|\s\d)",
            seg.text,
        )
        return self._plausible_name(match.group(1)) if match else None

    def _as_subject(self, entity: _Entity) -> tuple[str | None, str, str | None]:
        return (entity.slug, self.name(entity.slug), entity.product)

    def _model_mentions(self, seg: _Segment) -> list[tuple[int, str]]:
        """(absolute start, model name) of every model named in the segment, in rule order;
        found once per segment, whatever the number of figures in it."""
        if self._models_of is not seg:
            self._models_of = seg
            self._models = [
                (seg.start + match.start(), name)
                for name, regex in (
                    self.pats.models[i] for i in scan.model_selector().select(seg.present)
                )
                if name is not None
                for match in regex.finditer(seg.text)
            ]
        return self._models

    def model(self, fig: _Figure, seg: _Segment) -> str | None:
        best: tuple[int, str] | None = None
        for start, name in self._model_mentions(seg):
            distance = abs(start - fig.start)
            if best is None or distance < best[0]:
                best = (distance, name)
        if best is None and seg.header:
            for name, regex in self.pats.models:
                if name is not None and regex.search(seg.header):
                    return name
        return best[1] if best else None


def _skipped(seg: _Segment, pats: BenchPatterns) -> str | None:
    """The reason a segment holds no claims (aspiration, ad, threshold), else None."""
    for i in scan.skip_selector().select(seg.present):
        category, regex = pats.sentence_skip[i]
        if regex.search(seg.text):
            return category
    return None


class _SkipCache:
    """Which segments hold no claims, worked out only for segments that have figures.

    Each segment's cues are read at most once, and a paragraph is scanned for a sponsor
    read only as far as the figures in it need: linear in the document, however long.
    """

    def __init__(
        self,
        segments: list[_Segment],
        breaks: list[int],
        pats: BenchPatterns,
    ) -> None:
        self.segments = segments
        self.paragraphs = [_paragraph_start(breaks, seg.start) for seg in segments]
        self.pats = pats
        self.categories: dict[int, str | None] = {}
        self.paragraph_first: dict[int, int] = {}
        for index, paragraph in enumerate(self.paragraphs):
            self.paragraph_first.setdefault(paragraph, index)
        self.scanned: dict[int, int] = {}  # paragraph -> segments before this index are read
        self.first_ad: dict[int, int] = {}  # paragraph -> its first sponsor-read segment

    def category(self, i: int) -> str | None:
        if i not in self.categories:
            self.categories[i] = _skipped(self.segments[i], self.pats)
        return self.categories[i]

    def skipped(self, i: int) -> bool:
        """Skipped for its own cue, or inside a sponsor read begun earlier in its paragraph."""
        if self.category(i):
            return True
        paragraph = self.paragraphs[i]
        ad = self.first_ad.get(paragraph)
        if ad is None:
            j = self.scanned.get(paragraph, self.paragraph_first[paragraph])
            while j < i:
                if self.category(j) == "ad":
                    ad = self.first_ad[paragraph] = j
                    break
                j += 1
            self.scanned[paragraph] = max(j, self.scanned.get(paragraph, 0))
        return ad is not None and ad < i


def _paragraph_start(breaks: list[int], offset: int) -> int:
    """Start of the paragraph holding ``offset``, given the ends of the blank-line breaks."""
    index = bisect.bisect_right(breaks, offset)
    return breaks[index - 1] if index else 0


def extract_benchmarks(doc: Doc, index: CompanyIndex) -> list[BenchmarkClaim]:
    """Quantitative performance claims in the document, one per (subject, metric, value, model)."""
    pats = load_patterns()
    resolver = _Resolver(doc, index, pats)
    claims: list[BenchmarkClaim] = []
    seen = _Seen()
    view = doc_view(doc)
    text = view.text
    breaks = [m.end() for m in re.finditer(r"\n\s*\n", text)]
    segments = _segments(doc)
    present = scan.found(doc).partition([(seg.start, seg.end) for seg in segments])
    for seg, literals in zip(segments, present, strict=True):
        seg.present = literals
    skips = _SkipCache(segments, breaks, pats)
    units, multipliers = scan.unit_selector(), scan.multiplier_selector()
    companies = view.companies
    speaker = companies[0].slug if companies and companies[0].slug in index.companies else None
    for i, seg in enumerate(segments):
        table = _is_table_row(seg.text) and bool(seg.table_header)
        if not table and not (units.any(seg.present) or multipliers.any(seg.present)):
            continue  # no unit or multiplier: no figure can come from this segment
        if skips.skipped(i):
            continue
        _set_header(segments, i, text)
        figures = _find_figures(seg, pats)
        if table:
            figures += _table_figures(seg, seg.table_header, pats)
        figures.sort(key=lambda f: f.start)
        claimant = resolver.claimant(seg, speaker) if figures else None
        made: dict[int, list[BenchmarkClaim]] = {}
        for fig in figures:
            model = resolver.model(fig, seg)
            for slug, name, product in resolver.subjects(fig, seg):
                claim = BenchmarkClaim(
                    subject=name,
                    subject_slug=slug,
                    metric=fig.metric,
                    value=round(fig.value, 4),
                    unit=fig.unit,
                    evidence=seg.text,
                    model=model,
                    product=product,
                    claimant=resolver.name(claimant) if claimant else None,
                    claimant_slug=claimant,
                )
                made.setdefault(id(fig), []).append(claim)
                if seen.add(claim):
                    claims.append(claim)
            if fig.baseline_of is not None:
                # "500 TPS vs 60 on GPUs": the stated comparison point of the figure before it.
                for main in made.get(id(fig.baseline_of), []):
                    main.baseline_value = round(fig.value, 4)
                    subjects = made.get(id(fig), [])
                    main.baseline_subject = subjects[0].subject if subjects else None
    return claims


class _Seen:
    """The claims kept so far, by (subject, metric, model), each group's values sorted.

    A claim repeats a kept one when their values are within ``VALUE_TOLERANCE`` of the
    larger.  For positive values the nearest kept value on either side is the closest
    candidate, so two bisections replace a scan of every claim (long transcripts make
    thousands of claims).
    """

    def __init__(self) -> None:
        self._values: dict[tuple[str | None, str, str | None], list[float]] = {}

    def add(self, claim: BenchmarkClaim) -> bool:
        """Keep ``claim`` unless it repeats one kept before; True when kept."""
        values = self._values.setdefault((claim.subject, claim.metric, claim.model), [])
        at = bisect.bisect_left(values, claim.value)
        near = values[max(0, at - 1) : at + 1] if claim.value > 0 else values
        if any(_same_value(other, claim.value) for other in near):
            return False
        values.insert(at, claim.value)
        return True


def _same_value(one: float, other: float) -> bool:
    return abs(one - other) <= VALUE_TOLERANCE * max(one, other)
