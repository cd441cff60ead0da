"""The installable web app: a saved course reads and searches offline, and a new build replaces
the stored one as a whole."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Browser, Page
from sabaq_site import COURSE, MODULES, CachingServer, build, copy_example_project

NEW_TITLE = "Verifying pictures and film, second edition"


def _controlled(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_a_saved_course_works_offline_and_updates_whole(chromium: Browser, tmp_path: Path) -> None:
    project = copy_example_project(tmp_path / "project")
    site = tmp_path / "site"
    build(project, site, "en")
    server = CachingServer(site).start()
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{server.base}en/{COURSE}/")
    _controlled(page)
    status = page.locator("[data-sabaq-offline-status]")
    size = page.locator("[data-sabaq-offline-size]")
    size.filter(has_text="MB").wait_for()
    assert size.inner_text().startswith("(About 0.")
    page.get_by_role("button", name="Save this course for offline use").click()
    status.filter(has_text="saved on this device").wait_for()

    context.set_offline(True)
    for address in ["", f"{COURSE}/", *(f"{COURSE}/{module}/" for module in MODULES)]:
        page.goto(f"{server.base}en/{address}")
        assert page.locator("h1").count() == 1, address
    page.click("input.md-search__input")
    page.keyboard.type("ombudsman", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    assert "Requests for information" in page.locator(".md-search-result").inner_text()

    old_cache = page.evaluate("() => caches.keys()")
    assert len(old_cache) == 1
    # A new build, with a module renamed, into the same folder the server serves.
    module_file = project / "courses" / COURSE / "02-verifying-images.yml"
    text = module_file.read_text(encoding="utf-8")
    module_file.write_text(
        text.replace("title: Verifying images and video\n", f"title: {NEW_TITLE}\n", 1),
        encoding="utf-8",
    )
    build(project, site, "en")
    context.set_offline(False)
    page.goto(f"{server.base}en/{COURSE}/verifying-images/")
    # The new service worker installs, copies the saved course fresh, and takes over.
    # (page.evaluate, not wait_for_function: that one does not wait for a promise.)
    deadline = time.monotonic() + 15
    while (keys := page.evaluate("() => caches.keys()")) == old_cache or len(keys) != 1:
        assert time.monotonic() < deadline, (
            f"the new service worker did not replace the store: {keys}"
        )
        time.sleep(0.05)
    page.reload()
    page.reload()
    assert page.locator("h1").inner_text().startswith(NEW_TITLE)
    # No stale mix: the navigation and the course page show the new title too.
    page.goto(f"{server.base}en/{COURSE}/")
    assert NEW_TITLE in page.locator("article").inner_text()
    assert "Verifying images and video" not in page.locator("article").inner_text()
    context.set_offline(True)
    page.goto(f"{server.base}en/{COURSE}/verifying-images/")
    assert page.locator("h1").inner_text().startswith(NEW_TITLE)
    context.close()
    server.stop()
    assert errors == []
