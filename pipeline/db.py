"""Engines, sessions and schema migrations of the SQL store.

Callers own their sessions (``with factory.begin() as session:``); nothing here
commits on anyone's behalf.  Connection problems are turned into
:class:`StoreError` messages that name the (password-masked) URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from chipwire.pipeline.config import PACKAGE_ROOT, Settings, mask_url
from chipwire.pipeline.errors import StoreError, first_line

MIGRATIONS_DIR = PACKAGE_ROOT / "migrations"


def _sqlite_path(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite ignores FOREIGN KEY clauses unless asked per connection.
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL: analysts can read (chipwire sql) while a crawl writes. synchronous=NORMAL in WAL
    # mode keeps every commit safe from a crashed or killed process (only a power cut can
    # lose the last commits) and spares a disk sync per article.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def pool_options(settings: Settings) -> dict[str, int]:
    """Connection-pool sizes for a server store (PostgreSQL): a team runs many processes
    against one server, whose ``max_connections`` they share (docs/scaling.md)."""
    return {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout,
        "pool_recycle": settings.db_pool_recycle,
    }


def make_engine(url: str, *, create_dir: bool = True, pool: dict[str, int] | None = None) -> Engine:
    """Engine for ``url``; for SQLite, creates the file's directory on first use.  ``pool``
    sizes a server store's connection pool (SQLite keeps its own, one file, no server)."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError or ValueError
        raise StoreError(f"not a database URL: {url!r}") from exc
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_path(parsed)
        if path is not None and create_dir:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{path.parent}: cannot create data directory: {exc}") from exc
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
        kwargs.update(pool or {})
        if parsed.get_backend_name() == "postgresql":
            # Fail fast on an unreachable server instead of hanging a scheduled job.
            kwargs["connect_args"] = {"connect_timeout": 10}
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(
            f"{mask_url(url)}: no driver for this database ({exc}); "
            "for PostgreSQL install chipwire[postgres]"
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _configure_sqlite)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Session factory whose objects stay readable after commit (reports read them later)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def store_errors(engine: Engine) -> Iterator[None]:
    """Turn driver errors into a StoreError naming the database URL."""
    try:
        yield
    except DBAPIError as exc:
        raise StoreError(f"{_display(engine)}: {first_line(exc)}") from exc


def _display(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configuration that works from a checkout and from an installed package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration shipped with this version of chipwire."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the baseline always exists
        raise StoreError(f"{MIGRATIONS_DIR}: no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    """Revision the database is at; None for an empty (never migrated) database."""
    with store_errors(engine), engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate the store to ``revision``; safe to repeat. Returns (before, after)."""
    before = current_revision(engine)
    _check_known(before, engine)
    with store_errors(engine), engine.begin() as connection:
        try:
            command.upgrade(alembic_config(connection), revision)
        except CommandError as exc:
            raise StoreError(f"{_display(engine)}: migration failed: {exc}") from exc
    return before, current_revision(engine)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the store down to ``revision`` (``base`` empties it)."""
    with store_errors(engine), engine.begin() as connection:
        try:
            command.downgrade(alembic_config(connection), revision)
        except CommandError as exc:
            raise StoreError(f"{_display(engine)}: migration failed: {exc}") from exc


def _check_known(revision: str | None, engine: Engine) -> None:
    if revision is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    try:
        script.get_revision(revision)
    except CommandError as exc:
        raise StoreError(
            f"{_display(engine)}: database is at revision {revision}, which this version of "
            f"chipwire does not have in {MIGRATIONS_DIR} (a newer chipwire migrated it?)"
        ) from exc


def require_current(engine: Engine) -> None:
    """Refuse to work on a store that is not migrated to this code's head revision."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    _check_known(current, engine)
    if current is None:
        raise StoreError(
            f"{_display(engine)}: store is not initialised; run `chipwire db upgrade` first"
        )
    raise StoreError(
        f"{_display(engine)}: store is at revision {current}, code expects {head}; "
        "run `chipwire db upgrade`"
    )


def open_store(settings: Settings) -> Engine:
    """Engine of a store that is migrated to this code's schema, or a StoreError saying why not.

    Every stage and job opens the store here, so none works on a half-migrated schema.
    """
    engine = make_engine(settings.url, pool=pool_options(settings))
    require_current(engine)
    return engine
