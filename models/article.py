"""Where articles come from and the articles themselves: the collection stage's output."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    and_,
    case,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chipwire.models.base import Base, Timestamps, utcnow
from chipwire.models.vocab import ARTICLE_KINDS, SOURCE_KINDS, one_of


class Source(Timestamps, Base):
    __tablename__ = "source"
    __table_args__ = (
        CheckConstraint(one_of("kind", SOURCE_KINDS), name="kind"),
        {"comment": "A configured place articles are collected from (feed, sitemap, listing...)."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    name: Mapped[str] = mapped_column(
        String(100), unique=True, comment="Source name as in the sources files, e.g. 'groq-news'."
    )
    kind: Mapped[str] = mapped_column(
        String(20), comment=f"How it is crawled: one of {', '.join(SOURCE_KINDS)}."
    )
    url: Mapped[str] = mapped_column(Text, comment="Start URL (feed, sitemap or listing page).")
    tags: Mapped[list[str]] = mapped_column(
        JSON, default=list, comment="Free-form labels, e.g. ['vendor', 'groq']."
    )
    verified: Mapped[bool] = mapped_column(
        default=False, comment="True once a connected run has fetched it successfully."
    )
    enabled: Mapped[bool] = mapped_column(default=True, comment="False to skip it in crawls.")

    articles: Mapped[list[Article]] = relationship(back_populates="source")


class Article(Base):
    __tablename__ = "article"
    __table_args__ = (
        CheckConstraint(one_of("kind", ARTICLE_KINDS), name="kind"),
        {"comment": "One row per distinct document (article, press release, transcript, filing)."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source.id", ondelete="SET NULL"),
        index=True,
        comment="Source it was collected from; NULL for manual imports.",
    )
    url: Mapped[str] = mapped_column(
        Text, unique=True, comment="Canonical URL (tracking parameters stripped)."
    )
    title: Mapped[str | None] = mapped_column(Text, comment="Headline.")
    author: Mapped[str | None] = mapped_column(Text, comment="Byline, when the page gives one.")
    kind: Mapped[str] = mapped_column(
        String(20),
        index=True,
        default="article",
        comment=f"Document kind: one of {', '.join(ARTICLE_KINDS)}.",
    )
    language: Mapped[str | None] = mapped_column(
        String(10), comment="ISO 639-1 language code detected or declared, e.g. 'en'."
    )
    text: Mapped[str] = mapped_column(Text, comment="Clean main text, boilerplate removed.")
    content_hash: Mapped[str] = mapped_column(
        String(64), index=True, comment="SHA-256 hex of the normalised text, for exact dedup."
    )
    published_at: Mapped[datetime | None] = mapped_column(
        index=True, comment="Publication time stated by the page (UTC); NULL if unknown."
    )
    first_seen_at: Mapped[datetime] = mapped_column(
        index=True,
        default=utcnow,
        comment="When chipwire first saw this document (UTC); never changes, no look-ahead.",
    )
    fetched_at: Mapped[datetime] = mapped_column(
        index=True,  # status: newest fetch, articles of the last 24 hours
        default=utcnow,
        comment="When the stored text was last fetched (UTC).",
    )
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("article.id", ondelete="SET NULL"),
        index=True,
        comment="For a syndicated near-copy: the first stored copy it repeats.",
    )
    raw_html: Mapped[str | None] = mapped_column(
        Text, comment="Raw HTML as fetched, only when configured to keep it."
    )
    extracted_version: Mapped[str | None] = mapped_column(
        String(40),
        index=True,
        comment="Extractor version that last processed this article; NULL if never.",
    )
    extracted_hash: Mapped[str | None] = mapped_column(
        String(64),
        comment="content_hash of the text that was extracted (re-extract if it changed).",
    )
    extracted_at: Mapped[datetime | None] = mapped_column(
        comment="When extraction last ran on this article (UTC)."
    )
    extract_claim: Mapped[str | None] = mapped_column(
        String(64),
        comment="Extraction task that has claimed this article and not finished it; NULL "
        "when unclaimed.  Lets concurrent workers split the pending articles.",
    )
    extract_claimed_at: Mapped[datetime | None] = mapped_column(
        comment="When extract_claim was taken (UTC); a claim older than the task "
        "visibility timeout is taken over."
    )

    source: Mapped[Source | None] = relationship(back_populates="articles")


def known_at_clause(published: Any, first_seen: Any) -> ColumnElement[Any]:
    """When an article could first be known: ``published_at``, or ``first_seen_at`` where
    the publication time is missing or later (a page dated in the future is not news
    before we saw it).  One definition for the briefing's queries and their index."""
    return case(
        (and_(published.is_not(None), published < first_seen), published),
        else_=first_seen,
    )


# The briefing selects a week's original articles by when they could be known: without
# this expression index every such query reads the whole table (bench/pg_store.py).  On
# PostgreSQL only, the team store: SQLite cannot reflect an expression index, so a later
# batch migration rebuilding the table would drop it without a word.
Index(
    "ix_article_known_at",
    known_at_clause(Article.published_at, Article.first_seen_at),
    postgresql_where=Article.duplicate_of_id.is_(None),
).ddl_if(dialect="postgresql")

# Extraction's pending articles: never extracted, or their text changed since.  A million
# extracted articles and a hundred pending: workers find them here instead of reading the
# table (bench/pg_store.py).  PostgreSQL only, like the index above.
Index(
    "ix_article_pending",
    Article.id,
    postgresql_where=Article.duplicate_of_id.is_(None)
    & (Article.extracted_hash.is_(None) | (Article.extracted_hash != Article.content_hash)),
).ddl_if(dialect="postgresql")
