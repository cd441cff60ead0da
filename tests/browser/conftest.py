"""Shared fixtures for tests that run in a real browser: Debian's Chromium driven by Playwright,
and a throwaway HTTP server on 127.0.0.1.

- `chromium`: one browser for the whole session.
- `page`: a fresh context (its own localStorage) and page per test; any uncaught JavaScript
  error or dialog (alert, confirm) on it fails the test.
- `serve_directory(path)`: serves a folder over http://127.0.0.1:<free port>/ and returns the
  base URL; every server stops at the end of the session.

A missing Chromium fails the run instead of skipping it: browser tests that silently do not run
would let a broken quiz through.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sabaq_testing import CHROMIUM, CHROMIUM_ARGS, QuietHTTPServer


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium (not Playwright's download), started once per session."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium was not found at {CHROMIUM}. The browser tests need it: install it with "
            "'apt-get install chromium'.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A page in a fresh context. Uncaught errors and dialogs on it fail the test."""
    context = chromium.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"uncaught error: {error}"))

    def refuse_dialog(dialog):  # type: ignore[no-untyped-def]
        problems.append(f"unexpected {dialog.type} dialog: {dialog.message!r}")
        dialog.dismiss()

    page.on("dialog", refuse_dialog)
    yield page
    context.close()
    if problems:
        pytest.fail("the page reported problems:\n" + "\n".join(problems), pytrace=False)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        pass


@pytest.fixture(scope="session")
def serve_directory() -> Iterator[Callable[[Path], str]]:
    """A function that serves a folder over HTTP on 127.0.0.1 and returns its base URL
    (ending in '/'). Each call starts its own server on a free port."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def serve(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = QuietHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()
