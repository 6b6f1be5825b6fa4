"""Document-level consolidation: one record per agreement, however many sentences state it.

A headline, a lede and a closing paragraph often state the same deal, each with part of it
(the value in one, the leads of a round in another); the rules read them one sentence at
a time, and these records are merged here.
"""

from __future__ import annotations

from chipwire.pipeline.extract.deal_parts import DealClaim
from chipwire.pipeline.extract.rules import deal_rules


def _same_round(claim: DealClaim, earlier: list[DealClaim]) -> DealClaim | None:
    """An earlier record of the same funding round: same raiser, and the same amount (or
    one of the two gives none)."""
    if claim.deal_type != "funding" or claim.is_background or not claim.parties:
        return None
    raiser = claim.parties[0].key
    for other in earlier:
        if (
            other.deal_type == "funding"
            and not other.is_background
            and other.parties
            and other.parties[0].key == raiser
            and (other.value_usd is None or claim.value_usd is None or _same_amount(other, claim))
            and (other.year is None or claim.year is None or other.year == claim.year)
        ):
            return other
    return None


def _amount_text(claim: DealClaim) -> str:
    return " ".join((claim.value_original or "").casefold().split())


def _same_amount(a: DealClaim, b: DealClaim) -> bool:
    """The same value, or the same amount as written where one report adds the text's own
    dollar figure to it ("€1.7 billion" and "€1.7 billion ($2 billion)")."""
    if a.value_usd == b.value_usd:
        return True
    first, second = sorted((_amount_text(a), _amount_text(b)), key=len)
    return bool(first) and second.startswith(first + " (")


def _take_value(into: DealClaim, claim: DealClaim) -> None:
    """A value where there was none, or the text's own dollar figure over our conversion."""
    if claim.value_usd is None:
        return
    if into.value_usd is None or len(_amount_text(claim)) > len(_amount_text(into)):
        into.value_usd = claim.value_usd
        into.value_qualifier = claim.value_qualifier
        into.value_original = claim.value_original


def merge_claims(claims: list[DealClaim]) -> list[DealClaim]:
    merged: dict[tuple[str, frozenset[str], int | None], DealClaim] = {}
    order: list[DealClaim] = []
    rank = deal_rules().tables.status_rank
    for claim in claims:
        round_of = _same_round(claim, order)
        if round_of is not None:
            # "X raises $275 million" (headline) and "X raised $275 million in a round led
            # by Y" (body) are one round: its parties are everyone either names
            known = {p.key for p in round_of.parties}
            round_of.parties.extend(p for p in claim.parties if p.key not in known)
            _take_value(round_of, claim)
            continue
        parties = frozenset(p.key for p in claim.parties)
        key_any = (claim.deal_type, parties, None)
        key_value = (claim.deal_type, parties, claim.value_usd)
        existing = merged.get(key_value) or merged.get(key_any)
        if existing is None:
            existing = next(
                (
                    c
                    for k, c in merged.items()
                    if k[0] == claim.deal_type
                    and k[1] == parties
                    and (claim.value_usd is None or _same_amount(c, claim))
                ),
                None,
            )
        if existing is None:
            merged[key_value] = claim
            order.append(claim)
            continue
        if claim.value_usd is not None and existing.value_usd != claim.value_usd:
            _take_value(existing, claim)
            merged[(claim.deal_type, parties, existing.value_usd)] = existing
        if rank[claim.status] > rank[existing.status]:
            existing.status = claim.status
        if claim.direction_stated and not existing.direction_stated:
            # a later sentence that states who pays decides the order a headline guessed
            existing.parties = claim.parties
            existing.direction_stated = True
    return order
