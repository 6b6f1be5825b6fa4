"""The company-list reader: the companies a stretch of a sentence names, registered or not.

Used wherever a deal's parties are read from a list: "A, B and C", "A as well as B",
"including A and B"; descriptors and owners are stripped ("existing backers A and B",
"Saudi Arabia's A"); a capitalised name the registry does not know is a company unless it
reads as a person's (a given name and no organisation word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chipwire.pipeline.extract.rules import DealRules, deal_rules


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

    @property
    def by_other_name(self) -> bool:
        """Written otherwise than its canonical name ("Habana" for Intel, "AWS")."""
        return bool(self.surface) and self.surface != self.name

    def as_written(self) -> Mention:
        """The same span as a company of its own, named as written: an acquired subsidiary
        the registry files under its parent keeps its own name as a target."""
        return Mention(self.start, self.end, self.surface, None, self.surface)


LIST_GAP = re.compile(
    r"^[\s()]*(?:,|,?\s*and|&|,?\s*as well as|,?\s*or|,?\s*plus)?[\s()]*$", re.IGNORECASE
)


def coordinated(mentions: list[Mention], text: str, first: int, step: int) -> list[Mention]:
    """The mention at ``first`` and its list neighbours ("A, B and C") in direction ``step``."""
    chosen = [mentions[first]]
    i = first
    while 0 <= i + step < len(mentions):
        a, b = (mentions[i], mentions[i + step]) if step > 0 else (mentions[i + step], mentions[i])
        if not LIST_GAP.match(text[a.end : b.start]):
            break
        i += step
        chosen.append(mentions[i])
    return chosen if step > 0 else chosen[::-1]


def unique(mentions: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    result = []
    for mention in mentions:
        if mention.key not in seen:
            seen.add(mention.key)
            result.append(mention)
    return result


def read_names(text: str, start: int, end: int, mentions: list[Mention]) -> list[Mention]:
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
        name = capitalised_name(chunk, rules)
        if name:
            offset = chunk_start + chunk.rfind(name)
            names.append(Mention(offset, offset + len(name), name, None))
    return names


def capitalised_name(chunk: str, rules: DealRules) -> str | None:
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
    while run and (
        run[0] == "&"
        or run[0] in rules.name_stop_words
        or run[0].isdigit()
        # "Series A. Orchid Capital led it": a round's letter, not an initial of the name
        or (len(run) > 1 and re.fullmatch(r"[A-Z]\.", run[0]) is not None)
    ):
        run.pop(0)
    if not run or len(run) > rules.max_name_words or not run[0][0].isupper():
        return None
    if run[-1].rstrip(".,;:") in rules.agreement_nouns:
        return None
    if len(run) == 1 and (run[0].isdigit() or len(run[0]) < 2):
        return None
    person = run[0] in rules.given_names and run[-1].rstrip(".,") not in rules.org_suffixes
    if len(run) > 1 and person:
        return None  # "Peter Thiel" is a person; "Neuberger Berman", "Emerson Collective" firms
    return " ".join(run)


def subject_name(text: str, head: int, rules: DealRules) -> Mention | None:
    """The unregistered company a clause opens with, as the subject of its head word:
    "Lumora Systems, a maker of optical chips, has raised ..." -> Lumora Systems."""
    owner = rules.parties["possessive_subject"].search(text, 0, head)
    if owner is not None:
        # "Kestrel's $2 billion purchase of ...": the head noun's owner is its subject
        name = capitalised_name(owner.group("name"), rules)
        if name is not None and owner.group("name").endswith(name):
            return Mention(owner.end("name") - len(name), owner.end("name"), name, None)
    before = rules.parties["subject_tail"].sub("", text[:head])
    clause = max(before.rfind(","), before.rfind(";"), before.rfind(":"))
    before = before[clause + 1 :] if clause >= 0 else before
    name = capitalised_name(before, rules)
    if name is not None and before.rstrip().endswith(name):
        start = clause + 1 + before.rstrip().rfind(name)
        return Mention(start, start + len(name), name, None)
    # "Kestrel Group has completed its acquisition of ...": the name that opens the clause,
    # followed by its verb.
    opening = rules.parties["clause_subject"].match(before)
    if opening is None:
        return None
    name = capitalised_name(opening.group("name"), rules)
    if name is None or not opening.group("name").rstrip().endswith(name):
        return None
    start = clause + 1 + opening.start("name") + opening.group("name").rfind(name)
    return Mention(start, start + len(name), name, None)
