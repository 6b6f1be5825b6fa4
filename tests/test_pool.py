"""Connection pools of a team store are sized by the settings; SQLite keeps its own."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool

from chipwire.pipeline.config import Settings, load_settings
from chipwire.pipeline.db import open_store


def test_the_pool_follows_the_settings(settings: Settings, engine: Engine, store_url: str) -> None:
    sized = load_settings(
        database_url=store_url,
        data_dir=settings.data_dir,
        db_pool_size=3,
        db_max_overflow=2,
        db_pool_timeout=7,
        db_pool_recycle=600,
    )
    opened = open_store(sized)
    try:
        pool = opened.pool
        if store_url.startswith("sqlite"):
            # one file, one writer: SQLAlchemy's own pool for SQLite, not the team sizes
            assert pool.size() != 3
            return
        assert isinstance(pool, QueuePool)
        assert (pool.size(), pool._max_overflow, pool._timeout, pool._recycle) == (3, 2, 7, 600)
    finally:
        opened.dispose()


@pytest.mark.parametrize("key", ["db_pool_size", "db_pool_timeout"])
def test_a_pool_setting_must_be_positive(key: str) -> None:
    from chipwire.pipeline.errors import ConfigError

    with pytest.raises(ConfigError, match=key):
        load_settings(**{key: 0})
