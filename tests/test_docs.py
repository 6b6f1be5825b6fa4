"""docs/schema.md documents every table and column, and its example queries run."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from chipwire.models import Base
from chipwire.pipeline.config import DEFAULT_REGISTRY, Settings
from chipwire.pipeline.registry import load_registry
from chipwire.pipeline.seed import seed_registry
from chipwire.pipeline.sqlquery import run_readonly
from tests.conftest import REPO

SCHEMA_DOC = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```sql\n(.*?)```", SCHEMA_DOC, flags=re.DOTALL)


def section(table: str) -> str:
    match = re.search(rf"^### `{table}`\n(.*?)(?=^### |^## |\Z)", SCHEMA_DOC, re.M | re.S)
    assert match, f"docs/schema.md has no section for table {table}"
    return match.group(1)


@pytest.mark.parametrize("table", sorted(Base.metadata.tables))
def test_every_table_and_column_is_documented(table: str) -> None:
    text = section(table)
    documented = set(re.findall(r"^\| `(\w+)` \|", text, flags=re.M))
    assert documented == set(Base.metadata.tables[table].columns.keys())


def test_there_are_examples_for_the_main_questions() -> None:
    assert len(EXAMPLES) >= 8
    for table in ("company", "deal", "benchmark", "price_bar", "mention", "job_run"):
        assert any(table in example for example in EXAMPLES), table


def test_example_queries_run(settings: Settings, engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        seed_registry(session, load_registry(DEFAULT_REGISTRY))
    results = [run_readonly(settings.url, example) for example in EXAMPLES]
    assert results[0].rows, "the first example lists public chip designers"
    aliases = next(r for r in results if "alias" in r.columns)
    assert {row[1] for row in aliases.rows} == {"Amazon", "Intel", "Google"}
