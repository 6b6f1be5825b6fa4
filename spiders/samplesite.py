"""Serve the bundled sample site on 127.0.0.1 for the demo and the tests.

Files are served as bytes with ``__BASE__`` replaced by the server's own
address (the windows-1252 page must not be decoded), from a daemon thread so
the caller can crawl it in the same process.
"""

from __future__ import annotations

import shutil
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

SITE_DIR = Path(__file__).with_name("sample_site")
SOURCES_DIR = SITE_DIR / "sources"
PLACEHOLDER = b"__BASE__"
# The demo prefers a fixed port so its article URLs, and so a re-run, stay the same.
DEMO_PORT = 8642


class _Handler(SimpleHTTPRequestHandler):
    base: bytes = b""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        try:
            body = path.read_bytes().replace(PLACEHOLDER, self.base)
        except (FileNotFoundError, IsADirectoryError, PermissionError):
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self.send_response(HTTPStatus.OK)
        ctype = self.guess_type(str(path))
        if path.name == "robots.txt":
            ctype = "text/plain"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the crawl's own log says what was fetched."""


class SampleSite:
    """``with SampleSite() as site:`` serves the sample site at ``site.base_url``."""

    def __init__(self, directory: Path = SITE_DIR, port: int = 0) -> None:
        self.directory = directory
        self.port = port
        self.server: ThreadingHTTPServer | None = None
        self.base_url = ""

    def __enter__(self) -> SampleSite:
        # A handler class per server, so two sample sites never share a base URL.
        handler_class = type("SampleHandler", (_Handler,), {"base": b""})
        handler = partial(handler_class, directory=str(self.directory))
        try:
            self.server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        except OSError:  # preferred port taken: any free port still serves the demo
            self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        handler_class.base = self.base_url.encode("ascii")
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def write_sources(self, target: Path) -> Path:
        """The sample site's source files with ``__BASE__`` filled in, written to ``target``."""
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for source in sorted(SOURCES_DIR.glob("*.toml")):
            text = source.read_text(encoding="utf-8").replace("__BASE__", self.base_url)
            (target / source.name).write_text(text, encoding="utf-8")
        return target
