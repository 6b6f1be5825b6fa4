"""Benchmark claims: subject, metric, value, unit, model, baseline.

Input is a Doc processed by the chipwire pipeline (``doc.spans["companies"]`` and
``doc.spans["products"]``, sentences set).  Figures are found per segment (a
sentence, split further at line breaks so list items and table rows stand
alone) by ``figures`` with the surface forms in ``patterns/bench_*.jsonl``; the
subject, claimant and model of each figure come from ``subjects``; this module
skips segments that hold no claims (ads, thresholds, aspirations) and keeps one
claim per (subject, metric, value, model).  See the annotation rules ("Benchmarks").
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc

from chipwire.pipeline.extract import scan
from chipwire.pipeline.extract.bench_parts import VALUE_TOLERANCE, BenchmarkClaim, Segment
from chipwire.pipeline.extract.companies import CompanyIndex
from chipwire.pipeline.extract.figures import (
    find_figures,
    is_table_row,
    set_header,
    split_segments,
    table_figures,
)
from chipwire.pipeline.extract.rules import BenchPatterns, load_patterns
from chipwire.pipeline.extract.subjects import Resolver
from chipwire.pipeline.extract.view import doc_view


def _skipped(seg: Segment, pats: BenchPatterns) -> str | None:
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
        segments: list[Segment],
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
    resolver = Resolver(doc, index, pats)
    claims: list[BenchmarkClaim] = []
    seen = _Seen()
    view = doc_view(doc)
    text = view.text
    breaks = [m.end() for m in re.finditer(r"\n\s*\n", text)]
    segments = split_segments(doc)
    present = scan.found(doc).partition([(seg.start, seg.end) for seg in segments])
    for seg, literals in zip(segments, present, strict=True):
        seg.present = literals
    skips = _SkipCache(segments, breaks, pats)
    units, multipliers = scan.unit_selector(), scan.multiplier_selector()
    companies = view.companies
    speaker = companies[0].slug if companies and companies[0].slug in index.companies else None
    for i, seg in enumerate(segments):
        table = is_table_row(seg.text) and bool(seg.table_header)
        if not table and not (units.any(seg.present) or multipliers.any(seg.present)):
            continue  # no unit or multiplier: no figure can come from this segment
        if skips.skipped(i):
            continue
        set_header(segments, i, text)
        figures = find_figures(seg, pats)
        if table:
            figures += table_figures(seg, seg.table_header, pats)
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
