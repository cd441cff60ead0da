"""Gate 4, escaping in the browser: the hostile fixture course (tests/gates/cases/hostile), whose
every text a reader sees carries markup, template syntax and script-running Markdown, is built
and opened in Chromium page by page; on the module page the quiz is answered and the site search
run. Nothing may run, nothing that could run may be in the DOM, and the text must be seen as the
trainer typed it.

The pages' Content-Security-Policy is switched off (bypass_csp): it would stop an inline handler
from running, and this gate is about escaping, so it must see a failure the policy would hide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from sabaq_gates import BrowserWorker, BuiltSite, Servers

from builder.features.offline.single_file import single_file_name

#: What the fixture's texts carry (see cases/hostile/README.md).
HOSTILE = [
    "<script>alert(1)</script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "{{ config }}",
    '{% include "x" %}',
    "[click](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    '{: onclick="alert(1)" }',
    "<svg onload=alert(1)>",
]
#: The fixture's plain-text fields (titles) hold all of them, in this order.
HOSTILE_LINE = " ".join(HOSTILE)
#: Those that are not Markdown syntax, so that every field, Markdown or not, shows them as typed.
#: (In a Markdown field a link becomes a link without its javascript: address, and an attribute
#: list sets attributes, which the safety pass then removes: both are checked in the DOM.)
SHOWN_AS_TYPED = [text for text in HOSTILE if not text.startswith(("[", "{:"))]

#: Finds what could run: on* attributes, javascript: addresses, scripts with code in them that
#: Sabaq did not ship (a script element with an alert() in it can only come from a trainer).
AUDIT_DOM = """
() => {
  const problems = [];
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "poster", "data",
                         "srcdoc", "background"];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\x00-\\x20\\x7f]/g, "").toLowerCase();
      if (name.startsWith("on")) {
        problems.push(`<${element.localName} ${name}="${attribute.value}">`);
      } else if (urlAttributes.includes(name) && /^(javascript|vbscript|data:text\\/html)/.test(value)) {
        problems.push(`<${element.localName} ${name}="${attribute.value}">`);
      }
    }
  }
  for (const script of document.querySelectorAll("script")) {
    if (script.type !== "application/json" && /alert\\(/.test(script.textContent)) {
      problems.push(`<script>${script.textContent.slice(0, 80)}</script>`);
    }
  }
  for (const element of document.querySelectorAll("svg, iframe, object, embed")) {
    if (element.closest("article.md-content__inner")) {
      problems.push(`<${element.localName}> in the article`);
    }
  }
  return problems;
}
"""


@dataclass
class Visit:
    """What happened on one page."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dom_problems: list[str] = field(default_factory=list)
    title: str = ""
    heading: str = ""
    article_text: str = ""
    nav_text: str = ""
    quiz: dict[str, Any] = field(default_factory=dict)
    search_results: list[str] = field(default_factory=list)


#: (page, the start of its <h1>'s text, whether the quiz is on it)
PAGES = [
    ("?choose", None, False),
    ("en/", "Courses", False),
    ("en/hostile/", "Course " + HOSTILE_LINE, False),
    ("en/hostile/everything/", "Module " + HOSTILE_LINE, True),
    ("ru/", None, False),
    ("ru/hostile/", "Курс " + HOSTILE_LINE, False),
    ("ru/hostile/everything/", "Модуль " + HOSTILE_LINE, True),
    ("en/404.html", None, False),
]


#: Resolves to true once every <img> has loaded or failed and the events of that have had their turn: a
#: listener added now runs in the same dispatch as any handler the page set (`onerror`), or the
#: event was dispatched already; the next animation frame comes after both.
EVERY_PICTURE_SETTLED = """() => Promise.all([...document.images].map((img) => img.complete
    ? Promise.resolve()
    : new Promise((done) => { img.addEventListener("load", done); img.addEventListener("error", done); })
  )).then(() => new Promise((done) => requestAnimationFrame(() => setTimeout(() => done(true), 0))))"""


def answer_quiz(page: Any) -> dict[str, Any]:
    """Answers every question with the first choice (or hostile text), checks it, and returns
    the text of every verdict, note and explanation the engine then shows."""
    page.locator("[data-sabaq-quiz][data-sabaq-quiz-restored]").wait_for(state="attached")
    for question in page.locator("[data-sabaq-question]").all():
        kind = question.get_attribute("data-sabaq-type")
        if kind in ("single", "true_false", "claim_rating", "multiple"):
            for choice in question.locator("input").all():
                choice.check()
                if kind != "multiple":
                    break
        elif kind in ("fill_blank", "numeric"):
            question.locator("input[type=text]").fill("<img src=x onerror=alert(1)>")
        elif kind == "ordering":
            question.locator('[data-sabaq-quiz-move="1"]:not([disabled])').first.click()
        elif kind == "matching":
            for select in question.locator("select").all():
                select.select_option(index=1)
        question.locator('[data-sabaq-quiz-action="check"]').click()
        question.locator("[data-sabaq-quiz-feedback]:not([hidden])").wait_for()
    return {
        "questions": page.locator("[data-sabaq-question]").count(),
        "notes": page.locator(".sabaq-quiz__note").all_inner_texts(),
        "explanations": page.locator(
            "[data-sabaq-quiz-explanation]:not([hidden])"
        ).all_inner_texts(),
        "status": page.locator("[data-sabaq-quiz-status]").inner_text(),
    }


def search(page: Any, words: str) -> list[str]:
    """Runs the site search from the header and returns the results' text."""
    page.locator("input.md-search__input").click()
    page.keyboard.type(words)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    return page.locator(".md-search-result__item").all_inner_texts()


def visit(browser: Any, url: str, *, has_quiz: bool) -> Visit:
    result = Visit()
    context = browser.new_context(bypass_csp=True, locale="en-US")
    try:
        page = context.new_page()

        def on_dialog(dialog: Any) -> None:
            result.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: result.errors.append(str(error)))
        page.goto(url)
        page.wait_for_load_state("load")
        if has_quiz:
            result.quiz = answer_quiz(page)
            result.search_results = search(page, "onerror")
        # An <img onerror> would fire once its image failed to load: wait until every picture
        # has loaded or failed, and its events have been dispatched.
        assert page.evaluate(EVERY_PICTURE_SETTLED)
        result.dom_problems = page.evaluate(AUDIT_DOM)
        result.title = page.title()
        article = page.locator("article.md-content__inner")
        if article.count():
            # Without the permalink sign (¶) Python-Markdown's toc adds to the heading.
            result.heading = article.locator("> h1").inner_text().rstrip("¶").strip()
            result.article_text = article.inner_text()
        if page.locator("nav.md-nav--primary").count():
            result.nav_text = page.locator("nav.md-nav--primary").text_content() or ""
    finally:
        context.close()
    return result


@pytest.fixture(scope="module")
def hostile_url(hostile_site: BuiltSite, servers: Servers) -> str:
    return servers.serve(hostile_site.root)


@pytest.mark.parametrize(("path", "heading", "has_quiz"), PAGES, ids=[p for p, _, _ in PAGES])
def test_hostile_text_stays_text(
    browser: BrowserWorker, hostile_url: str, path: str, heading: str | None, has_quiz: bool
) -> None:
    seen = browser.run(lambda chromium: visit(chromium, hostile_url + path, has_quiz=has_quiz))

    assert not seen.dialogs, f"a dialog opened on {path}: {seen.dialogs}"
    assert not seen.dom_problems, f"what could run is in the DOM of {path}:\n" + "\n".join(
        seen.dom_problems
    )
    assert not seen.errors, f"uncaught errors on {path}: {seen.errors}"
    if heading is None:
        return
    # Plain-text fields (titles) show every payload as typed, Markdown link syntax included.
    assert seen.heading == heading
    if heading.endswith(HOSTILE_LINE):
        # Navigation titles and <title> have an invisible word joiner (U+2060) after each "<" of
        # "</", so that no title can end the <title> element (builder/render/pages.py, nav_title).
        assert seen.title.replace("\u2060", "").startswith(heading), seen.title
        nav_text = " ".join(seen.nav_text.replace("\u2060", "").split())
        assert heading in nav_text, f"the navigation of {path} lacks the title: {nav_text}"
    for text in SHOWN_AS_TYPED:
        assert text in seen.article_text, f"{text!r} is not shown on {path}"
    if has_quiz:
        quiz = seen.quiz
        assert quiz["questions"] == 8
        # Every explanation carries a <script> element's worth of text, shown as text.
        assert len(quiz["explanations"]) == 8, quiz["explanations"]
        for explanation in quiz["explanations"]:
            assert "<script>alert(1)</script>" in explanation, explanation
        notes_with_feedback = [note for note in quiz["notes"] if "eedback" in note]
        assert notes_with_feedback, f"no option feedback was shown: {quiz['notes']}"
        for note in notes_with_feedback:
            for text in SHOWN_AS_TYPED:
                assert text in note, f"{text!r} is not shown in the feedback {note!r}"
        assert seen.search_results, "the search found nothing"
        assert any("<img src=x onerror=alert(1)>" in result for result in seen.search_results)


def test_the_fixture_is_hostile_everywhere(hostile_site: BuiltSite) -> None:
    """The built module page really carries every payload (as escaped text), so a clean DOM
    above means the escaping worked, not that the fixture lost its teeth."""
    html = (hostile_site.root / "en" / "hostile" / "everything" / "index.html").read_text("utf-8")
    for text in ["&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;",
                 "{{ config }}", '{% include "x" %}', "[click](javascript:alert(1))",
                 '{: onclick="alert(1)" }', "&lt;svg onload=alert(1)&gt;"]:  # fmt: skip
        assert text in html, f"the fixture's page lacks {text!r}"


def test_hostile_text_stays_text_in_the_one_file_course(
    browser: BrowserWorker, hostile_url: str
) -> None:
    """The one-file course (builder/features/offline/single_file.py) carries the same text
    through its own rewriting: the module on screen, its quiz answered, its own search run."""

    def job(chromium: Any) -> Visit:
        result = Visit()
        context = chromium.new_context(bypass_csp=True, locale="en-US")
        try:
            page = context.new_page()

            def on_dialog(dialog: Any) -> None:
                result.dialogs.append(f"{dialog.type}: {dialog.message}")
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.on("pageerror", lambda error: result.errors.append(str(error)))
            page.goto(f"{hostile_url}downloads/{single_file_name('hostile', 'en')}#everything")
            result.quiz = answer_quiz(page)
            page.get_by_label("Search this course").fill("onerror")
            page.locator("[data-sabaq-one-results] li").first.wait_for()
            result.search_results = page.locator("[data-sabaq-one-results] li").all_inner_texts()
            assert page.evaluate(EVERY_PICTURE_SETTLED)
            result.dom_problems = page.evaluate(AUDIT_DOM)
            result.heading = page.locator("#everything > h1").inner_text().strip()
            result.article_text = page.locator("#everything").inner_text()
        finally:
            context.close()
        return result

    seen = browser.run(job)
    assert not seen.dialogs, f"a dialog opened: {seen.dialogs}"
    assert not seen.dom_problems, "what could run is in the DOM:\n" + "\n".join(seen.dom_problems)
    assert not seen.errors, f"uncaught errors: {seen.errors}"
    assert seen.heading == "Module " + HOSTILE_LINE
    for text in SHOWN_AS_TYPED:
        assert text in seen.article_text, f"{text!r} is not shown"
    assert len(seen.quiz["explanations"]) == 8, seen.quiz["explanations"]
    for explanation in seen.quiz["explanations"]:
        assert "<script>alert(1)</script>" in explanation, explanation
    assert any("<img src=x onerror=alert(1)>" in result for result in seen.search_results)
