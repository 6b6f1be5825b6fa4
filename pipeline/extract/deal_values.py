"""Deal values: which amounts in a sentence can be a deal's value, which deal each goes to,
and values stated for an agreement apart from it ("The deal is worth $X", the amount of a
gapped clause)."""

from __future__ import annotations

from chipwire.pipeline.extract.deal_parts import DealClaim, Hit
from chipwire.pipeline.extract.money import Money, find_money, vague_amounts
from chipwire.pipeline.extract.rules import DealRules


def usable_money(text: str, rules: DealRules) -> tuple[list[Money], list[Money]]:
    """(amounts usable as deal values, cumulative totals that mark their deal as no deal)."""
    vague = vague_amounts(text)
    result = []
    totals = []
    for money in find_money(text):
        window = rules.tables.value_window
        before = text[max(0, money.start - window) : money.start]
        after = text[money.end : money.end + window]
        if rules.cues["valuation_before"].search(before) or rules.cues["valuation_after"].search(
            after
        ):
            continue
        if rules.cues["cumulative"].search(before) or rules.cues["cumulative"].search(after[:15]):
            totals.append(money)
            continue
        if any(a <= money.start < b for a, b in vague):
            continue
        result.append(money)
    return result, totals


def assign_money(hits: list[Hit], money: list[Money]) -> None:
    for amount in money:
        center = (amount.start + amount.end) / 2
        nearest = min(hits, key=lambda h: abs((h.start + h.end) / 2 - center), default=None)
        if nearest is not None and nearest.money is None:
            nearest.money = amount


def gapped_value(claim: DealClaim, text: str, near: int, usable: list[Money]) -> None:
    """The amount of a gapped clause ("and C up to $10 billion") is that clause's value."""
    amount = next((m for m in usable if m.start <= near <= m.end + 1), None)
    claim.value_usd = amount.value_usd if amount else None
    claim.value_qualifier = amount.qualifier if amount else None
    claim.value_original = amount.original if amount else None


def value_follow_up(text: str, claim: DealClaim, rules: DealRules) -> None:
    """ "The deal is worth $3.25 billion": a value stated for the agreement just named, in a
    sentence of its own, belongs to that agreement (when it has none yet)."""
    if claim.value_usd is not None:
        return
    reference = rules.cues["value_reference"].search(text)
    if reference is None:
        return
    # After "the deal is valued at", an amount is the deal's value, not a company's valuation.
    vague = vague_amounts(text)
    stated = [
        m
        for m in find_money(text)
        if m.start >= reference.start() and not any(a <= m.start < b for a, b in vague)
    ]
    if stated:
        money = stated[0]
        claim.value_usd = money.value_usd
        claim.value_qualifier = money.qualifier
        claim.value_original = money.original
