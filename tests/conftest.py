"""Fixtures for every test. The helpers live in sabaq_testing.py: test modules import them from
there, because `conftest` is an ambiguous module name once tests/browser has its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sabaq_testing import make_project  # noqa: F401 (a fixture, found by pytest through this import)

TESTS = Path(__file__).resolve().parent
#: Folders whose every test needs Chromium, or the gates' Java and Node tools.
BROWSER_FOLDERS = {"browser", "gates"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what runs in a browser, so that `pytest -m "not browser"` is the quick set."""
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0]
        uses_browser = {"chromium", "page", "browser"} & set(getattr(item, "fixturenames", ()))
        if folder in BROWSER_FOLDERS or uses_browser:
            item.add_marker(pytest.mark.browser)
