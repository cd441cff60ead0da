"""The installable web app: a saved course reads and searches offline, a new build replaces the
stored one as a whole, and an update downloads only the files that changed."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from playwright.sync_api import Browser, Page
from sabaq_site import COURSE, MODULES, CachingServer, build, copy_example_project

NEW_TITLE = "Verifying pictures and film, second edition"
NEW_SENTENCE = "A request is a letter with a date, kept by both sides."
#: What an update may download besides the pages that changed: the new service worker and the
#: digests of the files (offline.json: the language's, and the saved course's).
UPDATE_OVERHEAD_BYTES = 10_000


def _controlled(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def _digests(language_site: Path) -> dict[str, str]:
    return {
        path.relative_to(language_site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in language_site.rglob("*")
        if path.is_file()
    }


def _address_of(name: str) -> str:
    """The path a file of the en site is requested by."""
    return "/en/" + (name.removesuffix("index.html") if name.endswith("index.html") else name)


#: Resolves once the store's names are one name other than `old`, as the browser reports them
#: (the page waits on its own event loop: Playwright's wait_for_function does not await a promise).
NEW_STORE = """
async ([old, milliseconds]) => {
  const deadline = Date.now() + milliseconds;
  for (;;) {
    const keys = await caches.keys();
    if (keys.length === 1 && !old.includes(keys[0])) return keys;
    if (Date.now() > deadline) return keys;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}
"""


#: Reads a search index as search does, then waits until the store holds one with `sentence`;
#: returns whether the first answer had it, and whether the store has it now.
INDEX_REFRESHED = """
async ([index, sentence, milliseconds]) => {
  const address = new URL(index, location.href).href;
  const first = (await (await fetch(address)).text()).includes(sentence);
  const deadline = Date.now() + milliseconds;
  for (;;) {
    const [name] = await caches.keys();
    const stored = await (await caches.open(name)).match(address);
    if (stored && (await stored.text()).includes(sentence)) return [first, true];
    if (Date.now() > deadline) return [first, false];
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}
"""


def _wait_for_new_store(page: Page, old: list[str]) -> None:
    keys = page.evaluate(NEW_STORE, [old, 15_000])
    assert len(keys) == 1 and keys[0] not in old, (
        f"the new service worker did not replace the store: {keys}"
    )


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
    # Search offline: on the course's pages its own index; on the home page, whose index of the
    # whole language was never stored, the saved courses' indexes as one.
    for address in [f"{COURSE}/{MODULES[-1]}/", ""]:
        page.goto(f"{server.base}en/{address}")
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
    _wait_for_new_store(page, old_cache)
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

    # One more build, with a sentence added to one module's text: the update downloads that
    # module's page and the two small files that say what changed; the search index is refreshed
    # when search next reads it.
    context.set_offline(False)
    page.goto(f"{server.base}en/")
    server.wait_until_quiet()
    before = _digests(site / "en")
    old_cache = page.evaluate("() => caches.keys()")
    module_file = project / "courses" / COURSE / "03-rti-requests.yml"
    text = module_file.read_text(encoding="utf-8")
    module_file.write_text(
        text.replace("    body: |\n", f"    body: |\n      {NEW_SENTENCE}\n\n", 1), encoding="utf-8"
    )
    build(project, site, "en")
    after = _digests(site / "en")
    changed = {name for name, digest in after.items() if before.get(name) != digest}
    assert f"{COURSE}/rti-requests/index.html" in changed
    assert f"{COURSE}/sift/index.html" not in changed
    assert f"search/courses/{COURSE}.json" in changed
    pages = {name for name in changed if name.endswith(".html")}
    budget = UPDATE_OVERHEAD_BYTES + sum(
        len(gzip.compress((site / "en" / name).read_bytes(), 6)) for name in pages
    )
    server.sent.clear()
    page.goto(f"{server.base}en/")
    _wait_for_new_store(page, old_cache)
    server.wait_until_quiet()
    # Besides the update: the page the reader opened, revalidated, and the browser's own request
    # for the page's icon.
    opened = {"/en/", "/en/assets/sabaq/favicon.png"}
    update = [item for item in server.sent if item.path not in opened]
    report = "\n".join(f"{item.gzip_bytes:>7} {item.path}" for item in update)
    assert {item.path for item in update} <= {_address_of(name) for name in changed}, report
    sent = sum(item.gzip_bytes for item in update)
    assert sent <= budget, f"{sent} > {budget} bytes:\n{report}"
    assert {"/en/sw.js", "/en/offline.json", f"/en/{COURSE}/rti-requests/"} <= {
        item.path for item in update
    }, report
    assert not [item.path for item in update if item.path.startswith("/en/search/")], report
    # The manifests read: the language's, and the saved course's (not every course's).
    manifests = {item.path for item in update if item.path.endswith("offline.json")}
    assert manifests == {"/en/offline.json", f"/en/{COURSE}/offline.json"}, report
    # The first search after the update reads the old index, and the new one replaces it.
    served_new_at_once, refreshed = page.evaluate(
        INDEX_REFRESHED, [f"search/courses/{COURSE}.json", NEW_SENTENCE, 15_000]
    )
    assert (served_new_at_once, refreshed) == (False, True)
    context.set_offline(True)
    page.goto(f"{server.base}en/{COURSE}/rti-requests/")
    assert NEW_SENTENCE in page.locator("article").inner_text()
    page.goto(f"{server.base}en/{COURSE}/sift/")
    assert page.locator("h1").count() == 1
    context.close()
    server.stop()
    assert errors == []
