"""The glossary from the downloadable package: a module's link to a term opens the glossary page
at that term, from file://, with every network request refused."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser
from sabaq_site import COURSE, files_only_context, unpacked_package


def test_a_term_link_opens_the_glossary_in_the_package(chromium: Browser, tmp_path: Path) -> None:
    root = unpacked_package(COURSE, "ru", tmp_path)
    context, refused = files_only_context(chromium)
    page = context.new_page()
    page.goto((root / COURSE / "sift" / "index.html").as_uri())
    page.locator("article a[href*='glossary/index.html#sift']").first.click()
    page.wait_for_url("**/glossary/index.html#sift")
    term = page.locator("#sift")
    assert term.inner_text().startswith("SIFT")
    assert term.is_visible()
    # The glossary's links lead back into the course (through the package's start page), and
    # nowhere else: the other courses are not in the package.
    addresses = page.eval_on_selector_all(
        "a[href]:not([href^='#']):not([href^='http'])", "links => links.map(a => a.href)"
    )
    assert {address.rsplit("/", 2)[-2:][0] for address in addresses} <= {f"{COURSE}-ru", "glossary"}
    page.locator("a[href='../index.html']").first.click()
    page.wait_for_url(f"**/{COURSE}/index.html")
    assert page.evaluate("window.__sabaqViolations") == []
    context.close()
    assert refused == []
