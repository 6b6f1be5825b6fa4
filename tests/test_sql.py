"""`chipwire sql` reads but never writes, on both back-ends."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from chipwire.pipeline.config import DEFAULT_REGISTRY, Settings
from chipwire.pipeline.errors import ReadOnlyError, StoreError
from chipwire.pipeline.registry import load_registry
from chipwire.pipeline.seed import seed_registry
from chipwire.pipeline.sqlquery import first_keyword, run_readonly


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    with Session(engine) as session, session.begin():
        seed_registry(session, load_registry(DEFAULT_REGISTRY))
    return engine


def fingerprint(engine: Engine) -> tuple:
    with engine.connect() as connection:
        return (
            connection.execute(text("SELECT count(*) FROM company")).scalar_one(),
            connection.execute(text("SELECT name FROM company WHERE slug = 'groq'")).scalar_one(),
            connection.execute(text("SELECT count(*) FROM company_alias")).scalar_one(),
        )


def test_select_returns_columns_and_rows(settings: Settings, seeded: Engine) -> None:
    result = run_readonly(
        settings.url,
        "SELECT slug, symbol FROM company WHERE slug IN ('nvidia', 'groq') ORDER BY slug",
    )
    assert result.columns == ["slug", "symbol"]
    assert result.rows == [("groq", None), ("nvidia", "NVDA")]


def test_cte_and_max_rows(settings: Settings, seeded: Engine) -> None:
    query = "WITH c AS (SELECT name FROM company ORDER BY name) SELECT name FROM c"
    assert len(run_readonly(settings.url, query, max_rows=3).rows) == 3


WRITES = [
    "INSERT INTO company (slug, name, kind) VALUES ('x', 'X', 'cloud')",
    "UPDATE company SET name = 'Hacked' WHERE slug = 'groq'",
    "DELETE FROM company_alias",
    "DROP TABLE company_alias",
    "  -- sneaky\n delete from company_alias",
]


@pytest.mark.parametrize("statement", WRITES)
def test_writes_are_refused_and_data_unchanged(
    settings: Settings, seeded: Engine, statement: str
) -> None:
    before = fingerprint(seeded)
    with pytest.raises(ReadOnlyError, match="read-only"):
        run_readonly(settings.url, statement)
    assert fingerprint(seeded) == before


@pytest.mark.parametrize(
    "statement",
    [
        # Writes hidden behind a read keyword reach the database, which refuses them.
        "WITH gone AS (DELETE FROM company_alias RETURNING 1) SELECT count(*) FROM gone",
        "SELECT 1; DELETE FROM company_alias",
        "SELECT 1; SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; COMMIT; "
        "DELETE FROM company_alias",
        "EXPLAIN ANALYZE DELETE FROM company_alias",
        "PRAGMA query_only = OFF",
    ],
)
def test_disguised_writes_are_stopped_by_the_database(
    settings: Settings, seeded: Engine, statement: str
) -> None:
    before = fingerprint(seeded)
    with pytest.raises(StoreError):
        run_readonly(settings.url, statement)
        # PRAGMA query_only=OFF is harmless on its own connection; prove no write follows.
        run_readonly(settings.url, "DELETE FROM company_alias")
    assert fingerprint(seeded) == before


def test_query_errors_name_the_problem(settings: Settings, seeded: Engine) -> None:
    with pytest.raises(StoreError, match=r"query failed: .*no_such_table"):
        run_readonly(settings.url, "SELECT * FROM no_such_table")


def test_missing_sqlite_store_is_named(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'absent.db'}"
    with pytest.raises(StoreError, match=r"absent\.db: no store here yet"):
        run_readonly(url, "SELECT 1")
    assert not (tmp_path / "absent.db").exists()


@pytest.mark.parametrize(
    ("sql", "keyword"),
    [
        ("select 1", "select"),
        ("/* c */ (SELECT 1)", "select"),
        ("-- a\n-- b\nWITH x AS (SELECT 1) SELECT * FROM x", "with"),
        ("   Insert into t values (1)", "insert"),
        ("", ""),
    ],
)
def test_first_keyword_skips_comments_and_parentheses(sql: str, keyword: str) -> None:
    assert first_keyword(sql) == keyword


def test_max_rows_says_when_it_cut_the_result(settings: Settings, seeded: Engine) -> None:
    query = "SELECT slug FROM company ORDER BY slug"
    cut = run_readonly(settings.url, query, max_rows=2)
    assert len(cut.rows) == 2 and cut.truncated
    whole = run_readonly(settings.url, "SELECT slug FROM company WHERE slug = 'groq'", max_rows=2)
    assert len(whole.rows) == 1 and not whole.truncated


@pytest.mark.parametrize("typo", ["SELEC name FROM company", "slect 1", "FROM company"])
def test_a_typo_is_not_called_a_write(settings: Settings, seeded: Engine, typo: str) -> None:
    with pytest.raises(StoreError, match="does not start a query") as raised:
        run_readonly(settings.url, typo)
    assert not isinstance(raised.value, ReadOnlyError)
    assert "change data" not in str(raised.value)
