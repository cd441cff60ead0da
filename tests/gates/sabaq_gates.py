"""What the quality gates share: the tools they need (from ./node_modules and Debian), builds of
a project, a parser that collects every id and link of a built page, a static server that can
publish a site under a sub-path, and Chromium driven from a thread of its own.

Not a conftest, so that tests import these by name; the fixtures are in conftest.py.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sabaq_testing import CHROMIUM, CHROMIUM_ARGS, QuietHTTPServer

from builder.content.load import root_file_paths

REPO = Path(__file__).resolve().parents[2]
GATES = Path(__file__).resolve().parent
CASES = GATES / "cases"
NODE_MODULES = REPO / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE_SCRIPT = NODE_MODULES / "lighthouse" / "core" / "index.js"
#: How long one browser job (open a page, act, check) may take before the test fails.
BROWSER_JOB_TIMEOUT = 120

T = TypeVar("T")


def require(path: Path, what: str, how: str) -> Path:
    """`path` if it exists; otherwise fail (never skip) the test, saying how to install it."""
    if not path.exists():
        pytest.fail(f"{what} was not found at {path}. {how}", pytrace=False)
    return path


def require_command(name: str, how: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"'{name}' was not found on PATH. {how}", pytrace=False)
    return found


NPM_HINT = "Install the gates' tools with 'make test' (it runs 'npm ci' into ./node_modules)."


# --- Builds and reports ----------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltSite:
    root: Path
    #: The project's `site_url`, if it has one.
    site_url: str | None = None


@dataclass(frozen=True)
class VnuReport:
    #: The checker's messages (errors, warnings, notes), as in its JSON report.
    messages: list[dict[str, Any]]
    #: Every file the checker read.
    checked: set[Path]


def build(project: Path, site: Path) -> Path:
    """`sabaq build --project PROJECT --site-dir SITE` as a trainer runs it, but from scratch
    (`--no-cache`: the gates check a fresh build, and leave no .sabaq-cache/ in the repository)."""
    command = [sys.executable, "-m", "builder", "build", "--quiet", "--no-cache",
               "--project", str(project), "--site-dir", str(site)]  # fmt: skip
    done = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=300
    )
    if done.returncode != 0:
        pytest.fail(f"building {project} failed:\n{done.stdout}\n{done.stderr}", pytrace=False)
    return site


def copy_bundled_project(target: Path, *, site_url: str) -> Path:
    """The repository's courses, quizzes and glossary in a new project whose mkdocs.yml is the bundled one
    with `site_url` set, as a fork published on GitHub Pages has it."""
    for name in ("courses", "quizzes"):
        shutil.copytree(REPO / name, target / name)
    # The glossary and the request builder's rules, beside courses/.
    for shared in root_file_paths(REPO):
        shutil.copy(shared, target / shared.name)
    base = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (target / "mkdocs.yml").write_text(f"site_url: {site_url}\n{base}", encoding="utf-8")
    return target


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- Reading built pages ---------------------------------------------------------------------

#: Attributes that point at another page or a file the page loads.
LINK_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src",),
    "iframe": ("src",),
    "source": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "embed": ("src",),
    "form": ("action",),
}


@dataclass
class Link:
    tag: str
    attribute: str
    value: str
    line: int
    #: The rel attribute of <a> and <link>, such as "canonical".
    rel: str | None = None


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.ids.add(values["name"])
        for attribute in LINK_ATTRIBUTES.get(tag, ()):
            if attribute in values:
                link = Link(tag, attribute, values[attribute], self.getpos()[0], values.get("rel"))
                self.page.links.append(link)


def parse_page(html: str) -> ParsedPage:
    """Every id (and `<a name>`) of a page, and every link in it, in document order. Text inside
    `<script>` (the quiz's JSON data) is not markup and is not looked into."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.page


# --- Serving ---------------------------------------------------------------------------------


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` under `mount` ("/" or "/sabaq/"); anything outside it is a 404, as on
    a GitHub Pages project site."""

    mount = "/"

    def translate_path(self, path: str) -> str:
        bare = path.split("?", 1)[0].split("#", 1)[0]
        if not bare.startswith(self.mount):
            return str(Path(self.directory) / ".outside-the-mount")  # never exists: a 404
        return super().translate_path("/" + path[len(self.mount) :])

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        pass


class _CompressingHandler(_SiteHandler):
    """As GitHub Pages serves: text compressed with gzip when the browser accepts it, every file
    kept for ten minutes."""

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        path = Path(self.translate_path(self.path))
        bare = self.path.split("?", 1)[0]
        if path.is_dir():
            if not bare.endswith("/"):
                self.send_response(301)
                self.send_header("Location", bare + "/")
                self.end_headers()
                return
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        compress = "gzip" in self.headers.get("Accept-Encoding", "") and path.suffix in (
            ".html", ".js", ".css", ".json", ".svg", ".webmanifest", ".xml", ".txt"
        )  # fmt: skip
        if compress:
            data = gzip.compress(data, 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        self.wfile.write(data)


class Servers:
    """Static HTTP servers on 127.0.0.1, each on a free port; `stop()` ends them all."""

    def __init__(self) -> None:
        self._servers: list[http.server.ThreadingHTTPServer] = []

    def serve(self, directory: Path, mount: str = "/", *, compressed: bool = False) -> str:
        """Serves `directory` at http://127.0.0.1:<port><mount> and returns that URL; with
        `compressed`, as GitHub Pages does (gzip, its cache headers)."""
        assert mount.startswith("/") and mount.endswith("/"), mount
        base = _CompressingHandler if compressed else _SiteHandler
        handler_class = type("MountedHandler", (base,), {"mount": mount})
        handler = functools.partial(handler_class, directory=str(directory))
        server = QuietHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{mount}"

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()


# --- The browser -----------------------------------------------------------------------------


class BrowserWorker:
    """Debian's Chromium, driven by Playwright's sync API from one thread of its own.

    Playwright allows one sync session per thread, and tests/browser/conftest.py keeps one open
    on the main thread for the whole run, so the gates cannot start theirs there. A test hands
    the worker a job, a function of the Browser, and gets its result (or its exception) back.
    Every Playwright object a job makes must stay inside the job."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gates-chromium")
        self._browser: Any = None
        self._playwright: Any = None
        self._executor.submit(self._start).result(timeout=BROWSER_JOB_TIMEOUT)

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )

    def run(self, job: Callable[[Any], T]) -> T:
        return self._executor.submit(job, self._browser).result(timeout=BROWSER_JOB_TIMEOUT)

    def close(self) -> None:
        def stop() -> None:
            if self._browser is not None:
                self._browser.close()
            if self._playwright is not None:
                self._playwright.stop()

        try:
            self._executor.submit(stop).result(timeout=BROWSER_JOB_TIMEOUT)
        finally:
            self._executor.shutdown(wait=True)


def chromium_worker() -> Iterator[BrowserWorker]:
    require(CHROMIUM, "Debian's Chromium", "Install it with 'apt-get install chromium'.")
    worker = BrowserWorker()
    try:
        yield worker
    finally:
        worker.close()
