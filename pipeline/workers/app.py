"""The Celery application: one queue per stage, tasks acknowledged only once done.

``acks_late`` + ``reject_on_worker_lost``: a task's message stays with the broker until
the task returns, and a worker process that dies mid-task (SIGKILL, out of memory) has
its message put back for another worker.  That is safe because every task is
idempotent: articles and prices are upserts on natural keys, and an extraction batch is
resumed by its claim (pipeline/extract/batches.py).  ``prefetch_multiplier=1``: a worker
holds one waiting task, not four, so a long crawl does not hide work others could do.
"""

from __future__ import annotations

from celery import Celery

from chipwire.pipeline.config import Settings
from chipwire.pipeline.errors import ConfigError

QUEUES = ("crawl", "extract", "market", "brief", "backfill")

# task name -> queue; the names are what the broker stores, so they never change
ROUTES = {
    "chipwire.crawl_source": "crawl",
    "chipwire.extract_batch": "extract",
    "chipwire.market_batch": "market",
    "chipwire.market_analyse": "market",
    "chipwire.brief": "brief",
    "chipwire.backfill_file": "backfill",
}


def broker(settings: Settings) -> str:
    if not settings.broker_url:
        raise ConfigError(
            "no broker configured: set broker_url (e.g. redis://127.0.0.1:6379/0) in "
            "chipwire.toml or $CHIPWIRE_BROKER_URL; see docs/scaling.md"
        )
    return settings.broker_url


def transport_options(settings: Settings) -> dict[str, int]:
    """Redis hands an unacknowledged task to another worker once ``visibility_timeout`` has
    passed (a worker host lost, not just one process).  kombu looks for such tasks only
    every 10 x 10 s by default; sweeping every tenth of the timeout (at most 10 s, one cheap
    sorted-set query) makes the redelivery follow the timeout.  RabbitMQ ignores these: it
    redelivers as soon as the dead worker's connection drops."""
    timeout = settings.task_visibility_timeout
    return {
        "visibility_timeout": timeout,
        "unacked_restore_interval": max(1, min(10, timeout // 10)),
        "unacked_restore_throttle": 1,
    }


def make_app(settings: Settings) -> Celery:
    """A Celery app for this installation's broker.  Senders need no task code (tasks are
    sent by name); a worker adds it with ``tasks.register``."""
    app = Celery("chipwire", broker=broker(settings), set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,  # outcomes live in job_run, where status reads them
        task_serializer="json",
        accept_content=["json"],
        task_routes={name: {"queue": queue} for name, queue in ROUTES.items()},
        task_default_queue="extract",
        broker_transport_options=transport_options(settings),
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,  # chipwire's own log file and format
        worker_send_task_events=False,
        timezone=settings.timezone,
    )
    return app
