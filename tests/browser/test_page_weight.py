"""Page weight budgets on the bundled example site (docs/performance.md).

Bytes are what the server sends, each response body gzip-compressed as a host that compresses
would send it; the server caches like a static host (pages revalidated, assets kept for a day).
Everything counts, including what the service worker stores while the page loads.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sabaq_site import COURSE, REPO, CachingServer, build, example_site

#: A module page of the bundled course, with its picture.
FIRST_LOAD_BUDGET = 70_000
REPEAT_VIEW_BUDGET = 30_000
#: A module page of the benchmark's large project (30 courses): what every page loads, and its
#: navigation, must not grow with the catalogue.
LARGE_PROJECT_FIRST_LOAD_BUDGET = 60_000
#: Then opening search there: it reads the page's course's index, whatever the catalogue's size.
LARGE_PROJECT_OPENING_SEARCH_BUDGET = 100_000


@pytest.fixture(scope="module")
def server() -> CachingServer:
    server = CachingServer(example_site()).start()
    yield server
    server.stop()


def _settle(page: Page, server: CachingServer) -> None:
    page.wait_for_load_state("networkidle")
    # The service worker installs in the background: wait until it has stored the shell, and
    # until what it refreshes in the background has arrived too.
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    server.wait_until_quiet()


def _report(server: CachingServer, label: str) -> str:
    lines = [f"{label}: {server.bytes_sent()} bytes gzipped in {len(server.sent)} responses"]
    lines += [
        f"  {item.gzip_bytes:>7}  {item.path}"
        for item in sorted(server.sent, key=lambda s: -s.gzip_bytes)
    ]
    return "\n".join(lines)


def _opening_search(chromium: Browser, server: CachingServer, path: str) -> int:
    """What opening search on `path` costs once the page has loaded: Material's bundle, its
    search worker and the index the page searches."""
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{server.base}{path}")
    _settle(page, server)
    server.sent.clear()
    page.click("input.md-search__input")
    page.keyboard.type("module", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    server.wait_until_quiet()
    context.close()
    return server.bytes_sent()


def _first_load(chromium: Browser, server: CachingServer, path: str) -> int:
    context = chromium.new_context()
    page = context.new_page()
    server.sent.clear()
    page.goto(f"{server.base}{path}")
    _settle(page, server)
    context.close()
    return server.bytes_sent()


def test_a_module_page_stays_light_in_a_large_catalogue(chromium: Browser, tmp_path: Path) -> None:
    generate = [sys.executable, str(REPO / "bench" / "generate.py"), "--size", "large",
                "--languages", "en", "--out", str(tmp_path)]  # fmt: skip
    subprocess.run(generate, check=True, capture_output=True, timeout=120)
    build(tmp_path / "sabaq", tmp_path / "site", "en")
    courses = sorted(p.name for p in (tmp_path / "site" / "en").iterdir() if p.name[:1] == "c")
    assert len(courses) == 30
    server = CachingServer(tmp_path / "site").start()
    try:
        module = next(
            p.name for p in sorted((tmp_path / "site" / "en" / courses[-1]).iterdir())
            if p.name.startswith("m")
        )  # fmt: skip
        first = _first_load(chromium, server, f"en/{courses[-1]}/{module}/")
        report = _report(server, "first load of a module page of course 30 of 30")
        print(report)
        searching = _opening_search(chromium, server, f"en/{courses[-1]}/{module}/")
        search_report = _report(server, "then opening search on it")
        print(search_report)
        fetched = [item.path for item in server.sent if item.path.startswith("/en/search/")]
    finally:
        server.stop()
    assert first <= LARGE_PROJECT_FIRST_LOAD_BUDGET, report
    # The page searches its course (and the glossary): not the 30 courses' index.
    assert fetched == [f"/en/search/courses/{courses[-1]}.json"], search_report
    assert searching <= LARGE_PROJECT_OPENING_SEARCH_BUDGET, search_report


def test_a_module_page_is_light_on_first_load_and_on_the_next_page(
    chromium: Browser, server: CachingServer
) -> None:
    context = chromium.new_context()
    page = context.new_page()
    server.sent.clear()
    page.goto(f"{server.base}en/{COURSE}/sift/")
    _settle(page, server)
    first = server.bytes_sent()
    print(_report(server, "first load of en/sift"))

    server.sent.clear()
    page.goto(f"{server.base}en/{COURSE}/rti-requests/")
    _settle(page, server)
    repeat = server.bytes_sent()
    print(_report(server, "then en/rti-requests"))
    context.close()
    assert first <= FIRST_LOAD_BUDGET, _report(server, "first")
    assert repeat <= REPEAT_VIEW_BUDGET
