"""Shared fixtures: an isolated environment and a fresh store on SQLite and PostgreSQL.

PostgreSQL tests use a throwaway database per test, created on the server named
by CHIPWIRE_TEST_POSTGRES_URL; without that variable they skip (CI sets it and
CHIPWIRE_REQUIRE_POSTGRES=1, which turns a skip into a failure).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from chipwire.pipeline.config import Settings, load_settings
from chipwire.pipeline.db import make_engine, upgrade

PG_ENV = "CHIPWIRE_TEST_POSTGRES_URL"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No developer settings leak in: CHIPWIRE_* cleared, cwd is a fresh directory."""
    for key in list(os.environ):
        keep = (PG_ENV, "CHIPWIRE_REQUIRE_POSTGRES", "CHIPWIRE_CHROMIUM", "CHIPWIRE_TEST_ARTIFACTS")
        if key.startswith("CHIPWIRE_") and key not in keep:
            monkeypatch.delenv(key)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        reason = (
            f"PostgreSQL tests skipped: set {PG_ENV}=postgresql+psycopg://user@host:5432/db "
            "(.ci/run sets it)"
        )
        if os.environ.get("CHIPWIRE_REQUIRE_POSTGRES"):
            pytest.fail(reason.replace("skipped", "required"))
        pytest.skip(reason)
    return url


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """URL of a brand-new, empty PostgreSQL database, dropped after the test."""
    name = f"chipwire_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_server_url).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store on each back-end."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'chipwire.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def settings(store_url: str, tmp_path: Path) -> Settings:
    return load_settings(database_url=store_url, data_dir=tmp_path / "data")


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """A store migrated to head."""
    engine = make_engine(settings.url)
    upgrade(engine)
    yield engine
    engine.dispose()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def extract() -> Callable[[str], list[Any]]:
    """The deal rules over one text, with the bundled registry (one pipeline per session)."""
    from chipwire.pipeline.extract.deals import extract_deals
    from chipwire.pipeline.extract.nlp import build_nlp

    nlp = build_nlp()
    index = nlp.get_pipe("chipwire_companies").index  # type: ignore[attr-defined]

    def run(text: str) -> list[Any]:
        return extract_deals(nlp(text), index)

    return run
