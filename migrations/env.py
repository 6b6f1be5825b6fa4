"""Alembic environment: the URL comes from chipwire's settings, the schema from models/."""

from __future__ import annotations

from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from chipwire.models import Base, UTCDateTime
from chipwire.models.base import autogenerate_includes
from chipwire.pipeline.config import load_settings
from chipwire.pipeline.db import make_engine

target_metadata = Base.metadata


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render chipwire's Python-side types as plain SQL types in migration files.

    Migrations must not import models: a later change to a model would silently
    change what an old migration creates.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds tables
        compare_type=True,
        render_item=_render_item,
        include_object=autogenerate_includes,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=load_settings().url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    engine = make_engine(load_settings().url)
    with engine.begin() as own_connection:
        _configure_and_run(own_connection)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
