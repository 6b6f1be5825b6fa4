"""What `chipwire crawl` prints: quiet log, live progress on a terminal, JSON, 80 columns."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.crawling import FAST, chipwire, crawl, prepare_store, write_sources
from tests.test_crawl_faults import HTML, RSS, article_html, rss_feed

LONG_NAME = "google-news-inference-chips"  # the longest default source name: 27 characters


@pytest.fixture(scope="module")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("store-template")
    prepare_store(workdir)
    return workdir


@pytest.fixture
def store(tmp_path: Path, store_template: Path) -> Path:
    shutil.copytree(store_template / "data", tmp_path / "data")
    return tmp_path


@pytest.fixture
def sources(httpserver: HTTPServer) -> dict[str, str]:
    """Two sources: a feed of two articles and one missing (404), and a single page."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    for n in range(2):
        httpserver.expect_request(f"/news/{n}.html").respond_with_data(
            article_html(f"Inference chip story {n}"), content_type=HTML
        )
    httpserver.expect_request("/news/gone.html").respond_with_data("gone", status=404)
    links = [httpserver.url_for(f"/news/{n}.html") for n in range(2)]
    links.append(httpserver.url_for("/news/gone.html"))
    httpserver.expect_request("/feed.xml").respond_with_data(rss_feed(links), content_type=RSS)
    httpserver.expect_request("/page.html").respond_with_data(
        article_html("A single page about wafers"), content_type=HTML
    )
    return {
        LONG_NAME: f'kind = "rss"\nurl = "{httpserver.url_for("/feed.xml")}"\n'
        "relevance_filter = false\n",
        "single": f'kind = "page"\nurl = "{httpserver.url_for("/page.html")}"\n'
        "relevance_filter = false\n",
    }


def test_json_prints_one_object_per_source_and_nothing_else(
    store: Path, sources: dict[str, str]
) -> None:
    result = crawl(store, sources, options=("--json",))
    assert result.returncode == 0, result.stderr

    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["source"] for row in rows] == [LONG_NAME, "single"]
    assert all(set(row) == {"source", "status", "counts", "error"} for row in rows)
    feed, single = rows
    assert (feed["status"], feed["counts"]["stored"]) == ("partial", 2)
    assert feed["error"] == "1 of 3 article links failed: HTTP 404 ×1"
    assert (single["status"], single["error"], single["counts"]["stored"]) == (
        "succeeded",
        None,
        1,
    )


def test_log_is_quiet_by_default_and_verbose_brings_scrapy_back(
    store: Path, sources: dict[str, str]
) -> None:
    quiet = crawl(store, sources, "single")
    assert quiet.returncode == 0, quiet.stderr
    assert "[scrapy" not in quiet.stderr
    assert " INFO: " not in quiet.stderr

    feed = crawl(store, sources, LONG_NAME)  # a 404 article: chipwire's own warning shows
    warnings = [line for line in feed.stderr.splitlines() if "[chipwire.spiders] WARNING" in line]
    assert any("HTTP 404 for" in line and "/news/gone.html" in line for line in warnings)
    assert "[scrapy" not in feed.stderr

    verbose = crawl(store, sources, "single", options=("--verbose",))
    assert verbose.returncode == 0, verbose.stderr
    assert "[scrapy.core.engine] INFO: Spider opened" in verbose.stderr


def test_piped_table_reads_in_80_columns(store: Path, sources: dict[str, str]) -> None:
    directory = write_sources(store, sources)
    args = [arg for key, value in FAST.items() for arg in ("-s", f"{key}={value}")]
    result = chipwire(
        store,
        "crawl",
        *args,
        env={"CHIPWIRE_SOURCES_PATH": str(directory), "COLUMNS": "80"},
    )
    assert result.returncode == 0, result.stderr

    lines = result.stdout.splitlines()
    assert "\x1b" not in result.stdout  # no live display, no colour codes in a pipe
    assert all(len(line) <= 80 for line in lines), "\n".join(lines)
    assert "crawling:" not in result.stdout
    row = next(line for line in lines if line.startswith(LONG_NAME))
    assert row.split()[:5] == [LONG_NAME, "partial", "3", "2", "2"]
    assert f"{LONG_NAME}: errors 404 1" in result.stdout
    assert f"warning: {LONG_NAME} partial: 1 of 3 article links failed" in " ".join(
        result.stderr.split()
    )


def test_progress_callback_sees_each_sources_pages_and_stored(
    store: Path, sources: dict[str, str]
) -> None:
    directory = write_sources(store, sources)
    script = f"""
import dataclasses, json
from chipwire.pipeline.config import load_settings
from chipwire.spiders.runtime import crawl_sources
events = []
crawl_sources(load_settings(), [], overrides={FAST!r}, progress=events.append)
print(json.dumps([dataclasses.asdict(event) for event in events]))
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWIRE_")}
    env |= {"CHIPWIRE_DATA_DIR": str(store / "data"), "CHIPWIRE_SOURCES_PATH": str(directory)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=store,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout.splitlines()[-1])

    for name, pages, stored, errors in ((LONG_NAME, 4, 2, 1), ("single", 1, 1, 0)):
        mine = [event for event in events if event["source"] == name]
        assert mine[0]["state"] == "waiting"
        assert "crawling" in [event["state"] for event in mine]
        assert mine[-1] == {
            "source": name,
            "state": "done",
            "pages": pages,  # the feed and its three links; robots.txt is not a page
            "stored": stored,
            "errors": errors,
        }
        stored_seen = [event["stored"] for event in mine]
        assert stored_seen == sorted(stored_seen)  # grows as the crawl goes


def test_live_display_on_a_terminal(store: Path, sources: dict[str, str]) -> None:
    directory = write_sources(store, sources)
    args = [arg for key, value in FAST.items() for arg in ("-s", f"{key}={value}")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWIRE_")}
    env |= {
        "CHIPWIRE_DATA_DIR": str(store / "data"),
        "CHIPWIRE_SOURCES_PATH": str(directory),
        "COLUMNS": "100",
        "LINES": "40",
        "TERM": "xterm",
    }
    env.pop("NO_COLOR", None)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "chipwire.pipeline", "crawl", *args],
        cwd=store,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
    )
    os.close(follower)
    output = b""
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the crawl has ended
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(leader)
        process.wait(30)
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    text = output.decode("utf-8", "replace")
    assert "crawling: " in text  # the live table's title
    assert "2/2 sources done" in text  # its last frame
    assert "\x1b[" in text  # drawn with terminal codes
    assert "succeeded" in text and "partial" in text  # then the result table
