"""The chipwire command: help everywhere, documented, and one-line errors."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from chipwire.pipeline.cli import app
from tests.conftest import REPO, write

runner = CliRunner()


def command_paths() -> list[list[str]]:
    """Every command and sub-command, as the words a user types after `chipwire`."""
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(command, prefix: list[str]) -> None:
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            paths.append([*prefix, name])
            walk(sub, [*prefix, name])

    walk(root, [])
    return paths


def invoke(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env, catch_exceptions=False)


def run_cli(cwd: Path, *args: str, env: dict[str, str] | None = None):
    """The real console entry point in a subprocess, to see exactly what a user sees."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWIRE_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "chipwire.pipeline", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_command_tree_is_complete() -> None:
    names = {" ".join(path) for path in command_paths()}
    assert {
        "config",
        "db",
        "db upgrade",
        "db current",
        "db seed",
        "companies",
        "sql",
        "demo",
    } <= names


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p))
def test_every_command_has_help(path: list[str]) -> None:
    result = invoke(*path, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output
    assert len(result.output.strip().splitlines()) > 3


def command_help(path: list[str]) -> str:
    """The help text a command was written with, as the words a reader should see."""
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return " ".join((command.help or "").replace("`", "").split())


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p))
def test_help_shows_the_whole_description_as_flowing_text(path: list[str]) -> None:
    """Nothing of a description may be eaten as markup (a '[section]' of the settings
    file), and its source line breaks must not survive as ragged one-word lines."""
    output = invoke(*path, "--help").output
    assert command_help(path) in " ".join(output.split())
    lines = output.split("╭")[0].splitlines()
    width = max(len(line) for line in lines)
    for line, after in itertools.pairwise(lines):
        words = after.split()
        if line.strip() and words and not line.lstrip().startswith("Usage"):
            # A line broken early: its successor's first word would have fitted on it.
            assert len(line.rstrip()) + 1 + len(words[0]) >= width - 1, (line, after)


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p))
def test_every_command_is_documented_in_readme(path: list[str]) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"chipwire {' '.join(path)}" in readme


def seeded_store() -> None:
    assert invoke("db", "upgrade").exit_code == 0
    assert invoke("db", "seed").exit_code == 0


def test_seed_via_cli_is_idempotent_and_recorded() -> None:
    seeded_store()
    again = invoke("db", "seed")
    assert "companies +0 ~0" in again.output
    out = invoke("sql", "SELECT count(*) AS n FROM job_run WHERE job = 'seed'", "--json")
    assert json.loads(out.output) == [{"n": 2}]


def test_db_upgrade_then_current_reports_up_to_date() -> None:
    first = invoke("db", "upgrade")
    assert first.exit_code == 0 and "migrated (empty) ->" in first.output
    second = invoke("db", "upgrade")
    assert "already at revision" in second.output
    current = invoke("db", "current")
    assert "up to date" in current.output


def test_sql_output_formats() -> None:
    seeded_store()
    query = "SELECT slug, symbol FROM company WHERE slug IN ('nvidia', 'groq') ORDER BY slug"
    as_csv = invoke("sql", query, "--csv")
    assert list(csv.reader(io.StringIO(as_csv.output))) == [
        ["slug", "symbol"],
        ["groq", ""],
        ["nvidia", "NVDA"],
    ]
    as_json = invoke("sql", query, "--json")
    assert json.loads(as_json.output) == [
        {"slug": "groq", "symbol": None},
        {"slug": "nvidia", "symbol": "NVDA"},
    ]
    table = invoke("sql", query)
    assert "NVDA" in table.output and "2 rows" in table.output


def test_sql_write_is_refused_with_exit_1() -> None:
    seeded_store()
    result = invoke("sql", "DELETE FROM company")
    assert result.exit_code == 1
    assert "read-only" in result.output
    count = invoke("sql", "SELECT count(*) AS n FROM company", "--json")
    assert json.loads(count.output)[0]["n"] > 60


def test_companies_lists_the_registry() -> None:
    seeded_store()
    result = invoke("companies", "--kind", "chip_designer", "--json")
    rows = [json.loads(line) for line in result.output.splitlines()]
    groq = next(row for row in rows if row["slug"] == "groq")
    assert groq["name"] == "Groq" and "LPU" in groq["products"]
    assert {row["kind"] for row in rows} == {"chip_designer"}
    bad = invoke("companies", "--kind", "bakery")
    assert bad.exit_code == 1 and "unknown kind 'bakery'" in bad.output


def test_config_masks_password() -> None:
    env = {"CHIPWIRE_DATABASE_URL": "postgresql+psycopg://me:hunter2@db.internal/cw"}
    result = invoke("config", env=env)
    assert result.exit_code == 0
    assert "hunter2" not in result.output and "***" in result.output


# --- one-line errors, no traceback unless --debug ----------------------------------------


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_malformed_registry_is_one_line(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "db", "upgrade").returncode == 0
    bad = write(tmp_path / "bad.yaml", "version: 1\ncompanies: [\n")
    result = run_cli(tmp_path, "db", "seed", "--registry", str(bad))
    assert_one_line_error(result, "bad.yaml", "not valid YAML")


def test_unknown_config_key_is_one_line(tmp_path: Path) -> None:
    write(tmp_path / "chipwire.toml", 'colour = "blue"\n')
    result = run_cli(tmp_path, "config")
    assert_one_line_error(result, "chipwire.toml", "unknown setting 'colour'")


def test_unreachable_database_is_one_line_naming_the_url(tmp_path: Path) -> None:
    env = {"CHIPWIRE_DATABASE_URL": "postgresql+psycopg://u:pw@127.0.0.1:9/nowhere"}
    result = run_cli(tmp_path, "db", "upgrade", env=env)
    assert_one_line_error(result, "postgresql+psycopg://u:***@127.0.0.1:9/nowhere")
    assert "pw@" not in result.stderr


def test_missing_migration_is_one_line(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "db", "upgrade").returncode == 0
    with sqlite3.connect(tmp_path / "data" / "chipwire.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffff'")
    result = run_cli(tmp_path, "db", "upgrade")
    assert_one_line_error(result, "revision ffffffff", "does not have")
    result = run_cli(tmp_path, "companies")
    assert_one_line_error(result, "revision ffffffff")


def test_unmigrated_store_is_one_line(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "companies")
    assert_one_line_error(result, "not initialised", "chipwire db upgrade")


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    write(tmp_path / "chipwire.toml", 'colour = "blue"\n')
    result = run_cli(tmp_path, "--debug", "config")
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "ConfigError" in result.stderr


def test_scrapy_list_works_from_the_checkout() -> None:
    scrapy = Path(sys.executable).with_name("scrapy")
    result = subprocess.run(
        [str(scrapy), "list"], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr


def test_max_rows_cut_is_said_on_stderr(tmp_path: Path) -> None:
    env = {"CHIPWIRE_DATA_DIR": str(tmp_path / "data")}
    for command in (("db", "upgrade"), ("db", "seed")):
        assert invoke(*command, env=env).exit_code == 0
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "chipwire.pipeline",
            "sql",
            "--csv",
            "--max-rows",
            "2",
            "SELECT slug FROM company ORDER BY slug",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3  # header and two rows: clean CSV
    assert "stopped at --max-rows 2" in result.stderr


def test_an_error_message_keeps_its_brackets(tmp_path: Path) -> None:
    env = {
        "CHIPWIRE_DATA_DIR": str(tmp_path / "data"),
        "CHIPWIRE_DATABASE_URL": "nosuchdb+driver://x/y",
    }
    result = subprocess.run(
        [sys.executable, "-m", "chipwire.pipeline", "db", "upgrade"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert result.returncode == 1
    assert "chipwire[postgres]" in result.stderr
