"""The course's completion rule, its certificate and the progress file in Chromium: the overview
states the rule; once a reader has read every module and passed each quiz, it links the
certificate, which shows the name they type (kept on the device), the course, its version, the date
and the scores, and prints alone on the page. The reader's progress goes out as a file and a QR
code (decoded here), and comes back on another device from the file; a foreign or broken file is
refused and nothing stored is lost. Strings come from builder/locales, in the page's language."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sabaq_site import files_only_context
from sabaq_testing import write_files
from test_quiz_engine import choose, open_quiz, press, question

from builder.build.pipeline import build_project
from builder.render.i18n import messages

PROJECT: dict[str, str | bytes] = {
    "courses/demo/course.yml": """
        id: demo
        title: Demo course
        summary: A tiny course.
        level: beginner
        languages: [en, ru, tg]
        modules: [first, second]
        completion:
          pass_mark: 100
        """,
    "courses/demo/01-first.yml": """
        id: first
        title: First module
        duration_minutes: 5
        sections:
          - heading: Start
            body: Hello.
        quiz:
          bank: basics
        """,
    "courses/demo/02-second.yml": """
        id: second
        title: Second module
        duration_minutes: 5
        sections:
          - heading: More
            body: The end.
        """,
    "quizzes/basics.yml": """
        id: basics
        title: Basics
        questions:
          - id: q1
            type: single
            prompt: Which comes first?
            options:
              - id: stop
                text: Stop
                correct: true
              - id: share
                text: Share
        """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("certificate")
    project = write_files(root / "project", PROJECT)
    report = build_project(project, root / "site", use_cache=False)
    assert report.ok, report.errors
    return root / "site"


@pytest.fixture(scope="module")
def site_url(site: Path, serve_directory: Callable[[Path], str]) -> str:
    return serve_directory(site)


def wait_until_read(page: Page, module: str) -> None:
    deadline = time.monotonic() + 10
    script = "() => JSON.parse(localStorage.getItem('sabaq:v1:progress:demo') || '{}')"
    while not ((page.evaluate(script).get("modules") or {}).get(module) or {}).get("read"):
        assert time.monotonic() < deadline, f"{module} was never recorded as read"


def read_to_the_end(page: Page, url: str, module: str) -> None:
    page.goto(url)
    page.locator("[data-sabaq-module-end]").scroll_into_view_if_needed()
    wait_until_read(page, module)


def test_the_rule_then_the_certificate(page: Page, site_url: str) -> None:
    en = messages("en")
    page.set_viewport_size({"width": 320, "height": 720})
    page.goto(f"{site_url}en/demo/")
    box = page.locator("[data-sabaq-dashboard]")
    expect(box.locator("[data-sabaq-dashboard-rule]")).to_have_text(
        en.text("progress_rule", mark=100)
    )
    expect(box.locator("[data-sabaq-dashboard-summary]")).not_to_be_empty()
    expect(box.locator("[data-sabaq-dashboard-complete-area]")).to_be_hidden()
    version = box.get_attribute("data-sabaq-course-version")
    assert version and len(version) == 12

    # Before: the certificate page says what is missing, and offers nothing to print.
    page.goto(f"{site_url}en/demo/certificate/")
    status = page.locator("[data-sabaq-certificate-status]")
    expect(status).to_have_text(
        "Not complete yet: 0 of 2 modules read, 0 of 1 quizzes at 100 % or more."
    )
    expect(page.locator("[data-sabaq-certificate-sheet]")).to_be_hidden()

    # Read both modules and answer the quiz rightly.
    open_quiz(page, f"{site_url}en/demo/first/")
    first = question(page, "q1")
    choose("Stop")(first)
    press(first, "check")
    page.locator("[data-sabaq-module-end]").scroll_into_view_if_needed()
    wait_until_read(page, "first")
    read_to_the_end(page, f"{site_url}en/demo/second/", "second")

    page.goto(f"{site_url}en/demo/")
    expect(box.locator("[data-sabaq-dashboard-complete-area]")).to_be_visible()
    expect(box.locator("[data-sabaq-dashboard-complete]")).to_have_text(
        en.text("progress_complete")
    )
    # By keyboard: the certificate link is reachable with Tab and opens with Enter.
    link = box.get_by_role("link", name=en.text("certificate_title"))
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/demo/certificate/")

    expect(status).to_have_text(en.text("certificate_ready"))
    name = page.get_by_label(en.text("certificate_name_label"))
    name.focus()
    page.keyboard.type("Dilnoza Karimova")
    sheet = page.locator("[data-sabaq-certificate-sheet]")
    expect(sheet.locator("[data-sabaq-certificate-name]")).to_have_text("Dilnoza Karimova")
    expect(sheet).to_contain_text("Demo course")
    expect(sheet).to_contain_text(version)
    expect(sheet.locator("[data-sabaq-certificate-scores] li")).to_have_text(
        ["First module: 1 of 1"]
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=en.text("certificate_print"))).to_be_focused()

    # Printed, the sheet is alone on the page: no header, navigation, heading or form.
    page.emulate_media(media="print")
    expect(sheet).to_be_visible()
    for hidden in (".md-header", ".md-sidebar--primary", "h1", "[data-sabaq-certificate-form]"):
        expect(page.locator(hidden).first).to_be_hidden()
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper)
        assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    page.emulate_media(media="screen")

    # The same reader in Tajik: the progress and the name are the reader's, not the language's.
    tg = messages("tg")
    page.goto(f"{site_url}tg/demo/certificate/")
    expect(status).to_have_text(tg.text("certificate_ready"))
    expect(sheet.locator("[data-sabaq-certificate-name]")).to_have_text("Dilnoza Karimova")
    expect(sheet).to_contain_text(tg.text("certificate_heading"))


def test_the_certificate_page_works_from_the_package(
    chromium: Browser, site: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(site / "downloads" / "demo-ru.zip") as archive:
        archive.extractall(tmp_path)
    context, refused = files_only_context(chromium)
    try:
        page = context.new_page()
        page.goto((tmp_path / "demo-ru" / "demo" / "certificate" / "index.html").as_uri())
        ru = messages("ru")
        expect(page.locator("[data-sabaq-certificate-status]")).to_have_text(
            ru.text("certificate_not_yet", read=0, total=2, passed=0, quizzes=1, mark=100)
        )
        expect(page.locator("[data-sabaq-certificate-needs-js]")).to_be_hidden()
        # The overview's progress file and QR code work from the package too.
        page.goto((tmp_path / "demo-ru" / "demo" / "index.html").as_uri())
        with page.expect_download() as download:
            page.get_by_role("button", name=ru.text("progress_send")).click()
        assert json.loads(Path(download.value.path()).read_text("utf-8"))["course"] == "demo"
        page.get_by_role("button", name=ru.text("progress_qr")).click()
        expect(page.get_by_role("img", name=ru.text("progress_qr_label"))).to_be_visible()
        assert page.evaluate("window.__sabaqViolations") == []
        assert refused == []
    finally:
        context.close()


@pytest.fixture
def no_script_page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_without_javascript_the_page_says_what_it_needs(
    no_script_page: Page, site_url: str
) -> None:
    no_script_page.goto(f"{site_url}en/demo/certificate/")
    expect(no_script_page.locator("[data-sabaq-certificate-needs-js]")).to_have_text(
        messages("en").text("certificate_needs_js")
    )
    expect(no_script_page.locator("[data-sabaq-certificate]")).to_be_hidden()


def complete_the_course(page: Page, site_url: str) -> None:
    open_quiz(page, f"{site_url}en/demo/first/")
    first = question(page, "q1")
    choose("Stop")(first)
    press(first, "check")
    page.locator("[data-sabaq-module-end]").scroll_into_view_if_needed()
    wait_until_read(page, "first")
    read_to_the_end(page, f"{site_url}en/demo/second/", "second")


def test_the_progress_file_its_qr_code_and_restoring_it(
    chromium: Browser, page: Page, site_url: str, tmp_path: Path
) -> None:
    import zxingcpp
    from PIL import Image

    en = messages("en")
    page.set_viewport_size({"width": 320, "height": 720})
    complete_the_course(page, site_url)
    page.goto(f"{site_url}en/demo/certificate/")
    page.get_by_label(en.text("certificate_name_label")).fill("Фарангис Раҳимова")
    page.goto(f"{site_url}en/demo/")
    box = page.locator("[data-sabaq-dashboard]")
    version = box.get_attribute("data-sabaq-course-version")

    send = page.get_by_role("button", name=en.text("progress_send"))
    send.focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith("sabaq-progress-demo-")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    sent = json.loads(saved.read_text(encoding="utf-8"))
    assert sent["format"] == "sabaq-progress" and sent["version"] == 1
    assert (sent["course"], sent["course_version"], sent["name"]) == (
        "demo",
        version,
        "Фарангис Раҳимова",
    )
    assert set(sent["modules"]) == {"first", "second"}
    assert all(entry["read"] for entry in sent["modules"].values())
    assert sent["quizzes"] == {"first": {"answered": 1, "score": 1, "total": 1}}
    assert set(sent["answers"]["first"]) == {"q1"}

    # The QR code holds the same statement, without the answers: decoded from the screen.
    page.get_by_role("button", name=en.text("progress_qr")).click()
    code = page.get_by_role("img", name=en.text("progress_qr_label"))
    expect(code).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    picture = Image.open(io.BytesIO(code.screenshot(scale="css")))
    found = zxingcpp.read_barcodes(
        picture.convert("L").resize((picture.width * 4, picture.height * 4))
    )
    assert len(found) == 1
    scanned = json.loads(found[0].text)
    assert "answers" not in scanned
    assert {k: v for k, v in scanned.items() if k != "exported"} == {
        k: v for k, v in sent.items() if k not in ("exported", "answers")
    }

    # On another device (a fresh browser), the file restores the progress.
    context = chromium.new_context()
    try:
        other = context.new_page()
        other.goto(f"{site_url}ru/demo/")
        ru = messages("ru")
        other_box = other.locator("[data-sabaq-dashboard]")
        expect(other_box.locator("[data-sabaq-dashboard-complete-area]")).to_be_hidden()
        message = other_box.locator("[data-sabaq-progress-message]")

        def bring(path: Path) -> None:
            with other.expect_file_chooser() as chooser:
                other.get_by_role("button", name=ru.text("progress_restore")).click()
            chooser.value.set_files(str(path))

        bring(saved)
        expect(message).to_have_text(ru.text("progress_restored"))
        expect(other_box.locator("[data-sabaq-dashboard-complete-area]")).to_be_visible()
        stored = other.evaluate("localStorage.getItem('sabaq:v1:progress:demo')")

        # A file of another course, and one that is no JSON at all: refused, nothing lost.
        foreign = tmp_path / "foreign.json"
        foreign.write_text(json.dumps({**sent, "course": "other-course"}), encoding="utf-8")
        broken = tmp_path / "broken.json"
        broken.write_text('{"format": "sabaq-progress", "modules": ', encoding="utf-8")
        for bad in (foreign, broken):
            other.evaluate(
                "document.querySelector('[data-sabaq-progress-message]').textContent = ''"
            )
            bring(bad)
            expect(message).to_have_text(ru.text("progress_bad_file"))
            assert other.evaluate("localStorage.getItem('sabaq:v1:progress:demo')") == stored
        expect(other_box.locator("[data-sabaq-dashboard-complete-area]")).to_be_visible()
    finally:
        context.close()


def test_the_trainers_page_reads_progress_files_in_the_browser(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    page.goto(f"{site_url}ru/demo/")
    version = page.locator("[data-sabaq-dashboard]").get_attribute("data-sabaq-course-version")

    def statement(course: str, course_version: str, name: str) -> str:
        return json.dumps(
            {
                "format": "sabaq-progress",
                "version": 1,
                "course": course,
                "course_version": course_version,
                "name": name,
                "exported": "2026-12-04T09:30:00Z",
                "modules": {"first": {"read": "2026-12-03T10:00:00Z"}},
                "quizzes": {"first": {"answered": 1, "score": 1, "total": 1}},
            },
            ensure_ascii=False,
        )

    files = {
        "aziz.json": statement("demo", version, "Азиз"),
        "old.json": statement("demo", "0123456789ab", "Madina"),
        "other.json": statement("not-here", "ffffffffffff", "Saida"),
        "photo.json": "\x89PNG not a progress file",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    ru = messages("ru")
    page.goto(f"{site_url}ru/progress-files/")
    expect(page.locator("[data-sabaq-reader-needs-js]")).to_be_hidden()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=ru.text("reader_choose")).click()
    chooser.value.set_files([str(tmp_path / name) for name in files])
    rows = page.locator("[data-sabaq-reader-table] tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Азиз")
    expect(rows.nth(0).locator("td").nth(4)).to_have_text("1/2")
    expect(rows.nth(0).locator("td").last).to_have_text("")
    expect(rows.nth(1).locator("td").last).to_have_text(ru.text("reader_other_version"))
    expect(rows.nth(2).locator("td").last).to_have_text(ru.text("reader_unknown_course"))
    expect(page.locator("[data-sabaq-reader-refused] li")).to_have_text(
        [ru.text("reader_refused").format(file="photo.json")]
    )
    with page.expect_download() as download:
        page.get_by_role("button", name=ru.text("reader_csv")).click()
    csv_text = Path(download.value.path()).read_text(encoding="utf-8")
    assert csv_text.splitlines()[1].startswith('"aziz.json","Азиз","Demo course"')
