"""Page parsing off the crawl's event loop, in worker processes.

trafilatura costs several milliseconds of CPU per page; done inline it stalls
Scrapy's downloader and every pipeline behind it.  With workers, parsing runs
on another core while the main process keeps fetching and storing.  Zero
workers parses inline (tests, one-core machines).
"""

from __future__ import annotations

import asyncio
import atexit
import multiprocessing
import os
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from chipwire.spiders.page import PageFields, parse_page
from chipwire.spiders.similarity import shingles
from chipwire.spiders.sources import Selectors

_pools: dict[int, ProcessPoolExecutor] = {}


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: leave as soon as the crawl process is gone.

    A crawl killed with SIGKILL cannot shut its pool down; without this its
    workers would live on, holding the terminal's or the scheduler's pipes open.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _pool(workers: int) -> Executor:
    if workers not in _pools:
        # spawn, not fork: forking a process that runs a Twisted reactor and an SQLite
        # connection copies both into the child.
        context = multiprocessing.get_context("spawn")
        _pools[workers] = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_exit_with_parent,
            initargs=(os.getpid(),),
        )
    return _pools[workers]


def shutdown(*, wait: bool = False) -> None:
    """Stop the workers: at exit without waiting; ``wait=True`` reaps them, so their CPU
    time shows in ``resource.getrusage(RUSAGE_CHILDREN)`` (the crawl benchmark counts it)."""
    for pool in _pools.values():
        pool.shutdown(wait=wait, cancel_futures=True)
    _pools.clear()


atexit.register(shutdown)


def parse_with_signature(
    html: str, url: str, selectors: tuple[Selectors, ...]
) -> tuple[PageFields, frozenset[int]]:
    """The page's fields and its near-duplicate signature, both computed where the text is."""
    page = parse_page(html, url, selectors)
    return page, shingles(page.text)


def warm_up(workers: int) -> None:
    """Start the workers now (spawning and importing trafilatura takes a second or two),
    so they are ready when the first article arrives."""
    if workers > 0:
        _pool(workers).submit(os.getpid)


async def parse_page_async(
    html: str, url: str, selectors: tuple[Selectors, ...], workers: int
) -> tuple[PageFields, frozenset[int]]:
    """parse_with_signature in a worker process when ``workers`` > 0, else inline."""
    if workers <= 0:
        return parse_with_signature(html, url, selectors)
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(
            _pool(workers), parse_with_signature, html, url, selectors
        )
    except BrokenProcessPool:
        _pools.pop(workers, None)  # a worker died (OOM?): parse this page inline, retry pool later
        return parse_with_signature(html, url, selectors)
