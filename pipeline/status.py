"""``chipwire status``: what state an unattended installation is in, from the store alone.

Per stage the last success and the last failure (with its error), runs in progress and
runs abandoned by a dead process; how fresh the data is; which scheduled jobs are overdue;
which sources have gone silent; and whether a scheduler holds the store.  Reading the
status first reaps this host's abandoned runs, so a killed job never shows as running.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from chipwire.models import Article, JobRun, PriceBar, Source, utcnow
from chipwire.pipeline.config import Settings
from chipwire.pipeline.db import open_store, session_factory, store_errors
from chipwire.pipeline.listing import list_sources
from chipwire.pipeline.runs import reap_abandoned
from chipwire.pipeline.schedule.lock import SchedulerLock
from chipwire.pipeline.schedule.plan import TASKS, last_due, planned_jobs
from chipwire.pipeline.schedule.service import stored_next_runs

STAGES = ("crawl", "extract", "market-refresh", "market-analyse", "brief", "backfill", "schedule")
# Jobs whose runs count for a stage: on workers, an extraction is a round of batch tasks.
STAGE_JOBS = {"extract": ("extract", "extract-round"), "backfill": ("backfill", "backfill-round")}
_LOOKBACK = dt.timedelta(days=14)  # covers a weekly cron's previous fire time


def gather_status(settings: Settings, *, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    engine = open_store(settings)
    factory = session_factory(engine)
    with store_errors(engine):
        with factory.begin() as session:
            abandoned = [_run(run) for run in reap_abandoned(session)]
        with factory() as session:
            stages = {stage: _stage(session, stage) for stage in STAGES}
            freshness = _freshness(session, now)
        status = {
            "now": _iso(now),
            "scheduler": _scheduler(engine, settings),
            "stages": stages,
            "overdue": _overdue(settings, stages, now),
            "freshness": freshness,
            "silent_sources": _silent_sources(engine, settings, now),
            "abandoned_now": abandoned,
            "broker": _broker(settings),
        }
    engine.dispose()
    return status


def _broker(settings: Settings) -> dict[str, Any] | None:
    """Queue depths and live workers, when the installation runs on workers."""
    if not settings.broker_url:
        return None
    from chipwire.pipeline.config import mask_url
    from chipwire.pipeline.workers.app import make_app
    from chipwire.pipeline.workers.monitor import broker_view

    app = make_app(settings)
    try:
        view = broker_view(app).as_dict()
    finally:
        app.close()
    return {"url": mask_url(settings.broker_url), **view}


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat(timespec="seconds")


def _run(run: JobRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "job": run.job,
        "status": run.status,
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
        "error": run.error,
        "pid": run.pid,
        "host": run.host,
        # a round of worker tasks: how many of its tasks are done
        "tasks": run.counts.get("tasks") if run.counts else None,
        "tasks_done": len(run.counts.get("done", [])) if run.counts else None,
    }


def _stage(session: Session, stage: str) -> dict[str, Any]:
    """A stage's whole runs (a crawl's per-source runs are the sources' business)."""
    jobs = STAGE_JOBS.get(stage, (stage,))
    runs = select(JobRun).where(JobRun.job.in_(jobs), JobRun.source_id.is_(None))

    def latest(*statuses: str) -> dict[str, Any] | None:
        row = session.scalars(
            runs.where(JobRun.status.in_(statuses)).order_by(JobRun.id.desc()).limit(1)
        ).first()
        return _run(row) if row is not None else None

    running = session.scalars(runs.where(JobRun.status == "running").order_by(JobRun.id)).all()
    return {
        "last_success": latest("succeeded", "partial"),
        "last_failure": latest("failed", "abandoned"),
        "running": [_run(row) for row in running],
    }


def _freshness(session: Session, now: dt.datetime) -> dict[str, Any]:
    newest = session.scalar(select(func.max(Article.fetched_at)))
    day_ago = now - dt.timedelta(days=1)
    return {
        "articles": session.scalar(select(func.count()).select_from(Article)) or 0,
        "newest_article_fetched": _iso(newest),
        "articles_last_24h": session.scalar(
            select(func.count()).select_from(Article).where(Article.fetched_at >= day_ago)
        )
        or 0,
        "newest_price_date": (
            d.isoformat() if (d := session.scalar(select(func.max(PriceBar.date)))) else None
        ),
    }


def _overdue(
    settings: Settings, stages: dict[str, dict[str, Any]], now: dt.datetime
) -> list[dict[str, Any]]:
    """Scheduled jobs whose last due time plus grace has passed with no run since."""
    late: list[dict[str, Any]] = []
    for job in planned_jobs(settings):
        due = last_due(job.trigger, now, _LOOKBACK)
        if due is None or now <= due + job.grace:
            continue
        stage = TASKS[job.id][0]
        success = stages[stage]["last_success"]
        if success is not None and dt.datetime.fromisoformat(success["started_at"]) >= due:
            continue
        late.append(
            {
                "job": job.id,
                "due": _iso(due),
                "last_success": success["finished_at"] if success else None,
            }
        )
    return late


def _silent_sources(engine: Engine, settings: Settings, now: dt.datetime) -> list[dict[str, Any]]:
    """Configured, enabled sources with nothing new for ``silent_after_days`` or whose last
    crawl failed."""
    from chipwire.spiders.sources import load_sources

    specs = list(load_sources(settings.sources_path))
    with Session(engine) as session:
        newest = dict(
            session.execute(
                select(Source.name, func.max(Article.fetched_at))
                .join(Article, Article.source_id == Source.id)
                .group_by(Source.name)
            ).all()
        )
        first_crawl = dict(
            session.execute(
                select(Source.name, func.min(JobRun.started_at))
                .join(JobRun, JobRun.source_id == Source.id)
                .group_by(Source.name)
            ).all()
        )
    cutoff = now - dt.timedelta(days=settings.silent_after_days)
    silent: list[dict[str, Any]] = []
    for row in list_sources(engine, specs):
        if not (row["configured"] and row["enabled"]):
            continue
        last_article = newest.get(row["name"])
        if last_article is not None and last_article.tzinfo is None:
            last_article = last_article.replace(tzinfo=dt.UTC)
        failing = row["status"] in ("failed", "abandoned")
        since = first_crawl.get(row["name"])
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=dt.UTC)
        # silent needs time: a source crawled for a day that has stored nothing yet (its
        # links all known through another source, say) has not gone quiet
        quiet = (last_article or since or now) < cutoff
        if row["status"] is not None and not failing and not quiet:
            continue
        if row["status"] is None:
            why = "never crawled"
        elif failing:
            why = f"last crawl {row['status']}: {row['last_error'] or 'no message'}"
        elif last_article is None:
            why = "no article stored yet"
        else:
            why = f"no new article for {(now - last_article).days} days"
        silent.append({"source": row["name"], "last_article": _iso(last_article), "why": why})
    return silent


def _scheduler(engine: Engine, settings: Settings) -> dict[str, Any]:
    holder = SchedulerLock(engine, settings.data_dir).holder()
    return {
        "holder": holder,
        "next_runs": {job: _iso(when) for job, when in stored_next_runs(engine).items()},
    }
