"""The 404 page GitHub Pages serves for any missing address speaks the reader's language: the one
of the address (`/ru/...`), else the browser's; without JavaScript it shows every language."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sabaq_testing import QuietHTTPServer

from builder.render.i18n import messages
from builder.render.root_pages import render_not_found_page

LANGUAGES = ["en", "ru", "uz", "kk", "ky", "tg"]


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """As GitHub Pages: a missing address gets the site's 404.html, with status 404."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        pass


@pytest.fixture(scope="module")
def pages_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("pages")
    (root / "404.html").write_text(
        render_not_found_page(LANGUAGES, "https://example.github.io/sabaq"), encoding="utf-8"
    )
    server = QuietHTTPServer(
        ("127.0.0.1", 0), functools.partial(_PagesHandler, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("address", "browser_language", "shown"),
    [
        ("/sabaq/ru/no-such-course/", "en-US", "ru"),
        ("/sabaq/tg/", "kk", "tg"),
        ("/sabaq/nowhere", "kk-KZ", "kk"),
        ("/sabaq/nowhere", "uz", "uz"),
    ],
)
def test_the_404_page_speaks_the_language_of_the_address_or_the_browser(
    chromium: Browser, pages_site: str, address: str, browser_language: str, shown: str
) -> None:
    context = chromium.new_context(locale=browser_language)
    try:
        page = context.new_page()
        response = page.goto(pages_site + address)
        assert response is not None and response.status == 404
        strings = messages(shown)
        expect(page.locator("html")).to_have_attribute("lang", shown)
        visible = page.locator("[data-sabaq-not-found]:visible")
        expect(visible).to_have_count(1)
        expect(visible).to_have_attribute("lang", shown)
        expect(visible.get_by_role("heading")).to_have_text(strings.text("not_found_heading"))
        home = visible.get_by_role("link", name=strings.text("not_found_home"))
        expect(home).to_have_attribute("href", f"/sabaq/{shown}/")
    finally:
        context.close()


def test_without_javascript_every_language_shows_marked_with_its_lang(
    chromium: Browser, pages_site: str
) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(pages_site + "/sabaq/ru/missing/")
        sections = page.locator("[data-sabaq-not-found]:visible")
        expect(sections).to_have_count(len(LANGUAGES))
        assert [sections.nth(i).get_attribute("lang") for i in range(len(LANGUAGES))] == LANGUAGES
    finally:
        context.close()
