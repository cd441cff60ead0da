"""The request builder in Chromium, for each of the four countries: the letter names the law and
its article and carries every field, the due date is explained for a sending date that crosses a
weekend and a public holiday, and the reader's list survives a reload, is exported, wiped and
imported again (a foreign file refused, nothing lost). Also from the file:// package with the
network refused, and at 320 px with the keyboard alone.

The expectations come from the bundled rti.yml and the holidays package (through
builder/features/rti), never from the page.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sabaq_site import (
    REPO,
    CachingServer,
    build,
    copy_example_project,
    example_site,
    files_only_context,
    save_course_offline,
    unpacked_package,
)

from builder.content.load import load_project
from builder.content.model import Country
from builder.content.project import Project
from builder.content.validate import validate_project
from builder.features.rti.page import date_style, deadline_phrase, holiday_years
from builder.features.rti.workdays import due_date, holiday_dates
from builder.render.i18n import messages

COURSE = "right-to-information"
#: country, page language, letter language: every country, and letters in other languages.
CASES = [
    ("kazakhstan", "en", "kk"),
    ("kyrgyzstan", "ru", "ky"),
    ("tajikistan", "tg", "ru"),
    ("uzbekistan", "uz", "uz"),
]
VALUES = {
    "name": "Aigerim Test-Reporter",
    "address": "12 Example Street, Example City",
    "contact": "reporter@example.org",
    "iin": "000000000000",
    "body": "Ministry of Examples",
    "information": "The number of school buildings found unsafe in 2025, by region.",
}


@pytest.fixture(scope="module")
def project() -> Project:
    project, errors = validate_project(load_project(REPO))
    assert errors == []
    return project


@pytest.fixture(scope="module")
def site_url(serve_directory: Callable[[Path], str]) -> str:
    return serve_directory(example_site())


def country_in(project: Project, language: str, country_id: str) -> Country:
    return next(c for c in project.rti[language].rules.countries if c.id == country_id)


def written(day: dt.date, language: str) -> str:
    style = date_style(language)
    return (
        style["template"]
        .replace("{dd}", f"{day.day:02d}")
        .replace("{d}", str(day.day))
        .replace("{m}", style["months"][day.month - 1])
        .replace("{y}", str(day.year))
    )


def sending_date(country: Country) -> dt.date:
    """Two days before the first weekday public holiday of next year: ten working days from it
    cross that holiday and a weekend."""
    year = holiday_years(dt.date.today())[1]
    table = holiday_dates(country.holidays, [year])
    holiday = next(
        day for day in map(dt.date.fromisoformat, table) if day.weekday() < 5 and day.month > 1
    )
    return holiday - dt.timedelta(days=2)


def fill_form(page: Page, country: Country, letter_language: str, sent: dt.date) -> None:
    form = page.locator("[data-sabaq-rti-form]")
    form.locator("select[name=country]").select_option(country.id)
    form.locator("select[name=letter_language]").select_option(letter_language)
    for name, value in VALUES.items():
        field = form.locator(f"[name={name}]")
        if name == "iin" and "iin" not in country.extra_fields:
            expect(field).to_be_hidden()
            continue
        field.fill(value)
    form.locator("[name=journalist]").check()
    form.locator("[name=sent]").fill(sent.isoformat())
    form.locator("button[type=submit]").click()


def saved_items(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("[data-sabaq-rti-list] > li")


@pytest.mark.parametrize(("country_id", "language", "letter_language"), CASES)
def test_letter_due_date_and_my_requests(
    page: Page,
    site_url: str,
    project: Project,
    tmp_path: Path,
    country_id: str,
    language: str,
    letter_language: str,
) -> None:
    text = messages(language)
    letter_country = country_in(project, letter_language, country_id)
    page_country = country_in(project, language, country_id)
    sent = sending_date(page_country)
    page.goto(f"{site_url}{language}/{COURSE}/request-builder/")

    # Nothing filled in: the missing fields are announced, and the first one takes the focus.
    page.locator("[data-sabaq-rti-form] button[type=submit]").click()
    expect(page.locator("[data-sabaq-rti-errors]")).to_contain_text(text.text("rti_name"))
    expect(page.locator("[data-sabaq-rti-form] [name=name]")).to_be_focused()

    fill_form(page, page_country, letter_language, sent)
    letter = page.locator("[data-sabaq-rti-letter]")
    expect(letter).to_be_visible()
    body = letter.inner_text()
    assert letter_country.law in body
    if letter_country.article:
        assert letter_country.article in body
    for name, value in VALUES.items():
        assert (value in body) == (name != "iin" or "iin" in letter_country.extra_fields), name
    letter_text = messages(letter_language)
    assert letter_text.text("rti_letter_journalist") in body
    assert written(sent, letter_language) in body
    assert letter.get_attribute("lang") == letter_language

    due, skipped = due_date(
        sent,
        page_country.deadline.days,
        page_country.deadline.count,
        set(holiday_dates(page_country.holidays, holiday_years(dt.date.today()))),
    )
    explanation = page.locator("[data-sabaq-rti-due]")
    phrase = deadline_phrase(page_country, text)
    expect(explanation).to_contain_text(
        text.text("rti_due", days=phrase, start=written(sent, language), due=written(due, language))
    )
    if page_country.deadline.count == "working":
        assert skipped, "the sending date was chosen to cross a public holiday"
        expect(explanation).to_contain_text(written(skipped[0], language))
    if page_country.deadline.confidence == "uncertain":
        expect(explanation).to_contain_text(text.text("rti_due_uncertain", days=phrase))

    # Saved on this device: still there after a reload, and its state can change.
    page.get_by_role("button", name=text.text("rti_save")).click()
    expect(page.locator("[data-sabaq-rti-status]")).to_have_text(text.text("rti_saved"))
    page.reload()
    expect(saved_items(page)).to_have_count(1)
    item = saved_items(page).first
    item.locator("select").select_option("answered")
    expect(saved_items(page).first).to_have_attribute("data-sabaq-rti-request-status", "answered")

    # Exported as a file, wiped after a confirmation, and imported back.
    with page.expect_download() as download:
        page.get_by_role("button", name=text.text("rti_export")).click()
    exported = tmp_path / "requests.json"
    download.value.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "sabaq-rti-requests"
    assert [(r["country"], r["status"], r["due"]) for r in data["requests"]] == [
        (country_id, "answered", due.isoformat())
    ]
    page.get_by_role("button", name=text.text("rti_wipe")).click()
    page.get_by_role("button", name=text.text("rti_wipe_yes"), exact=True).click()
    expect(page.locator("[data-sabaq-rti-saved-status]")).to_have_text(text.text("rti_wiped"))
    expect(saved_items(page)).to_have_count(0)
    assert page.evaluate("() => localStorage.getItem('sabaq:v1:rti-requests')") is None

    file_input = page.locator("[data-sabaq-rti-file]")
    file_input.set_input_files(exported)
    expect(page.locator("[data-sabaq-rti-saved-status]")).to_have_text(
        text.plural("rti_imported", 1)
    )
    expect(saved_items(page)).to_have_count(1)

    # A foreign file is refused, in the reader's language, and nothing stored is lost.
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"format": "something-else", "requests": [{"id": "x"}]}))
    file_input.set_input_files(foreign)
    expect(page.locator("[data-sabaq-rti-saved-status]")).to_have_text(text.text("rti_import_bad"))
    expect(saved_items(page)).to_have_count(1)


def test_from_the_package_without_a_network(
    chromium: Browser, project: Project, tmp_path: Path
) -> None:
    root = unpacked_package(COURSE, "en", tmp_path)
    context, refused = files_only_context(chromium)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((root / COURSE / "request-builder" / "index.html").as_uri())
    for country_id, _, _ in CASES:
        country = country_in(project, "en", country_id)
        fill_form(page, country, "en", sending_date(country))
        expect(page.locator("[data-sabaq-rti-letter]")).to_contain_text(country.law)
        page.get_by_role("button", name=messages("en").text("rti_save")).click()
    page.reload()
    expect(saved_items(page)).to_have_count(len(CASES))
    assert page.evaluate("window.__sabaqViolations") == []
    context.close()
    assert refused == [] and errors == []


def test_keyboard_only_at_320_pixels(page: Page, site_url: str, project: Project) -> None:
    text = messages("en")
    country = country_in(project, "en", "kyrgyzstan")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{site_url}en/{COURSE}/request-builder/")
    page.locator("[data-sabaq-rti-form] select[name=country]").focus()
    page.keyboard.type("Ky")  # a select picks the option a reader types
    expect(page.locator("[data-sabaq-rti-form] select[name=country]")).to_have_value(country.id)
    page.keyboard.press("Tab")  # the letter's language keeps the page's
    for name in ("name", "address", "contact", "body", "information"):
        page.keyboard.press("Tab")
        expect(page.locator(f"[data-sabaq-rti-form] [name={name}]")).to_be_focused()
        page.keyboard.type(VALUES[name])
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the journalist box
    page.keyboard.press("Tab")  # the date, today by default
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    letter = page.locator("[data-sabaq-rti-letter]")
    expect(letter).to_contain_text(text.text("rti_letter_journalist"))
    expect(letter).to_contain_text(country.law)
    expect(page.get_by_role("heading", name=text.text("rti_letter_heading"))).to_be_focused()
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 320


#: The tool's page with its data (every country's holidays, letters in six languages), gzipped.
PAGE_BUDGET_BYTES = 20 * 1024


def test_the_tool_loads_only_on_its_page_within_its_budget() -> None:
    site = example_site()
    for page in site.glob("*/**/index.html"):
        loads = "assets/sabaq/rti.js" in page.read_text(encoding="utf-8")
        assert loads == (page.parent.name == "request-builder"), page
    for language in ("en", "ru", "uz", "kk", "ky", "tg"):
        html = (site / language / COURSE / "request-builder" / "index.html").read_bytes()
        size = len(gzip.compress(html, compresslevel=9, mtime=0))
        assert size <= PAGE_BUDGET_BYTES, f"{language}: {size} bytes gzipped"


def test_from_the_offline_web_app(chromium: Browser, project: Project, tmp_path: Path) -> None:
    """Saved for offline use with the rest of its course, the tool works with no connection."""
    site = tmp_path / "site"
    build(copy_example_project(tmp_path / "project"), site, "en")
    server = CachingServer(site).start()
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    save_course_offline(page, server.base, "en", COURSE)

    context.set_offline(True)
    page.goto(f"{server.base}en/{COURSE}/request-builder/")
    country = country_in(project, "en", "kyrgyzstan")
    fill_form(page, country, "ru", sending_date(country))
    expect(page.locator("[data-sabaq-rti-letter]")).to_contain_text(
        country_in(project, "ru", "kyrgyzstan").law
    )
    # Printed, the page is the letter alone.
    page.emulate_media(media="print")
    expect(page.locator("[data-sabaq-rti-letter]")).to_be_visible()
    for hidden in ("[data-sabaq-rti-form]", "[data-sabaq-rti-saved]", "h1", ".md-header"):
        expect(page.locator(hidden).first).to_be_hidden()
    context.close()
    server.stop()
    assert errors == []
