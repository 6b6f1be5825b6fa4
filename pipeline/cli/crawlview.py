"""What `chipwire crawl` shows: a live per-source table, a quiet log, the result table or JSON.

A crawl of 28 sources takes minutes; Scrapy's own log (about 130 lines for one
source) buries the few lines an operator needs.  So by default only chipwire's
warnings and errors reach stderr, a live table on a terminal shows each source's
pages and stored articles as they happen, and the end is one table; ``--verbose``
brings Scrapy's log back.  Piped, there is no live display (it would be escape codes in
a file), and ``--json`` prints one object per source for programs (the scheduler
runs ``python -m chipwire.pipeline crawl --json`` in a child process).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from rich import box
from rich.live import Live
from rich.markup import escape
from rich.table import Table

from chipwire.pipeline.cli.common import console, err_console

LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"


class _ChipwireOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.name == "chipwire" or record.name.startswith("chipwire.")


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to ``sys.stderr`` as it is when a record comes: the live display redirects it
    so log lines appear above the table instead of tearing it."""

    @property  # type: ignore[override]
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, _value: IO[str]) -> None:
        pass


@contextmanager
def crawl_logging(verbose: bool) -> Iterator[dict[str, Any]]:
    """Scrapy setting overrides for the crawl's log; quiet unless ``verbose``.

    Quiet: Scrapy installs no log handler of its own (``LOG_ENABLED=False``) and one
    handler shows chipwire's warnings and errors, in Scrapy's format.
    """
    if verbose:
        yield {}
        return
    handler = _CurrentStderr()
    handler.setLevel(logging.WARNING)
    handler.addFilter(_ChipwireOnly())
    handler.setFormatter(logging.Formatter(LOG_FORMAT, "%Y-%m-%d %H:%M:%S"))
    logging.root.addHandler(handler)
    try:
        yield {"LOG_ENABLED": False}
    finally:
        logging.root.removeHandler(handler)


class LiveProgress:
    """The per-source progress table, redrawn a few times a second while the crawl runs."""

    def __init__(self, what: str = "sources", doing: str = "crawling") -> None:
        self.rows: dict[str, Any] = {}
        self.what, self.doing = what, doing  # a backfill reads files

    def __call__(self, progress: Any) -> None:
        self.rows[progress.source] = progress

    def table(self) -> Table:
        done = sum(1 for row in self.rows.values() if row.state == "done")
        table = Table(
            self.what.rstrip("s"),
            "state",
            "pages",
            "stored",
            "errors",
            title=f"{self.doing}: {done}/{len(self.rows)} {self.what} done",
            box=box.SIMPLE_HEAD,
        )
        for name in sorted(self.rows):
            row = self.rows[name]
            style = {"done": "green", "crawling": "yellow"}.get(row.state, "dim")
            table.add_row(
                escape(name),
                f"[{style}]{row.state}[/]",
                str(row.pages),
                str(row.stored),
                f"[red]{row.errors}[/]" if row.errors else "0",
            )
        return table

    @contextmanager
    def shown(self) -> Iterator[LiveProgress]:
        with Live(
            get_renderable=self.table,
            console=console,
            transient=True,
            refresh_per_second=4,
            vertical_overflow="ellipsis",
        ):
            yield self


def result_dict(result: Any) -> dict[str, Any]:
    """One source's outcome as ``chipwire crawl --json`` prints it."""
    return {
        "source": result.source,
        "status": result.status,
        "counts": result.counts,
        "error": result.error,
    }


def print_json(results: list[Any]) -> None:
    for result in results:
        sys.stdout.write(json.dumps(result_dict(result), ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _pairs(values: dict[str, Any]) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(values.items()))


def print_crawl(results: list[Any]) -> None:
    """The per-source crawl table, the reasons behind its drops and errors, then one warning
    line per source that did not succeed.

    Numbers only in the table, so it reads in 80 columns and in a pipe; the details
    (duplicates linked, drop reasons, error kinds) follow as one line per source.
    """
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    table.add_column("source", overflow="fold")
    table.add_column("status", no_wrap=True)
    for name in ("found", "fetched", "stored", "drop", "err", "s"):
        table.add_column(name, justify="right", no_wrap=True)
    details = []
    for result in results:
        counts = result.counts
        dropped = counts.get("dropped", {})
        errors = {**counts.get("http_errors", {}), **counts.get("network_errors", {})}
        style = {"failed": "red", "partial": "yellow"}.get(result.status)
        duration = counts.get("duration_s")
        table.add_row(
            escape(result.source),
            f"[{style}]{result.status}[/]" if style else result.status,
            str(counts.get("items_found", 0)),
            str(counts.get("fetched", 0)),
            str(counts.get("stored", 0)),
            str(sum(dropped.values())),
            str(sum(errors.values())),
            str(round(duration)) if duration is not None else "",
        )
        linked = counts.get("duplicates_linked", 0)
        parts = [f"duplicates linked {linked}"] if linked else []
        parts += [
            f"{label} {_pairs(values)}"
            for label, values in (("dropped", dropped), ("errors", errors))
            if values
        ]
        if parts:
            details.append(f"{result.source}: {'; '.join(parts)}")
    console.print(table)
    for line in details:
        console.print(line, highlight=False, markup=False)
    for result in results:
        if result.error:
            err_console.print(
                f"[yellow]warning:[/] {escape(result.source)} {result.status}: "
                f"{escape(result.error)}",
                highlight=False,
            )
