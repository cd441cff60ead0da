"""`sabaq serve`: a preview on 127.0.0.1 that rebuilds when a course file changes.

It builds into a temporary folder (never the project's site/), serves it, and polls the course
files twice a second; a build with errors prints them and keeps serving the last good preview.
"""

from __future__ import annotations

import functools
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .build import UsageError, build_project
from .errors import ContentError

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5


def watched_state(project: Path) -> dict[Path, float]:
    """Modification times of everything that goes into the site."""
    files = [project / "mkdocs.yml"]
    for folder in ("courses", "quizzes"):
        if (project / folder).is_dir():
            files += [p for p in (project / folder).rglob("*") if p.is_file()]
    return {path: path.stat().st_mtime for path in files if path.exists()}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        log.debug(format, *args)


def serve(
    project: Path,
    *,
    port: int,
    languages: list[str] | None,
    courses: list[str] | None,
    report_errors: Callable[[list[ContentError]], int],
    stop: threading.Event | None = None,
) -> int:
    preview = Path(tempfile.mkdtemp(prefix="sabaq-preview-"))
    site_dir = preview / "site"
    stop = stop or threading.Event()

    def rebuild() -> None:
        # With the downloadable packages, as `sabaq build` makes them: the preview's download
        # links work, and the two share the build cache (a build without packages is keyed
        # apart, so switching between them would rebuild every language each time). Packages
        # are cut from the built pages, a few per cent of a build, and unchanged ones are reused.
        report = build_project(
            project, site_dir, languages=languages, courses=courses, progress=log.debug
        )
        if report.errors:
            report_errors(report.errors)
        else:
            log.info("Rebuilt %s pages in %.1f s", report.pages, report.seconds)

    # Listen before the first build, so that a port in use is reported at once rather than after
    # a whole build (and as a message, not a traceback). A browser that connects meanwhile waits
    # for the first build.
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        shutil.rmtree(preview, ignore_errors=True)
        raise UsageError(
            f"cannot preview on 127.0.0.1:{port}: {error.strerror}; choose another port with --port"
        ) from error
    # Everything after this point is inside try/finally: Ctrl+C during the first build must not
    # leave the preview folder behind in the temporary directory.
    thread: threading.Thread | None = None
    try:
        rebuild()
        site_dir.mkdir(exist_ok=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        log.info("Previewing on http://127.0.0.1:%s/ (Ctrl+C to stop)", server.server_address[1])
        state = watched_state(project)
        while not stop.wait(POLL_SECONDS):
            current = watched_state(project)
            if current != state:
                state = current
                log.info("A course file changed; rebuilding")
                rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        if thread is not None and thread.is_alive():  # shutdown() waits for serve_forever()
            server.shutdown()
        server.server_close()
        shutil.rmtree(preview, ignore_errors=True)
    return 0
