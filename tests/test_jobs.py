"""Jobs: every one callable alike, as the scheduler and the workers will call them."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from chipwire.models import Company, JobRun
from chipwire.pipeline.config import Settings
from chipwire.pipeline.errors import StoreError
from chipwire.pipeline.jobs import JOBS, crawl_job
from tests.conftest import write
from tests.test_registry import GROQ, NVIDIA, registry_text


@pytest.mark.parametrize("name", sorted(JOBS))
def test_every_job_takes_settings_then_keyword_options_with_defaults(name: str) -> None:
    parameters = list(inspect.signature(JOBS[name]).parameters.values())
    assert parameters[0].name == "settings"
    assert parameters[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    for option in parameters[1:]:
        assert option.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}({option.name})"
        assert option.default is not inspect.Parameter.empty, f"{name}({option.name})"


def test_the_jobs_a_schedule_needs_are_named() -> None:
    assert {"seed", "crawl", "extract"} <= set(JOBS)


def test_seed_job_reads_the_registry_it_is_given(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    registry = write(tmp_path / "two.yaml", registry_text(GROQ, NVIDIA))
    counts = JOBS["seed"](settings, registry=registry)
    assert counts.companies_added == 2
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Company)) == 2
        run = session.scalars(select(JobRun)).one()
        assert (run.job, run.status) == ("seed", "succeeded")


def test_crawl_job_refuses_an_unmigrated_store_before_crawling(settings: Settings) -> None:
    with pytest.raises(StoreError, match="chipwire db upgrade"):
        crawl_job(settings, names=["anything"])
