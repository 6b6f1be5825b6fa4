"""Golden fixtures: stored documents in, expected links and article out, per source.

Each source has ``tests/fixtures/sources/<name>/`` with ``meta.toml`` (start and
article URL), the start document (``start.xml`` or ``start.html``), the article
page (``article.html``, or ``transcript.json`` for video channels) and
``expected.json``.  :func:`run_fixture` runs the source's real spider callbacks
on the stored documents, without network or store; the golden test compares
its output with ``expected.json`` and ``chipwire fixtures`` rewrites it.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler

from chipwire.pipeline.errors import ChipwireError
from chipwire.spiders.kinds import SourceSpider, spider_class
from chipwire.spiders.sources import Source
from chipwire.spiders.transcripts import TranscriptUnavailable, join_snippets

START_FILES = ("start.xml", "start.html", "start.xml.gz")
TEXT_PREVIEW = 160


class FixtureError(ChipwireError):
    """A fixture folder is incomplete; the message says what to record."""


@dataclass(frozen=True)
class Fixture:
    folder: Path
    start_url: str
    article_url: str
    start_file: Path

    @classmethod
    def load(cls, folder: Path) -> Fixture:
        meta_path = folder / "meta.toml"
        if not meta_path.is_file():
            raise FixtureError(f"{meta_path} missing: run `chipwire fixtures {folder.name}`")
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
        start = next((folder / n for n in START_FILES if (folder / n).is_file()), None)
        if start is None:
            raise FixtureError(
                f"{folder}: no start document ({' or '.join(START_FILES)}); "
                f"run `chipwire fixtures {folder.name}`"
            )
        return cls(folder, meta["start_url"], meta["article_url"], start)


class FixtureFetcher:
    """Transcripts from ``transcript.json`` in a fixture folder, for video sources."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def fetch(self, video_id: str, languages: list[str]) -> str:
        path = self.folder / "transcript.json"
        if not path.is_file():
            raise TranscriptUnavailable(f"{path} missing")
        snippets = json.loads(path.read_text(encoding="utf-8"))
        return join_snippets([snippet["text"] for snippet in snippets])


def _response(url: str, body: bytes, request: scrapy.Request | None = None) -> Response:
    cls = responsetypes.from_args(url=url, body=body)
    return cls(url=url, body=body, request=request or scrapy.Request(url))


def _spider(source: Source, folder: Path) -> SourceSpider:
    cls = spider_class(source)
    crawler = get_crawler(cls, {"CHIPWIRE_REFETCH": True})
    if source.kind == "youtube":
        # Replace the network fetcher before the spider is built, so nothing calls out.
        crawler.settings.frozen = False
        crawler.settings.set(
            "CHIPWIRE_TRANSCRIPT_FETCHER", "chipwire.spiders.devtools.golden:_NoFetcher"
        )
    spider = cls.from_crawler(crawler)
    if source.kind == "youtube":
        spider.fetcher = FixtureFetcher(folder)
    return spider


class _NoFetcher:
    def fetch(self, video_id: str, languages: list[str]) -> str:
        raise TranscriptUnavailable("no fetcher in golden runs")


async def _collect(result: Any) -> list[Any]:
    if result is None:
        return []
    if inspect.isasyncgen(result):
        return [value async for value in result]
    return list(result)


def _item_summary(item: Any) -> dict[str, Any]:
    data = dict(item)
    text = data.get("text") or ""
    published = data.get("published_at")
    return {
        "url": data.get("url"),
        "title": data.get("title"),
        "author": data.get("author"),
        "published_at": published.isoformat() if published else None,
        "language": data.get("language"),
        "kind": data.get("kind"),
        "words": len(text.split()),
        "text_start": text[:TEXT_PREVIEW],
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }


def start_links(source: Source, folder: Path) -> tuple[list[str], list[Any]]:
    """Links (and, for video channels, items) the spider takes from the stored start document."""
    fixture = Fixture.load(folder)
    if source.kind == "page":
        return [fixture.start_url], []
    spider = _spider(source, folder)
    response = _response(fixture.start_url, fixture.start_file.read_bytes())
    outputs = asyncio.run(_collect(spider.parse_start(response)))
    items = [o for o in outputs if not isinstance(o, scrapy.Request)]
    # Video channels yield finished items (transcripts), not requests: their link is the video.
    links = [o.url if isinstance(o, scrapy.Request) else o.get("request_url") for o in outputs]
    return [link for link in links if link], items


def run_fixture(source: Source, folder: Path) -> dict[str, Any]:
    """What the source's spider makes of its stored documents."""
    fixture = Fixture.load(folder)
    links, items = start_links(source, folder)
    if source.kind != "youtube":
        article = folder / "article.html"
        if not article.is_file():
            raise FixtureError(f"{article} missing: run `chipwire fixtures {source.name}`")
        spider = _spider(source, folder)
        request = scrapy.Request(fixture.article_url, meta={"chipwire": {}})
        response = _response(fixture.article_url, article.read_bytes(), request)
        items = asyncio.run(_collect(spider.parse_article(response)))
    return {
        "source": source.name,
        "links": links,
        "article": _item_summary(items[0]) if items else None,
    }


def write_expected(source: Source, folder: Path) -> dict[str, Any]:
    result = run_fixture(source, folder)
    (folder / "expected.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return result
