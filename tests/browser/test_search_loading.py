"""The search index is fetched when the reader opens search, not with every page: a page's first
load does not grow with the number of courses (builder/engine/material_patches.py)."""

from __future__ import annotations

from playwright.sync_api import Browser
from sabaq_site import COURSE, CachingServer, example_site

INDEX = "/en/search/search_index.json"


def test_the_search_index_loads_when_search_opens(chromium: Browser) -> None:
    server = CachingServer(example_site()).start()
    context = chromium.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.goto(f"{server.base}en/{COURSE}/sift/")
        page.wait_for_load_state("networkidle")
        server.wait_until_quiet()
        assert INDEX not in [sent.path for sent in server.sent]

        with page.expect_response(lambda response: response.url.endswith(INDEX)):
            page.click("input.md-search__input")
        page.keyboard.type("ombudsman", delay=20)
        page.locator(".md-search-result__item").first.wait_for()
        assert "Requests for information" in page.locator(".md-search-result").inner_text()

        # A page opened with the words to mark (`?h=`, search.highlight) still marks them.
        page.goto(f"{server.base}en/{COURSE}/rti-requests/?h=ombudsman")
        page.locator("article mark").first.wait_for()
        assert page.locator("article mark").first.inner_text().lower() == "ombudsman"
    finally:
        context.close()
        server.stop()
