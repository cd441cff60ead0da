"""`sabaq serve`: a preview on 127.0.0.1 that rebuilds when a course file changes, and reloads
the page open in the browser once it has (`_PreviewHandler`).

It builds into a temporary folder (never the project's site/), serves it, and rebuilds when a
course file changes: the operating system reports the change at once (watchdog, which MkDocs
uses for its own server), and the files are also compared twice a second, for file systems that
report nothing (network and some container mounts). A build with errors prints them and keeps
serving the last good preview.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from builder.build.cache.documents import RecentDocuments
from builder.build.pipeline import UsageError, build_project
from builder.content.errors import ContentError
from builder.content.languages import LANGUAGE_CODES
from builder.content.load import root_file_paths
from builder.content.project_files import files_under
from builder.engine.run import import_engine
from builder.render.i18n import messages
from builder.settings import SETTINGS

log = logging.getLogger(__name__)


def watched_state(project: Path) -> dict[Path, float]:
    """Modification times of everything that goes into the site."""
    files = [project / "mkdocs.yml", *root_file_paths(project)]
    for folder in ("courses", "quizzes"):
        if (project / folder).is_dir():
            files += [p for p, inside in files_under(project / folder, project) if inside]
    return {path: path.stat().st_mtime for path in files if path.exists()}


def watch_for_changes(project: Path, on_change: Callable[[str], object]) -> Callable[[], None]:
    """Call `on_change` with the path of every change the operating system reports in the
    project's course files or mkdocs.yml; returns what stops watching. Only `courses/`, `quizzes/` and the
    project folder itself (not its subfolders) are watched: the build writes `.sabaq-cache/`."""
    from watchdog import events
    from watchdog.observers import Observer

    class _Changed(events.FileSystemEventHandler):
        def on_any_event(self, event: events.FileSystemEvent) -> None:
            on_change(os.fsdecode(event.src_path))

    # Writes only: the build reads every course file, and the system reporting each open and
    # close would keep watchdog's thread busy (and the build waiting for Python's lock) while it
    # runs. Filtered by the system (inotify's mask), not in Python.
    writes: list[type[events.FileSystemEvent]] = [
        events.FileModifiedEvent,
        events.FileClosedEvent,
        events.FileCreatedEvent,
        events.FileDeletedEvent,
        events.FileMovedEvent,
        events.DirCreatedEvent,
        events.DirDeletedEvent,
        events.DirMovedEvent,
    ]

    # Stopping the observer while the system reports a change makes watchdog log an error that
    # means nothing to a trainer ("queue_events() called when the thread is inactive").
    logging.getLogger("watchdog").setLevel(logging.CRITICAL)
    observer = Observer()
    handler = _Changed()
    try:
        observer.schedule(handler, str(project), recursive=False, event_filter=writes)
        for folder in ("courses", "quizzes"):
            if (project / folder).is_dir():
                observer.schedule(
                    handler, str(project / folder), recursive=True, event_filter=writes
                )
        observer.start()
    except OSError as error:  # e.g. the system's limit of watched folders: polling still works
        log.debug("not watching for changes (%s); comparing the files twice a second", error)
        return lambda: None

    def stop() -> None:
        observer.stop()
        observer.join()

    return stop


PREVIEW_DIR = Path(__file__).parent / "preview"
#: The preview's own addresses, beside the site's.
BUILD_ADDRESS = "/__sabaq/build"
RELOAD_ADDRESS = "/__sabaq/reload.js"
_RELOAD_TAG = f'<script src="{RELOAD_ADDRESS}" defer></script>'.encode()


class Served:
    """Which build the preview serves: a number that grows with each successful rebuild, and
    the lock a rebuild holds while its site takes the previous one's place (a moment when
    neither is where the server looks)."""

    def __init__(self) -> None:
        self.build = 0
        self.publishing = threading.Lock()
        #: The last build's content errors, as the page open in the browser shows them.
        self.errors: list[dict[str, Any]] = []


class _PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the built site as it is, except that every page gets `preview/reload.js` (it
    reloads the page after a rebuild), the answer to `BUILD_ADDRESS`, and, for every service
    worker, `preview/sw.js`, which retires any worker so that no stored page hides an edit.
    The site's security policy lets all of it run: it is the same origin."""

    served: Served

    def send_head(self) -> Any:  # the base class returns a file, or None after an error
        address = self.path.split("?", 1)[0].split("#", 1)[0]
        if address == BUILD_ADDRESS:
            state = {"build": self.served.build, "errors": self.served.errors}
            if self.served.errors:
                state["text"] = _overlay_strings(self.path)
            return self._answer(json.dumps(state).encode(), "application/json")
        if address == RELOAD_ADDRESS:
            return self._answer((PREVIEW_DIR / "reload.js").read_bytes(), "text/javascript")
        if address.endswith("/sw.js"):
            return self._answer((PREVIEW_DIR / "sw.js").read_bytes(), "text/javascript")
        # A file opened stays readable when a rebuild then removes it; only finding it must
        # not fall in the middle of one (a page's requests would fail, or miss the file).
        with self.served.publishing:
            return self._file_head(address)

    def _file_head(self, address: str) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and address.endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            page = path.read_bytes()
            end = page.rfind(b"</body>")
            if end >= 0:
                page = page[:end] + _RELOAD_TAG + page[end:]
            return self._answer(page, "text/html; charset=utf-8")
        return super().send_head()

    def _answer(self, body: bytes, content_type: str) -> io.BytesIO:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        log.debug(format, *args)


def _overlay_strings(request: str) -> dict[str, str]:
    """The overlay's strings in the language the page asks for (`?lang=ru`), English if none."""
    asked = parse_qs(urlsplit(request).query).get("lang", [""])[0]
    strings = messages(asked if asked in LANGUAGE_CODES else "en")
    return {key.removeprefix("preview_"): text for key, text in strings.subset("preview_").items()}


def error_report(errors: list[ContentError], project: Path) -> list[dict[str, Any]]:
    """The errors as the overlay lists them: the file relative to the project, line, column."""
    return [
        {
            "path": os.path.relpath(error.path, project),
            "line": error.position.line,
            "column": error.position.column,
            "message": error.message,
            "hint": error.hint,
        }
        for error in errors
    ]


def preview_handler(served: Served, site_dir: Path) -> Callable[..., _PreviewHandler]:
    """What the server makes for each request: a `_PreviewHandler` of `site_dir` and `served`."""
    handler_class = type("Handler", (_PreviewHandler,), {"served": served})
    return functools.partial(handler_class, directory=str(site_dir))


class _PreviewServer(ThreadingHTTPServer):
    """The standard server prints a traceback for every request that goes wrong, most often a
    browser dropping a connection it no longer needs (a page left while a file was loading):
    those go to the debug log, anything else is one line."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            log.debug("the browser closed a connection early: %s", error)
        else:
            log.warning("could not answer the browser: %s: %s", type(error).__name__, error)


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
    recent_documents = RecentDocuments()
    served = Served()

    def rebuild() -> None:
        # With the downloadable packages, as `sabaq build` makes them: the preview's download
        # links work, and the two share the build cache (a build without packages is keyed
        # apart, so switching between them would rebuild every language each time). Packages
        # are cut from the built pages, a few per cent of a build, and unchanged ones are reused.
        report = build_project(
            project,
            site_dir,
            languages=languages,
            courses=courses,
            progress=log.debug,
            recent_documents=recent_documents,
            publishing=served.publishing,
        )
        if report.errors:
            served.errors = error_report(report.errors, project)
            report_errors(report.errors)
        else:
            served.errors = []
            served.build += 1
            log.info("Rebuilt %s pages in %.2f s", report.pages, report.seconds)

    # Listen before the first build, so that a port in use is reported at once rather than after
    # a whole build (and as a message, not a traceback). A browser that connects meanwhile waits
    # for the first build.
    try:
        server = _PreviewServer(("127.0.0.1", port), preview_handler(served, site_dir))
    except OSError as error:
        shutil.rmtree(preview, ignore_errors=True)
        raise UsageError(
            f"cannot preview on 127.0.0.1:{port}: {error.strerror}; choose another port with --port"
        ) from error
    # Everything after this point is inside try/finally: Ctrl+C during the first build must not
    # leave the preview folder behind in the temporary directory.
    thread: threading.Thread | None = None
    changed = threading.Event()
    stop_watching: Callable[[], None] = lambda: None  # noqa: E731 - replaced once watching
    try:
        # The files as they are before the build: a file saved while it runs (or before the
        # loop below starts) differs from this, and is built next.
        state = watched_state(project)
        # The first build, often of every language, runs before any other thread starts, so it
        # may use worker processes (builder/engine/run.py forks none while other threads run).
        rebuild()
        stop_watching = watch_for_changes(project, lambda _path: changed.set())
        # A first build that took every language from the cache imported no MkDocs.
        import_engine()
        site_dir.mkdir(exist_ok=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        log.info("Previewing on http://127.0.0.1:%s/ (Ctrl+C to stop)", server.server_address[1])
        while not stop.is_set():
            if changed.wait(SETTINGS.preview_poll_seconds):
                stop.wait(SETTINGS.preview_settle_seconds)
            changed.clear()
            current = watched_state(project)
            if current != state:
                state = current
                log.info("A course file changed; rebuilding")
                rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        stop_watching()
        if thread is not None and thread.is_alive():  # shutdown() waits for serve_forever()
            server.shutdown()
        server.server_close()
        shutil.rmtree(preview, ignore_errors=True)
    return 0
