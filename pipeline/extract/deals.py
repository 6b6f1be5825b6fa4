"""Deals from sentences with a deal trigger: type, parties, value, status.

Input is a Doc processed by the chipwire pipeline (``doc.spans["companies"]``
with ``kb_id_`` = registry slug, sentences set).  Every trigger phrase, cue
word and party pattern lives in ``patterns/deal_*.json[l]`` (loaded once,
cached); this module only holds the structure:

1. a sentence that is a question, or carries a hypothetical / speculative /
   negated / withdrawn cue, states no deal;
2. each deal type's trigger found in the sentence splits the named companies
   into the ones before it (usually the initiator) and the coordinated list
   after it; one record per counterparty;
3. funding rounds take the company raising plus lead investors ("led by X"),
   and every other named participant gets its own ``investment`` record;
4. each money amount goes to the nearest trigger, never a valuation or a
   cumulative total;
5. repeated mentions of one agreement (same type, same parties) are merged.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc

from chipwire.pipeline.extract import scan
from chipwire.pipeline.extract.candidates import NamedSpan, descriptor_names
from chipwire.pipeline.extract.companies import CompanyIndex
from chipwire.pipeline.extract.money import Money, find_money, vague_amounts
from chipwire.pipeline.extract.prefilter import fold
from chipwire.pipeline.extract.rules import DealRules, Trigger, deal_rules
from chipwire.pipeline.extract.view import SpanRow, doc_view


@dataclass
class Party:
    name: str  # registry canonical name, or the name as written when not registered
    slug: str | None  # registry slug; None for an unregistered company
    role: str  # one of models.vocab.DEAL_ROLES


@dataclass
class DealClaim:
    deal_type: str  # one of models.vocab.DEAL_TYPES
    parties: list[Party]  # paying/initiating party first
    status: str  # announced | completed | reported | talks
    evidence: str  # the sentence, exactly as in the text
    value_usd: int | None = None
    value_qualifier: str | None = None  # over | up to | about | None
    value_original: str | None = None
    is_background: bool = False
    year: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


# --- mentions ---------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    start: int  # character offsets relative to the sentence
    end: int
    name: str
    slug: str | None
    surface: str = ""

    @property
    def key(self) -> str:
        return self.slug or self.name.casefold()


@dataclass(frozen=True)
class _Unit:
    """A sentence, or a line of one (headings and list items carry no full stop)."""

    start_char: int
    end_char: int
    text: str


def _units(doc: Doc) -> list[_Unit]:
    view = doc_view(doc)
    text = view.text
    units = []
    for offset, end in view.sentences:
        for part in re.split(r"(\n\s*)", text[offset:end]):
            if part.strip():
                lead = len(part) - len(part.lstrip())
                body = part.strip()
                units.append(_Unit(offset + lead, offset + lead + len(body), body))
            offset += len(part)
    return units


def _mentions(sent: _Unit, doc: Doc, index: CompanyIndex) -> list[Mention]:
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


def _company_rows(sent: _Unit, doc: Doc) -> Iterator[SpanRow]:
    """Registered company spans lying wholly inside the sentence, in text order."""
    spans = doc_view(doc).companies
    i = bisect.bisect_left(spans, sent.start_char, key=lambda row: row.start)
    while i < len(spans) and spans[i].start < sent.end_char:
        if spans[i].end <= sent.end_char:
            yield spans[i]
        i += 1


def _descriptor_names(sent: _Unit, doc: Doc) -> list[NamedSpan]:
    """Names introduced by a descriptor lying wholly inside the sentence."""
    return [
        n for n in descriptor_names(doc) if sent.start_char <= n.start and n.end <= sent.end_char
    ]


def _names_company(sent: _Unit, doc: Doc) -> bool:
    """Does the sentence name a company? (as _mentions, without building the mentions)"""
    return next(_company_rows(sent, doc), None) is not None or bool(_descriptor_names(sent, doc))


_LIST_GAP = re.compile(
    r"^[\s()]*(?:,|,?\s*and|&|,?\s*as well as|,?\s*or|,?\s*plus)?[\s()]*$", re.IGNORECASE
)


def _coordinated(mentions: list[Mention], text: str, first: int, step: int) -> list[Mention]:
    """The mention at ``first`` and its list neighbours ("A, B and C") in direction ``step``."""
    chosen = [mentions[first]]
    i = first
    while 0 <= i + step < len(mentions):
        a, b = (mentions[i], mentions[i + step]) if step > 0 else (mentions[i + step], mentions[i])
        if not _LIST_GAP.match(text[a.end : b.start]):
            break
        i += step
        chosen.append(mentions[i])
    return chosen if step > 0 else chosen[::-1]


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    result = []
    for mention in mentions:
        if mention.key not in seen:
            seen.add(mention.key)
            result.append(mention)
    return result


def _segment_names(text: str, start: int, end: int, mentions: list[Mention]) -> list[Mention]:
    """Companies named in ``text[start:end]``: registered mentions, else capitalised names."""
    rules = deal_rules()
    stop = rules.parties["segment_stop"].search(text, start, end)
    if stop is not None and stop.start() > start:
        end = stop.start()
    names: list[Mention] = []
    pos = start
    for chunk in re.split(
        r",\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+|\s+plus\s+", text[start:end]
    ):
        chunk_start = text.find(chunk, pos, end) if chunk else pos
        chunk_end = chunk_start + len(chunk)
        pos = max(pos, chunk_end)
        inside = [m for m in mentions if m.start < chunk_end and m.end > chunk_start]
        if inside:
            names.extend(inside)
            continue
        name = _capitalised_name(chunk, rules)
        if name:
            offset = chunk_start + chunk.rfind(name)
            names.append(Mention(offset, offset + len(name), name, None))
    return names


def _capitalised_name(chunk: str, rules: DealRules) -> str | None:
    chunk = chunk.strip().rstrip(".")
    previous = None
    while previous != chunk:
        previous = chunk
        chunk = rules.parties["name_strip_prefix"].sub("", chunk).strip()
    cut = rules.parties["function_words"].search(chunk)
    if cut is not None:
        chunk = chunk[: cut.start()]
    chunk = re.sub(r"['’]s$", "", chunk.strip())
    words = chunk.split()
    run: list[str] = []
    for word in reversed(words):  # trailing capitalised run: "family office Arvana" → Arvana
        if word[0].isupper() or word[0].isdigit() or word == "&":
            run.insert(0, word)
        else:
            break
    owner = [i for i, word in enumerate(run[:-1]) if word.endswith(("'s", "’s"))]
    if owner:  # "South Korea's Hanwa Ventures": the name follows its owner or place
        run = run[owner[-1] + 1 :]
    while run and (run[0] == "&" or run[0] in rules.name_stop_words):
        run.pop(0)
    if not run or len(run) > rules.max_name_words or not run[0][0].isupper():
        return None
    if len(run) == 1 and (run[0].isdigit() or len(run[0]) < 2):
        return None
    person = run[0] in rules.given_names and run[-1].rstrip(".,") not in rules.org_suffixes
    if len(run) > 1 and person:
        return None  # "Peter Thiel" is a person; "Neuberger Berman", "Emerson Collective" firms
    return " ".join(run)


def _subject_name(text: str, head: int, rules: DealRules) -> Mention | None:
    """The unregistered company a clause opens with, as the subject of its head word:
    "Lumora Systems, a maker of optical chips, has raised ..." -> Lumora Systems."""
    before = rules.parties["subject_tail"].sub("", text[:head])
    clause = max(before.rfind(","), before.rfind(";"), before.rfind(":"))
    before = before[clause + 1 :] if clause >= 0 else before
    name = _capitalised_name(before, rules)
    if name is None or not before.rstrip().endswith(name):
        return None
    start = clause + 1 + before.rstrip().rfind(name)
    return Mention(start, start + len(name), name, None)


# --- values and status ------------------------------------------------------


def _usable_money(text: str, rules: DealRules) -> tuple[list[Money], list[Money]]:
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


@dataclass
class _Hit:
    trigger: Trigger
    start: int
    end: int
    money: Money | None = None


def _hits(
    text: str, rules: DealRules, present: frozenset[str] | None = None, folded: str | None = None
) -> list[_Hit]:
    """The first match of each deal type (trigger files are ordered by priority).

    ``folded``: ``fold(text)``, when it has the same length, to run the faster twins on.
    """
    found: list[_Hit] = []
    # Only triggers whose literals the sentence holds can match it.
    for i in scan.trigger_selector().select(present):
        trigger = rules.triggers[i]
        if any(h.trigger.deal_type == trigger.deal_type for h in found):
            continue
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
            found.append(_Hit(trigger, match.start(), match.end()))
            break
    types = {h.trigger.deal_type for h in found}
    # A listing's money is the IPO itself; a round's investors follow the funding rules; "a
    # partnership to deploy 10 GW of systems" is the supply (deal_tables.json: drops).
    dropped = {gone for kind in types for gone in rules.tables.drops.get(kind, ())}
    return sorted((h for h in found if h.trigger.deal_type not in dropped), key=lambda h: h.start)


def _assign_money(hits: list[_Hit], money: list[Money]) -> None:
    for amount in money:
        center = (amount.start + amount.end) / 2
        nearest = min(hits, key=lambda h: abs((h.start + h.end) / 2 - center), default=None)
        if nearest is not None and nearest.money is None:
            nearest.money = amount


def _pairs(
    hit: _Hit, mentions: list[Mention], text: str, topic: Mention | None
) -> list[list[Mention]]:
    left_idx = [i for i, m in enumerate(mentions) if m.end <= hit.start]
    right_idx = [i for i, m in enumerate(mentions) if m.end > hit.start]
    left = _coordinated(mentions, text, left_idx[-1], -1) if left_idx else []
    right = _coordinated(mentions, text, right_idx[0], 1) if right_idx else []
    is_list = deal_rules().cues["list_trigger"].search(text[hit.start : hit.end])
    if is_list or not right:
        # named lists and objects may include companies the registry does not know
        named = _segment_names(text, hit.start if is_list else hit.end, len(text), mentions)
        if is_list and len(named) > len(right):
            right = named
        elif not right and named and named[0].start - hit.end < deal_rules().tables.object_window:
            right = named[:1]
    left, right = _unique(left), _unique(right)
    if hit.trigger.deal_type == "acquisition" and left:
        # an acquired subsidiary keeps its own name ("AMD, which bought Xilinx")
        right = [
            Mention(m.start, m.end, m.surface, None, m.surface)
            if m.key == left[-1].key and m.surface and m.surface != m.name
            else m
            for m in right
        ]
    if hit.trigger.symmetric:
        before = _unique([m for m in mentions if m.end <= hit.start])
        if len(before) == 2:
            return [before]
        if len(before) == 1 and right:
            return [[before[0], m] for m in right if m.key != before[0].key][:1]
    if len(left) > 1 and right:
        keys = {m.key for m in mentions}
        if (
            hit.trigger.deal_type == "supply"
            and len(right) > 1
            and topic is not None
            and topic.key not in keys
        ):
            # "A and B use its chips, and C and D signed on": all of them its customers
            return [[m, topic] for m in _unique([*left, *right])]
        return [[a, b] for a in left for b in right if a.key != b.key]
    if left:
        subject = _subject(left[-1], mentions, text)
        others = [m for m in right if m.key != subject.key]
        if others:
            return [[subject, other] for other in others]
        if is_list and not hit.trigger.symmetric:
            # "Meta, IBM and Mistral AI are customers": the counterparty is named elsewhere
            outside = [m for m in mentions if m.key not in {x.key for x in left}]
            other = outside[0] if outside else topic
            if other is None or other.key in {x.key for x in left}:
                return []
            return [[m, other] for m in left]
        if len(left) > 1:
            # "A and B signed a supply agreement": the agreement binds its co-subjects; "A, B
            # and C build servers": co-subjects of a verb are no counterparties
            window = text[hit.start : hit.end + deal_rules().tables.object_window]
            if not deal_rules().cues["agreement_noun"].search(window):
                return []
            return [left] if len(left) == 2 else [[left[0], other] for other in left[1:]]
        rest = _unique([m for m in mentions if m.key != subject.key])
        if len(rest) == 1:
            return [[subject, rest[0]]]  # "..., and Nvidia will invest $100 billion."
        return []
    if not right:
        return []
    if not hit.trigger.symmetric and (len(right) > 2 or is_list):
        if topic is None or topic.key in {m.key for m in right}:
            return []
        return [[topic, other] for other in right]
    if len(right) == 2:
        return [right]
    if len(right) > 2:
        return [[right[0], other] for other in right[1:]]
    later = [m for m in mentions if m.start >= right[0].end and m.key != right[0].key]
    return [[right[0], later[0]]] if later else []


def _subject(nearest: Mention, mentions: list[Mention], text: str) -> Mention:
    """The nearest company before a trigger, unless it sits in a prepositional phrase
    ("powers inference for IBM and signed X"): then the sentence's first bare company."""
    before = deal_rules().parties["preposition_before"]
    if not before.search(text[max(0, nearest.start - 20) : nearest.start]):
        return nearest
    for mention in mentions:
        if mention.end > nearest.start:
            break
        if not before.search(text[max(0, mention.start - 20) : mention.start]):
            return mention
    return nearest


def _initiator_right(hit: _Hit, text: str) -> bool:
    cue = hit.trigger.right_initiator_cue
    if cue is not None and cue.search(text[hit.start : hit.end + 60]):
        return True
    return hit.trigger.initiator == "right"


def _party(mention: Mention, role: str) -> Party:
    return Party(mention.name, mention.slug, role)


def _claim(
    deal_type: str, group: list[Mention], status: str, evidence: str, hit: _Hit
) -> DealClaim:
    first, other = deal_rules().tables.roles[deal_type]
    parties = [_party(m, first if i == 0 else other) for i, m in enumerate(group)]
    claim = DealClaim(deal_type, parties, status, evidence)
    if hit.money is not None and deal_type not in ("partnership",):
        claim.value_usd = hit.money.value_usd
        claim.value_qualifier = hit.money.qualifier
        claim.value_original = hit.money.original
    return claim


@dataclass
class _Context:
    last_funding: DealClaim | None = None
    speaker: Mention | None = None  # who "we" is: the first company the document names
    topic: Mention | None = None  # the company the document names most ("its customers")
    clear_topic: bool = False  # named at least twice as often as any other
    last_claim: DealClaim | None = None  # the deal the last sentence stating one stated
    previous: _Unit | None = None  # the last sentence before this one that names a company

    def previous_named(self, doc: Doc, index: CompanyIndex) -> list[Mention]:
        """Companies of the previous sentence naming any (worked out only when asked)."""
        return _unique(_mentions(self.previous, doc, index)) if self.previous else []


def _with_anaphors(
    text: str, hits: list[_Hit], mentions: list[Mention], previous: list[Mention], rules: DealRules
) -> list[Mention]:
    """ "The chipmaker will invest in OpenAI": a descriptor subject stands for the previous
    sentence's company when no company is named before the trigger."""
    if not previous or not hits:
        return mentions
    first = min(h.start for h in hits)
    added: list[Mention] = []
    used = {m.key for m in mentions}
    for match in rules.cues["anaphor"].finditer(text):
        if match.end() > first or any(m.end <= first for m in mentions):
            continue  # only a subject with no named company before the trigger
        referent = next((m for m in previous if m.key not in used), None)
        if referent is None:
            continue
        used.add(referent.key)
        added.append(Mention(match.start(), match.end(), referent.name, referent.slug))
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda m: m.start)


def _modifies_product(mention: Mention, products: list[tuple[int, int]], text: str) -> bool:
    """ "Google's TPU", "Nvidia GPUs": a company named only as the maker of a product."""
    gap = re.match(r"^(?:['’]s?)?\s*", text[mention.end :])
    start = mention.end + (gap.end() if gap else 0)
    return any(a == start for a, _ in products)


def _with_speaker(
    text: str, hits: list[_Hit], mentions: list[Mention], speaker: Mention, rules: DealRules
) -> list[Mention]:
    """ "We received an order from X" in a call transcript: "we" is the document's company."""
    if any(m.key == speaker.key for m in mentions):
        return mentions
    first = min(h.start for h in hits)
    last = max(h.end for h in hits)
    we = None
    if not any(m.end <= first for m in mentions):
        we = rules.cues["first_person"].search(text, 0, first)
    elif not any(m.start >= last for m in mentions):
        we = rules.cues["first_person"].search(text, last)
    if we is None:
        return mentions
    speaking = Mention(we.start(), we.end(), speaker.name, speaker.slug)
    return sorted([*mentions, speaking], key=lambda m: m.start)


def _funding(
    hit: _Hit,
    text: str,
    mentions: list[Mention],
    status: str,
    ctx: _Context,
    followup: bool = False,
) -> list[DealClaim]:
    rules = deal_rules()
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
        leads.extend(_segment_names(text, start, end, mentions))
    for key in ("lead_subject", "co_lead", "co_lead_subject"):
        for match in rules.parties[key].finditer(text):
            leads.extend(_segment_names(text, match.start("names"), match.end("names"), mentions))
    if not leads:
        # "raised $50 million from A and B": with no lead named, the backers lead the round
        for match in rules.parties["from_investors"].finditer(text):
            leads.extend(_segment_names(text, match.start("names"), match.end("names"), mentions))
    trigger_word = text[hit.start : hit.end].lower()
    if trigger_word.startswith(("led", "lead", "co-led")):
        leads.extend(m for m in mentions if m.end <= hit.start)
    participants: list[Mention] = []
    for key in ("participants", "participant_subject"):
        for match in rules.parties[key].finditer(text):
            participants.extend(
                _segment_names(text, match.start("names"), match.end("names"), mentions)
            )
    leads = _unique(leads)
    lead_keys = {m.key for m in leads}
    participant_keys = lead_keys | {m.key for m in participants}
    candidates = [m for m in mentions if m.key not in participant_keys]
    left = [m for m in candidates if m.end <= hit.start]
    right = [m for m in candidates if m.start >= hit.start]
    raiser = left[-1] if left else _subject_name(text, hit.start, rules)
    pronoun = rules.parties["pronoun_subject"].search(text, 0, hit.start)
    if (
        pronoun is not None
        and ctx.clear_topic
        and ctx.topic is not None
        and ctx.topic.key not in participant_keys
    ):
        raiser = ctx.topic  # "it raised": the company the document is about
    if raiser is None and right:
        raiser = right[0]
    claims: list[DealClaim] = []
    if followup or (ctx.last_funding is not None and rules.parties["round_reference"].search(text)):
        raiser = None  # "X led the round": the round of the funding named before
    if raiser is None:
        if ctx.last_funding is None or not (leads or participants):
            return []
        base = ctx.last_funding
        raiser_party = base.parties[0]
        raiser = Mention(0, 0, raiser_party.name, raiser_party.slug)
        known = {p.slug or p.name.casefold() for p in base.parties}
        base.parties.extend(_party(m, "lead_investor") for m in leads if m.key not in known)
    else:
        claim = _claim("funding", [raiser, *leads], status, text, hit)
        claims.append(claim)
        ctx.last_funding = claim
    for investor in _unique(participants):
        if investor.key in lead_keys or investor.key == raiser.key:
            continue
        claims.append(
            DealClaim(
                "investment",
                [_party(investor, "investor"), _party(raiser, "investee")],
                status,
                text,
            )
        )
    return claims


def _sentence_deals(
    sent: _Unit,
    doc: Doc,
    index: CompanyIndex,
    rules: DealRules,
    ctx: _Context,
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
        and not any(m.start >= hits[0].end for m in mentions)
        and rules.parties["participant_subject"].search(text)
    ):
        hits = []  # "A and B have also invested": no investee named, so the round's backers
    if not hits and ctx.last_funding is not None:  # a follow-up: "Other investors include..."
        funding = next(t for t in rules.triggers if t.funding)
        pseudo = _Hit(funding, 0, 0)
        return _funding(pseudo, text, mentions, ctx.last_funding.status, ctx, followup=True)
    if ctx.speaker is not None and cues["first_person"].search(ftext):
        # "our customer ordered Google's TPU racks": the product's maker is not the seller here
        products = [
            (p.start - sent.start_char, p.end - sent.start_char)
            for p in doc_view(doc).products
            if sent.start_char <= p.start < sent.end_char
        ]
        mentions = [m for m in mentions if not _modifies_product(m, products, text)]
        mentions = _with_speaker(text, hits, mentions, ctx.speaker, rules)
    mentions = _with_anaphors(text, hits, mentions, ctx.previous_named(doc, index), rules)
    usable, totals = _usable_money(text, rules)
    _assign_money(hits, sorted([*usable, *totals], key=lambda m: m.start))
    background = cues["background"].search(ftext) or cues["background_year_first"].search(ftext)
    claims: list[DealClaim] = []
    for hit in hits:
        deal_type = hit.trigger.deal_type
        status = _status(ftext, text, hit.trigger, rules, cues)
        if hit.money is not None and hit.money in totals:
            continue  # "has raised $850 million in total" states no single deal
        if hit.trigger.funding:
            claims.extend(_funding(hit, text, mentions, status, ctx))
            continue
        if deal_type == "ipo":
            issuer = [m for m in mentions if m.end <= hit.start][-1:] or mentions[:1]
            if issuer:
                claims.append(_claim("ipo", issuer, status, text, hit))
            continue
        for group in _pairs(hit, mentions, text, ctx.topic):
            if _initiator_right(hit, text) and not hit.trigger.symmetric:
                group = group[::-1]
            claim = _claim(deal_type, group, status, text, hit)
            if background is not None and deal_type in ("acquisition", "investment", "licensing"):
                claim.status = "completed"
                claim.is_background = True
                claim.year = int(background.group(1))
            elif claim.status == "completed" and (year := cues["year"].search(ftext)):
                claim.year = int(year.group(1))
            claims.append(claim)
    return claims


def _merge(claims: list[DealClaim]) -> list[DealClaim]:
    merged: dict[tuple[str, frozenset[str], int | None], DealClaim] = {}
    order: list[DealClaim] = []
    rank = deal_rules().tables.status_rank
    for claim in claims:
        parties = frozenset(p.slug or p.name.casefold() for p in claim.parties)
        key_any = (claim.deal_type, parties, None)
        key_value = (claim.deal_type, parties, claim.value_usd)
        existing = merged.get(key_value) or merged.get(key_any)
        if existing is None and claim.value_usd is None:
            existing = next(
                (c for k, c in merged.items() if k[0] == claim.deal_type and k[1] == parties), None
            )
        if existing is None:
            merged[key_value] = claim
            order.append(claim)
            continue
        if existing.value_usd is None and claim.value_usd is not None:
            existing.value_usd = claim.value_usd
            existing.value_qualifier = claim.value_qualifier
            existing.value_original = claim.value_original
            merged[key_value] = existing
        if rank[claim.status] > rank[existing.status]:
            existing.status = claim.status
    return order


def _value_follow_up(text: str, claim: DealClaim, rules: DealRules) -> None:
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


def extract_deals(doc: Doc, index: CompanyIndex) -> list[DealClaim]:
    """Deals stated in the document, one per distinct agreement and component type."""
    rules = deal_rules()
    ctx = _Context()
    companies = doc_view(doc).companies
    first = companies[0] if companies else None
    if first is not None and first.slug in index.companies:
        ctx.speaker = Mention(0, 0, index.companies[first.slug].name, first.slug)
    counts = Counter(row.slug for row in companies if row.slug in index.companies)
    if counts:
        ranked = counts.most_common(2)
        slug = ranked[0][0]
        ctx.topic = Mention(0, 0, index.companies[slug].name, slug)
        # "it" stands for the document's company only when no other comes close to it
        ctx.clear_topic = len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]
    claims: list[DealClaim] = []
    units = _units(doc)
    triggers = scan.trigger_selector()
    presence = scan.found(doc).partition([(u.start_char, u.end_char) for u in units])
    for unit, present in zip(units, presence, strict=True):
        # Only a trigger, or a follow-up to a funding round ("Other investors include..."),
        # can make a sentence state a deal; the rest are skipped unread.
        found: list[DealClaim] = []
        if triggers.any(present) or ctx.last_funding is not None:
            found = _sentence_deals(unit, doc, index, rules, ctx, present)
            claims.extend(found)
        if found:
            ctx.last_claim = found[-1]
        elif ctx.last_claim is not None:
            _value_follow_up(unit.text, ctx.last_claim, rules)
        if _names_company(unit, doc):
            ctx.previous = unit
    return _merge(claims)
