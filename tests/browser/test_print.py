"""A page printed is a handout: no navigation, search or buttons, sources with their web
addresses, callouts framed, headings kept with their text, and the quiz a worksheet with no
feedback. Checked with Chromium's print media on the bundled site."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sabaq_site import example_site

STYLE = "([element, pseudo, name]) => getComputedStyle(element, pseudo).getPropertyValue(name)"


@pytest.fixture(scope="module")
def site_url(serve_directory: Callable[[Path], str]) -> str:
    return serve_directory(example_site())


def style(page: Page, selector: str, name: str, pseudo: str | None = None) -> str:
    return str(
        page.locator(selector).first.evaluate(
            "(element, [pseudo, name]) => getComputedStyle(element, pseudo).getPropertyValue(name)",
            [pseudo, name],
        )
    )


def test_a_module_prints_as_a_handout_with_a_worksheet(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}en/fact-checking-basics/sift/")
    page.locator("[data-sabaq-quiz-controls]").first.wait_for(state="attached")
    # A reader who has checked an answer prints it without the verdict or the option's note.
    first = page.locator(".sabaq-quiz__question").first
    first.locator("input").first.check()
    first.locator("[data-sabaq-quiz-action='check']").click()
    expect(first.locator(".sabaq-quiz__note").first).to_be_visible()
    page.emulate_media(media="print")
    for gone in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search",
                 "[data-sabaq-wipe]", ".sabaq-quiz__actions"):  # fmt: skip
        expect(page.locator(gone).first).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".sabaq-quiz__question").first).to_be_visible()
    expect(page.locator(".sabaq-quiz__option").first).to_be_visible()
    assert page.locator("[data-sabaq-quiz-feedback]:visible").count() == 0
    assert page.locator(".sabaq-quiz__note:visible, [data-sabaq-verdict]:visible").count() == 0
    source = ".md-typeset a[href^='https://ifcncodeofprinciples']"
    assert "ifcncodeofprinciples.poynter.org" in style(page, source, "content", "::after")
    assert style(page, ".md-typeset h2", "break-after") == "avoid"
    assert style(page, ".md-typeset .admonition", "border-top-style") == "solid"
    # On screen, none of it: the address is not repeated after the link.
    page.emulate_media(media="screen")
    assert style(page, source, "content", "::after") in ("none", "normal")
