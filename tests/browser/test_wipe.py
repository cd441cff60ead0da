"""'Erase everything this site stored on this device', from any page's footer: after it no
`sabaq:` key, no `sabaq-` cache and no service worker of the site is left, what belongs to others
is untouched, and the reader is told what was removed. Also from the file:// package."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sabaq_site import (
    CachingServer,
    build,
    copy_example_project,
    example_site,
    files_only_context,
    save_course_offline,
    unpacked_package,
)

from builder.content.languages import LANGUAGE_CODES
from builder.render.i18n import messages

COURSE = "right-to-information"
STORED = "() => Object.keys(localStorage).filter((key) => key.startsWith('sabaq:')).sort()"


def erase_with_the_keyboard(page: Page, language: str) -> None:
    text = messages(language)
    opener = page.get_by_role("button", name=text.text("wipe_open"))
    opener.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=text.text("wipe_no"))).to_be_focused()
    page.get_by_role("button", name=text.text("wipe_yes"), exact=True).click()
    expect(page.locator("[data-sabaq-wipe-status]")).to_have_text(
        text.text("wipe_done"), timeout=15_000
    )


def save_a_request(page: Page) -> None:
    """A real saved request, through the request builder's form."""
    form = page.locator("[data-sabaq-rti-form]")
    form.locator("select[name=country]").select_option("kyrgyzstan")
    for name in ("name", "address", "contact", "body", "information"):
        form.locator(f"[name={name}]").fill(f"Test {name}")
    form.locator("button[type=submit]").click()
    page.get_by_role("button", name=messages("en").text("rti_save")).click()
    expect(page.locator("[data-sabaq-rti-list] > li")).to_have_count(1)


def test_erases_storage_offline_copies_and_the_app(chromium: Browser, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(copy_example_project(tmp_path / "project"), site, "en")
    server = CachingServer(site).start()
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    save_course_offline(page, server.base, "en", COURSE)
    page.goto(f"{server.base}en/{COURSE}/request-builder/")
    save_a_request(page)
    page.evaluate("() => localStorage.setItem('another-site:setting', 'kept')")
    assert page.evaluate(STORED) != []
    assert any(name.startswith("sabaq-") for name in page.evaluate("() => caches.keys()"))

    erase_with_the_keyboard(page, "en")

    assert page.evaluate(STORED) == []
    assert page.evaluate("() => localStorage.getItem('another-site:setting')") == "kept"
    assert not any(name.startswith("sabaq-") for name in page.evaluate("() => caches.keys()"))
    registrations = page.evaluate(
        "async () => (await navigator.serviceWorker.getRegistrations()).length"
    )
    assert registrations == 0
    # The list on the page is the stored one: after a reload it is empty.
    page.reload()
    expect(page.locator("[data-sabaq-rti-list] > li")).to_have_count(0)
    context.close()
    server.stop()
    assert errors == []


def test_erases_from_the_package(chromium: Browser, tmp_path: Path) -> None:
    root = unpacked_package(COURSE, "ru", tmp_path)
    context, refused = files_only_context(chromium)
    page = context.new_page()
    page.goto((root / COURSE / "request-builder" / "index.html").as_uri())
    page.evaluate("() => localStorage.setItem('sabaq:v1:rti-requests', '[]')")
    erase_with_the_keyboard(page, "ru")
    assert page.evaluate(STORED) == []
    context.close()
    assert refused == []


def test_every_language_offers_it_in_its_own_words() -> None:
    site = example_site()
    for language in LANGUAGE_CODES:
        page = (site / language / "index.html").read_text(encoding="utf-8")
        assert messages(language).text("wipe_open") in page, language
        assert "data-sabaq-wipe " in page and "assets/sabaq/wipe.js" in page
