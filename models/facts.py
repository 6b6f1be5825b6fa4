"""Facts extracted from articles: company mentions, deals and benchmark claims."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Double,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chipwire.models.base import Base, Timestamps
from chipwire.models.vocab import BENCHMARK_METRICS, DEAL_ROLES, DEAL_STATUSES, DEAL_TYPES, one_of


class Mention(Base):
    __tablename__ = "mention"
    __table_args__ = (
        UniqueConstraint("article_id", "company_id"),
        {"comment": "Which companies an article names, how often and how centrally."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True, comment="The article."
    )
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True, comment="The company named."
    )
    count: Mapped[int] = mapped_column(Integer, comment="Number of mentions in the article.")
    relevance: Mapped[float] = mapped_column(
        Double, comment="0..1; higher when named in the title or lead and often."
    )
    extractor_version: Mapped[str] = mapped_column(
        String(40), comment="Version of the extraction rules that produced this row."
    )


class Deal(Timestamps, Base):
    __tablename__ = "deal"
    __table_args__ = (
        CheckConstraint(one_of("deal_type", DEAL_TYPES), name="deal_type"),
        CheckConstraint(one_of("status", DEAL_STATUSES), name="status"),
        {"comment": "One row per real-world deal, however many articles report it."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    deal_type: Mapped[str] = mapped_column(
        String(20), index=True, comment=f"One of {', '.join(DEAL_TYPES)}."
    )
    status: Mapped[str] = mapped_column(
        String(20), comment=f"Latest known status: one of {', '.join(DEAL_STATUSES)}."
    )
    value_usd: Mapped[int | None] = mapped_column(
        BigInteger, comment="Value in whole US dollars (converted if reported in another currency)."
    )
    value_qualifier: Mapped[str | None] = mapped_column(
        String(20), comment="How the value was hedged: 'over', 'up to', 'about'; NULL if exact."
    )
    value_original: Mapped[str | None] = mapped_column(
        Text, comment="The value as written, e.g. '€5bn'."
    )
    is_background: Mapped[bool] = mapped_column(
        default=False,
        comment="True when only mentioned as history (e.g. an old acquisition), not as news.",
    )
    year: Mapped[int | None] = mapped_column(
        Integer, comment="Year the deal happened when the text states it (background deals)."
    )
    first_reported_at: Mapped[datetime | None] = mapped_column(
        index=True, comment="Earliest publication time of an article reporting it (UTC)."
    )
    fingerprint: Mapped[str] = mapped_column(
        String(128),
        unique=True,
        comment="Type + sorted party slugs (+ year); how reports of one deal are merged.",
    )
    extractor_version: Mapped[str] = mapped_column(
        String(40), comment="Version of the extraction rules that last wrote this row."
    )

    parties: Mapped[list[DealParty]] = relationship(
        back_populates="deal", cascade="all, delete-orphan", order_by="DealParty.position"
    )
    sources: Mapped[list[DealSource]] = relationship(
        back_populates="deal", cascade="all, delete-orphan"
    )


class DealParty(Base):
    __tablename__ = "deal_party"
    __table_args__ = (
        UniqueConstraint("deal_id", "name"),
        CheckConstraint(one_of("role", DEAL_ROLES), name="role"),
        {"comment": "Companies taking part in a deal and their role."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    deal_id: Mapped[int] = mapped_column(
        ForeignKey("deal.id", ondelete="CASCADE"), index=True, comment="The deal."
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"),
        index=True,
        comment="The party; NULL when it is not (yet) in the registry, see name.",
    )
    name: Mapped[str] = mapped_column(
        String(200), comment="Party as named: canonical name, or the text's name if unregistered."
    )
    role: Mapped[str] = mapped_column(String(20), comment=f"One of {', '.join(DEAL_ROLES)}.")
    position: Mapped[int] = mapped_column(
        Integer, comment="0 = paying/initiating party (acquirer, licensee, investor, customer)."
    )

    deal: Mapped[Deal] = relationship(back_populates="parties")


class DealSource(Base):
    __tablename__ = "deal_source"
    __table_args__ = (
        UniqueConstraint("deal_id", "article_id"),
        CheckConstraint(one_of("status_reported", DEAL_STATUSES), name="status_reported"),
        {"comment": "Each article that reports a deal, with its evidence sentence."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    deal_id: Mapped[int] = mapped_column(
        ForeignKey("deal.id", ondelete="CASCADE"), index=True, comment="The deal reported."
    )
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True, comment="The reporting article."
    )
    evidence: Mapped[str] = mapped_column(Text, comment="Sentence stating the deal.")
    status_reported: Mapped[str] = mapped_column(
        String(20), comment="Status as this article reports it."
    )
    value_usd_reported: Mapped[int | None] = mapped_column(
        BigInteger, comment="Value in USD as this article reports it."
    )
    roles_reported: Mapped[dict[str, str]] = mapped_column(
        JSON,
        default=dict,
        comment="Each party's role as this article reports it, {name: role}; the deal's "
        "deal_party.role is the role most reports give.",
    )
    roles_stated: Mapped[bool] = mapped_column(
        Boolean,
        default=True,
        comment="False where the article's order of the parties was only a guess ('A's "
        "licensing deal with B'); reports that state the direction outvote guesses.",
    )
    extractor_version: Mapped[str] = mapped_column(
        String(40), comment="Version of the extraction rules that produced this row."
    )

    deal: Mapped[Deal] = relationship(back_populates="sources")


class Benchmark(Base):
    __tablename__ = "benchmark"
    __table_args__ = (
        CheckConstraint(one_of("metric", BENCHMARK_METRICS), name="metric"),
        {"comment": "Quantitative performance claims (tokens/s, speedups, latency, FLOPS...)."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True, comment="Article making it."
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="SET NULL"),
        index=True,
        comment="Company whose hardware or service the figure is about.",
    )
    claimant_company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="SET NULL"),
        index=True,
        comment="Company that makes the claim, when it is not a neutral report.",
    )
    subject: Mapped[str] = mapped_column(Text, comment="Subject as written, e.g. 'Groq LPU'.")
    product: Mapped[str | None] = mapped_column(
        String(200), comment="Product family, e.g. 'LPU', when named."
    )
    model: Mapped[str | None] = mapped_column(
        String(200), comment="Normalised AI model name, e.g. 'gpt-oss-120b', when stated."
    )
    metric: Mapped[str] = mapped_column(
        String(40), index=True, comment=f"One of {', '.join(BENCHMARK_METRICS)}."
    )
    value: Mapped[float] = mapped_column(Double, comment="Value in the metric's unit.")
    unit: Mapped[str] = mapped_column(String(40), comment="Unit, e.g. 'tokens/s', 'x', 'ms'.")
    baseline_value: Mapped[float | None] = mapped_column(
        Double, comment="Compared value when stated ('vs 60 on GPUs' -> 60)."
    )
    baseline_subject: Mapped[str | None] = mapped_column(
        Text, comment="What the baseline is, e.g. 'GPUs'."
    )
    evidence: Mapped[str] = mapped_column(Text, comment="Sentence stating the claim.")
    extractor_version: Mapped[str] = mapped_column(
        String(40), comment="Version of the extraction rules that produced this row."
    )

    article = relationship("Article")


class OrgCandidate(Base):
    __tablename__ = "org_candidate"
    __table_args__ = (
        UniqueConstraint("article_id", "name_key"),
        {
            "comment": "Names that look like companies (deal parties, 'AI chip startup X') but "
            "are not in the registry: candidates for analysts to add."
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True, comment="Article naming it."
    )
    name: Mapped[str] = mapped_column(String(200), comment="The name as written.")
    name_key: Mapped[str] = mapped_column(
        String(200), index=True, comment="Case-folded name, to count across articles."
    )
    context: Mapped[str] = mapped_column(
        String(40), comment="Why it looks like a company, e.g. 'deal_party'."
    )
    sentence: Mapped[str] = mapped_column(Text, comment="Example sentence.")
    extractor_version: Mapped[str] = mapped_column(
        String(40), comment="Version of the extraction rules that produced this row."
    )
