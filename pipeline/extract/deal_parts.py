"""What deal extraction passes around: claims and parties, sentences, trigger hits, and the
state a document's sentences share (the last round, the document's company)."""

from __future__ import annotations

from dataclasses import dataclass, field

from chipwire.pipeline.extract.money import Money
from chipwire.pipeline.extract.names import Mention
from chipwire.pipeline.extract.rules import Trigger, deal_rules


@dataclass
class Party:
    name: str  # registry canonical name, or the name as written when not registered
    slug: str | None  # registry slug; None for an unregistered company
    role: str  # one of models.vocab.DEAL_ROLES

    @property
    def key(self) -> str:
        """As ``Mention.key``: the slug, else the name as written, case-folded."""
        return self.slug or self.name.casefold()


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
    # False where the party order is only the sentence's order ("A's licensing deal with B"
    # says nothing of who pays); the store lets reports that state the direction decide
    direction_stated: bool = True
    year: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Unit:
    """A sentence, or a line of one (headings and list items carry no full stop)."""

    start_char: int
    end_char: int
    text: str


@dataclass
class Hit:
    trigger: Trigger
    start: int
    end: int
    money: Money | None = None


def party(mention: Mention, role: str) -> Party:
    return Party(mention.name, mention.slug, role)


def make_claim(
    deal_type: str, group: list[Mention], status: str, evidence: str, hit: Hit
) -> DealClaim:
    first, other = deal_rules().tables.roles[deal_type]
    parties = [party(m, first if i == 0 else other) for i, m in enumerate(group)]
    claim = DealClaim(deal_type, parties, status, evidence)
    if hit.money is not None and deal_type not in ("partnership",):
        claim.value_usd = hit.money.value_usd
        claim.value_qualifier = hit.money.qualifier
        claim.value_original = hit.money.original
    return claim


@dataclass
class Context:
    last_funding: DealClaim | None = None
    speaker: Mention | None = None  # who "we" is: the first company the document names
    topic: Mention | None = None  # the company the document names most ("its customers")
    clear_topic: bool = False  # named at least twice as often as any other
    last_claim: DealClaim | None = None  # the deal the last sentence stating one stated
    previous: Unit | None = None  # the last sentence before this one that names a company
    round_open: bool = False  # the last sentence naming a company added to a funding round
