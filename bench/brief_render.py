"""Briefing render time for a huge week, against a bare Jinja render of the same rows.

A week of ``--articles`` articles (10,000 by default) is written straight into a fresh
SQLite store: every article names three companies, one in five reports one of a pool of
deals, one in twenty carries a benchmark claim. Two things are timed on it:

* **chipwire**: ``build_briefing`` (every query, the ranking, the leaderboards, the charts'
  data) plus ``render_briefing`` (the real templates and inline SVG).
* **bound**: one query reading the week's articles (title, URL, source, date) and a bare
  Jinja template that lists every one of them in a table, autoescaped. That is the least
  any page listing the week would cost.

The briefing shows the top rows with a count of the rest, so its size stays bounded while
the bound's page grows with the week. Both are timed in the same process, alternating,
``--repeat`` times; the medians and their ratio are printed with the page sizes.

Run from the project root: ``.venv/bin/python -m bench.brief_render [--articles N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from jinja2 import Environment
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bench.machine import load
from chipwire.models import (
    Article,
    Benchmark,
    Company,
    Deal,
    DealParty,
    DealSource,
    Mention,
    Source,
)
from chipwire.pipeline.config import DEFAULT_REGISTRY
from chipwire.pipeline.db import make_engine, upgrade
from chipwire.pipeline.registry import load_registry
from chipwire.pipeline.seed import seed_registry
from chipwire.reports.context import build_briefing
from chipwire.reports.queries import known_at
from chipwire.reports.render import render_briefing
from chipwire.reports.week import parse_week

WEEK = "2026-W10"
BARE = """<table>{% for title, url, source, when in rows %}
<tr><td><a href="{{ url }}">{{ title }}</a></td><td>{{ source }}</td><td>{{ when }}</td></tr>
{% endfor %}</table>"""


def fill(session: Session, articles: int, seed: int = 20261204) -> None:
    rng = random.Random(seed)
    seed_registry(session, load_registry(DEFAULT_REGISTRY))
    companies = list(session.execute(select(Company.id, Company.name)).all())
    session.add_all(
        Source(name=f"source-{i}", kind="rss", url=f"https://s{i}.test/") for i in range(20)
    )
    session.flush()
    sources = list(session.scalars(select(Source.id)))
    monday = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    rows = []
    for i in range(articles):
        when = monday + dt.timedelta(seconds=rng.randrange(7 * 86400))
        rows.append(
            {
                "id": i + 1,
                "source_id": rng.choice(sources),
                "url": f"https://news.test/{i}",
                "title": f"Story {i}: chipmakers & <clouds> trade capacity",
                "text": "t",
                "content_hash": f"h{i}",
                "published_at": when,
                "first_seen_at": when,
                "kind": "article",
                "tags": [],
            }
        )
    session.execute(insert(Article), rows)
    session.execute(
        insert(Mention),
        [
            {
                "article_id": i + 1,
                "company_id": cid,
                "count": rng.randint(1, 5),
                "relevance": rng.random(),
                "extractor_version": "bench",
            }
            for i in range(articles)
            for cid, _ in rng.sample(companies, 3)
        ],
    )
    deals = max(1, articles // 50)
    session.execute(
        insert(Deal),
        [
            {
                "id": d + 1,
                "deal_type": rng.choice(["supply", "investment", "licensing"]),
                "status": "announced",
                "value_usd": rng.randrange(10**6, 10**10),
                "is_background": False,
                "first_reported_at": monday,
                "fingerprint": f"f{d}",
                "extractor_version": "bench",
            }
            for d in range(deals)
        ],
    )
    session.execute(
        insert(DealParty),
        [
            {"deal_id": d + 1, "company_id": cid, "name": name, "role": role, "position": p}
            for d in range(deals)
            for p, ((cid, name), role) in enumerate(
                zip(rng.sample(companies, 2), ("customer", "supplier"), strict=True)
            )
        ],
    )
    session.execute(
        insert(DealSource),
        [
            {
                "deal_id": rng.randrange(deals) + 1,
                "article_id": i + 1,
                "evidence": "e",
                "status_reported": "announced",
                "roles_reported": {},
                "roles_stated": True,
                "extractor_version": "bench",
            }
            for i in range(0, articles, 5)
        ],
    )
    session.execute(
        insert(Benchmark),
        [
            {
                "article_id": i + 1,
                "company_id": companies[i % 40][0],
                "subject": companies[i % 40][1],
                "metric": "tokens_per_second",
                "value": float(rng.randrange(50, 3000)),
                "unit": "tokens/s",
                "model": "gpt-oss-120b",
                "evidence": "e",
                "extractor_version": "bench",
            }
            for i in range(0, articles, 20)
        ],
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        upgrade(engine)
        with Session(engine) as session, session.begin():
            fill(session, args.articles)
        week = parse_week(WEEK, "UTC")
        start, end = week.bounds()
        bare = Environment(autoescape=True).from_string(BARE)
        times: dict[str, list[float]] = {"chipwire": [], "bound": []}
        sizes = {}
        for _ in range(args.repeat):
            with Session(engine) as session:
                t0 = time.perf_counter()
                html = render_briefing(build_briefing(session, week))
                times["chipwire"].append(time.perf_counter() - t0)
                sizes["chipwire"] = len(html)
                t0 = time.perf_counter()
                when = known_at()
                rows = session.execute(
                    select(Article.title, Article.url, Source.name, when)
                    .join(Source, Source.id == Article.source_id)
                    .where(when >= start, when < end)
                    .order_by(when)
                ).all()
                page = bare.render(rows=rows)
                times["bound"].append(time.perf_counter() - t0)
                sizes["bound"] = len(page)
        engine.dispose()
    chipwire, bound = (statistics.median(times[k]) for k in ("chipwire", "bound"))
    print(f"briefing render, one week of {args.articles:,} articles (SQLite)")
    print(f"  Python {platform.python_version()}, load average {load()}, repeat {args.repeat}")
    print(
        f"  chipwire briefing  median {chipwire:7.2f} s   page {sizes['chipwire'] / 1024:,.0f} KiB"
    )
    print(f"  bare Jinja table   median {bound:7.2f} s   page {sizes['bound'] / 1024:,.0f} KiB")
    print(
        f"  chipwire / bound   {chipwire / bound:.1f}x the time, "
        f"{sizes['chipwire'] / sizes['bound']:.2f}x the size"
    )


if __name__ == "__main__":
    main()
