"""Helpers shared by the offline and privacy browser tests: the bundled example site built once
per test run, and an HTTP server that caches like a real host and counts the bytes it sends.

Not a conftest: tests/browser/conftest.py belongs to the quiz engine's tests; these helpers are
imported by name.
"""

from __future__ import annotations

import gzip
import http.server
import shutil
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Route
from sabaq_testing import QuietHTTPServer, build, example_site  # noqa: F401 (re-exported)

from builder.content.load import root_file_paths

REPO = Path(__file__).resolve().parents[2]
COURSE = "fact-checking-basics"
MODULES = ["sift", "verifying-images", "rti-requests"]

#: Records every Content-Security-Policy violation on a page, before any page script runs.
RECORD_VIOLATIONS = """
window.__sabaqViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__sabaqViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


def copy_example_project(target: Path) -> Path:
    """The bundled example project (courses, quizzes, glossary, mkdocs.yml), copied so a test may edit it."""
    for name in ("courses", "quizzes"):
        shutil.copytree(REPO / name, target / name)
    # The glossary and the request builder's rules, beside courses/.
    for shared in root_file_paths(REPO):
        shutil.copy(shared, target / shared.name)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


@dataclass
class Sent:
    path: str
    status: int
    #: The gzip-compressed size of the body (what a host that compresses would send).
    gzip_bytes: int


@dataclass
class CachingServer:
    """Serves a folder on 127.0.0.1 like a static host: pages and JSON must be revalidated
    (`no-cache`), everything else may be reused for a day. Answers If-Modified-Since with 304.
    Records what it sends."""

    directory: Path
    sent: list[Sent] = field(default_factory=list)
    base: str = ""

    def start(self) -> CachingServer:
        server_state = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=str(server_state.directory), **kwargs)  # type: ignore[arg-type]

            def end_headers(self) -> None:
                path = self.path.split("?")[0]
                revalidate = path.endswith(("/", ".html", ".json", ".webmanifest", "sw.js"))
                self.send_header("Cache-Control", "no-cache" if revalidate else "max-age=86400")
                super().end_headers()

            def send_head(self):  # type: ignore[no-untyped-def]
                body = super().send_head()
                if body is not None and hasattr(body, "read"):
                    data = body.read()
                    body.seek(0)
                    server_state.sent.append(Sent(self.path, 200, len(gzip.compress(data, 6))))
                return body

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self._server = QuietHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}/"
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait_until_quiet(self, quiet: float = 0.5, timeout: float = 15.0) -> None:
        """Return once no response has been sent for `quiet` seconds (as Playwright's
        networkidle, but also counting what a service worker fetches in the background)."""
        deadline = time.monotonic() + timeout
        seen, since = len(self.sent), time.monotonic()
        while time.monotonic() < deadline:
            if len(self.sent) != seen:
                seen, since = len(self.sent), time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
            time.sleep(0.05)
        raise AssertionError(f"the server was still sending after {timeout:.0f} s")

    def bytes_sent(self) -> int:
        return sum(item.gzip_bytes for item in self.sent)


def unpacked_package(course: str, language: str, target: Path) -> Path:
    """A course's downloadable package from the bundled site, unpacked as a reader would."""
    with zipfile.ZipFile(example_site() / "downloads" / f"{course}-{language}.zip") as archive:
        archive.extractall(target)
    return target / f"{course}-{language}"


def files_only_context(chromium: Browser) -> tuple[BrowserContext, list[str]]:
    """A browser context that opens file:// pages and refuses every other request, as a phone
    with no connection would; returns it and the list of what it refused. Policy violations are
    recorded in `window.__sabaqViolations`."""
    context = chromium.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    refused: list[str] = []

    def files_only(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", files_only)
    return context, refused


def save_course_offline(page: Page, base: str, language: str, course: str) -> None:
    """Opens a course's overview, waits for the service worker and saves the course offline."""
    page.goto(f"{base}{language}/{course}/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.get_by_role("button", name="Save this course for offline use").click()
    page.locator("[data-sabaq-offline-status]").filter(has_text="saved on this device").wait_for()
