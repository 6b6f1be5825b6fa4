"""Crawl faults end to end: a local server misbehaves, the real `chipwire crawl` copes.

Each test serves a small feed or page on 127.0.0.1 (pytest-httpserver, threaded so
one hanging response does not hold up the others), crawls it in a subprocess with
the real spiders and pipelines, then checks the store and the source's job_run
counts.  The store is prepared once (``prepare_store``) and copied per test: the
migrations and seed take longer than most crawls.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.crawling import FAST, chipwire, crawl, last_run, prepare_store, query, write_sources

SOURCE = "faulty"
HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"

# -- pages and feeds -----------------------------------------------------------------

# Words for the article bodies, picked by a hash of the page's seed: every page reads as
# plain English yet shares no run of five words with another (no near-duplicate links).
NOUNS = """accelerator analyst bandwidth benchmark board capacity chip cluster compute contract
cooling customer data demand design die engineering export fabrication factory foundry funding
gigawatt graphics hardware inference interconnect investor latency memory model networking node
order packaging partner performance power price processor production rack revenue roadmap server
shipment silicon software startup supply token training wafer workload yield"""
DETERMINERS = "the a its their this that every one another each"
VERBS = "expects reported doubled delayed improved secured measured shipped priced planned"
SENTENCE = (
    "{D1} {N1} {N2} team {V} the {N3} of {D2} {N4} and said it would be ready for {N5} in {Y}."
)


def _pick(seed: str, slot: str, words: str) -> str:
    choices = words.split()
    digest = hashlib.sha256(f"{seed}:{slot}".encode()).digest()
    return choices[int.from_bytes(digest[:4], "big") % len(choices)]


def body_paragraphs(seed: str, sentences: int = 16) -> list[str]:
    """Four paragraphs of 20-word English sentences, different for every seed."""
    lines = []
    for n in range(sentences):
        picks = {f"N{i}": _pick(seed, f"{n}N{i}", NOUNS) for i in range(1, 6)}
        picks |= {f"D{i}": _pick(seed, f"{n}D{i}", DETERMINERS) for i in range(1, 3)}
        picks["D1"] = picks["D1"].capitalize()
        lines.append(SENTENCE.format(V=_pick(seed, f"{n}V", VERBS), Y=2026 + n % 3, **picks))
    return [" ".join(lines[i : i + 4]) for i in range(0, len(lines), 4)]


def article_html(
    title: str,
    *,
    seed: str | None = None,
    published: str = "2026-03-02T10:00:00Z",
    canonical: str | None = None,
    charset: str | None = "utf-8",
    extra: str = "",
) -> str:
    """A news article page: lang="en", title, date, byline and well over 80 words."""
    paragraphs = body_paragraphs(seed or title)
    if extra:
        paragraphs.insert(1, extra)
    body = "\n".join(f"      <p>{escape(p)}</p>" for p in paragraphs)
    head = [f'<meta charset="{charset}">' if charset else ""]
    head.append(f"<title>{escape(title)} | Example Chip News</title>")
    head.append(f'<meta property="article:published_time" content="{published}">')
    if canonical:
        head.append(f'<link rel="canonical" href="{escape(canonical)}">')
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
{chr(10).join(h for h in head if h)}
</head>
<body>
  <header><a href="/">Example Chip News</a><nav><a href="/news/">News</a></nav></header>
  <main>
    <article>
      <h1>{escape(title)}</h1>
      <p class="byline">By <span class="author">Dana Ortiz</span>,
        <time datetime="{published}">{published[:10]}</time></p>
{body}
    </article>
  </main>
  <footer><p>Example Chip News, 1 Market Street. All rights reserved.</p></footer>
</body>
</html>
"""


def rss_feed(links: list[str], *, title: str = "Example Chip News") -> str:
    """An RSS 2.0 feed with one item per link."""
    items = "".join(
        f"""
    <item>
      <title>Story {n}: {escape(link.rsplit("/", 1)[-1])}</title>
      <link>{escape(link)}</link>
      <guid>{escape(link)}</guid>
      <pubDate>Mon, 02 Mar 2026 10:0{n % 10}:00 GMT</pubDate>
    </item>"""
        for n, link in enumerate(links)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>{escape(title)}</title>
    <link>http://127.0.0.1/</link>
    <description>Chip news for tests</description>{items}
  </channel>
</rss>
"""


def source_toml(url: str, kind: str = "rss") -> str:
    """A source file for ``url``, keeping every article (no relevance filter)."""
    return f'kind = "{kind}"\nurl = "{url}"\nrelevance_filter = false\n'


# -- server and store ----------------------------------------------------------------


@pytest.fixture(scope="session")
def make_httpserver() -> Iterator[HTTPServer]:
    """pytest-httpserver's server, on 127.0.0.1 and threaded (a hanging handler blocks
    only its own request)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("store-template")
    prepare_store(workdir)
    return workdir


@pytest.fixture
def store(tmp_path: Path, store_template: Path) -> Path:
    """``tmp_path`` holding a fresh copy of a migrated, seeded store."""
    shutil.copytree(store_template / "data", tmp_path / "data")
    return tmp_path


class Hits:
    """What the server saw: request times per path (recorded when a request arrives)."""

    def __init__(self) -> None:
        self.times: defaultdict[str, list[float]] = defaultdict(list)
        self.lock = threading.Lock()

    def __call__(self, path: str) -> None:
        with self.lock:
            self.times[path].append(time.monotonic())

    def count(self, path: str) -> int:
        return len(self.times[path])


@pytest.fixture
def hits(httpserver: HTTPServer) -> Hits:
    """Request recorder for ``serve``; robots.txt answers 404, so Scrapy allows everything."""
    recorder = Hits()
    httpserver.expect_request("/robots.txt").respond_with_data("not here", status=404)
    return recorder


def counted(hits: Hits, handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
    def wrapper(request: Request) -> Response:
        hits(request.path)
        return handler(request)

    return wrapper


def page(
    title: str, *, seed: str | None = None, canonical: str | None = None
) -> Callable[[Request], Response]:
    """Handler answering with one article page."""
    html = article_html(title, seed=seed, canonical=canonical)
    return lambda _request: Response(html, content_type=HTML)


def first_then(
    answers: list[Response], then: Callable[[Request], Response]
) -> Callable[[Request], Response]:
    """A handler giving ``answers`` in turn, then ``then``'s answer for every later request."""
    pending = list(answers)
    lock = threading.Lock()

    def handler(request: Request) -> Response:
        with lock:
            answer = pending.pop(0) if pending else None
        return answer if answer is not None else then(request)

    return handler


def serve(
    httpserver: HTTPServer, hits: Hits, path: str, handler: Callable[[Request], Response]
) -> str:
    """Answer ``path`` with ``handler`` (every request recorded in ``hits``); its URL."""
    httpserver.expect_request(path).respond_with_handler(counted(hits, handler))
    return httpserver.url_for(path)


def serve_feed(httpserver: HTTPServer, hits: Hits, links: list[str]) -> str:
    """Serve an RSS feed of ``links`` at /feed.xml; its URL."""
    feed = rss_feed(links)
    return serve(httpserver, hits, "/feed.xml", lambda _r: Response(feed, content_type=RSS))


def run_crawl(
    workdir: Path,
    source: str,
    settings: dict[str, str] | None = None,
    name: str = SOURCE,
    options: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Crawl one source (TOML text) to the end; the finished process, for its log."""
    result = crawl(workdir, {name: source}, name, settings=settings, options=options)
    assert result.returncode == 0, result.stderr
    return result


def stored_paths(workdir: Path) -> list[str]:
    """Paths of the stored articles' URLs, sorted."""
    return sorted(
        "/" + url.split("/", 3)[3] for (url,) in query(workdir, "SELECT url FROM article")
    )


# -- the faults ----------------------------------------------------------------------


def test_503_then_200_is_retried_and_stored_once(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    flaky = first_then([Response("busy", status=503)], page("Foundry adds capacity"))
    article = serve(httpserver, hits, "/news/a.html", flaky)
    feed = serve_feed(httpserver, hits, [article])
    run_crawl(store, source_toml(feed))

    assert stored_paths(store) == ["/news/a.html"]
    assert hits.count("/news/a.html") == 2
    run = last_run(store, SOURCE)
    assert run["status"] == "succeeded"
    assert run["counts"]["retries"] >= 1
    assert run["counts"]["stored"] == 1
    assert run["counts"]["http_errors"] == {}


@pytest.mark.parametrize("retry_after", [None, "1"])
def test_429_backs_off_then_stores(
    store: Path, httpserver: HTTPServer, hits: Hits, retry_after: str | None
) -> None:
    headers = {"Retry-After": retry_after} if retry_after else {}
    limited = first_then(
        [Response("slow down", status=429, headers=headers)],
        page("Accelerator startup raises money"),
    )
    article = serve(httpserver, hits, "/news/a.html", limited)
    feed = serve_feed(httpserver, hits, [article])
    run_crawl(store, source_toml(feed))

    assert stored_paths(store) == ["/news/a.html"]
    first, second = hits.times["/news/a.html"]
    gap = second - first
    if retry_after:
        assert gap >= 0.9, f"retried {gap:.2f}s after a 429 with Retry-After: 1"
    else:
        # No Retry-After: exponential backoff from CHIPWIRE_BACKOFF_BASE (0.1 s here).
        assert gap >= 0.09, f"retried {gap:.2f}s after a 429"
    run = last_run(store, SOURCE)
    assert run["counts"]["retries"] >= 1
    assert run["counts"]["stored"] == 1


def test_404_is_not_retried_and_counted(store: Path, httpserver: HTTPServer, hits: Hits) -> None:
    missing = serve(httpserver, hits, "/news/gone.html", lambda _r: Response("gone", status=404))
    present = serve(httpserver, hits, "/news/here.html", page("Memory maker ships samples"))
    feed = serve_feed(httpserver, hits, [missing, present])
    result = run_crawl(store, source_toml(feed))

    assert hits.count("/news/gone.html") == 1
    assert stored_paths(store) == ["/news/here.html"]
    run = last_run(store, SOURCE)
    assert run["counts"]["http_errors"] == {"404": 1}
    assert run["counts"]["retries"] == 0
    assert missing in result.stderr


def test_hanging_server_times_out_and_the_crawl_finishes(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    release = threading.Event()

    def hang(_request: Request) -> Response:
        release.wait(10)  # far past DOWNLOAD_TIMEOUT=3
        return Response("too late", content_type=HTML)

    slow = serve(httpserver, hits, "/news/slow.html", hang)
    fast = serve(httpserver, hits, "/news/fast.html", page("Inference chip benchmarks"))
    feed = serve_feed(httpserver, hits, [slow, fast])
    try:
        result = run_crawl(store, source_toml(feed), settings={"RETRY_TIMES": "0"})
    finally:
        release.set()

    assert stored_paths(store) == ["/news/fast.html"]
    run = last_run(store, SOURCE)
    # one of the two article links failed: the run says so (spiders/outcome.py)
    assert run["status"] == "partial"
    assert run["error"] == "1 of 2 article links failed: timeout ×1"
    errors = run["counts"]["network_errors"]
    assert sum(errors.values()) == 1, errors
    assert "timeout" in next(iter(errors)).lower(), errors
    assert slow in result.stderr


def _close_without_response(request: Request) -> Response:
    """Close the connection before sending a byte (werkzeug then fails to write, quietly)."""
    sock: socket.socket = request.environ["werkzeug.socket"]
    sock.shutdown(socket.SHUT_RDWR)
    sock.close()
    return Response("never sent", content_type=HTML)


def _short_body(_request: Request) -> Response:
    """Promise more bytes than are sent; werkzeug then closes the connection (it always does).

    The body is an iterator so werkzeug keeps our Content-Length instead of computing it.
    """
    html = article_html("Cut short").encode()
    return Response(
        iter([html[: len(html) // 2]]),
        content_type=HTML,
        headers={"Content-Length": str(len(html))},
    )


@pytest.mark.parametrize(
    "fault", [_close_without_response, _short_body], ids=["closed", "short_body"]
)
def test_dropped_connection_is_a_network_error(
    store: Path, httpserver: HTTPServer, hits: Hits, fault: Callable[[Request], Response]
) -> None:
    broken = serve(httpserver, hits, "/news/broken.html", fault)
    fine = serve(httpserver, hits, "/news/fine.html", page("Packaging capacity doubles"))
    feed = serve_feed(httpserver, hits, [broken, fine])
    result = run_crawl(store, source_toml(feed))

    assert stored_paths(store) == ["/news/fine.html"]
    run = last_run(store, SOURCE)
    assert run["status"] == "partial"
    assert run["error"].startswith("1 of 2 article links failed: "), run["error"]
    errors = run["counts"]["network_errors"]
    assert sum(errors.values()) == 1, errors
    # Retried first (RETRY_TIMES=2 in the harness), then given up and counted once.
    assert hits.count("/news/broken.html") == 1 + int(FAST["RETRY_TIMES"])
    assert broken in result.stderr


def test_gzip_bomb_is_dropped_as_too_large(store: Path, httpserver: HTTPServer, hits: Hits) -> None:
    html = article_html("Huge page", extra="padding " * (5 * 1024 * 1024 // 8))
    bomb = gzip.compress(html.encode(), compresslevel=9)
    assert len(bomb) < 64 * 1024

    def serve_bomb(_request: Request) -> Response:
        return Response(bomb, content_type=HTML, headers={"Content-Encoding": "gzip"})

    # A slug naming robots: the drop reason must come from Scrapy's message, not the URL in it.
    big = serve(httpserver, hits, "/news/robots-need-inference-chips.html", serve_bomb)
    small = serve(httpserver, hits, "/news/small.html", page("Wafer prices rise"))
    feed = serve_feed(httpserver, hits, [big, small])
    result = run_crawl(
        store,
        source_toml(feed),
        settings={"DOWNLOAD_MAXSIZE": str(1024 * 1024), "DOWNLOAD_WARNSIZE": str(512 * 1024)},
    )

    assert stored_paths(store) == ["/news/small.html"]
    assert hits.count("/news/robots-need-inference-chips.html") == 1
    run = last_run(store, SOURCE)
    assert run["counts"]["dropped"] == {"too_large": 1}
    ours = [line for line in result.stderr.splitlines() if "[chipwire.spiders]" in line]
    assert any("too_large" in line and big in line for line in ours), result.stderr


def test_oversized_plain_page_is_dropped_as_too_large(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    html = article_html("Huge plain page", extra="padding " * (2 * 1024 * 1024 // 8))
    big = serve(httpserver, hits, "/news/huge.html", lambda _r: Response(html, content_type=HTML))
    small = serve(httpserver, hits, "/news/small.html", page("Wafer prices rise"))
    feed = serve_feed(httpserver, hits, [big, small])
    run_crawl(store, source_toml(feed), settings={"DOWNLOAD_MAXSIZE": str(1024 * 1024)})

    assert stored_paths(store) == ["/news/small.html"]
    assert last_run(store, SOURCE)["counts"]["dropped"] == {"too_large": 1}


def test_robots_disallowed_article_is_never_requested(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    httpserver.clear()  # replace the hits fixture's robots.txt 404
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    secret = serve(httpserver, hits, "/private/secret.html", page("Secret roadmap"))
    public = serve(httpserver, hits, "/news/public.html", page("Public roadmap"))
    feed = serve_feed(httpserver, hits, [secret, public])
    run_crawl(store, source_toml(feed))

    assert hits.count("/private/secret.html") == 0
    assert "/private/secret.html" not in [request.path for request, _ in httpserver.log]
    assert stored_paths(store) == ["/news/public.html"]
    run = last_run(store, SOURCE)
    assert run["counts"]["dropped"] == {"robots": 1}


def test_windows_1252_page_is_decoded(store: Path, httpserver: HTTPServer, hits: Hits) -> None:
    quote = "The \u201cfoundry tax\u201d isn\u2019t small: \u20ac2.4 billion \u2014 and rising."
    html = article_html("Foundry tax", charset=None, extra=quote).encode("cp1252")

    def cp1252(_request: Request) -> Response:
        return Response(html, content_type="text/html; charset=windows-1252")

    url = serve(httpserver, hits, "/news/cp1252.html", cp1252)
    run_crawl(store, source_toml(url, kind="page"))

    ((text,),) = query(store, "SELECT text FROM article")
    assert quote in text
    assert "\ufffd" not in text
    assert last_run(store, SOURCE)["counts"]["stored"] == 1


def test_invalid_utf8_page_is_dropped_as_bad_encoding(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    accented = (
        "Caf\u00e9 owners in Z\u00fcrich and S\u00e3o Paulo read the na\u00efve r\u00e9sum\u00e9"
        " of the fa\u00e7ade d\u00e9j\u00e0 vu entr\u00e9e cr\u00e8me br\u00fbl\u00e9e."
    )
    html = article_html("Declared utf-8, sent latin-1", extra=accented).encode("latin-1")

    def mislabelled(_request: Request) -> Response:
        return Response(html, content_type=HTML)

    url = serve(httpserver, hits, "/news/latin1.html", mislabelled)
    # drops are INFO lines: only --verbose shows them
    result = run_crawl(store, source_toml(url, kind="page"), options=("--verbose",))

    assert stored_paths(store) == []
    run = last_run(store, SOURCE)
    assert run["counts"]["fetched"] == 1
    assert run["counts"]["dropped"] == {"bad_encoding": 1}
    assert f"dropped bad_encoding: {url}" in result.stderr


def test_malformed_feed_keeps_the_good_entries(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    good = serve(httpserver, hits, "/news/good.html", page("Rack power climbs"))
    other = serve(httpserver, hits, "/news/other.html", page("Cooling startup signs deal"))
    broken = rss_feed([good, other]).split("</item>", 1)[0] + (
        "</item>\n    <item><title>R&D spend & <b>bold claims</title>\n"
        "      <link>" + other + "</link>\n    <item><title>trunc"
    )
    feed = serve(httpserver, hits, "/feed.xml", lambda _r: Response(broken, content_type=RSS))
    result = run_crawl(store, source_toml(feed))

    assert "/news/good.html" in stored_paths(store)
    run = last_run(store, SOURCE)
    assert run["counts"]["feed_problems"] >= 1
    assert any("malformed" in line and feed in line for line in result.stderr.splitlines())


def test_same_article_under_several_urls_is_stored_once(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    title = "Chip designer unveils inference card"
    original = serve(httpserver, hits, "/news/a.html", page(title, seed="same"))
    amp = serve(httpserver, hits, "/amp/a.html", page(title, seed="same", canonical="/news/a.html"))
    feed = serve_feed(httpserver, hits, [original, original + "?utm_source=x", amp])
    run_crawl(store, source_toml(feed))

    assert stored_paths(store) == ["/news/a.html"]
    assert hits.count("/news/a.html") == 1
    run = last_run(store, SOURCE)
    assert run["counts"]["stored"] == 1
    assert sum(run["counts"]["dropped"].values()) == 1, run["counts"]


def _start_crawl(
    workdir: Path, sources: dict[str, str], *names: str, settings: dict[str, str]
) -> subprocess.Popen[str]:
    """Like tests.crawling.crawl, but returns the running process."""
    directory = write_sources(workdir, sources)
    overrides = {**FAST, **settings}
    args = [arg for key, value in overrides.items() for arg in ("-s", f"{key}={value}")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWIRE_")}
    env.update(
        {"CHIPWIRE_DATA_DIR": str(workdir / "data"), "CHIPWIRE_SOURCES_PATH": str(directory)}
    )
    return subprocess.Popen(
        [sys.executable, "-m", "chipwire.pipeline", "crawl", *names, *args],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _article_count(workdir: Path) -> int:
    return query(workdir, "SELECT count(*) FROM article")[0][0]


def test_killed_crawl_resumes_without_duplicates(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    # The first three articles answer at once; the rest wait until the crawl has been
    # killed, so the kill always lands mid-run however fast or loaded the machine is.
    release = threading.Event()

    def held(title: str, hold: bool) -> Callable[[Request], Response]:
        respond = page(title)

        def handler(request: Request) -> Response:
            if hold:
                release.wait(30)
            return respond(request)

        return handler

    links = [
        serve(httpserver, hits, f"/news/story-{n}.html", held(f"Story number {n}", n >= 3))
        for n in range(10)
    ]
    source = source_toml(serve_feed(httpserver, hits, links))

    process = _start_crawl(store, {SOURCE: source}, SOURCE, settings={})
    try:
        deadline = time.monotonic() + 30
        while _article_count(store) == 0:
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "nothing stored within 30 s"
            time.sleep(0.05)
        process.kill()
        process.communicate(timeout=10)
    finally:
        release.set()
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)
    stored_when_killed = _article_count(store)
    assert 0 < stored_when_killed < 10

    run_crawl(store, source)

    assert stored_paths(store) == sorted(f"/news/story-{n}.html" for n in range(10))
    assert query(store, "SELECT count(DISTINCT content_hash) FROM article") == [(10,)]
    runs = query(
        store,
        "SELECT j.status, j.finished_at, j.counts FROM job_run j "
        "JOIN source s ON s.id = j.source_id WHERE s.name = ? AND j.job = 'crawl' ORDER BY j.id",
        (SOURCE,),
    )
    assert [(status, finished is None) for status, finished, _ in runs] == [
        ("running", True),
        ("succeeded", False),
    ]
    counts = json.loads(runs[1][2])
    assert counts["stored"] == 10 - stored_when_killed
    assert counts["skipped_known"] == stored_when_killed


def test_source_yielding_zero_items_is_flagged(
    store: Path, httpserver: HTTPServer, hits: Hits
) -> None:
    links = [
        serve(httpserver, hits, "/news/one.html", page("HBM supply tightens")),
        serve(httpserver, hits, "/news/two.html", page("Optical interconnect demo")),
    ]
    feeds = {"current": rss_feed(links)}
    feed = serve(
        httpserver, hits, "/feed.xml", lambda _r: Response(feeds["current"], content_type=RSS)
    )
    source = source_toml(feed)

    run_crawl(store, source)
    first = last_run(store, SOURCE)
    assert first["status"] == "succeeded"
    assert first["counts"]["items_found"] == 2

    feeds["current"] = rss_feed([])  # the site "changed": the feed is still there, but empty
    run_crawl(store, source)
    second = last_run(store, SOURCE)
    assert second["status"] == "partial"
    assert second["counts"]["items_found"] == 0
    assert "zero items" in second["error"]
    assert "previous run found 2" in second["error"]

    listing = chipwire(
        store, "sources", "--json", env={"CHIPWIRE_SOURCES_PATH": str(store / "sources")}
    )
    assert listing.returncode == 0, listing.stderr
    rows = {row["name"]: row for row in map(json.loads, listing.stdout.splitlines())}
    assert rows[SOURCE]["zero_items"] is True
    assert rows[SOURCE]["status"] == "partial"
    assert rows[SOURCE]["articles"] == 2
