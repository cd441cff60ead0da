"""The course overview's dashboard in Chromium: it starts empty, counts a module as read once
its end has been on screen, shows the quiz score stored by the quiz engine and the minutes left,
links to where the reader stopped, is shared across languages, and empties after the footer's
erase. The expected words come from builder/locales, in the page's language."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sabaq_site import COURSE, example_site
from test_quiz_engine import choose, open_quiz, press, question

from builder.render.i18n import messages

#: The bundled short course: its modules' minutes (20, 25, 30) and quiz sizes (6 each).
MINUTES = {"sift": 20, "verifying-images": 25, "rti-requests": 30}
QUESTIONS = 6


@pytest.fixture(scope="module")
def site_url(serve_directory: Callable[[Path], str]) -> str:
    return serve_directory(example_site())


def wait_until_read(page: Page, module: str) -> None:
    """Until the module's end has been seen and recorded (a condition, polled)."""
    deadline = time.monotonic() + 10
    script = f"() => JSON.parse(localStorage.getItem('sabaq:v1:progress:{COURSE}') || '{{}}')"
    while not ((page.evaluate(script).get("modules") or {}).get(module) or {}).get("read"):
        assert time.monotonic() < deadline, f"{module} was never recorded as read"


def summary(language: str, read: int, minutes_left: int) -> str:
    text = messages(language)
    return text.text(
        "progress_summary", read=read, total=len(MINUTES), left=text.plural("minutes", minutes_left)
    )


def test_reading_and_a_quiz_show_on_the_overview(page: Page, site_url: str) -> None:
    overview = f"{site_url}en/{COURSE}/"
    page.goto(overview)
    box = page.locator("[data-sabaq-dashboard]")
    expect(box.locator("[data-sabaq-dashboard-summary]")).to_have_text(
        summary("en", 0, sum(MINUTES.values()))
    )
    expect(box.locator("[data-sabaq-dashboard-continue]")).to_be_hidden()

    # Read the first module to its end, and answer one question of its quiz rightly.
    open_quiz(page, f"{site_url}en/{COURSE}/sift/")
    first = question(page, "sift-s")
    choose("Stop")(first)
    press(first, "check")
    page.locator("[data-sabaq-module-end]").scroll_into_view_if_needed()
    wait_until_read(page, "sift")
    # Open the second and leave it before its end: that is where the reader stopped.
    page.goto(f"{site_url}en/{COURSE}/verifying-images/")

    page.goto(overview)
    text = messages("en")
    expect(box.locator("[data-sabaq-dashboard-summary]")).to_have_text(
        summary("en", 1, MINUTES["verifying-images"] + MINUTES["rti-requests"])
    )
    sift = box.locator('[data-sabaq-dashboard-module="sift"]')
    expect(sift).to_contain_text(text.text("progress_read"))
    expect(sift).to_contain_text(text.text("progress_score", score="1", total=QUESTIONS))
    expect(box.locator('[data-sabaq-dashboard-module="rti-requests"]')).to_contain_text(
        text.text("progress_unread")
    )
    page.get_by_role("link", name=text.text("progress_continue")).click()
    page.wait_for_url(f"**/{COURSE}/verifying-images/")

    # Progress is the reader's, not the language's: the Russian overview shows the same.
    page.goto(f"{site_url}ru/{COURSE}/")
    expect(box.locator("[data-sabaq-dashboard-summary]")).to_have_text(
        summary("ru", 1, MINUTES["verifying-images"] + MINUTES["rti-requests"])
    )

    # Erased from the footer, the dashboard starts again.
    ru = messages("ru")
    page.get_by_role("button", name=ru.text("wipe_open")).click()
    page.get_by_role("button", name=ru.text("wipe_yes"), exact=True).click()
    expect(box.locator("[data-sabaq-dashboard-summary]")).to_have_text(
        summary("ru", 0, sum(MINUTES.values()))
    )


def test_without_javascript_the_overview_reads_as_before() -> None:
    html = (example_site() / "en" / COURSE / "index.html").read_text(encoding="utf-8")
    assert "data-sabaq-dashboard=" in html and " hidden>" in html.split("data-sabaq-dashboard=")[1]
