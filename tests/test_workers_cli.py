"""The scale-out commands without a broker: a clear message, and everything else in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import invoke, run_cli


def test_worker_without_a_broker_says_how_to_configure_one(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "worker")
    assert result.returncode == 1
    assert "no broker configured" in result.stderr
    assert "broker_url" in result.stderr and "Traceback" not in result.stderr


def test_enqueue_without_a_broker_fails_the_same_way(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "enqueue", "extract")
    assert result.returncode == 1
    assert "no broker configured" in result.stderr


def test_worker_refuses_an_unknown_queue(tmp_path: Path) -> None:
    result = run_cli(
        tmp_path, "worker", "--queues", "extract,crawlz", env={"CHIPWIRE_BROKER_URL": "redis://x"}
    )
    assert result.returncode == 2
    assert "crawlz" in result.stderr


def test_enqueue_refuses_an_unknown_stage(tmp_path: Path) -> None:
    result = run_cli(
        tmp_path, "enqueue", "dance", env={"CHIPWIRE_BROKER_URL": "redis://127.0.0.1:9/0"}
    )
    assert result.returncode == 1
    assert "unknown stage 'dance'" in result.stderr


def test_status_without_a_broker_reads_the_store_only() -> None:
    assert invoke("db", "upgrade").exit_code == 0
    result = invoke("status", "--json")
    assert result.exit_code == 0
    assert '"broker": null' in result.output
    shown = invoke("status")
    assert "broker" not in shown.output and "worker" not in shown.output


@pytest.mark.parametrize(("queues", "built"), [("extract", True), ("crawl,market", False)])
def test_an_extract_worker_builds_its_pipeline_before_taking_tasks(
    monkeypatch: pytest.MonkeyPatch, queues: str, built: bool
) -> None:
    """Built in the worker's main process, the pipeline is inherited by the forked pool
    processes; a worker that never extracts does not pay for it."""
    from celery import Celery

    from chipwire.pipeline import jobs

    assert invoke("db", "upgrade").exit_code == 0
    monkeypatch.setattr(jobs, "_nlp_cache", {})
    seen: dict[str, object] = {}

    def worker_main(self: Celery, argv: list[str]) -> None:  # the worker would start here
        seen["argv"], seen["pipelines"] = argv, len(jobs._nlp_cache)

    monkeypatch.setattr(Celery, "worker_main", worker_main)
    result = invoke("worker", "--queues", queues, env={"CHIPWIRE_BROKER_URL": "redis://x:1/0"})
    assert result.exit_code == 0, result.output
    assert f"--queues={queues}" in seen["argv"]  # type: ignore[operator]
    assert seen["pipelines"] == int(built)
