"""The one-file course read as a phone reads it: the file alone in a folder, opened from file://
with every other request refused. Modules are reached by links inside it, a quiz is answered,
progress is kept and shown, search finds a later module's words, a glossary link leads to its
term, and the page's policy refuses nothing it needs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sabaq_site import RECORD_VIOLATIONS
from sabaq_testing import write_files
from test_single_file import PROJECT

from builder.build.pipeline import build_project


@pytest.fixture(scope="module")
def one_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English one-file course, copied alone into an empty folder."""
    root = tmp_path_factory.mktemp("one-file-browser")
    project = write_files(root / "project", PROJECT)
    report = build_project(project, root / "site", languages=["en"], workers=1, use_cache=False)
    assert report.ok, report.errors
    alone = root / "alone"
    alone.mkdir()
    return Path(shutil.copy(root / "site" / "downloads" / "demo-en.html", alone))


def open_alone(chromium: Browser, path: Path) -> tuple[Page, list[str], list[str]]:
    """A phone-sized page on `path`; returns it, the requests refused (anything but the file
    itself) and the console's errors, warnings and uncaught exceptions."""
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    context.add_init_script(RECORD_VIOLATIONS)
    refused: list[str] = []

    def only_the_file(route):  # type: ignore[no-untyped-def]
        if route.request.url.split("#")[0] == path.as_uri():
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_file)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"{message.type}: {message.text}")
            if message.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    return page, refused, problems


def test_the_course_works_from_the_file_alone(chromium: Browser, one_file: Path) -> None:
    page, refused, problems = open_alone(chromium, one_file)
    page.goto(one_file.as_uri())
    main = page.locator("main")

    # The overview shows alone; its dashboard has nothing read yet.
    expect(page.locator("#sabaq-start")).to_be_visible()
    expect(page.locator("#first")).to_be_hidden()
    expect(page.locator("[data-sabaq-dashboard-summary]")).to_have_text(
        "0 of 3 modules read · 40 minutes left"
    )

    # Into the first module by the overview's button, on by the text's link, back by the pager.
    page.get_by_role("link", name="Start the course").click()
    expect(page).to_have_url(f"{one_file.as_uri()}#first")
    expect(main.get_by_role("heading", name="First module", level=1)).to_be_visible()
    expect(page.locator("#sabaq-start")).to_be_hidden()
    picture = page.get_by_role("img", name="A wide photo")
    expect(picture).to_be_visible()
    assert page.evaluate("document.querySelector('#first img').naturalWidth") == 640

    # A quiz answer, checked and kept.
    page.get_by_label("A", exact=True).check()
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("#first [data-sabaq-quiz-feedback]")).to_contain_text("Correct")
    expect(page.locator("#first [data-sabaq-quiz-status]")).to_have_text("Score: 1 of 1")
    stored = page.evaluate("localStorage.getItem('sabaq:v1:demo/first')")
    assert stored is not None and '"score":1' in stored

    # Progress: the module is read once its end has been on screen, and the overview says so.
    page.locator("#first [data-sabaq-module-end]").scroll_into_view_if_needed()
    page.wait_for_function(
        "() => (JSON.parse(localStorage.getItem('sabaq:v1:progress:demo') || '{}').modules || {})"
        ".first?.read !== undefined"
    )
    page.locator("header").get_by_role("link", name="Demo course").click()
    expect(page.locator("[data-sabaq-dashboard-summary]")).to_have_text(
        "1 of 3 modules read · 20 minutes left"
    )
    expect(page.locator('[data-sabaq-dashboard-module="first"]')).to_contain_text(
        "read · quiz: 1 of 1"
    )
    page.get_by_role("link", name="Continue where I stopped").click()
    expect(page).to_have_url(f"{one_file.as_uri()}#second")
    expect(main.get_by_role("heading", name="Second module", level=1)).to_be_visible()

    # Search finds a word of the last module; its result opens that module at the heading.
    page.get_by_label("Search this course").fill("zebrafish")
    expect(page.locator("[data-sabaq-one-status]")).to_have_text("1 result")
    page.locator("[data-sabaq-one-results]").get_by_role("link", name="Third module › Last").click()
    expect(page.locator("#third--last")).to_be_in_viewport()
    expect(page.locator("#second")).to_be_hidden()
    page.get_by_role("link", name="Previous: Second module").click()
    expect(main.get_by_role("heading", name="Second module", level=1)).to_be_visible()

    # The table of contents; the link in the quiz's explanation, to a later module.
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_text("Contents").click()
    contents.get_by_role("link", name="First module").click()
    expect(page.locator("#first [data-sabaq-quiz-explanation]")).to_be_visible()
    page.locator("#first [data-sabaq-quiz-explanation]").get_by_role("link").click()
    expect(main.get_by_role("heading", name="Third module", level=1)).to_be_visible()

    # A glossary link jumps to its term, in the glossary's section.
    page.go_back()
    page.locator("#first").get_by_role("link", name="read laterally").click()
    expect(page).to_have_url(f"{one_file.as_uri()}#sabaq-glossary--lateral-reading")
    expect(page.locator("#sabaq-glossary--lateral-reading")).to_be_in_viewport()
    expect(page.locator("#first")).to_be_hidden()

    assert page.evaluate("window.__sabaqViolations") == []
    page.context.close()
    assert refused == []
    assert problems == []


def test_without_javascript_every_section_reads(chromium: Browser, one_file: Path) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{one_file.as_uri()}#third")
    for section in ("#sabaq-start", "#first", "#second", "#third", "#sabaq-glossary"):
        expect(page.locator(section)).to_be_visible()
    expect(page.locator("#first .sabaq-quiz__question")).to_be_visible()
    expect(page.locator("[data-sabaq-one-search]")).to_be_hidden()
    context.close()
