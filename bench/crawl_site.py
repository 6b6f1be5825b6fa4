"""The crawl benchmark's site: copies of the sample site's real article pages, and a server.

``--pages`` copies of the sample site's news and press pages (traps left out), each copy
made distinct in URL, canonical link, title, numbers and one sentence so dedup stores it
rather than short-circuiting; company names are kept, so the relevance filter passes
them.  An RSS feed lists them all.  The server runs in its own process so serving does not
compete with the crawler for the GIL.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from typing import Any, ClassVar

from chipwire.spiders.samplesite import SITE_DIR

# Words for the per-copy sentence: varied enough that no two copies share it.
_DESKS = ("San Jose", "Austin", "Hsinchu", "Seoul", "Toronto", "Dresden", "Bangalore")
_SOURCES = ("supply-chain", "investor", "channel", "foundry", "hyperscaler", "analyst")


@dataclass(frozen=True)
class Template:
    """One real article page of the sample site, as served (``__BASE__`` still in it)."""

    path: str
    title: str
    html: str


def article_templates() -> list[Template]:
    """News and press pages a correct crawl stores: the MANIFEST's pages without traps.

    Traps (off-topic, German, broken, AMP and syndicated copies) would be dropped or linked
    by design; copying them would make the benchmark measure drops instead of stores.
    """
    manifest = json.loads((SITE_DIR / "MANIFEST.json").read_text(encoding="utf-8"))
    templates = []
    for page in manifest["pages"]:
        if (
            page["path"].startswith(("news/", "press/"))
            and page["kind"] in ("article", "press_release")
            and page.get("trap") is None
            and page["encoding"] == "utf-8"
        ):
            text = (SITE_DIR / page["path"]).read_text(encoding="utf-8")
            templates.append(Template(page["path"], page["title"], text))
    return templates


def _shift_numbers(text: str, offset: int) -> str:
    """Every number in the page's visible text moved by ``offset``; tags stay untouched."""

    def shift_node(node: re.Match[str]) -> str:
        return re.sub(
            r"\d+",
            lambda number: str(int(number.group()) + offset).zfill(len(number.group())),
            node.group(),
        )

    return re.sub(r">[^<]+<", shift_node, text)


def vary(template: Template, index: int, copy: int, url: str) -> tuple[str, str]:
    """(html, title) of copy ``copy`` of a template, distinct in URL, title, numbers and text.

    Distinct URL and text keep dedup from dropping the copy (the canonical link points at
    the copy itself); shifted numbers change enough 5-word shingles that most copies are not
    near-duplicates either, as most articles of a real crawl are not.
    """
    head, body = template.html.split("<body", 1)
    body = _shift_numbers(body, copy)
    desk = _DESKS[index % len(_DESKS)]
    kind = _SOURCES[(index // len(_DESKS)) % len(_SOURCES)]
    sentence = (
        f" Our {desk} desk filed this as report {index + 1}, citing {copy + 2} {kind} sources."
    )
    body = re.sub(
        r'(class="(?:story|release)-body">.*?)(</p>)',
        lambda match: match.group(1) + sentence + match.group(2),
        body,
        count=1,
        flags=re.DOTALL,
    )
    prefix = f"Update {copy}: "
    page = head + "<body" + body
    for pattern in (
        r"(<title>)",
        r"(<h1[^>]*>)",
        r'(property="og:title" content=")',
        r'("headline": ")',
    ):
        page = re.sub(pattern, lambda match: match.group(1) + prefix, page, count=1)
    page = page.replace(f"__BASE__/{template.path}", url)
    return page, prefix + template.title


def build_site(base: str, pages: int) -> dict[str, bytes]:
    """Path -> body of the benchmark site: ``pages`` article copies, their feed, robots.txt."""
    templates = article_templates()
    site: dict[str, bytes] = {}
    items = []
    newest = datetime(2026, 11, 3, 7, 0, tzinfo=UTC)
    for index in range(pages):
        template = templates[index % len(templates)]
        copy = index // len(templates) + 1
        stem = template.path.removesuffix(".html")
        path = f"/bench/{stem}-{index:05d}.html"
        url = base + path
        page, title = vary(template, index, copy, url)
        site[path] = page.replace("__BASE__", base).encode("utf-8")
        published = format_datetime(newest - timedelta(hours=index))
        items.append(
            f"<item><title>{html.escape(title)}</title><link>{url}</link>"
            f'<guid isPermaLink="true">{url}</guid><pubDate>{published}</pubDate></item>'
        )
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>chipwire benchmark feed</title><link>{base}/</link>"
        "<description>Copies of the sample site's articles</description>"
        + "\n".join(items)
        + "</channel></rss>\n"
    )
    site["/feed.xml"] = feed.encode("utf-8")
    site["/robots.txt"] = b"User-agent: *\nDisallow: /private/\n"
    return site


class _Handler(BaseHTTPRequestHandler):
    """Serves the in-memory site; keep-alive (HTTP/1.1) as a real news site would."""

    protocol_version = "HTTP/1.1"
    site: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        body = self.site.get(path)
        if body is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self.send_response(HTTPStatus.OK)
        if path.endswith(".xml"):
            ctype = "application/rss+xml"
        elif path.endswith(".txt"):
            ctype = "text/plain"
        else:
            ctype = "text/html; charset=utf-8"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: logging every request would cost the server more than serving it."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 could refuse connections under a burst


def serve(pages: int, connection: Connection) -> None:
    """Server process body: bind, build the site for the bound address, report it, serve."""
    server = _Server(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    _Handler.site = build_site(base, pages)
    article_count = sum(1 for path in _Handler.site if path.startswith("/bench/"))
    connection.send((base, article_count))
    connection.close()
    server.serve_forever()
