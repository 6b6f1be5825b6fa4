"""One malformed source file is reported, and blocks nothing: not the crawl, not `sources`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from chipwire.pipeline.cli import app
from chipwire.spiders.sources import SourceError, load_sources, scan_sources
from tests.conftest import write
from tests.crawling import crawl, last_run, prepare_store, query
from tests.test_crawl_faults import HTML, article_html

GOOD = 'kind = "rss"\nurl = "https://news.example.com/feed.xml"\n'
BAD = 'kind = "rss"\nurl = "https://other.example.com/feed.xml"\ncolour = "red"\n'

runner = CliRunner()


def sources_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    directory = tmp_path / "sources"
    for name, text in files.items():
        write(directory / name, text)
    return directory


def test_scan_keeps_the_good_files_and_names_the_bad_one(tmp_path: Path) -> None:
    directory = sources_dir(tmp_path, {"good.toml": GOOD, "bad.toml": BAD, "worse.toml": "kind ="})
    registry, problems = scan_sources(directory)

    assert [source.name for source in registry] == ["good"]
    assert [(p.name, p.path) for p in problems] == [
        ("bad", directory / "bad.toml"),
        ("worse", directory / "worse.toml"),
    ]
    assert str(problems[0]) == f"{directory / 'bad.toml'}: unknown key 'colour'"
    assert str(problems[1]).startswith(f"{directory / 'worse.toml'}: not valid TOML")


def test_a_clash_leaves_out_the_later_file(tmp_path: Path) -> None:
    clash = GOOD.replace("kind", 'name = "good"\nkind')
    directory = sources_dir(tmp_path, {"good.toml": GOOD, "zz-copy.toml": clash})
    registry, problems = scan_sources(directory)
    assert [source.path for source in registry] == [directory / "good.toml"]
    assert "duplicate source name 'good'" in str(problems[0])
    assert problems[0].path == directory / "zz-copy.toml"


def test_load_sources_stays_strict_for_tooling(tmp_path: Path) -> None:
    directory = sources_dir(tmp_path, {"good.toml": GOOD, "bad.toml": BAD})
    with pytest.raises(SourceError, match=r"bad\.toml: unknown key 'colour'"):
        load_sources(directory)


def test_sources_command_shows_the_problem_line(tmp_path: Path) -> None:
    directory = sources_dir(tmp_path, {"good.toml": GOOD, "bad.toml": BAD})
    env = {"CHIPWIRE_SOURCES_PATH": str(directory), "COLUMNS": "200"}
    assert runner.invoke(app, ["db", "upgrade"], env=env).exit_code == 0

    table = runner.invoke(app, ["sources"], env=env)
    assert table.exit_code == 0, table.output
    assert f"problem: {directory / 'bad.toml'}: unknown key 'colour' (not crawled)" in table.output
    assert "good" in table.output

    listed = runner.invoke(app, ["sources", "--json"], env=env)
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [row["name"] for row in rows] == ["good", "bad"]
    assert rows[0].get("problem") is None
    assert rows[1].keys() >= rows[0].keys()  # the same fields (None), plus problem and path
    assert rows[1]["problem"] == f"{directory / 'bad.toml'}: unknown key 'colour'"
    assert rows[1]["path"] == str(directory / "bad.toml")


def test_crawling_a_named_malformed_source_is_an_error_naming_the_file(tmp_path: Path) -> None:
    directory = sources_dir(tmp_path, {"good.toml": GOOD, "bad.toml": BAD})
    env = {"CHIPWIRE_SOURCES_PATH": str(directory)}
    assert runner.invoke(app, ["db", "upgrade"], env=env).exit_code == 0

    result = runner.invoke(app, ["crawl", "bad"], env=env)
    assert result.exit_code == 1
    assert "source 'bad' cannot be crawled" in result.output
    assert "bad.toml: unknown key 'colour'" in result.output


def test_crawl_of_all_sources_reports_the_bad_file_and_crawls_the_others(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/story.html").respond_with_data(
        article_html("Accelerator startup ships"), content_type=HTML
    )
    prepare_store(tmp_path)
    good = f'kind = "page"\nurl = "{httpserver.url_for("/story.html")}"\nrelevance_filter = false\n'
    result = crawl(tmp_path, {"good": good, "bad": BAD}, options=("--json",))
    assert result.returncode == 0, result.stderr

    outcomes = {row["source"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert outcomes["good"]["status"] == "succeeded"
    assert outcomes["bad"]["status"] == "failed"
    bad_path = tmp_path / "sources" / "bad.toml"
    assert outcomes["bad"]["error"] == f"source file not loaded: {bad_path}: unknown key 'colour'"
    assert last_run(tmp_path, "good")["counts"]["stored"] == 1
    assert query(tmp_path, "SELECT count(*) FROM article") == [(1,)]
