"""Analysts add sources: new-source, fixtures (record and --offline), sources, crawl errors."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from typer.testing import CliRunner

from chipwire.pipeline.cli import app
from chipwire.spiders.samplesite import SampleSite
from chipwire.spiders.sources import load_sources

runner = CliRunner()


def invoke(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env, catch_exceptions=False)


def test_new_source_writes_a_loadable_source_and_fixture_folder(tmp_path: Path) -> None:
    env = {"CHIPWIRE_SOURCES_PATH": str(tmp_path / "sources")}
    result = invoke(
        "new-source",
        "etched-blog",
        "--kind",
        "rss",
        "--url",
        "https://example.com/feed.xml",
        "--tag",
        "vendor",
        "--no-relevance-filter",
        "--fixtures-dir",
        str(tmp_path / "fx"),
        env=env,
    )
    assert result.exit_code == 0, result.output
    source = load_sources(tmp_path / "sources").get("etched-blog")
    assert (source.kind, source.url, source.tags) == (
        "rss",
        "https://example.com/feed.xml",
        ("vendor",),
    )
    assert source.relevance_filter is False and source.verified is False
    meta = tomllib.loads((tmp_path / "fx" / "etched-blog" / "meta.toml").read_text())
    assert meta["start_url"] == "https://example.com/feed.xml"
    again = invoke(
        "new-source",
        "etched-blog",
        "--kind",
        "rss",
        "--url",
        "https://example.com/other.xml",
        "--fixtures-dir",
        str(tmp_path / "fx"),
        env=env,
    )
    assert again.exit_code == 1 and "already exists" in again.output


def test_new_listing_source_gets_a_listing_table(tmp_path: Path) -> None:
    env = {"CHIPWIRE_SOURCES_PATH": str(tmp_path / "sources")}
    result = invoke(
        "new-source",
        "some-listing",
        "--kind",
        "listing",
        "--url",
        "https://example.com/news",
        "--fixtures-dir",
        str(tmp_path / "fx"),
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert load_sources(tmp_path / "sources").get("some-listing").listing is not None


def test_fixtures_records_from_a_live_site_then_rederives_offline(tmp_path: Path) -> None:
    with SampleSite() as site:
        sources = site.write_sources(tmp_path / "sources")
        env = {"CHIPWIRE_SOURCES_PATH": str(sources)}
        fixtures = tmp_path / "fx"
        result = invoke("fixtures", "sample-press", "--fixtures-dir", str(fixtures), env=env)
        assert result.exit_code == 0, result.output
    folder = fixtures / "sample-press"
    assert (folder / "start.xml").is_file() and (folder / "article.html").is_file()
    expected = json.loads((folder / "expected.json").read_text())
    assert len(expected["links"]) == 8
    assert expected["article"]["kind"] == "press_release"
    assert expected["article"]["words"] > 80
    meta = tomllib.loads((folder / "meta.toml").read_text())
    assert meta["article_url"] == expected["links"][0]
    # Offline: same stored documents, same expectation, no server needed.
    (folder / "expected.json").unlink()
    offline = invoke(
        "fixtures", "sample-press", "--offline", "--fixtures-dir", str(fixtures), env=env
    )
    assert offline.exit_code == 0, offline.output
    assert json.loads((folder / "expected.json").read_text()) == expected


def test_sources_lists_never_run_sources(tmp_path: Path) -> None:
    assert invoke("db", "upgrade").exit_code == 0
    result = invoke("sources", "--json")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) >= 15
    assert all(row["status"] is None and row["articles"] == 0 for row in rows)


def test_crawl_of_unknown_source_is_a_one_line_error() -> None:
    assert invoke("db", "upgrade").exit_code == 0
    result = invoke("crawl", "no-such-source")
    assert result.exit_code == 1
    assert "unknown source(s) no-such-source" in result.output


def test_sources_lists_every_source_the_store_knows(tmp_path: Path) -> None:
    from sqlalchemy.orm import Session

    from chipwire.models import Article, Source
    from chipwire.pipeline.config import load_settings
    from chipwire.pipeline.db import make_engine

    assert invoke("db", "upgrade").exit_code == 0
    engine = make_engine(load_settings().url)
    with Session(engine) as session, session.begin():
        source = Source(name="old-sample-feed", kind="rss", url="http://127.0.0.1:1/feed.xml")
        session.add(source)
        session.flush()
        session.add(
            Article(url="http://127.0.0.1:1/a", text="t", content_hash="h", source_id=source.id)
        )
    engine.dispose()
    rows = [json.loads(line) for line in invoke("sources", "--json").output.splitlines()]
    extra = [row for row in rows if row["name"] == "old-sample-feed"]
    assert extra == [{**extra[0], "configured": False, "articles": 1, "kind": "rss"}]
    assert all(row["configured"] for row in rows if row["name"] != "old-sample-feed")
    table = invoke("sources", env={"COLUMNS": "200"}).output
    assert "old-sample-feed (not configured)" in table
