"""`sabaq build --print`: the printable page and the PDF of each course and language.

One build for the module, of two courses: a small one in two languages (what the printed page
does with links, callouts and a quiz) and a bundled one in all six languages (fonts, text in
every script, page counts, headings kept with their text). Printing all four bundled courses
takes half a minute more and checks nothing these do not (bench/results.md).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sabaq_site import REPO, copy_example_project
from sabaq_testing import MINIMAL_PROJECT, run_sabaq, write_files

from builder.content.load import load_project
from builder.content.validate import validate_project
from builder.features.print.book import plan_books

LANGUAGES = ["en", "ru", "uz", "kk", "ky", "tg"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BUNDLED = "fact-checking-basics"

#: A small course added to the bundled project.
SMALL_COURSE: dict[str, str | bytes] = {
    **{name: text for name, text in MINIMAL_PROJECT.items() if name.startswith("courses/")},
    "courses/demo/01-first.yml": """
        id: first
        title: First module
        duration_minutes: 20
        sections:
          - heading: Start
            body: |
              Read [the second module](second.md) and the [guide](https://guide.example.org/how).
            callouts:
              - kind: tip
                body: A tip that must be framed.
        quiz:
          bank: basics
        """,
    "quizzes/basics.yml": """
        id: basics
        title: Basics
        questions:
          - id: q1
            type: single
            prompt: Which letter starts the alphabet?
            options:
              - id: a
                text: Aleph
                correct: true
                feedback: Feedback that gives the answer away.
              - id: b
                text: Beth
            explanation: An explanation nobody may print.
          - id: q2
            type: matching
            prompt: Match the capital with its country.
            pairs:
              - left: Astana
                right: Kazakhstan
              - left: Bishkek
                right: Kyrgyzstan
        """,
}


@pytest.fixture(scope="module")
def printed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_example_project(tmp_path_factory.mktemp("print"))
    write_files(project, SMALL_COURSE)
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nsite_url: https://courses.example.org/\n")
    done = run_sabaq(
        "build", "--quiet", "--no-cache", "--print", "--course", BUNDLED, "--course", "demo",
        cwd=project,
    )  # fmt: skip
    assert done.code == 0, done.stdout + done.stderr
    return project / "site"


def squeezed(text: str) -> str:
    """Text without whitespace: pypdf puts spaces where a word changes font subset (Kazakh
    letters come from the cyrillic-ext file, the rest of the word from the cyrillic one)."""
    return re.sub(r"\s+", "", text)


def test_the_printed_page_is_a_book_with_a_worksheet_and_no_answers(
    printed_site: Path, page: Page, serve_directory: Callable[[Path], str]
) -> None:
    downloads = printed_site / "downloads"
    assert {"demo-en.print.html", "demo-en.pdf", "demo-ru.print.html", "demo-ru.pdf"} <= {
        path.name for path in downloads.iterdir()
    }
    book = (downloads / "demo-en.print.html").read_text(encoding="utf-8")
    for answer in ("gives the answer away", "nobody may print", "<script", "<button"):
        assert answer not in book
    # Links: to another module inside the book, elsewhere on the web with their address.
    assert '<a href="#second">the second module</a>' in book
    # Pages of the site outside the book (the glossary) lead to its web address.
    bundled = (downloads / f"{BUNDLED}-en.print.html").read_text(encoding="utf-8")
    assert 'href="https://courses.example.org/en/glossary/#sift"' in bundled
    base = serve_directory(printed_site)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{base}downloads/demo-en.print.html")
    expect(page.locator(".sabaq-book__title-page h1")).to_have_text("Demo course")
    expect(page.locator(".sabaq-book__contents li")).to_have_text(["First module", "Second module"])
    expect(page.locator(".sabaq-book__module")).to_have_count(2)
    assert (
        page.locator(".sabaq-book__module h1").first.evaluate("h => getComputedStyle(h).breakAfter")
        == "avoid"
    )
    tip = page.locator(".admonition.tip")
    assert tip.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    guide = page.locator("a[href='https://guide.example.org/how']")
    assert "guide.example.org/how" in guide.evaluate("a => getComputedStyle(a, '::after').content")
    # The worksheet: boxes to tick, and a line per pair with the choices listed once.
    expect(page.locator(".sabaq-quiz__option input[type=radio]")).to_have_count(2)
    expect(page.locator(".sabaq-quiz__pair .sabaq-book__blank")).to_have_count(2)
    expect(page.locator(".sabaq-book__choices")).to_contain_text("Kazakhstan")
    assert page.locator("select, [hidden], .sabaq-quiz__explanation").count() == 0
    # Its own stylesheet and fonts, files of the site: nothing from elsewhere.
    page.wait_for_function("document.fonts.status === 'loaded'")
    fonts = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert fonts and set(fonts) == {"Sabaq Noto Sans"}
    assert any(url.endswith(".woff2") for url in requested)
    assert all(url.startswith(base) for url in requested), requested
    # Accessible as the web pages are: no WCAG 2.1 A or AA violation (axe-core, evaluated
    # through the DevTools protocol, which the page's policy does not govern).
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    violations = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(v => v.id)"
    )
    assert violations == []
    # The course page lists the PDF beside the zip, with its size.
    course_page = (printed_site / "ru" / "demo" / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'href="../../downloads/demo-ru\.pdf" download>Скачать этот курс в формате PDF для печати'
        r"</a> <span data-sabaq-print-size>\(Около \d+,\d МБ\)</span>",
        course_page,
    )
    pdf = PdfReader(downloads / "demo-ru.pdf")
    text = squeezed("".join(p.extract_text() for p in pdf.pages))
    assert squeezed("Demo course") in text
    assert "nobodymayprint" not in text
    # Dated as the packages are, not when printed: two builds of the same files print the same
    # bytes (a site built in parts is the one built whole, tests/test_assemble.py).
    assert pdf.metadata is not None
    assert pdf.metadata["/CreationDate"] == pdf.metadata["/ModDate"] == "D:20240101000000+00'00'"


def test_every_bundled_course_and_language_has_a_book() -> None:
    project, errors = validate_project(load_project(REPO))
    assert not errors
    books = plan_books(project, project.languages())
    expected = {
        f"{c.course.id}-{language}" for c in project.courses for language in c.course.languages
    }
    assert len(expected) >= 4 * len(LANGUAGES)
    assert {book.stem for book in books} == expected
    # An edition of its own (the trainer's) prints to files of its own.
    assert plan_books(project, ["ru"], edition="trainer")[0].pdf_name.endswith("-ru-trainer.pdf")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bundled_course_prints_in_every_script(printed_site: Path, language: str) -> None:
    book = (printed_site / "downloads" / f"{BUNDLED}-{language}.print.html").read_text(
        encoding="utf-8"
    )
    title = html.unescape(re.search(r"<title>(.*?)</title>", book).group(1))  # type: ignore[union-attr]
    pdf = PdfReader(printed_site / "downloads" / f"{BUNDLED}-{language}.pdf")
    assert 8 <= len(pdf.pages) <= 30
    texts = [squeezed(pdf_page.extract_text()) for pdf_page in pdf.pages]
    assert squeezed(title) in texts[0]
    # The module's picture (sift-steps.png) is printed.
    assert sum(len(pdf_page.images) for pdf_page in pdf.pages) == 1
    if language == "uz":
        # Uzbek Latin's oʻ and gʻ: the modifier letter U+02BB, not a quote, comes back out.
        summary = html.unescape(re.search(r"</h1>\n<p>(.*?)</p>", book).group(1))  # type: ignore[union-attr]
        words = [word.strip(".,:;") for word in summary.split() if "\u02bb" in word]
        assert words and all(squeezed(word) in texts[0] for word in words)
    fonts = embedded_fonts(pdf)
    assert any("NotoSans" in name for name in fonts), fonts
    assert all(fonts.values()), f"fonts not embedded: {[n for n, e in fonts.items() if not e]}"
    assert_no_heading_ends_a_page(pdf, book, f"{BUNDLED}-{language}")


def embedded_fonts(pdf: PdfReader) -> dict[str, bool]:
    """Each font the PDF uses, and whether its file is in the PDF (/FontFile2: TrueType,
    /FontFile3: CFF or OpenType)."""
    fonts: dict[str, bool] = {}
    for pdf_page in pdf.pages:
        resources = pdf_page["/Resources"].get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[str(font.get("/BaseFont"))] = any(
                key in descriptor for key in ("/FontFile2", "/FontFile3")
            )
    return fonts


def assert_no_heading_ends_a_page(pdf: PdfReader, book: str, name: str) -> None:
    """The last line of text on a page (above its page number) is never a heading: Chromium
    honoured `break-after: avoid`. Headings are read from the printed page's HTML; one whose
    words are also other text (a quiz option naming a country that is a heading too) is left
    out, as a line of the PDF cannot tell them apart."""
    heading = re.compile(r"<h[1-4][^>]*>(.*?)</h[1-4]>", re.S)
    headings = {
        squeezed(html.unescape(re.sub(r"<[^>]+>", "", text))) for text in heading.findall(book)
    }
    headings -= {
        squeezed(html.unescape(text)) for text in re.findall(r">([^<>]+)<", heading.sub("", book))
    }
    for number, pdf_page in enumerate(pdf.pages, start=1):
        lines = [line for line in pdf_page.extract_text().splitlines() if line.strip()]
        content = [line for line in lines if not re.fullmatch(r"\s*\d+\s*/\s*\d+\s*", line)]
        if content and number < len(pdf.pages):
            assert squeezed(content[-1]) not in headings, (
                f"page {number} of {name} ends with the heading {content[-1]!r}"
            )
