"""``chipwire fixtures NAME``: record a source's golden fixtures from the live site.

Fetches the start document and the first article it links to (politely: our
User-Agent, robots.txt obeyed), stores them in the fixture folder and rewrites
``expected.json`` from what the spider makes of them.  ``--offline`` only
rewrites ``expected.json`` from the documents already stored.
"""

from __future__ import annotations

import gzip
import json
import urllib.request
import urllib.robotparser
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from chipwire.spiders.devtools.golden import START_FILES, start_links, write_expected
from chipwire.spiders.sources import Source, SourceError
from chipwire.spiders.transcripts import load_fetcher

MAX_BYTES = 10 * 1024 * 1024


def _fetch(url: str, user_agent: str, timeout: float) -> bytes:
    parts = urlsplit(url)
    robots = urllib.robotparser.RobotFileParser(f"{parts.scheme}://{parts.netloc}/robots.txt")
    try:
        robots.read()
    except OSError:
        robots = None  # type: ignore[assignment]
    if robots is not None and not robots.can_fetch(user_agent, url):
        raise SourceError(f"{url}: disallowed by robots.txt")
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SourceError(f"{url}: cannot fetch: {exc}") from exc
    if len(body) > MAX_BYTES:
        raise SourceError(f"{url}: larger than {MAX_BYTES} bytes")
    return gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body


def record(
    source: Source, folder: Path, user_agent: str, *, timeout: float = 30.0
) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    start = _fetch(source.url, user_agent, timeout)
    for name in START_FILES:
        (folder / name).unlink(missing_ok=True)
    looks_xml = start.lstrip()[:5] in (b"<?xml", b"<rss ", b"<feed") or b"<urlset" in start[:500]
    start_name = "start.xml" if looks_xml else "start.html"
    (folder / start_name).write_bytes(start)
    (folder / "meta.toml").write_text(
        f'start_url = "{source.url}"\narticle_url = ""\n', encoding="utf-8"
    )
    links, _ = start_links(source, folder)
    if not links:
        raise SourceError(f"{source.url}: the spider found no article links in the start document")
    article_url = links[0]
    if source.kind == "youtube":
        video_id = parse_qs(urlsplit(article_url).query).get("v", [""])[0]
        text = load_fetcher(None).fetch(video_id, list(source.languages))
        snippets = [{"text": text, "start": 0.0, "duration": 0.0}]
        (folder / "transcript.json").write_text(json.dumps(snippets, indent=1), encoding="utf-8")
    else:
        (folder / "article.html").write_bytes(_fetch(article_url, user_agent, timeout))
    (folder / "meta.toml").write_text(
        f'start_url = "{source.url}"\narticle_url = "{article_url}"\n'
        f'recorded = "{date.today().isoformat()}"\norigin = "fetched by chipwire fixtures"\n',
        encoding="utf-8",
    )
    return write_expected(source, folder)
