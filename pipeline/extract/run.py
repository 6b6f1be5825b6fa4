"""Running extraction over the store: new or changed articles only, a few per transaction.

An article needs extraction when it was never extracted, was extracted by
another extractor version, or its text changed since (content hash).  Syndicated
copies (``duplicate_of_id``) are skipped: their original carries the facts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import nullcontext
from typing import Any

from rich.progress import Progress
from spacy.language import Language
from sqlalchemy import Engine, Select, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from chipwire.models import Article, Company
from chipwire.pipeline.extract import EXTRACTOR_VERSION
from chipwire.pipeline.extract.analysis import ArticleExtraction, analyse
from chipwire.pipeline.extract.nlp import clip
from chipwire.pipeline.extract.store import (
    SAVE_CHUNK,
    Extracted,
    prune_orphan_deals,
    save_extractions,
)
from chipwire.pipeline.extract.workers import Workers

CHUNK = 256  # articles loaded from the store at a time
logger = logging.getLogger(__name__)


def pending_filter(all_articles: bool) -> Any:
    original = Article.duplicate_of_id.is_(None)
    if all_articles:
        return original
    # "another version" as two ranges, not <>: each arm of the OR can then be answered by
    # an index (ix_article_extracted_version, ix_article_pending), so finding the few
    # pending articles among a million is an index lookup, not a table scan
    return original & or_(
        Article.extracted_version.is_(None),
        Article.extracted_version < EXTRACTOR_VERSION,
        Article.extracted_version > EXTRACTOR_VERSION,
        Article.extracted_hash.is_(None),
        Article.extracted_hash != Article.content_hash,
    )


def article_inputs(ids: list[int]) -> Select[Any]:
    """What extraction reads of each article, in id order: the text and title it analyses,
    the hash it marks as extracted and the date its deal reports carry."""
    return (
        select(
            Article.id,
            Article.title,
            Article.text,
            Article.content_hash,
            func.coalesce(Article.published_at, Article.first_seen_at).label("reported"),
        )
        .where(Article.id.in_(ids))
        .order_by(Article.id)
    )


def _chunks(factory: sessionmaker[Session], ids: list[int]) -> Iterator[list[Any]]:
    for start in range(0, len(ids), CHUNK):
        with factory() as session:
            yield list(session.execute(article_inputs(ids[start : start + CHUNK])).all())


def _chunked(items: Iterator[Extracted], size: int) -> Iterator[list[Extracted]]:
    """``itertools.batched`` (Python 3.12) for 3.11."""
    chunk: list[Extracted] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _input(row: Any, counts: dict[str, int]) -> tuple[str, Any]:
    """The text the pipeline reads for an article: title, blank line, body (clipped)."""
    text, cut = clip(f"{row.title or ''}\n\n{row.text}")
    if cut:
        counts["truncated"] += 1
        logger.warning("article %s: text cut to its first %d characters", row.id, len(text))
    return text, row


def _analysed(
    nlp: Language, texts: list[tuple[str, Any]], workers: Workers | None, batch_size: int
) -> Iterator[tuple[Any, ArticleExtraction]]:
    """(row, extraction) per article, in order: here, or sharded across worker processes."""
    if workers is None:
        for doc, row in nlp.pipe(texts, as_tuples=True, batch_size=batch_size):
            yield row, analyse(nlp, doc, row.title)
        return
    items = [(text, row.title) for text, row in texts]
    rows = [row for _, row in texts]
    yield from zip(rows, workers.analyse(items, chunksize=batch_size // 4), strict=True)


def extract_articles(
    engine: Engine,
    factory: sessionmaker[Session],
    nlp: Language,
    *,
    all_articles: bool = False,
    batch_size: int = 32,
    processes: int = 1,
    show_progress: bool = True,
) -> dict[str, int]:
    """Extract every pending article; returns counts for job_run."""
    with factory() as session:
        ids = list(
            session.scalars(
                select(Article.id).where(pending_filter(all_articles)).order_by(Article.id)
            )
        )
        company_ids = dict(session.execute(select(Company.slug, Company.id)).all())
    counts = {"articles": 0, "mentions": 0, "deals": 0, "benchmarks": 0, "candidates": 0}
    counts["truncated"] = 0
    with (
        Workers(nlp, processes) if processes > 1 and ids else nullcontext() as workers,
        Progress(disable=not show_progress, transient=True) as progress,
    ):
        task = progress.add_task("extracting", total=len(ids))
        for rows in _chunks(factory, ids):
            texts = [_input(row, counts) for row in rows]
            analysed = (
                Extracted(row.id, row.reported, row.content_hash, result)
                for row, result in _analysed(nlp, texts, workers, batch_size)
            )
            for chunk in _chunked(analysed, SAVE_CHUNK):
                with factory.begin() as session:
                    stored = save_extractions(session, chunk, company_ids)
                counts["articles"] += len(chunk)
                for key, value in stored.items():
                    counts[key] += value
                progress.advance(task, len(chunk))
    with factory.begin() as session:
        counts["deals_pruned"] = prune_orphan_deals(session)
    return counts
