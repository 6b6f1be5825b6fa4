"""Declarative sources: one small TOML file per source in ``spiders/sources/``.

A source says *what* to crawl (kind, start URL, optional CSS overrides, tags);
the generic spiders in ``spiders/kinds`` know *how*.  The registry refuses two
sources with the same name or start URL, so adding a file can never silently
shadow another one.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from chipwire.pipeline.errors import ChipwireError

NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

SourceKind = Literal["rss", "sitemap", "listing", "page", "youtube", "warc"]
ArticleKind = Literal["article", "press_release", "transcript", "filing"]


class SourceError(ChipwireError):
    """A source file is malformed, or two sources clash."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Selectors(_Strict):
    """CSS overrides for one layout version of a site; any field may be omitted.

    Selectors use parsel's CSS dialect (``::text``, ``::attr(name)``).  ``body``
    selects the element(s) whose text is the article body.
    """

    title: str | None = None
    body: str | None = None
    date: str | None = None
    author: str | None = None


class Listing(_Strict):
    links: str = Field(description="CSS selector of article links, e.g. 'a.story::attr(href)'.")
    next: str | None = Field(default=None, description="CSS selector of the next-page link.")
    max_pages: int = Field(default=5, ge=1, le=200)


class Source(_Strict):
    """One place to collect articles from."""

    name: str
    kind: SourceKind
    url: str
    article_kind: ArticleKind = "article"
    tags: tuple[str, ...] = ()
    relevance_filter: bool = Field(
        default=True, description="Keep only articles naming registry companies or products."
    )
    verified: bool = Field(default=False, description="True once a connected run has seen it work.")
    enabled: bool = True
    follow: tuple[str, ...] = Field(
        default=(), description="Regexes; only article URLs matching one are fetched."
    )
    max_items: int = Field(default=200, ge=1, description="Articles per run at most.")
    languages: tuple[str, ...] = Field(
        default=("en",), description="Transcript languages to ask for, in order (youtube)."
    )
    listing: Listing | None = None
    # Layout versions, newest first: the first whose selectors match a page wins.
    selectors: tuple[Selectors, ...] = ()
    notes: str | None = None
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME_RE.match(value):
            raise ValueError(f"name {value!r} must be lowercase letters, digits and hyphens")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"url {value!r} must be an absolute http(s) URL")
        return value

    @field_validator("follow")
    @classmethod
    def _regexes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"follow pattern {pattern!r} is not a regex: {exc}") from exc
        return value

    @property
    def domain(self) -> str:
        return urlparse(self.url).hostname or ""

    def model_post_init(self, _context: object) -> None:
        if self.kind == "warc" and self.path is not None:
            raise ValueError("kind 'warc' is for archives: run `chipwire backfill FILE_OR_URL`")
        if self.kind == "listing" and self.listing is None:
            raise ValueError("kind 'listing' needs a [listing] table with a 'links' selector")


@dataclass(frozen=True)
class SourceRegistry:
    """All sources, by name; built only through :func:`load_sources`."""

    sources: dict[str, Source]

    def __iter__(self) -> Iterator[Source]:
        return iter(self.sources.values())

    def __len__(self) -> int:
        return len(self.sources)

    def get(self, name: str) -> Source:
        try:
            return self.sources[name]
        except KeyError:
            known = ", ".join(sorted(self.sources)) or "(none)"
            raise SourceError(f"unknown source {name!r}; known sources: {known}") from None


def load_source(path: Path) -> Source:
    """Read one source file; the name defaults to the file name."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceError(f"{path}: cannot read source file: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: not valid TOML: {exc}") from exc
    data.setdefault("name", path.stem)
    if isinstance(data.get("selectors"), dict):
        data["selectors"] = [data["selectors"]]
    try:
        return Source.model_validate({**data, "path": path})
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "source"
        if error["type"] == "extra_forbidden":
            raise SourceError(f"{path}: unknown key '{field}'") from exc
        raise SourceError(f"{path}: {field}: {error['msg']}") from exc


@dataclass(frozen=True)
class SourceProblem:
    """A source file left out of the registry: its path, the name it would have, and why."""

    path: Path
    name: str
    message: str  # the whole message, starting with the path, as SourceError words it

    def __str__(self) -> str:
        return self.message


def _declared_name(path: Path) -> str:
    """The name a (possibly broken) source file asks for: its ``name`` key, else its stem."""
    try:
        name = tomllib.loads(path.read_text(encoding="utf-8")).get("name")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return path.stem
    return name.strip() if isinstance(name, str) and name.strip() else path.stem


def scan_sources(directory: Path) -> tuple[SourceRegistry, list[SourceProblem]]:
    """Every valid ``*.toml`` in ``directory``, and a problem for each file left out.

    A malformed file, or one clashing with an earlier file (name or start URL), is
    left out and reported instead of raised, so one bad file cannot stop a crawl of
    all the others.  A missing directory still raises: then nothing can be crawled.
    """
    if not directory.is_dir():
        raise SourceError(f"{directory}: sources directory not found")
    sources: dict[str, Source] = {}
    urls: dict[str, str] = {}
    problems: list[SourceProblem] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            source = load_source(path)
        except SourceError as exc:
            problems.append(SourceProblem(path, _declared_name(path), str(exc)))
            continue
        clash = None
        if source.name in sources:
            first = sources[source.name].path
            clash = f"{path}: duplicate source name {source.name!r} (also in {first})"
        elif source.url in urls:
            other = urls[source.url]
            clash = (
                f"{path}: start URL {source.url} is already source {other!r}"
                f" (in {sources[other].path})"
            )
        if clash is not None:
            problems.append(SourceProblem(path, source.name, clash))
            continue
        sources[source.name] = source
        urls[source.url] = source.name
    return SourceRegistry(sources=sources), problems


def load_sources(directory: Path) -> SourceRegistry:
    """Every ``*.toml`` in ``directory``; the first malformed or clashing file raises.

    For tooling that must not go on with a partial registry (fixtures, tests, status
    checks); a crawl uses :func:`scan_sources` and reports the bad files instead.
    """
    registry, problems = scan_sources(directory)
    if problems:
        raise SourceError(problems[0].message)
    return registry
