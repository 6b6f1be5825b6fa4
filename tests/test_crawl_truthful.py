"""The crawl tells its operator the truth: a source that fetched nothing is not 'succeeded'.

End to end like ``test_crawl_faults``: servers on 127.0.0.1 (pytest-httpserver, plus
a raw socket that accepts connections and never answers), the real ``chipwire
crawl`` in a subprocess, then the source's ``job_run`` row.  Timeouts are set short
through Scrapy setting overrides, and every time bound is computed from them.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from tests.crawling import crawl, last_run, prepare_store, query
from tests.test_crawl_faults import (
    RSS,
    Hits,
    page,
    rss_feed,
    run_crawl,
    serve,
    serve_feed,
    source_toml,
    stored_paths,
)

SOURCE = "faulty"


@pytest.fixture(scope="session")
def make_httpserver() -> Iterator[HTTPServer]:
    """Threaded, so a handler that waits blocks only its own request."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


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
def hits(httpserver: HTTPServer) -> Hits:
    recorder = Hits()
    httpserver.expect_request("/robots.txt").respond_with_data("not here", status=404)
    return recorder


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never sends a byte: a hung web server."""

    def __init__(self) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                continue
            self.connections.append(connection)  # held open, never answered

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        for connection in self.connections:
            connection.close()
        self.listener.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def refused_url(path: str) -> str:
    """A URL on a 127.0.0.1 port nobody listens on (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


# -- 1. article links that all fail ----------------------------------------------------


def test_every_article_link_404_fails_the_source(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    links = [
        serve(httpserver, hits, f"/news/gone-{n}.html", lambda _r: Response("gone", status=404))
        for n in range(3)
    ]
    run_crawl(store, source_toml(serve_feed(httpserver, hits, links)))

    run = last_run(store, SOURCE)
    assert run["status"] == "failed"
    assert run["error"] == "all 3 article links failed: HTTP 404 ×3"
    assert run["counts"]["http_errors"] == {"404": 3}
    assert run["counts"]["stored"] == 0


def test_refused_article_links_fail_with_the_reason(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    links = [refused_url(f"/news/{n}.html") for n in range(2)]
    run_crawl(store, source_toml(serve_feed(httpserver, hits, links)))

    run = last_run(store, SOURCE)
    assert run["status"] == "failed"
    assert run["error"] == "all 2 article links failed: connection refused ×2"
    assert sum(run["counts"]["network_errors"].values()) == 2


def test_some_articles_stored_others_failed_is_partial(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    good = serve(httpserver, hits, "/news/good.html", page("Foundry adds capacity"))
    gone = serve(httpserver, hits, "/news/gone.html", lambda _r: Response("gone", status=404))
    links = [good, gone, refused_url("/news/refused.html")]
    run_crawl(store, source_toml(serve_feed(httpserver, hits, links)))

    assert stored_paths(store) == ["/news/good.html"]
    run = last_run(store, SOURCE)
    assert run["status"] == "partial"
    assert run["error"] in (
        "2 of 3 article links failed: HTTP 404 ×1, connection refused ×1",
        "2 of 3 article links failed: connection refused ×1, HTTP 404 ×1",
    )


def test_articles_already_stored_are_no_failure(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    good = serve(httpserver, hits, "/news/good.html", page("Wafer prices rise"))
    source = source_toml(serve_feed(httpserver, hits, [good]))
    run_crawl(store, source)
    run_crawl(store, source)  # nothing new: 0 stored, and that is fine

    run = last_run(store, SOURCE)
    assert (run["status"], run["error"]) == ("succeeded", None)
    assert run["counts"]["skipped_known"] == 1


# -- 2. a start document that could not be fetched or read -----------------------------


def test_silent_start_document_fails_with_timeout_not_zero_items(
    store: Path, silent: SilentServer
) -> None:
    feed = silent.url("/feed.xml")
    run_crawl(store, source_toml(feed), settings={"DOWNLOAD_TIMEOUT": "1"})

    run = last_run(store, SOURCE)
    assert run["status"] == "failed"
    assert run["error"].startswith(f"{feed} could not be fetched: timeout"), run["error"]
    assert "zero items" not in run["error"]


@pytest.mark.parametrize("status", [404, 503])
def test_start_document_http_error_fails_the_source(
    store: Path, httpserver: HTTPServer, hits: Hits, status: int
) -> None:
    feed = serve(httpserver, hits, "/feed.xml", lambda _r: Response("no", status=status))
    run_crawl(store, source_toml(feed))

    run = last_run(store, SOURCE)
    assert run["status"] == "failed"
    assert run["error"] == f"{feed} could not be fetched: HTTP {status}"
    assert run["counts"]["http_errors"] == {str(status): 1}


def test_refused_start_document_fails_the_source(store: Path) -> None:
    feed = refused_url("/feed.xml")
    run_crawl(store, source_toml(feed))

    run = last_run(store, SOURCE)
    assert (run["status"], run["error"]) == (
        "failed",
        f"{feed} could not be fetched: connection refused",
    )


def test_malformed_feed_fails_with_the_parsers_message(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    garbage = "<?xml version='1.0'?><rss><channel><title>Oops</chanel></rss>"
    feed = serve(httpserver, hits, "/feed.xml", lambda _r: Response(garbage, content_type=RSS))
    run_crawl(store, source_toml(feed))

    run = last_run(store, SOURCE)
    assert run["status"] == "failed"
    assert run["error"].startswith(f"feed {feed} could not be parsed: "), run["error"]
    assert "mismatched tag" in run["error"]


def test_feed_that_parses_but_is_empty_is_still_zero_items(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    feed = serve(httpserver, hits, "/feed.xml", lambda _r: Response(rss_feed([]), content_type=RSS))
    run_crawl(store, source_toml(feed))

    run = last_run(store, SOURCE)
    assert run["status"] == "partial"
    assert run["error"] == f"zero items: {feed} yielded no article links"


def test_start_document_forbidden_by_robots_fails_the_source(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    httpserver.clear()  # replace the hits fixture's robots.txt 404
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /feed.xml\n", content_type="text/plain"
    )
    feed = serve(httpserver, hits, "/feed.xml", lambda _r: Response(rss_feed([]), content_type=RSS))
    run_crawl(store, source_toml(feed))

    assert hits.count("/feed.xml") == 0
    run = last_run(store, SOURCE)
    assert (run["status"], run["error"]) == (
        "failed",
        f"{feed} could not be fetched: forbidden by robots.txt",
    )


def test_unreachable_robots_txt_still_lets_the_source_be_crawled(
    store: Path, httpserver: HTTPServer
) -> None:
    """robots.txt that errors (500, retried, then given up) allows everything, as Scrapy does;
    the run is judged by the feed and its articles, not by robots.txt."""
    httpserver.expect_request("/robots.txt").respond_with_data("boom", status=500)
    hits = Hits()
    good = serve(httpserver, hits, "/news/good.html", page("Packaging capacity doubles"))
    run_crawl(store, source_toml(serve_feed(httpserver, hits, [good])))

    assert stored_paths(store) == ["/news/good.html"]
    assert last_run(store, SOURCE)["status"] == "succeeded"


# -- 3. a silent host costs one timeout, and holds up no other source -------------------


def test_silent_host_costs_one_timeout_and_others_go_on(
    store: Path, httpserver: HTTPServer, hits: Hits, silent: SilentServer
) -> None:
    timeout, retries = 2, 3
    links = [
        serve(httpserver, hits, f"/news/story-{n}.html", page(f"Story number {n}"))
        for n in range(2)
    ]
    sources = {
        "healthy": source_toml(serve_feed(httpserver, hits, links)),
        "hung": source_toml(silent.url("/feed.xml")),
    }
    settings = {"DOWNLOAD_TIMEOUT": str(timeout), "RETRY_TIMES": str(retries)}
    started = time.monotonic()
    result = crawl(store, sources, settings=settings)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr

    # Before: robots.txt and the feed each timed out 1 + RETRY_TIMES times (16 s here).
    # Now the first timeout makes the host silent: one connection, one timeout period.
    assert len(silent.connections) == 1
    hung = last_run(store, "hung")
    assert hung["status"] == "failed"
    assert "timeout" in hung["error"]
    assert hung["counts"]["duration_s"] < 3 * timeout + 2  # was (1 + retries) * 2 * timeout
    healthy = last_run(store, "healthy")
    assert (healthy["status"], healthy["counts"]["stored"]) == ("succeeded", 2)
    # the whole crawl, process start-up included, stays far under the old 16 s
    assert elapsed < (1 + retries) * 2 * timeout, elapsed
    assert query(store, "SELECT count(*) FROM article") == [(2,)]
