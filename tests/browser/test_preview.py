"""The preview (`sabaq serve`) in Chromium: a page open in the browser shows an edit by itself,
under the pages' own security policy, and no service worker keeps an old copy of a page."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect
from sabaq_site import RECORD_VIOLATIONS
from sabaq_testing import CASES, REPO, ctrl_c_as_in_a_terminal, free_port, run_sabaq

from builder.cli.serve import BUILD_ADDRESS
from builder.render.i18n import messages

MODULE = Path("courses/archive-research/01-wayback.yml")
PAGE = "en/archive-research/wayback/"


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`sabaq serve` on a copy of the basic project: (its address, the project)."""
    project = tmp_path / "project"
    shutil.copytree(CASES / "basic", project)
    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "builder", "serve", "--project", str(project)]
            + ["--port", str(port), "--lang", "en"],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_COLOR": "1"},
            preexec_fn=ctrl_c_as_in_a_terminal,
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while "Previewing on" not in log_path.read_text(encoding="utf-8"):
            assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.1)
        yield base, project
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


@pytest.fixture
def page_on_preview(preview: tuple[str, Path], page: Page) -> Page:
    """A browser page opened after the preview started, so closed before it stops (pytest ends
    fixtures in the reverse order): on a stopped preview, the theme's script reports each
    request that failed as an error."""
    return page


def wait_until(page: Page, expression: str, timeout: float = 20) -> None:
    """Poll `expression` in the page until it is true. Playwright's wait_for_function evaluates
    a string with eval(), which the pages' security policy refuses."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if page.evaluate(expression):
                return
        except PlaywrightError as error:  # the page reloaded while it was asked
            if "context was destroyed" not in str(error):
                raise
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        time.sleep(0.1)


def test_an_open_page_shows_an_edit_by_itself(
    page_on_preview: Page, preview: tuple[str, Path]
) -> None:
    page, (base, project) = page_on_preview, preview
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(base + PAGE)
    assert page.locator('script[src="/__sabaq/reload.js"]').count() == 1
    assert "The Wayback Machine" in page.title()
    wait_until(page, "window.__sabaqPreview === true")

    module = project / MODULE
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("The Wayback Machine", "Snapshots of the past"), "utf-8")

    # No reload from the test: the page's own script notices the new build.
    wait_until(page, "document.title.includes('Snapshots of the past')")
    assert page.evaluate("window.__sabaqViolations") == []


def test_no_service_worker_keeps_pages_in_the_preview(
    page_on_preview: Page, preview: tuple[str, Path]
) -> None:
    """A published site's worker answers from its store first; in the preview, every worker
    address gets one that empties the stores and unregisters itself."""
    page, (base, _) = page_on_preview, preview
    with urllib.request.urlopen(base + "en/sw.js", timeout=10) as response:
        worker = response.read().decode("utf-8")
    assert "self.registration.unregister()" in worker and "caches.delete" in worker
    # What an earlier worker stored on this address (a published site's, an earlier preview's),
    # put there from an address with no page, which registers no worker that could clear it.
    page.goto(base + BUILD_ADDRESS.lstrip("/"))
    page.evaluate(
        "caches.open('sabaq-en-earlier').then((store) => store.put('/en/', new Response('old')))"
    )
    assert page.evaluate("caches.keys()") == ["sabaq-en-earlier"]
    page.goto(base + PAGE)  # the page registers the site's worker: the preview's retires it
    wait_until(
        page,
        "navigator.serviceWorker.getRegistrations()"
        ".then(async (all) => all.length === 0 && (await caches.keys()).length === 0)",
    )


def test_built_sites_never_carry_the_preview_script(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(CASES / "basic", project)
    run = run_sabaq("build", "--lang", "en", cwd=project)
    assert run.code == 0, run.stderr
    pages = list((project / "site").rglob("*.html"))
    assert pages and not [p for p in pages if b"__sabaq/" in p.read_bytes()]


def test_the_page_shows_the_course_files_mistakes_and_clears_them_when_fixed(
    page_on_preview: Page, preview: tuple[str, Path]
) -> None:
    page, (base, project) = page_on_preview, preview
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(base + PAGE)
    wait_until(page, "window.__sabaqPreview === true")
    module = project / MODULE
    text = module.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "duration_minutes" in row)
    module.write_text(
        re.sub(r"duration_minutes: \d+", "duration_minutes: soon", text), encoding="utf-8"
    )

    box = page.get_by_role("alert")
    expect(box).to_be_visible(timeout=20_000)
    strings = messages("en")
    expect(box.get_by_role("heading")).to_have_text(strings.text("preview_errors_heading"))
    expect(box).to_contain_text(f"{MODULE.as_posix()}:{line}:19: duration_minutes:")
    expect(box).to_contain_text(f"{strings.text('preview_errors_hint')}: ")
    # The page under it is the last build that worked; Escape hides the box.
    assert "The Wayback Machine" in page.title()
    page.keyboard.press("Escape")
    expect(box).to_be_hidden()

    module.write_text(text, encoding="utf-8")
    # Fixed: the preview builds again, the page reloads by itself, and no box is left.
    wait_until(
        page, "window.__sabaqPreview === true && !document.getElementById('sabaq-preview-errors')"
    )
    expect(page.get_by_role("alert")).to_have_count(0)
    assert page.evaluate("window.__sabaqViolations") == []


def test_the_mistakes_box_speaks_the_pages_language() -> None:
    from builder.cli.serve import _overlay_strings

    assert _overlay_strings("/__sabaq/build?lang=ru")["errors_hide"] == messages("ru").text(
        "preview_errors_hide"
    )
    assert _overlay_strings("/__sabaq/build?lang=xx")["errors_hide"] == "Hide"
