"""No page of a Sabaq site asks anything of another host, and the Content-Security-Policy is
never violated (so it would stop anything that tried). Videos load nothing until clicked."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from sabaq_site import COURSE, MODULES, RECORD_VIOLATIONS, CachingServer, build, example_site

LANGUAGES = ["en", "ru", "uz", "kk", "ky", "tg"]


@pytest.fixture(scope="module")
def server() -> CachingServer:
    server = CachingServer(example_site()).start()
    yield server
    server.stop()


def test_every_page_stays_on_the_site_without_policy_violations(
    chromium: Browser, server: CachingServer
) -> None:
    context = chromium.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    addresses = [f"en/{COURSE}/", *(f"en/{COURSE}/{module}/" for module in MODULES)]
    addresses += [f"{language}/" for language in LANGUAGES] + [""]
    violations = []
    for address in addresses:
        page.goto(server.base + address + ("?choose" if address == "" else ""))
        page.wait_for_load_state("networkidle")
        if address == f"en/{COURSE}/{MODULES[-1]}/":
            # Search loads the index, the worker and its stemmers: they must come from the site too.
            page.click("input.md-search__input")
            page.keyboard.type("lateral", delay=20)
            page.wait_for_selector(".md-search-result__item")
        violations += [f"{address}: {v}" for v in page.evaluate("window.__sabaqViolations")]
    context.close()
    elsewhere = [url for url in requests if not url.startswith(server.base)]
    assert elsewhere == []
    assert violations == []
    assert errors == []


def test_every_page_carries_the_policy() -> None:
    site = example_site()
    root_pages = [site / "index.html", site / "404.html"]
    pages = [p for p in site.rglob("*.html") if "downloads" not in p.parts and p not in root_pages]
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert (
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self';"
            in text
        ), page
        # No inline script left but JSON data, which is never executed.
        for chunk in text.split("<script")[1:]:
            assert chunk.startswith(
                (" src=", ' id="__config" type="application/json"', ' type="application/json"')
            ), (page, chunk[:80])
    # The pages at the site's root carry their one small script inline, allowed by its hash only.
    for page in root_pages:
        text = page.read_text(encoding="utf-8")
        assert re.search(r"default-src 'self'; script-src 'sha256-[A-Za-z0-9+/=]+';", text), page
        assert "unsafe-inline" not in text


VIDEO_PROJECT = {
    "courses/demo/course.yml": """
        id: demo
        title: Demo course
        summary: A tiny course.
        level: beginner
        languages: [en]
        modules: [watch]
        """,
    "courses/demo/01-watch.yml": """
        id: watch
        title: Watch this
        duration_minutes: 10
        sections:
          - heading: A video
            body: |
              Before the video.

              ::video https://www.youtube.com/watch?v=dQw4w9WgXcQ "Lateral reading in practice" 4:35

              After the video.
        """,
}


@pytest.fixture(scope="module")
def video_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("video")
    for relative, text in VIDEO_PROJECT.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    build(root, root / "site", "en")
    return root / "site"


def test_a_video_loads_nothing_from_its_provider_until_clicked(
    chromium: Browser, video_site: Path
) -> None:
    server = CachingServer(video_site).start()
    context = chromium.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    elsewhere: list[str] = []

    def only_the_site(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith(server.base):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_site)
    page = context.new_page()
    page.goto(server.base + "en/demo/watch/")
    page.wait_for_load_state("networkidle")
    placeholder = page.locator("[data-sabaq-embed=youtube]")
    assert placeholder.locator("figcaption").inner_text() == "Lateral reading in practice"
    assert "Duration: 4:35" in placeholder.inner_text()
    assert "Nothing is loaded from YouTube until you press the button" in placeholder.inner_text()
    assert elsewhere == []
    assert page.locator("iframe").count() == 0

    # Only now does the page ask the provider for anything: wait until that request is refused
    # (only_the_site has noted it by then).
    with page.expect_event("requestfailed", lambda r: not r.url.startswith(server.base)):
        placeholder.get_by_text("Load the video from YouTube").click()
    player = placeholder.locator("iframe")
    assert (
        player.get_attribute("src")
        == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    )
    assert elsewhere and all(
        url.startswith("https://www.youtube-nocookie.com/") for url in elsewhere
    )
    assert page.evaluate("window.__sabaqViolations") == []
    context.close()
    server.stop()
