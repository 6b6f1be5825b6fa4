"""Companies a sentence refers to without naming them: "the chipmaker", "it", "we".

A descriptor or pronoun subject stands for the company of the sentence before it; in a
first-person document (an earnings call, a press release) "we" is the speaking company.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from chipwire.pipeline.extract.companies import CompanyIndex
from chipwire.pipeline.extract.deal_parts import DealClaim, Hit
from chipwire.pipeline.extract.names import Mention, capitalised_name
from chipwire.pipeline.extract.rules import DealRules
from chipwire.pipeline.extract.view import SpanRow, doc_text


def with_anaphors(
    text: str,
    hits: list[Hit],
    mentions: list[Mention],
    previous: list[Mention],
    rules: DealRules,
    topic: Mention | None = None,
) -> list[Mention]:
    """ "The chipmaker will invest in OpenAI": a descriptor subject stands for the previous
    sentence's company when no company is named before the trigger; "it", and a descriptor
    object after the trigger, stand for the document's company (``topic``) when the document
    is plainly about one."""
    if not (previous or topic) or not hits:
        return mentions
    first = min(h.start for h in hits)
    added: list[Mention] = []
    # A subsidiary named by its own name ("Silo AI", filed under its parent) leaves the
    # parent free to be "the company" that bought it.
    used = {m.key for m in mentions if not m.by_other_name}
    last = max(h.end for h in hits)
    for match in rules.cues["anaphor"].finditer(text):
        pronoun = match.group().lower() == "it"
        if match.start() >= last:
            # "Amazon put $4 billion into the company": an object with no name after the
            # trigger is the document's company, when the document is plainly about one
            if (
                pronoun
                or topic is None
                or topic.key in used
                or added
                or any(m.start >= first for m in mentions)
                or match.start() - last > rules.tables.object_window
                or text.startswith(("'s", "’s"), match.end())  # "for the company's own"
            ):
                continue
            used.add(topic.key)
            added.append(Mention(match.start(), match.end(), topic.name, topic.slug))
            continue
        if match.end() > first or any(m.end <= first for m in mentions):
            continue  # only a subject with no named company before the trigger
        if topic is not None and topic.key not in used:
            referent: Mention | None = topic  # the document is plainly about one company
        else:
            referent = next((m for m in previous if m.key not in used), None)
        if referent is None:
            continue
        used.add(referent.key)
        added.append(Mention(match.start(), match.end(), referent.name, referent.slug))
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda m: m.start)


def modifies_product(mention: Mention, products: list[tuple[int, int]], text: str) -> bool:
    """ "Google's TPU", "Nvidia GPUs": a company named only as the maker of a product."""
    gap = re.match(r"^(?:['’]s?)?\s*", text[mention.end :])
    start = mention.end + (gap.end() if gap else 0)
    return any(a == start for a, _ in products)


def with_speaker(
    text: str, hits: list[Hit], mentions: list[Mention], speaker: Mention, rules: DealRules
) -> list[Mention]:
    """ "We received an order from X" in a call transcript: "we" is the document's company."""
    first = min(h.start for h in hits)
    last = max(h.end for h in hits)
    if any(m.key == speaker.key and m.end <= first for m in mentions):
        return mentions  # the speaking company is named as the subject already
    we = None
    if not any(m.end <= first for m in mentions):
        we = rules.cues["first_person"].search(text, 0, first)
    elif not any(m.start >= last for m in mentions):
        we = rules.cues["first_person"].search(text, last)
    if we is None:
        # "We entered into an agreement with X to deliver ...": the speaker opens the clause
        # before the named party; any first person in the sentence is the speaking company.
        we = rules.cues["first_person"].search(text)
    if we is None:
        return mentions
    speaking = Mention(we.start(), we.end(), speaker.name, speaker.slug)
    return sorted([*mentions, speaking], key=lambda m: m.start)


def release_issuer(
    doc: Doc, companies: list[SpanRow], index: CompanyIndex, rules: DealRules
) -> Mention | None:
    """The company whose press release this is, from its dateline ("OSLO, Norway -- Quarry
    Data AS, the Nordic inference cloud, today announced ..."): "the company" in a release
    is its issuer, whichever company the release names most."""
    head = doc_text(doc)[:1500]
    if "--" not in head and "—" not in head and "–" not in head:
        return None  # no dateline dash: not a wire release (the regex is the slow test)
    found = rules.parties["release_issuer"].search(head)
    if found is None:
        return None
    start = found.start("name")
    for row in companies:
        if row.start <= start < row.end or start <= row.start < found.end("name"):
            if row.slug in index.companies:
                return Mention(0, 0, index.companies[row.slug].name, row.slug)
            return None
    name = capitalised_name(found.group("name"), rules)
    return Mention(0, 0, name, None) if name is not None else None


def with_same_customer(
    text: str, mentions: list[Mention], last: DealClaim | None, rules: DealRules
) -> list[Mention]:
    """ "an additional $11 billion order from that same customer": the customer of the
    supply deal the sentence before stated (its first party)."""
    if last is None or last.deal_type != "supply" or not last.parties:
        return mentions
    found = rules.cues["same_customer"].search(text)
    if found is None or any(m.start < found.end() and found.start() < m.end for m in mentions):
        return mentions
    customer = last.parties[0]
    if any(m.key == customer.key for m in mentions):
        return mentions
    named = Mention(found.start(), found.end(), customer.name, customer.slug)
    return sorted([*mentions, named], key=lambda m: m.start)
