"""The search index is fetched when the reader opens search, not with every page, and a course's
pages fetch that course's index only: neither a page's first load nor opening search grows with
the number of courses (builder/engine/material_patches.py, builder/engine/search_index.py)."""

from __future__ import annotations

from playwright.sync_api import Browser, expect
from sabaq_site import COURSE, CachingServer, example_site

INDEX = "/en/search/search_index.json"
COURSE_INDEX = f"/en/search/courses/{COURSE}.json"
#: A word of another course only (right-to-information).
OTHER_COURSES_WORD = "ambulances"


def test_the_search_index_loads_when_search_opens(chromium: Browser) -> None:
    server = CachingServer(example_site()).start()
    context = chromium.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.goto(f"{server.base}en/{COURSE}/sift/")
        page.wait_for_load_state("networkidle")
        server.wait_until_quiet()
        assert not [sent.path for sent in server.sent if sent.path.startswith("/en/search/")]

        # On a course's page: that course's index, never the language's, and the field says so.
        field = page.get_by_role("textbox", name="Search this course")
        with page.expect_response(lambda response: response.url.endswith(COURSE_INDEX)):
            field.click()
        page.keyboard.type("ombudsman", delay=20)
        page.locator(".md-search-result__item").first.wait_for()
        assert "Requests for information" in page.locator(".md-search-result").inner_text()
        # The glossary is searched with every course; other courses are not.
        # Material searches as keys are typed (keyup), not when a value is set.
        field.fill("")
        field.press_sequentially("chronolocation", delay=20)
        expect(page.locator('.md-search-result__link[href*="glossary/"]').first).to_be_visible()
        field.fill("")
        field.press_sequentially(OTHER_COURSES_WORD, delay=20)
        expect(page.locator(".md-search-result__meta")).to_have_text("No matching documents")
        assert INDEX not in [sent.path for sent in server.sent]

        # The language's home page searches every course.
        page.goto(f"{server.base}en/")
        with page.expect_response(lambda response: response.url.endswith(INDEX)):
            page.get_by_role("textbox", name="Search", exact=True).click()
        page.keyboard.type(OTHER_COURSES_WORD, delay=20)
        expect(
            page.locator('.md-search-result__link[href*="right-to-information/"]').first
        ).to_be_visible()

        # A page opened with the words to mark (`?h=`, search.highlight) still marks them.
        page.goto(f"{server.base}en/{COURSE}/rti-requests/?h=ombudsman")
        page.locator("article mark").first.wait_for()
        assert page.locator("article mark").first.inner_text().lower() == "ombudsman"
    finally:
        context.close()
        server.stop()
