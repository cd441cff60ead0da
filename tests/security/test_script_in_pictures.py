"""No script from a course picture runs in the reader's browser, and the service worker never
serves a stored page that the server did not send, however a script in the site's origin filled
its store. A hostile project is built with the real command line and read in Debian's Chromium
from a local server."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sabaq_testing import MINIMAL_PROJECT, QuietHTTPServer, run_sabaq, write_files

# Chromium runs from a thread of its own: tests/browser keeps a Playwright session open on the
# main thread for the whole run, and Playwright allows one per thread (tests/gates does the same).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gates"))
from sabaq_gates import BrowserWorker, chromium_worker  # noqa: E402

#: Every way the drawing tries to run script: a <script>, an event attribute, HTML inside it.
HOSTILE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"
  onload="localStorage.setItem('ran', 'onload'); fetch('/marker-onload')">
  <script>localStorage.setItem('ran', 'script'); document.title = 'pwned'; fetch('/marker-script');</script>
  <rect id="drawn" width="60" height="40" fill="teal"
    onmouseover="localStorage.setItem('ran', 'mouseover')"/>
  <foreignObject width="120" height="80">
    <body xmlns="http://www.w3.org/1999/xhtml">
      <img src="/marker-missing.png" onerror="localStorage.setItem('ran', 'onerror')"/>
    </body>
  </foreignObject>
  <a href="javascript:localStorage.setItem('ran', 'link')"><text x="5" y="70">Open</text></a>
</svg>
"""
MODULE_SHOWING = """
    id: first
    title: First module
    duration_minutes: 20
    sections:
      - heading: Start
        body: |
          ![A chart](images/chart.svg)
    quiz:
      bank: basics
    """


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserWorker]:
    yield from chromium_worker()


class _Server:
    """Serves a folder on 127.0.0.1 and records every path asked for."""

    def __init__(self, directory: Path) -> None:
        asked = self.asked = []  # type: list[str]

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                asked.append(self.path)
                super().do_GET()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        handler = functools.partial(Handler, directory=str(directory))
        self.server = QuietHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _built(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    project = write_files(tmp_path / "project", {**MINIMAL_PROJECT, **files})
    run = run_sabaq("build", "--lang", "en", "--no-cache", cwd=project)
    assert run.code == 0, run.stderr
    return project / "site"


def test_a_script_in_an_svg_never_runs(tmp_path: Path, browser: BrowserWorker) -> None:
    site = _built(
        tmp_path,
        {"courses/demo/01-first.yml": MODULE_SHOWING, "courses/demo/images/chart.svg": HOSTILE_SVG},
    )
    server = _Server(site)

    def read(chromium):  # type: ignore[no-untyped-def]
        context = chromium.new_context()
        page = context.new_page()
        try:
            # Opened on its own, as a reader following a link to it would.
            page.goto(f"{server.base}en/demo/images/chart.svg")
            page.locator("rect").wait_for(state="attached")
            drawn = page.evaluate("() => [document.title, localStorage.getItem('ran')]")
            # A reader moving the mouse over it and clicking its link.
            page.hover("rect", force=True)
            page.click("text=Open", force=True, no_wait_after=True)
            drawn.append(page.evaluate("() => localStorage.getItem('ran')"))
            # Shown in the module's page, where it must still be drawn.
            page.goto(f"{server.base}en/demo/first/")
            page.wait_for_function(
                "() => { const img = document.querySelector('img[alt=\"A chart\"]');"
                " return img && img.complete && img.naturalWidth > 0; }"
            )
            shown = page.evaluate("() => localStorage.getItem('ran')")
            return drawn, shown
        finally:
            context.close()

    try:
        drawn, shown = browser.run(read)
    finally:
        server.stop()
    assert drawn == ["", None, None]
    assert shown is None
    assert not [path for path in server.asked if path.startswith("/marker")]
    published = (site / "en/demo/images/chart.svg").read_text(encoding="utf-8")
    for active in ("<script", "onload", "onmouseover", "onerror", "foreignObject", "javascript:"):
        assert active not in published


#: What a script in the site's origin can put in the service worker's store, as an attacker would:
#: a made-up page without the security policy, one with it, and a real page from another address.
POISON = """async ([kind, address, other]) => {
  const name = (await caches.keys()).find((key) => key.startsWith("sabaq-en-"));
  const cache = await caches.open(name);
  const policy = document.querySelector('meta[http-equiv="Content-Security-Policy"]').outerHTML;
  const page = (head) =>
    new Response(`<!doctype html><html><head>${head}<title>poisoned</title></head>` +
      `<body><h1>POISONED</h1><script>localStorage.setItem("ran", "poison")</script></body></html>`,
      { headers: { "Content-Type": "text/html; charset=utf-8" } });
  if (kind === "without the policy") await cache.put(address, page(""));
  if (kind === "with the policy") await cache.put(address, page(policy));
  if (kind === "from another address") await cache.put(address, await fetch(other));
  return (await cache.match(address)) !== undefined;
}"""


@pytest.mark.parametrize("kind", ["without the policy", "with the policy", "from another address"])
def test_the_service_worker_never_serves_a_page_the_server_did_not_send(
    tmp_path: Path, browser: BrowserWorker, kind: str
) -> None:
    site = _built(tmp_path, {})
    server = _Server(site)
    first, second = f"{server.base}en/demo/first/", f"{server.base}en/demo/second/"

    def read(chromium):  # type: ignore[no-untyped-def]
        context = chromium.new_context()
        page = context.new_page()
        try:
            page.goto(f"{server.base}en/")
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            stored = page.evaluate(POISON, [kind, first, second])
            page.goto(first)
            return (
                stored,
                page.locator("h1").inner_text(),
                page.evaluate("() => localStorage.getItem('ran')"),
            )
        finally:
            context.close()

    try:
        stored, heading, ran = browser.run(read)
    finally:
        server.stop()
    assert stored
    assert heading.startswith("First module")
    assert ran is None
