"""The glossary from the downloadable package: a module's link to a term opens the glossary page
at that term, from file://, with every network request refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

from playwright.sync_api import Browser
from sabaq_site import COURSE, RECORD_VIOLATIONS, example_site


def test_a_term_link_opens_the_glossary_in_the_package(chromium: Browser, tmp_path: Path) -> None:
    with zipfile.ZipFile(example_site() / "downloads" / f"{COURSE}-ru.zip") as archive:
        archive.extractall(tmp_path)
    root = tmp_path / f"{COURSE}-ru"
    context = chromium.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    refused: list[str] = []

    def files_only(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", files_only)
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
