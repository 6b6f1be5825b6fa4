"""Who is whose counterparty: the pairs of parties a deal trigger binds in its sentence."""

from __future__ import annotations

import re

from chipwire.pipeline.extract.deal_parts import Hit
from chipwire.pipeline.extract.names import (
    LIST_GAP,
    Mention,
    capitalised_name,
    coordinated,
    read_names,
    subject_name,
    unique,
)
from chipwire.pipeline.extract.rules import deal_rules

# Between a name and the word it modifies: nothing, or a possessive ("Marvell's").
_ADJACENT = re.compile(r"(?:['’]s)?\s*")


def pairs(
    hit: Hit, mentions: list[Mention], text: str, topic: Mention | None
) -> list[list[Mention]]:
    if hit.trigger.modifier_target:
        return _modified(hit, mentions, text)
    left_idx = [i for i, m in enumerate(mentions) if m.end <= hit.start]
    right_idx = [i for i, m in enumerate(mentions) if m.end > hit.start]
    left = coordinated(mentions, text, left_idx[-1], -1) if left_idx else []
    right = coordinated(mentions, text, right_idx[0], 1) if right_idx else []
    if hit.trigger.deal_type == "acquisition" and left:
        target = _relative_target(hit, left[-1], text, mentions)
        if target is not None:
            return [[left[-1], target]]
    lead = _unregistered_lead(hit, text, mentions, right)
    if lead is not None:
        right = continued([lead], text, mentions)
    if (
        not left
        and hit.trigger.deal_type in ("acquisition", "investment")
        and not text[hit.start : hit.end].lower().startswith("back")
    ):
        # an unregistered company opening the clause is the acquirer or investor ("Kestrel
        # Group has completed its acquisition of ...", "Arvana Family Office took a stake
        # in ..."); other types, and "X backs", name products there too often
        subject = subject_name(text, hit.start, deal_rules())
        left = [subject] if subject is not None else []
        mentions = sorted([*left, *mentions], key=lambda m: m.start)
    is_list = deal_rules().cues["list_trigger"].search(text[hit.start : hit.end])
    if is_list or not right:
        # named lists and objects may include companies the registry does not know
        named = read_names(text, hit.start if is_list else hit.end, len(text), mentions)
        if is_list and len(named) > len(right):
            right = named
        elif not right and named and named[0].start - hit.end < deal_rules().tables.object_window:
            right = named[:1]
    if right and not is_list:
        right = continued(right, text, mentions)
    if hit.trigger.owner_in_object and right and not _owns_object(hit, right[0], text):
        return []  # "systems built on the new chips, ... from Microsoft": no maker named
    left, right = unique(left), unique(right)
    if hit.trigger.deal_type == "acquisition" and left:
        # an acquired subsidiary keeps its own name ("AMD, which bought Xilinx")
        right = [m.as_written() if m.key == left[-1].key and m.by_other_name else m for m in right]
    if hit.trigger.symmetric:
        before = unique([m for m in mentions if m.end <= hit.start])
        if len(before) == 2:
            return [before]
        if len(before) == 1 and right:
            return [[before[0], m] for m in right if m.key != before[0].key]
    if len(left) > 1 and right:
        keys = {m.key for m in mentions}
        if (
            hit.trigger.deal_type == "supply"
            and len(right) > 1
            and topic is not None
            and topic.key not in keys
        ):
            # "A and B use its chips, and C and D signed on": all of them its customers
            return [[m, topic] for m in unique([*left, *right])]
        return [[a, b] for a in left for b in right if a.key != b.key]
    if left:
        subject = pick_subject(left[-1], mentions, text)
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
        rest = unique([m for m in mentions if m.key != subject.key])
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


# A list connector; after "and" (not a bare comma, which may open the next clause) at most
# a short lowercase descriptor ("and packaging firm ...").
_CONTINUES = re.compile(
    r"\s*(?:,\s*(?=[A-Z])|(?:,\s*)?(?:and|as\s+well\s+as|plus)\s+"
    r"(?:(?!(?:or|nor|but|then|who|which|whose|its|his|her|their|our|co-?founder|founder)\b)"
    r"[a-z][\w-]*\s+){0,3})"
)


def continued(right: list[Mention], text: str, mentions: list[Mention]) -> list[Mention]:
    """A list the registry knows only the start of: "acquire Kestrel Labs and Sundial AI".

    The names after the last known one, while list connectors join them, are read by the
    company-list reader (registered or not), whose stop words bound it.
    """
    last = right[-1]
    gap = _CONTINUES.match(text, last.end)
    if gap is None:
        return right
    tail = read_names(text, last.end, len(text), mentions)
    extra = []
    pos = last.end
    for name in tail:
        joint = _CONTINUES.match(text, pos)
        if joint is None or joint.end() != name.start:
            break
        if name.slug is not None and not LIST_GAP.match(text[pos : name.start]):
            break  # "acquired X and bought Nvidia shares": a registered name after a verb
        extra.append(name)
        pos = name.end
    return [*right, *extra]


# "... in Cohere and Oracle up to $2 billion": a name followed straight by an amount
# opens a clause whose verb and object are left out (gapping).
_GAPPED = re.compile(r"\s*(?:,\s*)?(?:and|while|with)\s+$|\s*,\s*$")
_AMOUNT_NEXT = re.compile(
    r"\s+(?:(?:up\s+to|about|around|roughly|nearly|another|a\s+further|more\s+than|over)\s+)?"
    r"(?:[$€£]|US\$)\s?\d"
)


_AMOUNT_END = re.compile(r"[\d.,]*\s*(?:billion|million|bn|[mb])?\b", re.IGNORECASE)
_OWN_OBJECT = re.compile(r"\s+(?:in|into)\s+")


def ungapped(
    groups: list[list[Mention]], text: str, mentions: list[Mention]
) -> list[tuple[list[Mention], int | None]]:
    """Each pair, with the gapped clauses resolved: "A will invest $5 billion in B and C up
    to $10 billion" binds C to B (with the amount after C, whose offset is returned), not A
    to C; "... and C $2 billion in D" binds C to D."""
    result: list[tuple[list[Mention], int | None]] = []
    for group in groups:
        if len(group) == 2 and result:
            subject, other = group
            first_object = result[0][0][-1]
            amount = _AMOUNT_NEXT.match(text, other.end)
            if (
                amount is not None
                and subject.key == result[0][0][0].key
                and other.start > first_object.end
                and _GAPPED.fullmatch(text[first_object.end : other.start]) is not None
                and other.key != first_object.key
            ):
                own = _OWN_OBJECT.match(text, _AMOUNT_END.match(text, amount.end()).end())
                target = next((m for m in mentions if own and m.start == own.end()), None)
                result.append(([other, target or first_object], amount.end()))
                continue
        result.append((group, None))
    return result


def _relative_target(
    hit: Hit, acquirer: Mention, text: str, mentions: list[Mention]
) -> Mention | None:
    """ "Vexa, the Israeli startup Marvell bought in 2021, ...": the acquirer heads a reduced
    relative clause, and the name the clause describes is the target."""
    if text[acquirer.end : hit.start].strip():
        return None
    head = deal_rules().parties["reduced_relative"].search(text, 0, acquirer.start)
    if head is None:
        return None
    known = next((m for m in mentions if m.end == head.end("name")), None)
    if known is not None and known.key == acquirer.key:
        # an acquired subsidiary the registry files under its parent keeps its own name
        return known.as_written() if known.surface else None
    if known is not None:
        return known
    name = capitalised_name(head.group("name"), deal_rules())
    if name is None or not head.group("name").endswith(name):
        return None
    return Mention(head.end("name") - len(name), head.end("name"), name, None)


def _unregistered_lead(
    hit: Hit, text: str, mentions: list[Mention], right: list[Mention]
) -> Mention | None:
    """An unregistered name opening the object list before any registered one ("working
    with Kestrel Labs, Vantor and Cohere"), read by the company-list reader."""
    if not right:
        return None
    window = deal_rules().tables.object_window
    named = read_names(text, hit.end, min(len(text), hit.end + window), mentions)
    first = named[0] if named else None
    if first is None or first.slug is not None or first.start >= right[0].start:
        return None
    between = text[hit.end : first.start]
    return (
        first if re.fullmatch(r"[\s\w-]*", between) and not re.search(r"[A-Z]", between) else None
    )


def pick_subject(nearest: Mention, mentions: list[Mention], text: str) -> Mention:
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


def right_cue(hit: Hit, text: str) -> bool:
    """Whether the words after the trigger put the initiator on its right ("licensed its
    cores to X")."""
    cue = hit.trigger.right_initiator_cue
    return cue is not None and cue.search(text[hit.start : hit.end + 60]) is not None


def _owns_object(hit: Hit, first: Mention, text: str) -> bool:
    """The first name after the verb makes the product bought: it stands inside the
    object ("buy Nvidia GPUs") or right after it, introduced as its maker ("chips from
    AMD")."""
    if first.start < hit.end:
        return True
    gap = text[hit.end : first.start]
    return deal_rules().parties["object_owner_after"].match(gap) is not None


def initiator_right(hit: Hit, text: str) -> bool:
    return right_cue(hit, text) or hit.trigger.initiator == "right"


def owner_last(
    group: list[Mention], hit: Hit, mentions: list[Mention], text: str
) -> tuple[list[Mention], bool]:
    """The party whose technology the sentence names ("covering Vireo's interconnect IP")
    is the one granting rights, whichever side of the agreement word it stands on; the flag
    says whether the sentence named exactly one party's technology."""
    cue = hit.trigger.owner_cue
    if cue is None or len(group) != 2:
        return group, False
    owners = {m.key for m in mentions if cue.match(text, m.end)}
    first, second = group
    if (first.key in owners) == (second.key in owners):
        return group, False
    return ([second, first] if first.key in owners else group), True


def _modified(hit: Hit, mentions: list[Mention], text: str) -> list[list[Mention]]:
    """ "Kestrel closes its Vantor takeover", "we closed the Quarry Data acquisition": the name
    right before the word is the target, the company before it the acquirer."""
    rules = deal_rules()
    target = next(
        (
            m
            for m in reversed(mentions)
            if m.end <= hit.start and _ADJACENT.fullmatch(text[m.end : hit.start])
        ),
        None,
    )
    if target is None:
        name = capitalised_name(text[: hit.start], rules)
        if name is None or not text[: hit.start].rstrip().endswith(name):
            return []
        start = text[: hit.start].rstrip().rfind(name)
        target = Mention(start, start + len(name), name, None)
    before = [m for m in mentions if m.end <= target.start]
    acquirer = before[-1] if before else subject_name(text, target.start, rules)
    if acquirer is not None and acquirer.key == target.key and target.surface:
        # "Intel completed its Habana acquisition": an acquired subsidiary keeps its name
        target = target.as_written()
    if acquirer is None or acquirer.key == target.key:
        return []
    return [[acquirer, target]]
