"""Helpers for the scale-out tests: a Redis broker per test, generated articles, worker
processes started the way an operator starts them (``chipwire worker``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import random
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert

from chipwire.models import Article
from chipwire.pipeline.config import Settings, settings_env

REDIS_ENV = "CHIPWIRE_TEST_REDIS_URL"
DEFAULT_REDIS = "redis://127.0.0.1:6379"

COMPANIES = ["Groq", "Cerebras", "SambaNova", "Etched", "d-Matrix", "Nvidia", "AMD", "Intel"]
BUYERS = ["Microsoft", "Meta", "Amazon", "Google", "Oracle"]
TEMPLATES = [
    "{a} said on {day} that it signed a multi-year agreement to supply inference "
    "accelerators to {b}, in a deal analysts valued at ${n} million.",
    "{b} invested ${n} million in {a} as part of a funding round that values the chip "
    "start-up at ${m} billion.",
    "In a benchmark published by the company, {a} hardware ran Llama 3.1 70B at {n} "
    "tokens per second per user.",
    "Executives from {a} and {b} did not comment on the report about pricing of the parts.",
    "The market for inference silicon is expected to keep growing as data-centre operators "
    "look for cheaper ways to serve large language models to customers.",
    "Supply of high-bandwidth memory remains tight, according to people familiar with the "
    "matter, and lead times for packaging capacity stretched into next year.",
]


def redis_server() -> str:
    """The test Redis server's URL, or a skip (a failure in CI) naming how to get one."""
    url = os.environ.get(REDIS_ENV, DEFAULT_REDIS)
    host, _, port = url.split("//", 1)[1].split("/")[0].rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            pass
    except OSError as exc:
        reason = f"Redis tests skipped: no server at {url} ({exc}); set {REDIS_ENV}"
        if os.environ.get("CHIPWIRE_REQUIRE_REDIS"):
            pytest.fail(reason.replace("skipped", "required"))
        pytest.skip(reason)
    return url.rstrip("/")


RABBITMQ_ENV = "CHIPWIRE_TEST_RABBITMQ_URL"
DEFAULT_RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"


def rabbitmq_server() -> str:
    """The test RabbitMQ's URL, or a skip naming how to get one (not required in CI)."""
    url = os.environ.get(RABBITMQ_ENV, DEFAULT_RABBITMQ)
    host, _, port = url.split("@", 1)[1].split("/")[0].rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            pass
    except OSError as exc:
        pytest.skip(
            f"RabbitMQ tests skipped: no server at {host}:{port} ({exc}); set {RABBITMQ_ENV}"
        )
    return url


def fresh_broker(base: str) -> Iterator[str]:
    """A Redis database of its own for one test (its keys deleted before and after)."""
    import redis

    database = random.SystemRandom().randrange(1, 16)
    url = f"{base}/{database}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


def article_text(rng: random.Random, sentences: int = 12) -> str:
    parts = []
    for _ in range(sentences):
        template = rng.choice(TEMPLATES)
        a, b = rng.choice(COMPANIES), rng.choice(BUYERS)
        day = rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday"])
        parts.append(
            template.format(a=a, b=b, day=day, n=rng.randrange(20, 900), m=rng.randrange(2, 20))
        )
    return " ".join(parts)


def generate_articles(engine: Engine, count: int, seed: int = 7, sentences: int = 12) -> list[int]:
    """``count`` distinct articles naming registry companies, stored unextracted."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    start = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    rows = []
    for number in range(count):
        text = f"Report {number}. " + article_text(rng, sentences)
        rows.append(
            {
                "url": f"https://news.example.test/{seed}/{number}",
                "title": f"{rng.choice(COMPANIES)} update {number}",
                "kind": "article",
                "language": "en",
                "text": text,
                "content_hash": hashlib.sha256(text.encode()).hexdigest(),
                "published_at": start + dt.timedelta(minutes=7 * number),
                "first_seen_at": start + dt.timedelta(minutes=7 * number),
                "fetched_at": start + dt.timedelta(minutes=7 * number),
            }
        )
    with engine.begin() as connection:
        for offset in range(0, len(rows), 500):
            connection.execute(insert(Article), rows[offset : offset + 500])
    return list(range(1, count + 1))


def start_worker(
    settings: Settings, queues: str, log: Path, concurrency: int = 1
) -> subprocess.Popen[bytes]:
    """``chipwire worker`` in its own process group, its output in ``log``."""
    env = {**os.environ, **settings_env(settings)}
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    command = [
        sys.executable,
        "-m",
        "chipwire.pipeline",
        "worker",
        "--queues",
        queues,
        "--concurrency",
        str(concurrency),
        "--name",
        name,
    ]
    with log.open("ab") as out:
        return subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_worker(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """SIGTERM (a warm shutdown), then SIGKILL of the group if it does not end in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # leftover pool children, if any
