"""``chipwire new-source``: write a source file and its fixture folder from a template."""

from __future__ import annotations

from pathlib import Path

from chipwire.spiders.sources import NAME_RE, SourceError, load_source

TEMPLATE = """\
# {name}: {kind} source added with `chipwire new-source`. Fields: docs/adding-a-source.md
kind = "{kind}"
url = "{url}"
article_kind = "{article_kind}"
tags = [{tags}]
relevance_filter = {relevance}
verified = false
notes = "New source: record fixtures with `chipwire fixtures {name}`, then check expected.json."
{extra}"""

LISTING = """
[listing]
links = "a::attr(href)"   # CSS for article links: narrow this to the site's story links
next = ""                 # CSS for the next-page link, or remove
max_pages = 3
"""

META = """\
start_url = "{url}"
article_url = ""  # filled in by `chipwire fixtures {name}`
recorded = ""
origin = "not recorded yet"
"""


def new_source(
    name: str,
    kind: str,
    url: str,
    sources_dir: Path,
    fixtures_dir: Path,
    *,
    article_kind: str = "article",
    tags: list[str] | None = None,
    relevance_filter: bool = True,
) -> tuple[Path, Path]:
    """Write ``<sources_dir>/<name>.toml`` and ``<fixtures_dir>/<name>/meta.toml``."""
    if not NAME_RE.match(name):
        raise SourceError(f"source name {name!r} must be lowercase letters, digits and hyphens")
    path = sources_dir / f"{name}.toml"
    if path.exists():
        raise SourceError(f"{path} already exists; edit it or choose another name")
    text = TEMPLATE.format(
        name=name,
        kind=kind,
        url=url.replace('"', "%22"),
        article_kind=article_kind,
        tags=", ".join(f'"{tag}"' for tag in (tags or [])),
        relevance="true" if relevance_filter else "false",
        extra=LISTING if kind == "listing" else "",
    )
    sources_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    try:
        load_source(path)  # the template must produce a valid source; fail loudly if not
    except SourceError:
        path.unlink()
        raise
    folder = fixtures_dir / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "meta.toml").write_text(META.format(url=url, name=name), encoding="utf-8")
    return path, folder
