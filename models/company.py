"""Companies of the AI-compute market, their aliases and products (seeded from the registry)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chipwire.models.base import Base, Timestamps
from chipwire.models.vocab import COMPANY_KINDS, one_of


class Company(Timestamps, Base):
    __tablename__ = "company"
    __table_args__ = (
        CheckConstraint(one_of("kind", COMPANY_KINDS), name="kind"),
        {"comment": "One row per company of the AI-compute market, from the registry file."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    slug: Mapped[str] = mapped_column(
        String(80), unique=True, comment="Stable identifier from the registry, e.g. 'groq'."
    )
    name: Mapped[str] = mapped_column(
        String(200), unique=True, comment="Canonical display name, e.g. 'Groq'."
    )
    legal_name: Mapped[str | None] = mapped_column(
        String(300), comment="Registered legal name, e.g. 'Groq, Inc.', when known."
    )
    kind: Mapped[str] = mapped_column(
        String(40), index=True, comment=f"Market role: one of {', '.join(COMPANY_KINDS)}."
    )
    symbol: Mapped[str | None] = mapped_column(
        String(20), index=True, comment="Market symbol as yfinance knows it; NULL if private."
    )
    exchange: Mapped[str | None] = mapped_column(
        String(20), comment="Exchange of the primary listing, e.g. 'NASDAQ'; NULL if private."
    )
    country: Mapped[str | None] = mapped_column(
        String(2), comment="Headquarters country, ISO 3166-1 alpha-2."
    )
    website: Mapped[str | None] = mapped_column(String(200), comment="Bare web domain.")
    description: Mapped[str | None] = mapped_column(Text, comment="One-line description.")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="SET NULL"),
        index=True,
        comment="The company that bought this one (Habana Labs -> Intel); NULL for a company "
        "on its own.  Mentions and deals name the parent, except where a text tells of the "
        "acquisition itself.",
    )

    aliases: Mapped[list[CompanyAlias]] = relationship(
        back_populates="company", cascade="all, delete-orphan"
    )
    products: Mapped[list[Product]] = relationship(
        back_populates="company", cascade="all, delete-orphan"
    )


class CompanyAlias(Base):
    __tablename__ = "company_alias"
    __table_args__ = {
        "comment": "Surface forms that name a company (legal names, short forms, old names)."
    }

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"),
        index=True,
        comment="The company this alias names.",
    )
    alias: Mapped[str] = mapped_column(String(200), comment="The alias as written, e.g. 'AWS'.")
    alias_key: Mapped[str] = mapped_column(
        String(200),
        unique=True,
        comment="Case-folded, whitespace-normalised alias; unique so no alias names two companies.",
    )
    case_sensitive: Mapped[bool] = mapped_column(
        default=False,
        comment="True when only this exact casing names the company (Arm, not arm).",
    )

    company: Mapped[Company] = relationship(back_populates="aliases")


class Product(Base):
    __tablename__ = "product"
    __table_args__ = {
        "comment": "Product names that imply their maker (TPU -> Google, LPU -> Groq), "
        "one row per surface form."
    }

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"),
        index=True,
        comment="The company that makes the product.",
    )
    family: Mapped[str] = mapped_column(
        String(200), index=True, comment="Canonical product family, e.g. 'TPU' for 'Ironwood'."
    )
    name: Mapped[str] = mapped_column(String(200), comment="Surface form, e.g. 'Ironwood'.")
    name_key: Mapped[str] = mapped_column(
        String(200), unique=True, comment="Case-folded name; unique across all companies."
    )

    company: Mapped[Company] = relationship(back_populates="products")
