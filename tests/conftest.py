"""Fixtures for every test. The helpers live in sabaq_testing.py: test modules import them from
there, because `conftest` is an ambiguous module name once tests/browser has its own."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from sabaq_testing import (
    SHARED_FOLDER_VARIABLE,
    make_project,  # noqa: F401 (a fixture, found by pytest through this import)
)

from builder.cli.main import JOBS_VARIABLE

TESTS = Path(__file__).resolve().parent
#: Folders whose every test needs Chromium, or the gates' Java and Node tools.
BROWSER_FOLDERS = {"browser", "gates"}
#: Where (nearly) every test builds sites with MkDocs or runs `sabaq` as a new process: a second
#: or more each. The security tests build the hostile project they are about.
BUILDING = {
    "security",
    "test_build.py",
    "test_build_server.py",
    "test_cache.py",
    "test_cli.py",
    "test_glossary.py",
    "test_search_parser.py",
    "test_single_file.py",
}

#: The longest test module of the parallel run (three minutes), started first so that the run
#: does not end with it running alone (`make test`: `--dist loadscope --no-loadscope-reorder`).
STARTED_FIRST = {"gates/test_gate_accessibility.py"}


def pytest_configure(config: pytest.Config) -> None:
    """The run's first process makes the folder its workers share (pytest-xdist starts them
    after this, with its environment) and removes it at the end."""
    if hasattr(config, "workerinput"):
        return
    shared = tempfile.mkdtemp(prefix="sabaq-tests-")
    os.environ[SHARED_FOLDER_VARIABLE] = shared
    config.add_cleanup(lambda: shutil.rmtree(shared, ignore_errors=True))
    if (getattr(config.option, "numprocesses", None) or 0) > 1:
        # Every core already runs a test: a build's own worker processes would only compete
        # with them (a fifth of the building tests' time). example_site() keeps them.
        os.environ.setdefault(JOBS_VARIABLE, "1")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what runs in a browser (`browser`) and everything slow (`slow`: browsers and MkDocs
    builds), so that `pytest -m "not slow"` is the quick set and `-m "not browser"` needs no
    Chromium."""
    for item in items:
        parts = item.path.relative_to(TESTS).parts
        uses_browser = {"chromium", "page", "browser"} & set(getattr(item, "fixturenames", ()))
        if parts[0] in BROWSER_FOLDERS or uses_browser:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
        elif parts[0] in BUILDING:
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: item.path.relative_to(TESTS).as_posix() not in STARTED_FIRST)
