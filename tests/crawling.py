"""Helpers for crawl tests: run the real `chipwire crawl` in a subprocess, read the store.

A subprocess per crawl because Scrapy's reactor can run only once per process.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

# Fast but faithful: same spiders and pipelines, no politeness delay on loopback.
FAST = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_TIMEOUT": "3",
    "RETRY_TIMES": "2",
    "CHIPWIRE_BACKOFF_BASE": "0.1",
    "CHIPWIRE_BACKOFF_MAX": "1",
}


def chipwire(
    workdir: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWIRE_")}
    full_env.update({"CHIPWIRE_DATA_DIR": str(workdir / "data"), **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "chipwire.pipeline", *args],
        cwd=workdir,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def prepare_store(workdir: Path) -> None:
    for command in (("db", "upgrade"), ("db", "seed")):
        result = chipwire(workdir, *command)
        assert result.returncode == 0, result.stderr


def write_sources(workdir: Path, sources: dict[str, str]) -> Path:
    directory = workdir / "sources"
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in sources.items():
        (directory / f"{name}.toml").write_text(text, encoding="utf-8")
    return directory


def crawl(
    workdir: Path,
    sources: dict[str, str],
    *names: str,
    settings: dict[str, str] | None = None,
    options: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Crawl ``sources`` (TOML texts by name) into the store under ``workdir``.

    ``options`` are more `chipwire crawl` options, e.g. ``("--verbose",)`` for Scrapy's
    log and chipwire's INFO lines on stderr, ``("--json",)``.
    """
    directory = write_sources(workdir, sources)
    overrides = {**FAST, **(settings or {})}
    args = [arg for key, value in overrides.items() for arg in ("-s", f"{key}={value}")]
    return chipwire(
        workdir, "crawl", *names, *args, *options, env={"CHIPWIRE_SOURCES_PATH": str(directory)}
    )


def query(workdir: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with sqlite3.connect(workdir / "data" / "chipwire.db") as connection:
        return connection.execute(sql, params).fetchall()


def last_run(workdir: Path, source: str) -> dict[str, Any]:
    import json

    rows = query(
        workdir,
        "SELECT j.status, j.counts, j.error FROM job_run j JOIN source s ON s.id = j.source_id "
        "WHERE s.name = ? ORDER BY j.id DESC LIMIT 1",
        (source,),
    )
    assert rows, f"no job_run for {source}"
    status, counts, error = rows[0]
    return {"status": status, "counts": json.loads(counts), "error": error}
