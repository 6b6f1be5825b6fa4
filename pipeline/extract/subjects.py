"""Whose figure it is: the subject (hardware maker or provider), the claimant and the model
of each benchmark figure, read from the segment and the companies the document names."""

from __future__ import annotations

import bisect
import re
from functools import cached_property

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from chipwire.pipeline.extract import scan
from chipwire.pipeline.extract.bench_parts import (
    AFTER_WINDOW,
    BEFORE_WINDOW,
    LIST_LINE_MAX,
    NVIDIA,
    Entity,
    Figure,
    Segment,
)
from chipwire.pipeline.extract.companies import CompanyIndex, most_named
from chipwire.pipeline.extract.figures import entities_of, marker_start
from chipwire.pipeline.extract.rules import BenchPatterns
from chipwire.pipeline.extract.view import doc_view

_SOURCE_BEFORE = re.compile(r"\b(?:from|by|with|using|of|at)\s+(?:the\s+)?$", re.IGNORECASE)


class Resolver:
    def __init__(self, doc: Doc, index: CompanyIndex, pats: BenchPatterns) -> None:
        self.doc = doc
        self.text = doc_view(doc).text
        self.index = index
        self.pats = pats
        self.entities = entities_of(doc)
        self.starts = [entity.start for entity in self.entities]  # for bisect: sorted
        self._models_of: Segment | None = None
        self._models: list[tuple[int, str]] = []

    @cached_property
    def _topic(self) -> Entity | None:
        """The maker or provider the document is plainly about (labs and investors aside)."""
        makers = [e for e in self.entities if e.product is None and not self.excluded_kind(e)]
        slug, plain = most_named(e.slug for e in makers)
        return next(e for e in makers if e.slug == slug) if plain else None

    def claimant(self, seg: Segment, speaker: str | None) -> str | None:
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

    def excluded_kind(self, entity: Entity) -> bool:
        info = self.index.companies.get(entity.slug)
        return info is not None and info.kind in self.pats.excluded_subject_kinds

    def in_baseline_zone(self, entity: Entity, seg: Segment) -> bool:
        before = self.text[max(seg.start, entity.start - BEFORE_WINDOW) : entity.start]
        return bool(self.pats.single["baseline_entity"].search(before))

    def owns_model(self, entity: Entity) -> bool:
        """'Meta's Llama 4': the model's maker, not the hardware the figure is about."""
        after = re.sub(r"^(?:['’]s)?\s+", "", self.text[entity.end : entity.end + 40])
        return any(regex.match(after) for _, regex in self.pats.models)

    def is_model(self, entity: Entity) -> bool:
        """A product mention that is a model name ("Llama 3.1 405B"), not hardware."""
        return any(regex.match(self.text, entity.start) for _, regex in self.pats.models)

    def _named_as_source(self, entity: Entity) -> bool:
        before = self.text[max(0, entity.start - 25) : entity.start]
        return _SOURCE_BEFORE.search(before) is not None

    def coordinated(self, entity: Entity, pool: list[Entity]) -> list[Entity]:
        """'Oracle and Groq' → both: companies joined only by and/,/& around the chosen one."""
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

    def subjects(self, fig: Figure, seg: Segment) -> list[tuple[str | None, str, str | None]]:
        """(slug, name, product family) of what the figure is about."""
        first = bisect.bisect_left(self.starts, seg.start)
        last = bisect.bisect_left(self.starts, seg.end)
        pool = [e for e in self.entities[first:last] if e.end <= seg.end]
        gpu = self.pats.single["gpu"]
        if fig.subject_span is not None:
            a, b = fig.subject_span
            named = [e for e in pool if a <= e.start < b and not self.is_model(e)]
            return [self._as_subject(named[0])] if named else []
        if fig.baseline:
            after = [e for e in pool if e.start >= fig.end and e.start - fig.end < AFTER_WINDOW]
            marker = marker_start(self.pats.single["baseline"], self.text[seg.start : fig.start])
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
            # a model names its lab, never the hardware or provider running it
            and not (e.product is not None and (self.excluded_kind(e) or self.is_model(e)))
        ]
        # The model's lab, an investor, the foundry or the memory maker named beside a
        # figure is not what it measures, unless nothing else is named.
        makers = [e for e in usable if not self.excluded_kind(e)]
        # ...and a lab or memory maker named only as a source ("HBM from SK Hynix", "models
        # by Meta") is not the subject even then.
        usable = makers or [e for e in usable if not self._named_as_source(e)]
        before = [e for e in usable if e.end <= fig.start]
        companies_before = [e for e in before if e.product is None]
        if companies_before:
            chosen = companies_before[-1]
            group = self.coordinated(chosen, pool)
            group = [e for e in group if not self.excluded_kind(e)] or group
            # "Oracle will offer Groq inference ...": a joint service is about both.
            first = group[0]
            earlier = [e for e in companies_before if e.end <= first.start]
            if earlier and earlier[-1].slug not in {e.slug for e in group}:
                between = self.text[earlier[-1].end : first.start]
                if len(between) <= 40 and self.pats.single["joint"].search(between):
                    group = [*self.coordinated(earlier[-1], pool), *group]
            # "... 10x faster on Oracle Cloud": the platform serving it shares the claim.
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
        if self._subject_gpu(seg):
            return [(NVIDIA, self.name(NVIDIA), None)]
        leading = self._leading_name(seg)
        if leading:
            return [(None, leading, None)]
        # A figure with no company of its own belongs to the company the document is plainly
        # about, else to the last maker or provider named before it.
        topic = self._topic
        if topic is not None:
            return [self._as_subject(topic)]
        earlier = [e for e in self.entities if e.end <= seg.start and e.product is None]
        earlier = [e for e in earlier if not self.excluded_kind(e)] or earlier
        if earlier:
            return [self._as_subject(e) for e in self.coordinated(earlier[-1], self.entities)]
        return []

    def _subject_gpu(self, seg: Segment) -> bool:
        """GPUs named as what runs the figure, not as its baseline ("below the power budget of
        flagship GPUs")."""
        baseline = self.pats.single["baseline_entity"]
        return any(
            not baseline.search(seg.text[max(0, m.start() - BEFORE_WINDOW) : m.start()])
            for m in self.pats.single["gpu"].finditer(seg.text)
        )

    def _clause_name(self, fig: Figure, seg: Segment, pool: list[Entity]) -> str | None:
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

    def _leading_name(self, seg: Segment) -> str | None:
        """An unregistered provider opening a list line: 'Quillon AI: 640 t/s'."""
        if len(seg.text) > LIST_LINE_MAX:
            return None
        match = re.match(
            r"^(?:[-*•|]\s*|\d+[.)]\s*)?((?:[A-Z][\w.&'-]*)(?:\s+[A-Z][\w.&'-]*){0,3})\s*(?:[:|–—-]|\(|\s\d)",
            seg.text,
        )
        return self._plausible_name(match.group(1)) if match else None

    def _as_subject(self, entity: Entity) -> tuple[str | None, str, str | None]:
        return (entity.slug, self.name(entity.slug), entity.product)

    def _model_mentions(self, seg: Segment) -> list[tuple[int, str]]:
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

    def model(self, fig: Figure, seg: Segment) -> str | None:
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
