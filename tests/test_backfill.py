"""`chipwire backfill`: WARC records through the crawl's own pipelines into the store.

Backfills run in child processes (``isolated``), as a worker runs them: Scrapy's reactor
starts once per process, and the child runs the in-process path the command uses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import Engine, func, select

from chipwire.models import Article, JobRun
from chipwire.pipeline.config import Settings
from chipwire.pipeline.crawlproc import backfill_in_child
from chipwire.pipeline.jobs import backfill_job, seed_job
from chipwire.spiders.warc import WarcError, WarcTally, html_records, open_warc
from tests.test_cli import run_cli
from tests.warc_files import WarcBuilder, full_archive

# how many bytes of the last record an interrupted download loses
CUT = 300


@pytest.fixture
def seeded(settings: Settings, engine: Engine) -> Settings:
    seed_job(settings)
    return settings


def stored(engine: Engine) -> dict[str, int | None]:
    with engine.connect() as connection:
        return dict(connection.execute(select(Article.url, Article.duplicate_of_id)).all())


def file_runs(engine: Engine) -> list[JobRun]:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return list(
            session.scalars(
                select(JobRun)
                .where(JobRun.job == "backfill", JobRun.source_id.is_not(None))
                .order_by(JobRun.id)
            )
        )


def test_the_reader_keeps_html_responses_and_counts_the_rest(tmp_path: Path) -> None:
    path = full_archive().write(tmp_path / "news.warc.gz", cut=CUT)
    tally = WarcTally()
    with open_warc(str(path)) as stream:
        urls = [record.url for record in html_records(stream, str(path), tally)]
    assert urls == [
        "https://news.example.test/cerebras-cloud?utm_source=feed",
        "https://news.example.test/groq-europe",
        "https://news.example.test/rail",
        "https://partner.example.test/wire/groq-europe",
        "https://news.example.test/groq-europe",
    ]
    assert tally.records == 10  # warcinfo, request, 8 responses (the last one short)
    assert dict(tally.skipped) == {
        "not_response": 2,
        "not_html": 1,
        "http_status": 1,
        "truncated": 1,
    }
    assert tally.truncated_at is not None and tally.truncated_at > 0


def test_backfill_stores_the_right_articles_once(
    seeded: Settings, engine: Engine, tmp_path: Path
) -> None:
    path = full_archive().write(tmp_path / "news.warc.gz", cut=CUT)
    [result] = backfill_job(seeded, [str(path)], extract=False, isolated=True)

    articles = stored(engine)
    # canonical URLs (tracking parameter gone); off-topic, repeats and non-HTML left out;
    # the syndicated copy has the same text as the first: a duplicate, not stored
    assert sorted(articles) == [
        "https://news.example.test/cerebras-cloud",
        "https://news.example.test/groq-europe",
    ]
    assert result.status == "partial"
    assert "truncated record at byte" in (result.error or "") and str(path) in result.error
    counts = result.counts
    assert counts["stored"] == 2
    assert counts["dropped"] == {"off_topic": 1, "duplicate_content": 1, "duplicate_url": 1}
    assert counts["warc"]["records"] == 10 and counts["warc"]["html"] == 5
    [run] = file_runs(engine)
    assert run.counts["file"] == str(path) and run.status == "partial"


def test_a_second_run_of_the_same_file_adds_nothing(
    seeded: Settings, engine: Engine, tmp_path: Path
) -> None:
    path = full_archive().write(tmp_path / "news.warc.gz")
    backfill_job(seeded, [str(path)], isolated=True)
    first = stored(engine)
    [again] = backfill_job(seeded, [str(path)], isolated=True)
    assert stored(engine) == first and len(first) == 3  # d-Matrix's record is whole here
    assert again.counts["stored"] == 0
    # every record whose URL is stored (the repeated one too) is not even parsed again
    assert again.counts["skipped_known"] == 4
    assert again.status == "succeeded"
    with engine.connect() as connection:
        extracted = connection.scalar(select(func.count()).where(Article.extracted_at.is_not(None)))
    assert extracted == 3  # the backfill ran extraction after storing


def test_a_warc_served_over_http_is_read_as_it_downloads(
    seeded: Settings, engine: Engine, tmp_path: Path, httpserver: HTTPServer
) -> None:
    data = WarcBuilder().story("https://news.example.test/groq-europe", "groq-europe")
    body = data.write(tmp_path / "one.warc.gz").read_bytes()
    httpserver.expect_request("/crawl-data/one.warc.gz").respond_with_data(
        body, content_type="application/octet-stream"
    )
    httpserver.expect_request("/crawl-data/missing.warc.gz").respond_with_data("no", status=404)
    url = httpserver.url_for("/crawl-data/one.warc.gz")
    missing = httpserver.url_for("/crawl-data/missing.warc.gz")
    results = backfill_job(seeded, [url, missing], extract=False, isolated=True)
    assert [(r.status, r.counts.get("stored")) for r in results] == [
        ("succeeded", 1),
        ("failed", 0),
    ]
    assert "HTTP 404" in (results[1].error or "") and missing in results[1].error
    assert list(stored(engine)) == ["https://news.example.test/groq-europe"]


def test_unreadable_files_fail_alone_and_are_named(
    seeded: Settings, engine: Engine, tmp_path: Path
) -> None:
    good = WarcBuilder().story("https://news.example.test/groq-europe", "groq-europe")
    paths = [
        str(tmp_path / "absent.warc.gz"),
        str(tmp_path / "notes.txt"),
        str(good.write(tmp_path / "good.warc")),
    ]
    (tmp_path / "notes.txt").write_text("these are not archived responses\n")
    results = backfill_job(seeded, paths, extract=False, isolated=True)
    assert [r.status for r in results] == ["failed", "failed", "succeeded"]
    assert "absent.warc.gz: cannot open" in (results[0].error or "")
    assert "notes.txt: not a WARC file" in (results[1].error or "")
    assert len(stored(engine)) == 1


def test_an_empty_file_is_not_a_silent_success(tmp_path: Path) -> None:
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    with pytest.raises(WarcError, match="not a WARC file"), open_warc(str(empty)) as stream:
        list(html_records(stream, str(empty), WarcTally()))


def test_the_child_process_variant_a_worker_runs(
    seeded: Settings, engine: Engine, tmp_path: Path
) -> None:
    path = full_archive().write(tmp_path / "news.warc.gz", cut=CUT)
    [outcome] = backfill_in_child(seeded, [str(path)], timeout=300)
    assert outcome.source == str(path)
    assert outcome.status == "partial" and outcome.counts["stored"] == 2
    assert len(stored(engine)) == 2


def test_the_command_prints_a_table_and_json(tmp_path: Path) -> None:
    path = full_archive().write(tmp_path / "news.warc.gz", cut=CUT)
    assert run_cli(tmp_path, "db", "upgrade").returncode == 0
    assert run_cli(tmp_path, "db", "seed").returncode == 0
    shown = run_cli(tmp_path, "backfill", str(path), "--no-extract")
    assert shown.returncode == 0, shown.stderr
    assert "partial" in shown.stdout and "truncated" in shown.stdout
    as_json = run_cli(tmp_path, "backfill", str(path), "--json", "--no-extract")
    [line] = as_json.stdout.splitlines()
    assert json.loads(line)["counts"]["skipped_known"] == 3  # two stories, one twice
    failed = run_cli(tmp_path, "backfill", str(tmp_path / "absent.warc"))
    assert failed.returncode == 1
    assert "absent.warc: cannot open" in failed.stderr
