"""The crawl's view of the SQL store: one instance per crawler, shared by its pipelines.

Each write is its own transaction, so a crawl killed mid-run loses at most the
item in flight, and every write is an upsert, so running the crawl again
neither loses nor duplicates anything.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from sqlalchemy import Engine, bindparam, select
from sqlalchemy.orm import Session, sessionmaker

from chipwire.models import Article, Source, utcnow
from chipwire.pipeline.config import Settings
from chipwire.pipeline.db import open_store, session_factory
from chipwire.pipeline.upsert import upsert
from chipwire.spiders.addon import chipwire_settings
from chipwire.spiders.similarity import NearDuplicateIndex
from chipwire.spiders.sources import Source as SourceSpec

# How many recent originals a new article is compared with for near-duplicates.
NEAR_DUPLICATE_WINDOW = 5000

# Core statements with bound parameters: compiled once, run once per crawled article.
_ID_BY_URL = select(Article.id).where(Article.url == bindparam("url"))
_BY_URL_OR_HASH = select(Article.url, Article.content_hash).where(
    (Article.url == bindparam("url")) | (Article.content_hash == bindparam("hash"))
)
_ARTICLE_UPDATE = ("title", "author", "kind", "language", "text", "content_hash", "fetched_at")


class CrawlStore:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine: Engine = open_store(settings)
        self.factory: sessionmaker[Session] = session_factory(self.engine)
        self._source_ids: dict[str, int] = {}
        self._near: NearDuplicateIndex | None = None

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> CrawlStore:
        """The crawler's store, created on first use (pipelines and extensions share it)."""
        store = getattr(crawler, "_chipwire_store", None)
        if store is None:
            settings = chipwire_settings(crawler.settings)
            store = cls(settings)
            crawler._chipwire_store = store  # type: ignore[attr-defined]
        return store

    def near_duplicates(self) -> NearDuplicateIndex:
        """Index of recent original articles, loaded on first use and kept up to date."""
        if self._near is None:
            self._near = NearDuplicateIndex()
            for article_id, text in self.recent_texts(NEAR_DUPLICATE_WINDOW):
                self._near.add(article_id, text)
        return self._near

    def close(self) -> None:
        self.engine.dispose()

    def source_id(self, spec: SourceSpec) -> int:
        """Upsert the source row from its declarative spec and return its id."""
        if spec.name not in self._source_ids:
            row = {
                "name": spec.name,
                "kind": spec.kind,
                "url": spec.url,
                "tags": list(spec.tags),
                "verified": spec.verified,
                "enabled": spec.enabled,
            }
            with self.factory.begin() as session:
                upsert(session, Source.__table__, [row], key=["name"])
                self._source_ids[spec.name] = session.scalars(
                    select(Source.id).where(Source.name == spec.name)
                ).one()
        return self._source_ids[spec.name]

    def known_urls(self) -> set[str]:
        with self.factory() as session:
            return set(session.scalars(select(Article.url)))

    def existing(self, url: str, content_hash: str) -> tuple[bool, bool]:
        """Whether an article with this URL, and one with this text, is stored (one query)."""
        with self.engine.connect() as connection:
            rows = connection.execute(_BY_URL_OR_HASH, {"url": url, "hash": content_hash}).all()
        return any(r.url == url for r in rows), any(r.content_hash == content_hash for r in rows)

    def recent_texts(self, limit: int) -> list[tuple[int, str]]:
        """(id, text) of the newest original articles, for near-duplicate detection."""
        with self.factory() as session:
            rows = session.execute(
                select(Article.id, Article.text)
                .where(Article.duplicate_of_id.is_(None))
                .order_by(Article.first_seen_at.desc())
                .limit(limit)
            )
            return [(row.id, row.text) for row in rows]

    def save_article(self, item: dict[str, Any], source_id: int | None) -> int:
        """Upsert one article by canonical URL in its own transaction; returns its id.

        ``first_seen_at`` is written only on insert, so re-fetching never moves it.
        """
        now = utcnow()
        row = {
            "url": item["canonical_url"],
            "source_id": source_id,
            "title": item.get("title"),
            "author": item.get("author"),
            "kind": item.get("kind") or "article",
            "language": item.get("language"),
            "text": item["text"],
            "content_hash": item["content_hash"],
            "published_at": item.get("published_at"),
            "first_seen_at": now,
            "fetched_at": item.get("fetched_at") or now,
            "duplicate_of_id": item.get("duplicate_of_id"),
            "raw_html": item.get("raw_html") if self.settings.keep_raw_html else None,
        }
        with self.engine.begin() as connection:
            upsert(connection, Article.__table__, [row], key=["url"], update=_ARTICLE_UPDATE)
            return connection.execute(_ID_BY_URL, {"url": row["url"]}).scalar_one()
