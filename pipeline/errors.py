"""Errors that the CLI reports as one line, without a traceback.

Anything raised as a :class:`ChipwireError` is an expected problem with the
user's input or environment (a bad file, an unreachable database); everything
else is a bug and keeps its traceback.
"""

from typing import Any


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


def validation_message(exc: Any) -> str:
    """A pydantic ValidationError as one line: where the first problem is, and what it is.

    pydantic's own first line ("1 validation error for Model") names neither.
    """
    errors = exc.errors() if hasattr(exc, "errors") else []
    if not errors:
        return first_line(exc)
    error = errors[0]
    where = ".".join(str(part) for part in error.get("loc", ())) or "(top level)"
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {message}{more}"
