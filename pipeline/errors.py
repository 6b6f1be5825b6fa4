"""Errors that the CLI reports as one line, without a traceback.

Anything raised as a :class:`ChipwireError` is an expected problem with the
user's input or environment (a bad file, an unreachable database); everything
else is a bug and keeps its traceback.
"""


class ChipwireError(Exception):
    """An expected failure whose message names the file, key, URL or row at fault."""


class ConfigError(ChipwireError):
    """Invalid or unreadable configuration."""


class RegistryError(ChipwireError):
    """The company registry file is malformed or inconsistent."""


class StoreError(ChipwireError):
    """The SQL store is unreachable, not migrated, or refused an operation."""


class ReadOnlyError(StoreError):
    """A statement tried to change data through the read-only SQL command."""


def first_line(exc: BaseException) -> str:
    """The driver's own message (``exc.orig`` for SQLAlchemy errors), first line only."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
