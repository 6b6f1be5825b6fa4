"""Analysing articles in worker processes, each with its own pipeline.

spaCy's ``nlp.pipe(n_process=N)`` runs only the pipeline components in its workers
and sends every Doc back to the parent serialised, where chipwire's analysis
(mentions, deals, claims, candidates) still ran in one process: on a 2-core machine
that was slower than no workers at all.  Here each worker builds the same pipeline
(``recipe``), runs the whole analysis and sends back only the small
``ArticleExtraction``; the parent keeps writing to the store, so SQLite sees one
writer.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.pool import Pool
from pathlib import Path
from types import TracebackType

from spacy.language import Language

from chipwire.pipeline.extract.analysis import ArticleExtraction, analyse
from chipwire.pipeline.extract.nlp import build_nlp

COMPANIES = "chipwire_companies"
MODEL_ORGS = "chipwire_model_orgs"


@dataclass(frozen=True)
class Recipe:
    """What ``build_nlp`` needs to build a pipeline like the parent's."""

    registry_path: str | None
    fuzzy: bool
    model: str | None


def recipe(nlp: Language) -> Recipe:
    """Read from the pipeline's own config, so a worker cannot drift from the parent."""
    companies = nlp.get_pipe_config(COMPANIES)
    model = nlp.get_pipe_config(MODEL_ORGS)["model"] if MODEL_ORGS in nlp.pipe_names else None
    return Recipe(companies["registry_path"], bool(companies["fuzzy"]), model or None)


_worker_nlp: Language | None = None
_worker_recipe: Recipe | None = None


def _remember(wanted: Recipe) -> None:
    """Pool initializer: only stores the recipe.  An initializer that raises makes a Pool
    restart its workers forever, so the pipeline is built on the first task instead,
    where an error reaches the parent like any other."""
    global _worker_recipe  # one recipe per worker process
    _worker_recipe = wanted


def _analyse(task: tuple[str, str | None]) -> ArticleExtraction:
    global _worker_nlp  # one pipeline per worker process
    if _worker_nlp is None:
        wanted = _worker_recipe or Recipe(None, True, None)
        path = None if wanted.registry_path is None else Path(wanted.registry_path)
        _worker_nlp = build_nlp(path, fuzzy=wanted.fuzzy, model=wanted.model)
    text, title = task
    return analyse(_worker_nlp, _worker_nlp(text), title)


class Workers:
    """A pool of spawned processes analysing (text, title) pairs, results in input order.

    Spawned, not forked: the parent holds database connections and a progress thread
    that a forked child must not inherit.
    """

    def __init__(self, nlp: Language, processes: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._pool: Pool = context.Pool(processes, initializer=_remember, initargs=(recipe(nlp),))

    def analyse(
        self, items: Sequence[tuple[str, str | None]], chunksize: int = 8
    ) -> Iterator[ArticleExtraction]:
        return self._pool.imap(_analyse, items, chunksize=max(1, chunksize))

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self._pool.close()
        else:
            self._pool.terminate()  # an interrupted run does not wait for the queue
        self._pool.join()
