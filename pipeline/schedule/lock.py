"""One scheduler per store: two would run every job twice and race on the same rows.

PostgreSQL: a session-level advisory lock, held on a dedicated connection named after its
holder (``application_name``); the server drops it when the holder's connection dies, so a
crashed scheduler never blocks the next one.  SQLite: an exclusive ``flock`` on a lock file
beside the database, whose content names the holder (pid, host, since); the kernel drops
the lock when the holder's process dies, and the next scheduler takes the file over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import socket
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from chipwire.pipeline.errors import ChipwireError

# pg_try_advisory_lock(classid, objid): 'CHPW' and the scheduler's number among our locks
_PG_KEY = (0x43485057, 1)


class SchedulerLocked(ChipwireError):
    """Another scheduler holds this store."""


def holder_label() -> str:
    return f"chipwire scheduler pid {os.getpid()} on {socket.gethostname()}"


class SchedulerLock:
    """Acquire on start, release on stop; ``holder()`` names whoever holds it now."""

    def __init__(self, engine: Engine, data_dir: Path) -> None:
        self.engine = engine
        self.backend = engine.dialect.name
        if self.backend not in ("postgresql", "sqlite"):
            raise ChipwireError(
                f"the scheduler lock supports PostgreSQL and SQLite, not {self.backend}"
            )
        self.path = _lock_path(engine, data_dir)
        self._connection: Connection | None = None
        self._file: IO[str] | None = None

    # -- acquiring ------------------------------------------------------------------------

    def acquire(self) -> None:
        if self.backend == "postgresql":
            self._acquire_pg()
        else:
            self._acquire_file()

    def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # a dead connection has released it already
                self._connection.execute(text("SELECT pg_advisory_unlock(:a, :b)"), _pg_args())
                self._connection.commit()
            self._connection.close()
            self._connection = None
        if self._file is not None:
            self._file.truncate(0)
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def _acquire_pg(self) -> None:
        connection = self.engine.connect()
        connection.execute(
            text("SELECT set_config('application_name', :n, false)"), {"n": holder_label()}
        )
        got = connection.scalar(text("SELECT pg_try_advisory_lock(:a, :b)"), _pg_args())
        connection.commit()
        if not got:
            connection.close()
            raise SchedulerLocked(
                f"another scheduler runs on this store: {self.holder() or 'unknown holder'}"
            )
        self._connection = connection

    def _acquire_file(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise SchedulerLocked(
                f"another scheduler runs on this store: {self.holder() or 'unknown holder'} "
                f"(lock file {self.path})"
            ) from None
        # the lock is ours: whatever the file said was a holder that is gone
        handle.seek(0)
        handle.truncate(0)
        json.dump(_me(), handle)
        handle.flush()
        self._file = handle

    # -- who holds it -----------------------------------------------------------------------

    def holder(self) -> str | None:
        """The current holder, described; None when no scheduler holds the store."""
        if self.backend == "postgresql":
            return self._pg_holder()
        return self._file_holder()

    def _pg_holder(self) -> str | None:
        query = text(
            "SELECT a.application_name, a.client_addr, a.backend_start FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
            "AND l.classid = :a AND l.objid = :b AND l.objsubid = 2 AND l.granted"
        )
        with self.engine.connect() as connection:
            row = connection.execute(query, _pg_args()).first()
        if row is None:
            return None
        name, address, since = row
        where = f" from {address}" if address else ""
        return f"{name or 'a session'}{where}, since {since:%Y-%m-%d %H:%M:%S %Z}"

    def _file_holder(self) -> str | None:
        if not self.path.exists():
            return None
        with self.path.open("r", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                pass  # held: read who holds it
            else:
                fcntl.flock(handle, fcntl.LOCK_UN)
                return None  # nobody holds it; the content is a gone holder's
            try:
                data: dict[str, Any] = json.loads(handle.read() or "{}")
            except json.JSONDecodeError:
                data = {}
        if not data:
            return "a scheduler (lock file being written)"
        pid, host, since = data.get("pid"), data.get("host"), data.get("since")
        return f"chipwire scheduler pid {pid} on {host}, since {since}"


def _pg_args() -> dict[str, int]:
    return {"a": _PG_KEY[0], "b": _PG_KEY[1]}


def _me() -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def _lock_path(engine: Engine, data_dir: Path) -> Path:
    """Beside the database file (one lock per store); in the data directory for ``:memory:``."""
    database = make_url(str(engine.url)).database if engine.dialect.name == "sqlite" else None
    if database and database != ":memory:":
        return Path(database).resolve().with_name(Path(database).name + ".scheduler.lock")
    return data_dir / "scheduler.lock"
