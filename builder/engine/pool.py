"""The worker processes the language builds run in, each with the engine imported and the theme's
templates compiled once."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import as_completed, wait
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Imported when a pool starts (multiprocessing, 10 ms): a rebuild of one language has none.
    from concurrent.futures import ProcessPoolExecutor

from builder.engine import run
from builder.engine.run import EngineJob, EngineResult, import_engine

log = logging.getLogger(__name__)


@contextmanager
def engine_pool(workers: int | None, template_cache: Path) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes for `build_sites`, or None for building in this process (one worker).

    Open it before loading the project: a forked worker starts as a copy of its parent, so
    workers started while the main process is still small stay small, whatever the project's
    size. Each worker then prepares itself (`_prepare_worker`) while the main process reads the
    project, instead of during its first language.
    """
    count = workers if workers is not None else os.cpu_count() or 1
    if count > 1 and threading.active_count() > 1:
        # Forking copies only the calling thread: a lock another thread held at that moment (the
        # logging module's, the import system's) stays locked forever in the worker. The preview
        # has a web server and a file watcher running, so its rebuilds stay in this process.
        log.debug("other threads are running: building in this process, without workers")
        count = 1
    if count <= 1:
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(
        max_workers=count, initializer=_prepare_worker, initargs=(template_cache,)
    ) as pool:
        pool.submit(int)  # forks every worker now (the fork start method starts them all at once)
        yield pool


def _prepare_worker(template_cache: Path) -> None:
    """Import what a build uses and, unless they are compiled already, compile the theme's
    templates (`warm_templates`): a sixth of a language's build, paid once per worker while it
    would otherwise wait."""
    if template_cache.is_dir():
        import_engine()
    else:
        warm_templates(template_cache)


def build_sites(
    jobs: Iterable[EngineJob], pool: ProcessPoolExecutor | None = None
) -> list[EngineResult]:
    """Build every job's site, in the pool's processes if there is a pool. Each job starts as
    soon as `jobs` yields it, so the workers build one language while the caller prepares the
    next; a single job goes to a worker too, which keeps MkDocs' memory out of the main process."""
    if pool is None:
        return [run.build_one(job) for job in jobs]
    futures = {pool.submit(run.build_one, job): job.language for job in jobs}
    try:
        for future in as_completed(futures):
            log.info("  %s: %s", futures[future], "built" if future.result().ok else "failed")
    except BaseException:
        # One raised (a full disk): the others stop writing before the caller removes the
        # folder they write into.
        for future in futures:
            future.cancel()
        wait(futures)
        raise
    return [future.result() for future in futures]


WARM_UP = "warm-up"


def warm_templates(template_cache: Path) -> None:
    """Compile the theme's templates into `template_cache`, by building a one-page site, so that
    the language builds find them compiled (and every module a build imports is imported)."""
    with tempfile.TemporaryDirectory(prefix="sabaq-warm-up-") as folder:
        work_dir = Path(folder)
        (work_dir / "docs").mkdir()
        (work_dir / "docs" / "index.md").write_text("# Sabaq\n\n## Sabaq\n", encoding="utf-8")
        config = {
            "site_name": "Sabaq",
            "theme": {"name": "material", "language": "en", "font": False},
            "nav": [{"Sabaq": "index.md"}, {"Sabaq": [{"Sabaq": "index.md"}]}],
            "plugins": ["search"],
            "markdown_extensions": ["toc"],
        }
        job = EngineJob(WARM_UP, config, work_dir, work_dir / "site", template_cache)
        run.build_one(job)
