"""Bought companies: their names stand for the parent, except in the story of buying them.

A subsidiary maps to its parent (Habana Labs → Intel: what a reader of a deal table wants),
but a subsidiary that is itself the object of an acquisition keeps its own name: "Intel
bought Habana Labs" folded into "Intel bought Intel" says nothing.  The registry gives a
bought company an entry of its own with ``parent:``; the tagger tags it under its own slug,
and once the document's deals are read, a bought company that is the target of one of them
keeps its name throughout the document, while every other is folded into its parent: its
mentions, its deals, the benchmarks about it.
"""

from __future__ import annotations

from dataclasses import replace

from chipwire.pipeline.extract.bench_parts import BenchmarkClaim
from chipwire.pipeline.extract.companies import CompanyIndex, MentionCount
from chipwire.pipeline.extract.deal_parts import DealClaim, Party

# deal types whose record names one party by design (the company raising, the company listing)
_ONE_PARTY = frozenset({"funding", "ipo"})


def kept_names(deals: list[DealClaim], index: CompanyIndex) -> frozenset[str]:
    """Slugs of bought companies this document tells of being bought (or sold on)."""
    return frozenset(
        party.slug
        for deal in deals
        if deal.deal_type == "acquisition"
        for party in deal.parties[1:]  # the acquirer comes first
        if party.slug is not None and _parent(party.slug, index) is not None
    )


def fold_deals(
    deals: list[DealClaim], index: CompanyIndex, kept: frozenset[str]
) -> tuple[list[DealClaim], bool]:
    """Deals with folded parties, and whether anything changed.  A deal whose parties fold
    into one company ("Nvidia and its Mellanox unit") is no deal between companies."""
    folded: list[DealClaim] = []
    changed = False
    for deal in deals:
        parties: list[Party] = []
        for party in deal.parties:
            parent = None if party.slug in kept else _parent(party.slug, index)
            if parent is not None:
                party = Party(index.companies[parent].name, parent, party.role)
                changed = True
            if all(party.key != other.key for other in parties):
                parties.append(party)
        if len(parties) < len(deal.parties) and deal.deal_type not in _ONE_PARTY:
            changed = True
            if len(parties) < 2:
                continue
        folded.append(replace(deal, parties=parties) if parties != deal.parties else deal)
    return folded, changed


def fold_mentions(
    mentions: list[MentionCount], index: CompanyIndex, kept: frozenset[str]
) -> list[MentionCount]:
    """One count per company after folding, in order of first appearance."""
    by_slug: dict[str, MentionCount] = {}
    for mention in mentions:
        parent = None if mention.slug in kept else _parent(mention.slug, index)
        slug = parent or mention.slug
        seen = by_slug.get(slug)
        if seen is None:
            by_slug[slug] = replace(mention, slug=slug)
            continue
        by_slug[slug] = MentionCount(
            slug,
            seen.count + mention.count,
            max(seen.relevance, mention.relevance),
            min(seen.first_char, mention.first_char),
        )
    return sorted(by_slug.values(), key=lambda m: m.first_char)


def fold_benchmarks(
    claims: list[BenchmarkClaim], index: CompanyIndex, kept: frozenset[str]
) -> list[BenchmarkClaim]:
    """Benchmarks about a bought company are about its parent's hardware; a figure the
    document also gives for the parent is kept once."""
    folded: list[BenchmarkClaim] = []
    seen: set[tuple[str | None, str, float, str | None]] = set()
    for claim in claims:
        subject = None if claim.subject_slug in kept else _parent(claim.subject_slug, index)
        claimant = None if claim.claimant_slug in kept else _parent(claim.claimant_slug, index)
        if subject is not None:
            claim = replace(claim, subject=index.companies[subject].name, subject_slug=subject)
        if claimant is not None:
            claim = replace(claim, claimant=index.companies[claimant].name, claimant_slug=claimant)
        key = (claim.subject_slug, claim.metric, claim.value, claim.model)
        if key not in seen:
            seen.add(key)
            folded.append(claim)
    return folded


def _parent(slug: str | None, index: CompanyIndex) -> str | None:
    info = index.companies.get(slug or "")
    return info.parent if info is not None and info.parent in index.companies else None
