"""Deals from sentences with a deal trigger: type, parties, value, status.

Input is a Doc processed by the chipwire pipeline (``doc.spans["companies"]``
with ``kb_id_`` = registry slug, sentences set).  Every trigger phrase, cue
word and party pattern lives in ``patterns/deal_*.json[l]`` (``rules`` loads
them); this module reads a document sentence by sentence:

1. a sentence that is a question, or carries a hypothetical / speculative /
   negated / withdrawn cue, states no deal;
2. each deal type's trigger found in the sentence splits the named companies
   into the ones before it (usually the initiator) and the coordinated list
   after it, and ``pairs`` binds counterparties; one record per counterparty;
3. funding rounds (``funding``): the company raising plus lead investors, and
   every other named participant its own ``investment`` record;
4. each money amount goes to the nearest trigger, never a valuation or a
   cumulative total; a value stated for the deal just named in a sentence of its
   own ("The deal is worth $X") goes to that deal;
5. repeated mentions of one agreement (same type, same parties) are merged.

Names are read by ``names`` (the company-list reader), unnamed references by
``references``; the records and shared state are in ``deal_parts``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from spacy.tokens import Doc

from chipwire.pipeline.extract import scan
from chipwire.pipeline.extract.candidates import NamedSpan, descriptor_names
from chipwire.pipeline.extract.companies import CompanyIndex, most_named
from chipwire.pipeline.extract.consolidate import merge_claims
from chipwire.pipeline.extract.deal_parts import Context, DealClaim, Hit, Unit, make_claim
from chipwire.pipeline.extract.deal_values import (
    assign_money,
    gapped_value,
    usable_money,
    value_follow_up,
)
from chipwire.pipeline.extract.funding import funding_claims, round_list_claims
from chipwire.pipeline.extract.names import Mention, unique
from chipwire.pipeline.extract.pairs import (
    initiator_right,
    owner_last,
    pairs,
    right_cue,
    ungapped,
)
from chipwire.pipeline.extract.prefilter import fold
from chipwire.pipeline.extract.references import (
    modifies_product,
    release_issuer,
    with_anaphors,
    with_same_customer,
    with_speaker,
)
from chipwire.pipeline.extract.rules import DealRules, Trigger, deal_rules
from chipwire.pipeline.extract.view import SpanRow, doc_view


def _units(doc: Doc) -> list[Unit]:
    view = doc_view(doc)
    text = view.text
    units = []
    for offset, end in view.sentences:
        for part in re.split(r"(\n\s*)", text[offset:end]):
            if part.strip():
                lead = len(part) - len(part.lstrip())
                body = part.strip()
                units.append(Unit(offset + lead, offset + lead + len(body), body))
            offset += len(part)
    return units


def _mentions(sent: Unit, doc: Doc, index: CompanyIndex) -> list[Mention]:
    """Companies named in the sentence: registered ones under their canonical name, and
    names introduced by a descriptor ("AI chip startup Vireo Silicon") as written."""
    result = []
    for row in _company_rows(sent, doc):
        info = index.companies.get(row.slug)
        name = info.name if info else row.text
        result.append(
            Mention(
                row.start - sent.start_char,
                row.end - sent.start_char,
                name,
                row.slug or None,
                row.text,
            )
        )
    named = [
        Mention(n.start - sent.start_char, n.end - sent.start_char, n.name, None, n.name)
        for n in _descriptor_names(sent, doc)
    ]
    if named:
        result = sorted([*result, *named], key=lambda m: m.start)
    return result


def _company_rows(sent: Unit, doc: Doc) -> Iterator[SpanRow]:
    """Registered company spans lying wholly inside the sentence, in text order."""
    spans = doc_view(doc).companies
    i = bisect.bisect_left(spans, sent.start_char, key=lambda row: row.start)
    while i < len(spans) and spans[i].start < sent.end_char:
        if spans[i].end <= sent.end_char:
            yield spans[i]
        i += 1


def _descriptor_names(sent: Unit, doc: Doc) -> list[NamedSpan]:
    """Names introduced by a descriptor lying wholly inside the sentence (they are in text
    order: a bisection, not a scan of the document's names per sentence)."""
    names = descriptor_names(doc)
    if not names:
        return []
    i = bisect.bisect_left(names, sent.start_char, key=lambda n: n.start)
    found = []
    while i < len(names) and names[i].start < sent.end_char:
        if names[i].end <= sent.end_char:
            found.append(names[i])
        i += 1
    return found


def _names_company(sent: Unit, doc: Doc) -> bool:
    """Does the sentence name a company? (as _mentions, without building the mentions)"""
    return next(_company_rows(sent, doc), None) is not None or bool(_descriptor_names(sent, doc))


# --- status -----------------------------------------------------------------


def _status(
    text: str,
    original: str,
    trigger: Trigger,
    rules: DealRules,
    cues: dict[str, re.Pattern[str]] | None = None,
) -> str:
    """The status a sentence states (``cues``: the folded twins when ``text`` is folded;
    case-sensitive cues read ``original``)."""
    cues = rules.cues if cues is None else cues
    if cues["talks"].search(text):
        return "talks"
    if cues["reported"].search(text) or rules.cues["reported_by_name"].search(original):
        return "reported"
    if cues["completed_strong"].search(text):
        return "completed"
    if trigger.funding:
        return "completed"
    if cues["announced_override"].search(text):
        return "announced"
    if cues["completed"].search(text):
        return "completed"
    return trigger.status


# --- sentence analysis ------------------------------------------------------


# Where a sentence starts a new clause with a deal of its own ("we signed A, and B expanded
# its commitment with us"): a second trigger of the same type after it is a second deal.
_CLAUSE_BREAK = re.compile(
    r",\s*(?:and|while|but|whereas|plus)\s|;\s|"
    r"\band\s+(?:then\s+|also\s+|later\s+)?(?:announced|agreed|signed|closed|completed|struck)\b"
)


def _apart(hit: Hit, match: re.Match[str], text: str) -> bool:
    """Does a clause break stand between an earlier hit and a later trigger match?"""
    start, end = (hit.end, match.start()) if hit.start < match.start() else (match.end(), hit.start)
    return _CLAUSE_BREAK.search(text, start, end) is not None


def _hits(
    text: str, rules: DealRules, present: frozenset[str] | None = None, folded: str | None = None
) -> list[Hit]:
    """The deal triggers a sentence holds: one per deal type and clause (a second of a type
    counts only across a clause break); an overlap goes to the trigger listed first.

    ``folded``: ``fold(text)``, when it has the same length, to run the faster twins on.
    """
    found: list[Hit] = []
    # Only triggers whose literals the sentence holds can match it.
    for i in scan.trigger_selector().select(present):
        trigger = rules.triggers[i]
        if folded is None:
            matches = trigger.pattern.finditer(text)
        else:
            matches = rules.folded_triggers[i].finditer(folded)
        for match in matches:
            if trigger.exclude_after is not None:
                window = text[match.end() : match.end() + rules.tables.object_window]
                if trigger.exclude_after.search(window):
                    continue
            if any(h.start < match.end() and match.start() < h.end for h in found):
                continue  # "bought a stake" is an investment, "buys chips" supply
            same = [h for h in found if h.trigger.deal_type == trigger.deal_type]
            if any(not _apart(h, match, text) for h in same):
                continue  # one agreement per clause: "signed ... and expanded" is one
            found.append(Hit(trigger, match.start(), match.end()))
    types = {h.trigger.deal_type for h in found}
    # A listing's money is the IPO itself; a round's investors follow the funding rules; "a
    # partnership to deploy 10 GW of systems" is the supply (deal_tables.json: drops).
    dropped = {gone for kind in types for gone in rules.tables.drops.get(kind, ())}
    return sorted((h for h in found if h.trigger.deal_type not in dropped), key=lambda h: h.start)


def _previous_named(ctx: Context, doc: Doc, index: CompanyIndex) -> list[Mention]:
    """Companies of the previous sentence naming any (worked out only when asked)."""
    return unique(_mentions(ctx.previous, doc, index)) if ctx.previous else []


def _sentence_deals(
    sent: Unit,
    doc: Doc,
    index: CompanyIndex,
    rules: DealRules,
    ctx: Context,
    present: frozenset[str] | None = None,
) -> list[DealClaim]:
    text = sent.text
    # Cues and triggers run as case-sensitive twins on the folded sentence: the same spans,
    # faster.  Folding keeps the length (offsets stay valid) for all but exotic text.
    folded = fold(text)
    if len(folded) == len(text):
        cues, ftext = rules.folded_cues, folded
    else:
        cues, ftext = rules.cues, text
    found = _hits(text, rules, present, folded if ftext is folded else None)
    follow_up = ctx.last_funding is not None and bool(cues["funding_context"].search(ftext))
    if not found and not follow_up:
        if ctx.round_open and not cues["question_end"].search(ftext):
            # "The roster runs on through A, B, C and D.": a list continuing the round
            return round_list_claims(text, _mentions(sent, doc, index), ctx, index)
        return []  # no trigger and no funding round to follow up: nothing more to read
    if cues["question_end"].search(ftext):
        return []
    if cues["void"].search(ftext):
        return []  # withdrawn, failed or blocked attempts are no deals
    hits = [
        h
        for h in found
        if not cues["skip"].search(ftext[max(0, h.start - rules.tables.skip_window) : h.end])
    ]
    if not hits and not follow_up:
        return []
    mentions = [
        m
        for m in _mentions(sent, doc, index)
        if not cues["speculative_mention"].search(ftext[max(0, m.start - 30) : m.start])
    ]
    if (
        hits
        and ctx.last_funding is not None
        and all(h.trigger.deal_type == "investment" for h in hits)
        and not rules.parties["investee_object"].match(text, hits[0].start)
        and (
            rules.parties["participant_subject"].search(text)
            or rules.parties["participants"].search(text)
        )
    ):
        # "A and B have also invested", "Also investing were A and B": no investee named,
        # so they are backers of the round named before
        hits = []
    if not hits and ctx.last_funding is not None:  # a follow-up: "Other investors include..."
        funding = next(t for t in rules.triggers if t.funding)
        pseudo = Hit(funding, 0, 0)
        previous = _previous_named(ctx, doc, index)
        status = ctx.last_funding.status
        return funding_claims(pseudo, text, mentions, status, ctx, followup=True, previous=previous)
    if ctx.speaker is not None and rules.cues["first_person"].search(text):
        # "our customer ordered Google's TPU racks": the product's maker is not the seller here
        products = [
            (p.start - sent.start_char, p.end - sent.start_char)
            for p in doc_view(doc).products
            if sent.start_char <= p.start < sent.end_char
        ]
        mentions = [m for m in mentions if not modifies_product(m, products, text)]
        mentions = with_speaker(text, hits, mentions, ctx.speaker, rules)
    topic = ctx.topic if ctx.clear_topic else None
    mentions = with_anaphors(text, hits, mentions, _previous_named(ctx, doc, index), rules, topic)
    mentions = with_same_customer(text, mentions, ctx.last_claim, rules)
    usable, totals = usable_money(text, rules)
    assign_money(hits, sorted([*usable, *totals], key=lambda m: m.start))
    background = cues["background"].search(ftext) or cues["background_year_first"].search(ftext)
    told_back = background is not None or bool(cues["background_no_year"].search(ftext))
    claims: list[DealClaim] = []
    for hit in hits:
        deal_type = hit.trigger.deal_type
        status = _status(ftext, text, hit.trigger, rules, cues)
        if hit.money is not None and hit.money in totals:
            continue  # "has raised $850 million in total" states no single deal
        if hit.trigger.funding:
            previous = _previous_named(ctx, doc, index)
            claims.extend(funding_claims(hit, text, mentions, status, ctx, previous=previous))
            continue
        if deal_type == "ipo":
            issuer = [m for m in mentions if m.end <= hit.start][-1:] or mentions[:1]
            if issuer:
                claims.append(make_claim("ipo", issuer, status, text, hit))
            continue
        for group, gap_amount in ungapped(pairs(hit, mentions, text, ctx.topic), text, mentions):
            if gap_amount is not None:
                claim = make_claim(deal_type, group, status, text, hit)
                gapped_value(claim, text, gap_amount, usable)
                claims.append(claim)
                continue
            if initiator_right(hit, text) and not hit.trigger.symmetric:
                group = group[::-1]
            group, owned = owner_last(group, hit, mentions, text)
            claim = make_claim(deal_type, group, status, text, hit)
            # a trigger that needs cues to read its direction ("a licensing agreement
            # with") states it only where one of them is present
            if hit.trigger.right_initiator_cue or hit.trigger.owner_cue:
                claim.direction_stated = owned or right_cue(hit, text)
            if told_back and deal_type in ("acquisition", "investment", "licensing"):
                claim.status = "completed"
                claim.is_background = True
                year = background or cues["year"].search(ftext)
                claim.year = int(year.group(1)) if year else None
            elif claim.status == "completed" and (year := cues["year"].search(ftext)):
                claim.year = int(year.group(1))
            claims.append(claim)
    if claims and claims[-1].deal_type not in ("funding", "investment"):
        value_follow_up(text, claims[-1], rules)  # "..., the deal was valued at $X."
    return claims


def extract_deals(doc: Doc, index: CompanyIndex) -> list[DealClaim]:
    """Deals stated in the document, one per distinct agreement and component type."""
    rules = deal_rules()
    ctx = Context()
    companies = doc_view(doc).companies
    first = companies[0] if companies else None
    if first is not None and first.slug in index.companies:
        ctx.speaker = Mention(0, 0, index.companies[first.slug].name, first.slug)
    slug, ctx.clear_topic = most_named(r.slug for r in companies if r.slug in index.companies)
    if slug is not None:
        ctx.topic = Mention(0, 0, index.companies[slug].name, slug)
    issuer = release_issuer(doc, companies, index, rules)
    if issuer is not None:  # a press release is about its issuer, named or not in the registry
        ctx.speaker = ctx.topic = issuer
        ctx.clear_topic = True
    claims: list[DealClaim] = []
    units = _units(doc)
    triggers = scan.trigger_selector()
    presence = scan.found(doc).partition([(u.start_char, u.end_char) for u in units])
    for unit, present in zip(units, presence, strict=True):
        # Only a trigger, or a follow-up to a funding round ("Other investors include..."),
        # can make a sentence state a deal; the rest are skipped unread.
        found: list[DealClaim] = []
        if (
            triggers.any(present)
            or ctx.round_open
            or (ctx.last_funding is not None and rules.cues["funding_context"].search(unit.text))
        ):
            found = _sentence_deals(unit, doc, index, rules, ctx, present)
            claims.extend(found)
        if found:
            ctx.last_claim = found[-1]
        elif ctx.last_claim is not None:
            value_follow_up(unit.text, ctx.last_claim, rules)
        names_company = _names_company(unit, doc)
        if found or names_company:
            # a sentence adding to a round keeps it open; any other naming a company ends it
            ctx.round_open = any(c.deal_type in ("funding", "investment") for c in found)
        if names_company:
            ctx.previous = unit
    return merge_claims(claims)
