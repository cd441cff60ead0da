"""The downloadable package works from file:// with every network request refused: pages link to
each other, and search finds words on other pages."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser
from sabaq_site import COURSE, files_only_context, unpacked_package


def test_the_package_reads_and_searches_from_files_without_a_network(
    chromium: Browser, tmp_path: Path
) -> None:
    root = unpacked_package(COURSE, "en", tmp_path)
    context, refused = files_only_context(chromium)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The package's index.html opens the course.
    page.goto((root / "index.html").as_uri())
    page.wait_for_url("**/fact-checking-basics/index.html")
    page.get_by_role("link", name="Start the course").click()
    page.wait_for_url("**/fact-checking-basics/sift/index.html")
    # The footer's "next" link, as a reader moves through the course.
    page.locator("a.md-footer__link--next").click()
    page.wait_for_url("**/fact-checking-basics/verifying-images/index.html")
    assert page.locator("h1").inner_text().startswith("Verifying images and video")

    # A word that, in this course, only the module on requests for information and the
    # glossary (which the package carries) use.
    page.click("input.md-search__input")
    page.keyboard.type("ombudsman", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    found = page.locator(".md-search-result").inner_text()
    assert "Requests for information" in found
    assert "Glossary" in found
    page.locator(".md-search-result__item a[href*='rti-requests']").first.click()
    page.wait_for_url("**/fact-checking-basics/rti-requests/index.html*")
    assert page.evaluate("window.__sabaqViolations") == []
    context.close()
    assert refused == []
    assert errors == []
