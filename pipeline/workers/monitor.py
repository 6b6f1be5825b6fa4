"""What the broker knows: tasks waiting per queue and the workers alive, for ``chipwire status``.

Both answers are bounded in time (a dead broker or no worker must not hang ``status``)
and failures become a message rather than an exception: status reports, it never fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from celery import Celery

from chipwire.pipeline.workers.app import QUEUES


@dataclass
class BrokerView:
    """Queue depths (None: the queue was never declared) and live workers with their queues."""

    queues: dict[str, int | None] = field(default_factory=dict)
    workers: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"queues": self.queues, "workers": self.workers, "error": self.error}


def queue_depths(app: Celery) -> dict[str, int | None]:
    depths: dict[str, int | None] = {}
    with app.connection_for_read() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
        for name in QUEUES:
            channel = connection.channel()
            try:
                depths[name] = channel.queue_declare(queue=name, passive=True).message_count
            except Exception:  # not declared yet (no worker ever consumed it): nothing waits
                depths[name] = None
            finally:
                channel.close()
    return depths


def live_workers(app: Celery, timeout: float = 1.0) -> dict[str, list[str]]:
    """Workers that answered within ``timeout``, each with the queues it consumes."""
    answers = app.control.inspect(timeout=timeout).active_queues() or {}
    return {host: sorted(q["name"] for q in queues) for host, queues in sorted(answers.items())}


def broker_view(app: Celery) -> BrokerView:
    view = BrokerView()
    try:
        view.queues = queue_depths(app)
        view.workers = live_workers(app)
    except Exception as exc:  # any transport error: say it, status goes on
        view.error = f"broker unreachable: {type(exc).__name__}: {exc}"
    return view
