"""Money amounts in text: "$20 billion", "$10B+", "20 billion dollars", "€5bn", ranges.

Patterns, scale words, qualifiers and currency rates live in
``patterns/money_patterns.json`` and ``patterns/money_rates.json`` (read and compiled
by ``rules``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from chipwire.pipeline.extract.prefilter import fold, folded_finditer
from chipwire.pipeline.extract.rules import MoneyRules, money_rules


@dataclass(frozen=True)
class Money:
    value_usd: int
    qualifier: str | None
    original: str
    start: int  # character offsets in the searched text
    end: int
    currency: str = "USD"  # the currency the text states it in


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _currency(symbol: str, rules: MoneyRules) -> str | None:
    symbol = symbol.strip()
    aliases = rules.currencies
    # "US$", "usd" (folded), "Dollars" (a headline in title case)
    return aliases.get(symbol) or aliases.get(symbol.upper()) or aliases.get(symbol.lower())


def find_money(text: str) -> list[Money]:
    """Every definite amount in ``text``, converted to USD (ranges give the lower bound)."""
    rules = money_rules()
    found = []
    # The amount pattern runs as its case-sensitive twin on the folded text (same spans,
    # faster); its groups are then lowercase, which the lookups below allow for.
    folded = fold(text)
    for match in folded_finditer(rules.amount, rules.amount_folded, text, folded):
        if match.group("num3"):
            num, scale, cur = match.group("num3"), match.group("scale3"), match.group("cur3")
        else:
            num, scale, cur = match.group("num"), match.group("scale"), match.group("cur")
            if not scale and match.group("num2") and match.group("scale2"):
                scale = match.group("scale2")  # "$750 to $800 million"
        code = _currency(cur or "", rules)
        if code is None or code not in rules.rates:
            continue
        multiplier = rules.scales.get((scale or "").lower(), 1.0)
        value = _number(num) * multiplier * rules.rates[code]
        if value < 1000:  # a bare "$5" is a price, not a deal value
            continue
        qualifier = None
        if match.group("qual"):
            qualifier = rules.qualifiers.get(" ".join(match.group("qual").lower().split()))
        if match.group("plus"):
            qualifier = rules.qualifiers.get("+", "over")
        original = text[match.start() : match.end()].strip()
        found.append(Money(round(value), qualifier, original, match.start(), match.end(), code))
    words = rules.words.finditer(text) if rules.words_gate.passes(folded) else ()
    for match in words:
        if any(m.start <= match.start() < m.end for m in found):
            continue
        if match.group("wcur"):
            code = _currency(match.group("wcur"), rules)
        elif rules.spoken_money_before.search(text, max(0, match.start() - 40), match.start()):
            code = "USD"  # "they raised two hundred million": dollars, the market's currency
        else:
            continue  # "two hundred million users" is no amount
        if code is None or code not in rules.rates:
            continue
        number = spoken_number(match.group("wnum"), rules.word_values)
        value = number * rules.scales[match.group("wscale").lower()] * rules.rates[code]
        qualifier = None
        if match.group("qual"):
            qualifier = rules.qualifiers.get(" ".join(match.group("qual").lower().split()))
        found.append(
            Money(round(value), qualifier, match.group(0).strip(), match.start(), match.end(), code)
        )
    return _stated_dollars(sorted(found, key=lambda m: m.start), text, rules)


def _stated_dollars(found: list[Money], text: str, rules: MoneyRules) -> list[Money]:
    """ "€1.7 billion (about $2 billion)": the text's own dollar figure is the value, not our
    conversion at a fixed rate, and it is one amount, not two; so is "$2 billion (€1.8
    billion)", whose dollars come first."""
    result: list[Money] = []
    for i, money in enumerate(found):
        if result and result[-1].end > money.start:
            continue  # the other currency's figure already folded into the amount before it
        after = found[i + 1] if i + 1 < len(found) else None
        if (
            after is not None
            and "USD" in (money.currency, after.currency)
            and money.currency != after.currency
            and rules.stated_dollars_gap.fullmatch(text, money.end, after.start)
        ):
            dollars = money if money.currency == "USD" else after
            money = replace(
                money,
                value_usd=dollars.value_usd,
                original=f"{money.original} ({after.original})",
                end=after.end,
            )
        result.append(money)
    return result


def spoken_number(words: str, values: dict[str, int]) -> float:
    """ "a hundred and fifty" → 150, "two hundred fifty" → 250, "one point six" → 1.6."""
    whole, _, decimals = words.lower().partition(" point ")
    total = current = 0
    for word in re.split(r"[ -]+", whole):
        if word in ("and", "a") or not word:
            continue  # "a hundred": the hundred counts once
        if word == "hundred":
            current = (current or 1) * 100
        else:
            current += values[word]
    total += current or int(whole.split()[:1] == ["a"])  # "a billion": one of them
    fraction = "".join(str(values[d]) for d in decimals.split() if d in values)
    return float(f"{total}.{fraction}") if fraction else float(total)


def vague_amounts(text: str) -> list[tuple[int, int]]:
    """Spans of amounts too vague to give a value ("tens of billions", "multibillion-dollar")."""
    rules = money_rules()
    if not rules.vague_gate.passes(fold(text)):
        return []
    return [(m.start(), m.end()) for m in rules.vague.finditer(text)]
