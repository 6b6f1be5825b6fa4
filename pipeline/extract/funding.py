"""Funding rounds: the raiser and its leads in one record, every other participant its own.

The raiser is the company before the trigger (or the unregistered name opening the clause,
or the document's company for "it raised"); leads come from "led by A", "A led the round",
"with A and B as co-leads"; participants from "with participation from", "A and B took
part", "as did A"; a sentence that only names participants, or refers back to "the round",
adds to the round named before it.
"""

from __future__ import annotations

import re

from chipwire.pipeline.extract.companies import CompanyIndex
from chipwire.pipeline.extract.deal_parts import Context, DealClaim, Hit, make_claim, party
from chipwire.pipeline.extract.names import (
    Mention,
    capitalised_name,
    read_names,
    subject_name,
    unique,
)
from chipwire.pipeline.extract.rules import DealRules, deal_rules


def funding_claims(
    hit: Hit,
    text: str,
    mentions: list[Mention],
    status: str,
    ctx: Context,
    followup: bool = False,
    previous: list[Mention] | None = None,
) -> list[DealClaim]:
    """``previous``: the companies of the sentence before, for "They raised ..." after a
    sentence naming one company."""
    rules = deal_rules()
    # "Orchid, which led the last round, put in more": the relative clause speaks of another
    # round; blanked (same length, offsets kept) so neither lead nor participant reads it
    evidence = text  # the sentence as written, whatever is blanked below
    blanked = [
        (m.start(), m.end())
        for m in _RELATIVE.finditer(text)
        if not m.start() <= hit.start < m.end()  # the round itself is told in the clause
    ]
    for a, b in blanked:
        text = text[:a] + " " * (b - a) + text[b:]
    mentions = [m for m in mentions if not any(a <= m.start < b for a, b in blanked)]
    # Where participants are named ("..., and so did A and B", "A and B took part"), a list
    # of leads before it ends.
    joins = sorted(
        [m.start() for m in rules.parties["participants"].finditer(text)]
        + [m.start("names") for m in rules.parties["participant_subject"].finditer(text)]
    )
    leads: list[Mention] = []
    for match in rules.parties["lead"].finditer(text):
        start, end = match.start("names"), match.end("names")
        end = next((j for j in joins if start < j < end), end)
        leads.extend(read_names(text, start, end, mentions))
    for key in ("lead_subject", "co_lead", "co_lead_subject"):
        for match in rules.parties[key].finditer(text):
            leads.extend(read_names(text, match.start("names"), match.end("names"), mentions))
    if not leads:
        # "raised $50 million from A and B": with no lead named, the backers lead the round
        for match in rules.parties["from_investors"].finditer(text):
            leads.extend(read_names(text, match.start("names"), match.end("names"), mentions))
    trigger_word = text[hit.start : hit.end].lower()
    if trigger_word.startswith(("led", "lead", "co-led")):
        leads.extend(m for m in mentions if m.end <= hit.start)
    participants: list[Mention] = []
    for key in ("participants", "participant_subject"):
        for match in rules.parties[key].finditer(text):
            participants.extend(
                read_names(text, match.start("names"), match.end("names"), mentions)
            )
    leads = unique(leads)
    lead_keys = {m.key for m in leads}
    participant_keys = lead_keys | {m.key for m in participants}
    candidates = [m for m in mentions if m.key not in participant_keys]
    left = [m for m in candidates if m.end <= hit.start]
    right = [m for m in candidates if m.start >= hit.start]
    raiser = left[-1] if left else None
    if raiser is None:  # "Lumora's $80 million Series A", else the name opening the clause
        for named in (
            _round_owner(text, rules),
            subject_name(text, hit.start, rules),
        ):
            if named is None:
                continue
            # a name read from the text may be a registered one ("Furiosa's Series C")
            named = next((m for m in mentions if m.slug and m.start <= named.start < m.end), named)
            if named.key not in participant_keys:
                raiser = named
                break
    pronoun = rules.parties["pronoun_subject"].search(text, 0, hit.start)
    if (
        pronoun is not None
        and ctx.clear_topic
        and ctx.topic is not None
        and ctx.topic.key not in participant_keys
    ):
        raiser = ctx.topic  # "it raised": the company the document is about
    elif (
        raiser is None
        and previous is not None
        and len(previous) == 1
        and (pronoun or rules.parties["plural_pronoun_subject"].search(text, 0, hit.start))
    ):
        # "Next up, Vexa. They raised $80 million ...": the one company just named
        raiser = previous[0] if previous[0].key not in participant_keys else None
    if raiser is None and right:
        raiser = right[0]
    claims: list[DealClaim] = []
    if followup or (ctx.last_funding is not None and rules.parties["round_reference"].search(text)):
        raiser = None  # "X led the round": the round of the funding named before
    if raiser is None:
        if ctx.last_funding is None or not (leads or participants):
            return []
        base = ctx.last_funding
        known = {p.key for p in base.parties}
        if leads and len(base.parties) > 1 and not known & lead_keys:
            # A round with its leads already named gets no new ones: "This one was co-led by
            # A and B" after another round is a round of its own, the one company just named
            owner = [m for m in previous or [] if m.key not in lead_keys]
            if len(owner) != 1:
                return []
            claim = make_claim("funding", [owner[0], *leads], status, evidence, hit)
            ctx.last_funding = claim
            return [claim]
        raiser_party = base.parties[0]
        raiser = Mention(0, 0, raiser_party.name, raiser_party.slug)
        base.parties.extend(party(m, "lead_investor") for m in leads if m.key not in known)
    else:
        claim = make_claim("funding", [raiser, *leads], status, evidence, hit)
        claims.append(claim)
        ctx.last_funding = claim
    claims.extend(
        _participation(investor, raiser, status, evidence)
        for investor in unique(participants)
        if investor.key not in lead_keys and investor.key != raiser.key
    )
    return claims


def round_list_claims(
    text: str, mentions: list[Mention], ctx: Context, index: CompanyIndex
) -> list[DealClaim]:
    """A sentence right after a round that only lists more of its backers ("The roster runs
    on through A, B, C and D."): each is a participant.  Only a list of three or more names,
    most of them investors (registered as such, or named by an organisation word), reads so;
    a list of customers or rivals does not."""
    base = ctx.last_funding
    if base is None or not mentions:
        return []
    rules = deal_rules()
    # the list starts at its first name: a registered one, or the first capitalised word
    # after the sentence's own first word
    first = re.search(r"(?<=\s)[A-Z]", text)
    start = min(mentions[0].start, first.start() if first else len(text))
    names = unique(read_names(text, start, len(text), mentions))
    raiser = base.parties[0]
    known = {p.key for p in base.parties}
    names = [m for m in names if m.key not in known]
    investors = [m for m in names if _investor_like(m, index, rules)]
    if len(names) < MIN_LIST or 2 * len(investors) < len(names):
        return []
    if _STATEMENT.search(text, names[-1].end):
        return []  # "A, B and C were seen at ...": the list is the subject of other news
    investee = Mention(0, 0, raiser.name, raiser.slug)
    return [_participation(m, investee, base.status, text) for m in names]


def _participation(investor: Mention, raiser: Mention, status: str, evidence: str) -> DealClaim:
    """A participant's own record of a round: investor first, value unknown."""
    return DealClaim(
        "investment", [party(investor, "investor"), party(raiser, "investee")], status, evidence
    )


_RELATIVE = re.compile(r"(?<=\w),\s+(?:who|which)\s+[^,.;]{1,80},")
MIN_LIST = 3  # names in a list before it can be read as more of a round's backers
_STATEMENT = re.compile(r"\b(?:were|was|are|is|has|have|had|will|would|said|says|met|meet)\b")


def _investor_like(mention: Mention, index: CompanyIndex, rules: DealRules) -> bool:
    if mention.slug is not None:
        info = index.companies.get(mention.slug)
        return info is not None and info.kind == "investor"
    return mention.name.split()[-1] in rules.org_suffixes


def _round_owner(text: str, rules: DealRules) -> Mention | None:
    """ "Lumora's $125 million Series B": the company whose round it is, registered or not."""
    match = rules.parties["round_owner"].search(text)
    if match is None:
        return None
    name = capitalised_name(match.group("name"), rules)
    if name is None:
        return None
    start = match.start("name") + match.group("name").rfind(name)
    return Mention(start, start + len(name), name, None)
