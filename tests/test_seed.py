"""Seeding the registry is an idempotent sync on both back-ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from chipwire.models import Company, CompanyAlias, JobRun, Product
from chipwire.pipeline.config import DEFAULT_REGISTRY, Settings
from chipwire.pipeline.errors import RegistryError, StoreError
from chipwire.pipeline.jobs import seed_job
from chipwire.pipeline.registry import load_registry
from chipwire.pipeline.seed import seed_registry
from tests.conftest import write
from tests.test_registry import GROQ, NVIDIA, registry_text

TABLES = ("company", "company_alias", "product")


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            table: [
                tuple(row) for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))
            ]
            for table in TABLES
        }


def seed(engine: Engine, path: Path):
    with Session(engine) as session, session.begin():
        return seed_registry(session, load_registry(path))


def test_seeding_twice_leaves_the_same_rows(engine: Engine) -> None:
    first = seed(engine, DEFAULT_REGISTRY)
    rows = snapshot(engine)
    second = seed(engine, DEFAULT_REGISTRY)
    assert snapshot(engine) == rows
    registry = load_registry(DEFAULT_REGISTRY)
    assert first.companies_added == len(registry.companies) == len(rows["company"])
    assert second.companies_added == second.companies_updated == 0
    assert second.aliases_added == second.aliases_removed == second.aliases_changed == 0
    assert second.products_added == second.products_removed == second.products_changed == 0


def test_seed_links_aliases_and_products_to_companies(engine: Engine) -> None:
    seed(engine, DEFAULT_REGISTRY)
    with Session(engine) as session:
        owner = session.scalar(
            select(Company.name).join(CompanyAlias).where(CompanyAlias.alias_key == "aws")
        )
        assert owner == "Amazon"
        product = session.execute(
            select(Company.name, Product.family).join(Product).where(Product.name_key == "ironwood")
        ).one()
        assert tuple(product) == ("Google", "TPU")


def test_a_bought_company_points_at_its_parent_and_can_change_hands(
    engine: Engine, tmp_path: Path
) -> None:
    """An analyst rolls a group up with one self-join; a sale moves the row, a re-seed
    changes nothing."""
    bought = """  - slug: lumen-labs
    name: Lumen Labs
    parent: nvidia
    kind: chip_designer
"""
    seed(engine, write(tmp_path / "a.yaml", registry_text(GROQ, NVIDIA, bought)))
    query = text(
        "SELECT child.name, parent.name FROM company AS child "
        "LEFT JOIN company AS parent ON parent.id = child.parent_id ORDER BY child.name"
    )
    with engine.connect() as connection:
        assert [tuple(r) for r in connection.execute(query)] == [
            ("Groq", None),
            ("Lumen Labs", "Nvidia"),
            ("Nvidia", None),
        ]
    sold = seed(
        engine,
        write(tmp_path / "b.yaml", registry_text(GROQ, NVIDIA, bought.replace("nvidia", "groq"))),
    )
    assert sold.companies_updated == 1
    with engine.connect() as connection:
        assert ("Lumen Labs", "Groq") in [tuple(r) for r in connection.execute(query)]
    again = seed(
        engine,
        write(tmp_path / "c.yaml", registry_text(GROQ, NVIDIA, bought.replace("nvidia", "groq"))),
    )
    assert again.companies_updated == again.companies_added == 0


def test_changed_registry_updates_in_place_and_syncs_aliases(
    engine: Engine, tmp_path: Path
) -> None:
    path = write(tmp_path / "r.yaml", registry_text(GROQ, NVIDIA))
    seed(engine, path)
    before = snapshot(engine)
    changed = NVIDIA.replace("[NVIDIA Corporation]", "[NVIDIA Corp.]").replace(
        "kind: chip_designer", "kind: chip_designer\n    country: US"
    )
    counts = seed(engine, write(path, registry_text(GROQ, changed)))
    assert (counts.companies_added, counts.companies_updated) == (0, 1)
    assert (counts.aliases_added, counts.aliases_removed) == (1, 1)
    with Session(engine) as session:
        nvidia = session.scalars(select(Company).where(Company.slug == "nvidia")).one()
        assert nvidia.country == "US"
        assert nvidia.id == before["company"][1][0]  # same row, not a new one
        aliases = set(
            session.scalars(select(CompanyAlias.alias).where(CompanyAlias.company_id == nvidia.id))
        )
        assert aliases == {"Nvidia", "NVIDIA Corp."}


def test_alias_moving_between_companies_is_reassigned(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "r.yaml", registry_text(GROQ, NVIDIA))
    seed(engine, path)
    moved_groq = GROQ.replace("[Groq Inc]", "[]")
    moved_nvidia = NVIDIA.replace("[NVIDIA Corporation]", "[NVIDIA Corporation, Groq Inc]")
    seed(engine, write(path, registry_text(moved_groq, moved_nvidia)))
    with Session(engine) as session:
        owner = session.scalar(
            select(Company.slug).join(CompanyAlias).where(CompanyAlias.alias_key == "groq inc")
        )
    assert owner == "nvidia"


def test_duplicate_alias_is_rejected_and_store_unchanged(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "r.yaml", registry_text(GROQ, NVIDIA))
    seed(engine, path)
    before = snapshot(engine)
    clash = NVIDIA.replace("[NVIDIA Corporation]", "[NVIDIA Corporation, Groq]")
    with pytest.raises(RegistryError, match="'Groq' is claimed by both 'groq' and 'nvidia'"):
        seed(engine, write(path, registry_text(GROQ, clash)))
    assert snapshot(engine) == before


def test_duplicate_alias_is_also_refused_by_the_store(engine: Engine) -> None:
    """The unique alias key guards the table even against writers that skip validation."""
    seed(engine, DEFAULT_REGISTRY)
    from sqlalchemy.exc import IntegrityError

    with Session(engine) as session, pytest.raises(IntegrityError):
        nvidia = session.scalars(select(Company).where(Company.slug == "nvidia")).one()
        session.add(CompanyAlias(company_id=nvidia.id, alias="Groq", alias_key="groq"))
        session.flush()


def test_seed_job_records_job_run(settings: Settings, engine: Engine) -> None:
    seed_job(settings)
    seed_job(settings)
    with Session(engine) as session:
        runs = session.scalars(select(JobRun).order_by(JobRun.id)).all()
    assert [run.status for run in runs] == ["succeeded", "succeeded"]
    assert runs[0].counts["companies_added"] > 60
    assert runs[1].counts["companies_added"] == 0
    assert runs[1].finished_at >= runs[1].started_at


def test_seed_job_refuses_an_unmigrated_store(settings: Settings) -> None:
    with pytest.raises(StoreError, match="not initialised; run `chipwire db upgrade`"):
        seed_job(settings)
