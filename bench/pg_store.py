"""A team store of a million articles on PostgreSQL: the common queries' plans and times,
before and after migration 0007's indexes.

The store is generated (COPY, seeded RNG) to look like a year or three of a research
team's collection: ``--articles`` articles from 400 sources over three years (more
recent years busier), 5 % syndicated copies, 3 % not yet extracted; mentions (about two
per article), deals reported by several articles each, benchmark claims, and daily prices
of the registry's listed companies.  Then each query a team runs often (the briefing's
week of articles, ``chipwire status``, the crawl's lookups, the extraction claim, the
analysts' example queries in docs/schema.md) is run with ``EXPLAIN (ANALYZE, BUFFERS)``
at revision 0006 and again at head, after ``ANALYZE``; the table shows the plan's access
path and the execution time of each.  Times are medians of ``--repeat`` runs, warm cache.

Run from the project root: ``.venv/bin/python -m bench.pg_store [--articles N]
[--pg URL] [--keep]`` (a database of its own is created and dropped, unless ``--keep``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import random
import re
import statistics
import time
import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, create_engine, func, make_url, select, text

from bench.machine import load
from chipwire.models import Article, known_at_clause
from chipwire.pipeline.config import load_settings
from chipwire.pipeline.db import make_engine, session_factory, upgrade
from chipwire.pipeline.extract import EXTRACTOR_VERSION
from chipwire.pipeline.extract.batches import claim_queries, claimable
from chipwire.pipeline.registry import load_registry
from chipwire.pipeline.seed import seed_registry

SOURCES = 400
WORDS = " ".join(
    (
        "inference chip accelerator wafer memory bandwidth supply deal licence cloud rack",
        "model tokens latency foundry packaging funding round valuation customer analyst",
        "quarter revenue capacity data centre power cooling compiler kernel serving",
    )
).split()


def moments(rng: random.Random, count: int, end: dt.datetime) -> Iterator[dt.datetime]:
    """Publication times over three years, the recent ones denser (collections grow)."""
    span = 3 * 365 * 86400
    for _ in range(count):
        yield end - dt.timedelta(seconds=span * (1 - rng.random() ** 0.6))


def generate(engine: Engine, articles: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    raw = engine.raw_connection()
    cursor = raw.cursor()
    cursor.execute("SELECT id FROM company")
    companies = [row[0] for row in cursor.fetchall()]
    with cursor.copy("COPY source (name, kind, url, tags, verified, enabled) FROM STDIN") as copy:
        for n in range(SOURCES):
            copy.write_row(
                (f"source-{n}", "rss", f"https://s{n}.example.test/feed", "[]", True, True)
            )
    end = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    columns = (
        "source_id, url, title, kind, language, text, content_hash, published_at, "
        "first_seen_at, fetched_at, duplicate_of_id, extracted_version, extracted_hash, "
        "extracted_at"
    )
    with cursor.copy(f"COPY article ({columns}) FROM STDIN") as copy:
        for n, when in enumerate(sorted(moments(rng, articles, end)), start=1):
            body = " ".join(rng.choices(WORDS, k=60)) + f" {n}"
            digest = hashlib.sha256(body.encode()).hexdigest()
            seen = when + dt.timedelta(minutes=rng.randint(5, 600))
            published = None if rng.random() < 0.08 else when
            duplicate = rng.randint(1, n - 1) if n > 10 and rng.random() < 0.05 else None
            extracted = rng.random() > 0.03 or n < articles * 0.9
            copy.write_row(
                (
                    rng.randint(1, SOURCES),
                    f"https://news{n % 97}.example.test/{n}",
                    f"story {n}",
                    "article",
                    "en",
                    body,
                    digest,
                    published,
                    seen,
                    seen,
                    duplicate,
                    EXTRACTOR_VERSION if extracted else None,
                    digest if extracted else None,
                    seen if extracted else None,
                )
            )
    with cursor.copy(
        "COPY mention (article_id, company_id, count, relevance, extractor_version) FROM STDIN"
    ) as copy:
        for n in range(1, articles + 1):
            for company in rng.sample(companies, rng.choice((1, 2, 2, 3))):
                copy.write_row(
                    (n, company, rng.randint(1, 6), round(rng.random(), 3), EXTRACTOR_VERSION)
                )
    deals = articles // 50
    with cursor.copy(
        "COPY deal (fingerprint, deal_type, status, is_background, first_reported_at, "
        "extractor_version) FROM STDIN"
    ) as copy:
        for n in range(deals):
            copy.write_row(
                (
                    f"bench:{n}",
                    rng.choice(("supply", "investment", "partnership")),
                    "announced",
                    False,
                    end - dt.timedelta(days=rng.randint(0, 1000)),
                    EXTRACTOR_VERSION,
                )
            )
    with cursor.copy(
        "COPY deal_source (deal_id, article_id, evidence, status_reported, roles_reported, "
        "roles_stated, extractor_version) FROM STDIN"
    ) as copy:
        for n in range(1, deals + 1):
            for article in rng.sample(range(1, articles + 1), rng.randint(1, 6)):
                copy.write_row(
                    (n, article, "a sentence", "announced", "{}", False, EXTRACTOR_VERSION)
                )
    with cursor.copy(
        "COPY benchmark (article_id, company_id, subject, metric, value, unit, evidence, "
        "extractor_version) FROM STDIN"
    ) as copy:
        for _ in range(articles // 20):
            copy.write_row(
                (
                    rng.randint(1, articles),
                    rng.choice(companies),
                    "x",
                    "tokens_per_second",
                    rng.randint(50, 3000),
                    "tokens/s",
                    "a sentence",
                    EXTRACTOR_VERSION,
                )
            )
    raw.commit()
    cursor.close()
    raw.close()


def queries() -> dict[str, str]:
    """The queries, as the code issues them (compiled from its own expressions) or as
    docs/schema.md shows them."""
    when = known_at_clause(Article.published_at, Article.first_seen_at)
    week = (
        select(Article.id, Article.title, Article.url, when)
        .where(
            Article.duplicate_of_id.is_(None),
            when >= text("'2026-11-16'"),
            when < text("'2026-11-23'"),
        )
        .order_by(when, Article.id)
    )
    now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    new_text, other_version = claim_queries(dt.timedelta(hours=1), now, 100)
    pending = select(func.count(Article.id)).where(claimable(dt.timedelta(hours=1), now))

    def sql(statement: Any) -> str:
        from sqlalchemy.dialects import postgresql

        compiled = statement.compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )
        return str(compiled)

    return {
        "briefing: a week's originals": sql(week),
        "status: newest fetch": "SELECT max(fetched_at) FROM article",
        "status: fetched in 24 h": "SELECT count(*) FROM article WHERE fetched_at >= '2026-11-29'",
        "crawl: by URL": "SELECT id FROM article WHERE url = 'https://news5.example.test/500000'",
        "crawl: by text hash": "SELECT url FROM article WHERE content_hash = repeat('a', 64)",
        "crawl: recent originals": "SELECT id, text FROM article WHERE duplicate_of_id IS NULL "
        "ORDER BY first_seen_at DESC LIMIT 5000",
        "extract: claim new or changed": sql(new_text),
        "extract: claim other version": sql(other_version),
        "extract: count pending": sql(pending),
        "analysts: mentions since a date": "SELECT c.name, sum(m.count) AS mentions FROM mention m "
        "JOIN article a ON a.id = m.article_id JOIN company c ON c.id = m.company_id "
        "WHERE a.published_at >= '2026-11-01' GROUP BY c.name ORDER BY mentions DESC LIMIT 20",
        "analysts: multi-report deals": "SELECT d.id, count(s.id) FROM deal d JOIN deal_source s "
        "ON s.deal_id = d.id GROUP BY d.id HAVING count(s.id) > 1 ORDER BY 2 DESC LIMIT 50",
    }


_PATH = re.compile(
    r"(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan|Parallel Seq Scan)(?: Backward)?"
    r"(?: using (\w+))?(?: on (\w+))?"
)


def explain(engine: Engine, sql: str, repeat: int) -> tuple[str, float]:
    """(access paths on article, median execution ms) of one query."""
    times, paths = [], ""
    for _ in range(repeat):
        with engine.connect() as connection:
            plan = [row[0] for row in connection.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}"))]
            connection.rollback()  # FOR UPDATE locks, if any, go
        found = [m for line in plan for m in _PATH.findall(line)]
        paths = ", ".join(
            dict.fromkeys(
                f"{kind} {index}".strip() if index else f"{kind} {table}".strip()
                for kind, index, table in found
            )
        )
        ms = next(
            float(line.split(":")[1].split()[0])
            for line in plan
            if line.startswith("Execution Time")
        )
        times.append(ms)
    return paths, statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    args = parser.parse_args(argv)
    name = f"chipwire_pg_bench_{uuid.uuid4().hex[:6]}"
    admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
    try:
        engine = make_engine(url)
        upgrade(engine, "0006")
        with session_factory(engine).begin() as session:  # the registry, at revision 0006
            seed_registry(session, load_registry(load_settings().registry_path))
        started = time.perf_counter()
        generate(engine, args.articles)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
            size = connection.scalar(
                text("SELECT pg_size_pretty(pg_database_size(current_database()))")
            )
        print(
            f"generated {args.articles:,} articles in {time.perf_counter() - started:.0f} s; "
            f"database {size}; host {platform.machine()}, {os.cpu_count()} CPUs, load {load()}"
        )
        before = {label: explain(engine, sql, args.repeat) for label, sql in queries().items()}
        upgrade(engine)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE article"))
        after = {label: explain(engine, sql, args.repeat) for label, sql in queries().items()}
        print("\n| query | at 0006 | ms | at head | ms |\n| --- | --- | ---: | --- | ---: |")
        for label in before:
            (path0, ms0), (path1, ms1) = before[label], after[label]
            print(f"| {label} | {path0} | {ms0:.1f} | {path1} | {ms1:.1f} |")
        engine.dispose()
    finally:
        if not args.keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
