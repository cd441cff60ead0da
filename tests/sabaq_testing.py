"""Shared helpers for the tests: course projects written from a dict into a temporary folder, and the CLI run
as a trainer runs it (a real process, so exit codes and tracebacks are real)."""

from __future__ import annotations

import atexit
import fcntl
import functools
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("SABAQ_UPDATE_GOLDEN") == "1"

#: Debian's Chromium, never a browser download; the flags keep it from calling Google's services
#: (this machine's network refuses them, and a course site's tests must make no outside request).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_sabaq(*args: str, cwd: Path, **environ: str) -> Run:
    """`python -m builder ARGS` in `cwd`, as a separate process, with `environ` added to its
    environment."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", **environ}
    done = subprocess.run(
        [sys.executable, "-m", "builder", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def short_course_project(root: Path) -> Path:
    """A copy of the bundled short course at `root` (and the banks, glossary and rules beside
    it): for tests that build a project several times, which the other bundled courses would
    only make slower."""
    from builder.content.load import root_file_paths

    course = "fact-checking-basics"
    shutil.copytree(REPO / "courses" / course, root / "courses" / course)
    shutil.copytree(REPO / "quizzes", root / "quizzes")
    for shared in root_file_paths(REPO):  # the glossary and the request builder's rules
        shutil.copy(shared, root / shared.name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text} under root; text is dedented, so tests can indent YAML."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    def make(files: dict[str, str | bytes]) -> Path:
        return write_files(tmp_path / "project", files)

    return make


#: A small valid project: one course in en and ru, two modules, a quiz bank.
MINIMAL_PROJECT: dict[str, str | bytes] = {
    "courses/demo/course.yml": """
        id: demo
        title: Demo course
        summary: A tiny course.
        level: beginner
        languages: [en, ru]
        modules: [first, second]
        """,
    "courses/demo/01-first.yml": """
        id: first
        title: First module
        duration_minutes: 20
        sections:
          - heading: Start
            body: Hello.
        quiz:
          bank: basics
        """,
    "courses/demo/02-second.yml": """
        id: second
        title: Second module
        duration_minutes: 10
        sections:
          - heading: More
            body: Text.
        """,
    "quizzes/basics.yml": """
        id: basics
        title: Basics
        questions:
          - id: q1
            type: single
            prompt: Which?
            options:
              - id: a
                text: A
                correct: true
              - id: b
                text: B
        """,
}


class QuietHTTPServer(http.server.ThreadingHTTPServer):
    """A local test server whose request threads die with it, and that stays silent when the
    browser drops a connection it no longer needs (a page left while a file was loading):
    the standard server prints a traceback for each, which reads like a failure in the log."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ctrl_c_as_in_a_terminal() -> None:
    """For `subprocess.Popen(preexec_fn=...)`: the child gets SIGINT's default handling, however
    the test run was started. A shell starts background jobs with SIGINT ignored and children
    keep that, so Python in them would never raise KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def build(project: Path, site: Path, *languages: str, jobs: int | None = None) -> None:
    """`sabaq build` as a trainer runs it, from scratch (`--no-cache`: no .sabaq-cache/ left in
    the repository's projects); fails the test with its output if it fails."""
    args = [sys.executable, "-m", "builder", "build", "--quiet", "--no-cache",
            "--project", str(project), "--site-dir", str(site)]  # fmt: skip
    if jobs is not None:
        args += ["--jobs", str(jobs)]
    for language in languages:
        args += ["--lang", language]
    done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


#: A folder every process of one test run shares (pytest-xdist's workers too), made and removed
#: by the run's first process (conftest.pytest_configure).
SHARED_FOLDER_VARIABLE = "PYTEST_SABAQ_SHARED"


#: The example site is built in worker processes, as `make site` builds on a machine of two cores
#: or more, even where a test run asks builds for one (conftest.pytest_configure).
EXAMPLE_SITE_JOBS = max(2, os.cpu_count() or 1)


@functools.cache
def example_site() -> Path:
    """The bundled courses, every language, built once per test run as `make site` builds them
    (without PDFs), for the browser tests and the quality gates alike. Do not modify it."""
    shared = os.environ.get(SHARED_FOLDER_VARIABLE)
    if shared is None:
        folder = Path(tempfile.mkdtemp(prefix="sabaq-example-site-"))
        atexit.register(shutil.rmtree, folder, True)
        build(REPO, folder / "site", jobs=EXAMPLE_SITE_JOBS)
        return folder / "site"
    # The workers of a parallel run take turns: the first builds it, the others wait and use it.
    folder = Path(shared) / "example-site"
    folder.mkdir(exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "built").exists():
            build(REPO, folder / "site", jobs=EXAMPLE_SITE_JOBS)
            (folder / "built").touch()
    return folder / "site"
