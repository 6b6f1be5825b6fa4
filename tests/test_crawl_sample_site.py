"""End to end: `chipwire demo` crawls the bundled sample site with the real spiders."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chipwire.spiders.samplesite import SITE_DIR
from tests.crawling import chipwire, query

MANIFEST = json.loads((SITE_DIR / "MANIFEST.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("demo")
    result = chipwire(workdir, "demo", env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    (workdir / "demo.out").write_text(result.stdout, encoding="utf-8")
    # the demo keeps its own installation under DATA_DIR/demo; the helpers read
    # WORKDIR/data/chipwire.db, so give them a working directory whose data is the demo's
    view = workdir / "demo-view"
    view.mkdir()
    (view / "data").symlink_to(workdir / "data" / "demo", target_is_directory=True)
    (view / "demo.out").write_text(result.stdout, encoding="utf-8")
    return view


def paths(workdir: Path, sql: str) -> set[str]:
    return {url.split("/", 3)[3] for (url,) in query(workdir, sql)}


def test_every_relevant_page_is_stored_once(demo_store: Path) -> None:
    stored = paths(demo_store, "SELECT url FROM article")
    assert len(stored) == len(query(demo_store, "SELECT url FROM article"))
    assert "news/groq-nvidia-licensing.html" in stored
    assert "press/groq-humain-capacity.html" in stored
    assert "transcripts/silicon-hour-ep42.html" in stored
    assert "news/cp1252-smart-quotes.html" in stored


def test_traps_are_dropped_or_linked(demo_store: Path) -> None:
    stored = paths(demo_store, "SELECT url FROM article")
    for dropped in (
        "news/off-topic-garden.html",
        "news/broken-page.html",
        "news/nvidia-rechenzentrum-de.html",
        "news/amp/microsoft-maia-200.html",
        "private/secret.html",
        "news/index.html",  # listing pages the sitemap names: headlines, not a story
        "news/page-2.html",
    ):
        assert dropped not in stored, dropped
    assert not any("utm_" in url for url in stored)
    assert "news/aws-trainium3-launch.html" in stored
    canary = query(demo_store, "SELECT count(*) FROM article WHERE text LIKE '%CANARY%'")
    assert canary == [(0,)]


def test_syndicated_copy_is_linked_to_the_original(demo_store: Path) -> None:
    rows = query(
        demo_store,
        "SELECT c.url, o.url FROM article c JOIN article o ON o.id = c.duplicate_of_id",
    )
    assert len(rows) == 1
    copy, original = rows[0]
    pair = {copy.rsplit("/", 1)[1], original.rsplit("/", 1)[1]}
    assert pair == {"wire-groq-deal-syndicated.html", "groq-nvidia-licensing.html"}


def test_windows_1252_page_is_decoded(demo_store: Path) -> None:
    (text,) = query(demo_store, "SELECT text FROM article WHERE url LIKE '%cp1252%'")[0]
    assert "€" in text and "\ufffd" not in text
    assert any(mark in text for mark in ("\u2019", "\u201c", "\u2014"))


def test_fields_kinds_and_dates(demo_store: Path) -> None:
    kinds = dict(query(demo_store, "SELECT kind, count(*) FROM article GROUP BY kind"))
    expected_press = sum(1 for p in MANIFEST["pages"] if p["kind"] == "press_release")
    assert kinds["press_release"] == expected_press
    assert kinds["transcript"] == 2
    missing = query(
        demo_store,
        "SELECT url FROM article WHERE title IS NULL OR published_at IS NULL "
        "OR first_seen_at IS NULL OR language != 'en' OR length(text) < 500",
    )
    assert missing == []
    (published,) = query(
        demo_store, "SELECT published_at FROM article WHERE url LIKE '%groq-nvidia-licensing%'"
    )[0]
    assert published.startswith("2026-01-06 14:00:00")


def test_job_runs_record_counts_per_source(demo_store: Path) -> None:
    rows = query(
        demo_store,
        "SELECT s.name, j.status, j.counts FROM job_run j JOIN source s ON s.id = j.source_id",
    )
    assert {name for name, _, _ in rows} == {
        "sample-feed",
        "sample-news",
        "sample-press",
        "sample-sitemap",
        "sample-transcripts",
    }
    assert {status for _, status, _ in rows} == {"succeeded"}
    totals: dict[str, int] = {}
    for _, _, counts in rows:
        for reason, count in json.loads(counts)["dropped"].items():
            totals[reason] = totals.get(reason, 0) + count
    assert totals["off_topic"] == 1
    assert totals["unsupported_language"] == 1
    assert totals["too_short"] == 1
    assert totals["robots"] == 1
    stored = sum(json.loads(counts)["stored"] for _, _, counts in rows)
    assert stored == query(demo_store, "SELECT count(*) FROM article")[0][0]


def test_running_again_stores_nothing_new(demo_store: Path) -> None:
    before = query(
        demo_store, "SELECT id, url, first_seen_at, content_hash FROM article ORDER BY id"
    )
    result = chipwire(demo_store, "demo")
    assert result.returncode == 0, result.stderr
    after = query(
        demo_store, "SELECT id, url, first_seen_at, content_hash FROM article ORDER BY id"
    )
    assert after == before


def test_demo_extracts_one_deal_from_many_reports(demo_store: Path) -> None:
    parties: dict[int, set[str]] = {}
    for deal_id, name in query(
        demo_store,
        "SELECT d.id, p.name FROM deal d JOIN deal_party p ON p.deal_id = d.id "
        "WHERE d.deal_type = 'licensing'",
    ):
        parties.setdefault(deal_id, set()).add(name)
    matching = [deal_id for deal_id, names in parties.items() if names == {"Groq", "Nvidia"}]
    assert len(matching) == 1, parties  # one deal, however many articles report it
    deal_id = matching[0]
    (first_reported, reports) = query(
        demo_store,
        "SELECT d.first_reported_at, count(DISTINCT s.article_id) FROM deal d "
        "JOIN deal_source s ON s.deal_id = d.id WHERE d.id = ? GROUP BY d.first_reported_at",
        (deal_id,),
    )[0]
    assert reports >= 3
    earliest = query(
        demo_store,
        "SELECT min(coalesce(a.published_at, a.first_seen_at)) FROM deal_source s "
        "JOIN article a ON a.id = s.article_id WHERE s.deal_id = ?",
        (deal_id,),
    )[0][0]
    assert first_reported == earliest
    mentioned = query(demo_store, "SELECT count(DISTINCT article_id) FROM mention")[0][0]
    originals = query(demo_store, "SELECT count(*) FROM article WHERE duplicate_of_id IS NULL")
    assert mentioned == originals[0][0]


def test_the_demo_prints_the_deals_with_their_parties_roles(demo_store: Path) -> None:
    printed = (demo_store / "demo.out").read_text(encoding="utf-8")
    assert "deals reported most" in printed
    # the sample's headline deal, reported by most of its pages: licensee first, one party a
    # line in the same row
    lines = printed.splitlines()
    licensee = next(i for i, line in enumerate(lines) if "Nvidia (licensee)" in line)
    assert "Groq (licensor)" in lines[licensee + 1]
    assert "(lead_investor)" in printed


def test_the_demo_studies_the_sample_deals_on_labelled_sample_prices(demo_store: Path) -> None:
    printed = (demo_store / "demo.out").read_text(encoding="utf-8")
    assert "SAMPLE DATA" in printed and "average abnormal return by deal type" in printed
    reactions = query(
        demo_store,
        "SELECT d.deal_type, r.symbol, r.unlisted_parties FROM deal_reaction r "
        "JOIN deal d ON d.id = r.deal_id",
    )
    assert len(reactions) >= 10
    # the headline deal's private licensor is seen through its listed licensee
    assert ("licensing", "NVDA", "Groq") in reactions
    by_type = query(demo_store, "SELECT deal_type, reactions FROM car_by_deal_type")
    assert sum(n for _, n in by_type) == len(reactions)
    weeks = query(demo_store, "SELECT count(*) FROM company_week WHERE week_return IS NOT NULL")
    assert weeks[0][0] > 0


def test_the_demo_ends_with_the_path_of_its_briefing(demo_store: Path) -> None:
    last = (demo_store / "demo.out").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert last.startswith("briefing 20") and last.endswith(".html")
    page = Path(last.split(": ", 1)[1])
    html = page.read_text(encoding="utf-8")
    assert '<h2 id="deals">Deals</h2>' in html and "SAMPLE DATA" in html
    assert (page.parent / "index.html").exists()


def test_the_demos_counts_are_the_stores(demo_store: Path) -> None:
    printed = (demo_store / "demo.out").read_text(encoding="utf-8")
    found = re.search(
        r"extracted (\d+) articles: (\d+) company mentions, (\d+) deal reports, "
        r"(\d+) benchmark claims",
        printed,
    )
    assert found, printed
    articles, mentions, deals, claims = map(int, found.groups())
    stored = query(
        demo_store,
        "SELECT (SELECT count(*) FROM article WHERE extracted_at IS NOT NULL), "
        "(SELECT count(*) FROM mention), (SELECT count(*) FROM deal_source), "
        "(SELECT count(*) FROM benchmark)",
    )[0]
    assert (articles, mentions, deals, claims) == stored


def test_the_demo_keeps_its_own_installation_that_status_can_read(demo_store: Path) -> None:
    workdir = demo_store.parent
    demo_dir = workdir / "data" / "demo"
    assert not (workdir / "data" / "chipwire.db").exists()  # the user's store is untouched
    config = demo_dir / "chipwire.toml"
    assert f"--config {config} status" in (demo_store / "demo.out").read_text(encoding="utf-8")
    result = chipwire(workdir, "--config", str(config), "status", "--json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    for stage in ("crawl", "extract", "market-refresh", "market-analyse", "brief"):
        assert status["stages"][stage]["last_success"] is not None, stage
        assert status["stages"][stage]["last_failure"] is None, stage
    assert (
        status["freshness"]["articles"] == query(demo_store, "SELECT count(*) FROM article")[0][0]
    )
    assert status["freshness"]["newest_price_date"] is not None
    # the sample sources were all crawled; none is silent
    assert status["silent_sources"] == []
