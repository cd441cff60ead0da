"""Gate 2, accessibility: axe-core (npm) finds no serious or critical WCAG 2.1 A/AA violation on
any kind of page of the bundled site, in Chromium, with the page's own Content-Security-Policy in
force (axe is evaluated through the DevTools protocol, which the policy does not govern).

Pages: the language chooser at the site root; in en the home page, the glossary, every course
overview and every module, in ru the same with one course's modules, and in the other languages
the home page; the quizzes in en and ru after
every question was checked without an answer and then answered (the verdicts, option
feedback and explanations the engine adds are only in the page then; the quiz of the first
module has every question type; the other quizzes in en only); and en pages of every kind again
at a phone's width, where the theme lays them out differently (every module with a table or code).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from sabaq_gates import REPO, BrowserWorker, BuiltSite, Servers

from builder.content.model import QUESTION_TYPES
from builder.features.offline.single_file import single_file_name

#: WCAG 2.1 level A and AA, as axe-core tags its rules.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
#: The languages in which every page kind is scanned and every quiz answered: one per script.
#: The other languages' home pages are scanned too, and their module pages by Lighthouse's
#: accessibility audit (test_gate_lighthouse.py, axe-core's rules too). Every scan takes about a
#: second.
MAIN_LANGUAGES = ["en", "ru"]
#: The course whose every module is scanned in the main languages besides en.
TRANSLATED_MODULES_COURSE = "fact-checking-basics"


def _bundled_pages() -> list[tuple[str, str]]:
    """(language, path) to scan: every page kind of every bundled course in the main languages,
    and the home page (the interface strings of the header, navigation and search) in the rest."""
    pages = []
    for course_file in sorted((REPO / "courses").glob("*/course.yml")):
        course = yaml.safe_load(course_file.read_text(encoding="utf-8"))
        for language in course["languages"]:
            pages.append((language, f"{language}/"))
            if language in MAIN_LANGUAGES:
                pages.append((language, f"{language}/glossary/"))
                pages.append((language, f"{language}/{course['id']}/"))
                # Every module in en; in the other main language, one course's (the pages are
                # the same markup, and Lighthouse audits a module page in every language).
                if language == "en" or course["id"] == TRANSLATED_MODULES_COURSE:
                    modules = course["modules"]
                    pages += [(language, f"{language}/{course['id']}/{m}/") for m in modules]
    return sorted(set(pages))


def _source_modules() -> list[tuple[str, dict[str, Any]]]:
    """(course id, module) of every bundled module, from its source-language file."""
    found = []
    for course_file in sorted((REPO / "courses").glob("*/course.yml")):
        course = yaml.safe_load(course_file.read_text(encoding="utf-8"))
        for module_file in sorted(course_file.parent.glob("*.yml")):
            if module_file.name == "course.yml" or re.search(r"\.[a-z]{2}\.yml$", module_file.name):
                continue
            found.append((course["id"], yaml.safe_load(module_file.read_text(encoding="utf-8"))))
    return found


def _quiz_modules() -> list[str]:
    """`<course>/<module>` of every bundled module with a quiz."""
    return [
        f"{course}/{module['id']}" for course, module in _source_modules() if module.get("quiz")
    ]


#: Material wraps every table in a box that scrolls sideways when the table is wider than the
#: screen; builder/engine/theme_assets/scrolling.js makes that box a focusable, named region (axe:
#: scrollable-region-focusable, WCAG 2.1.1). The module pages with a table are the ones that
#: check it.


def _scrolls_sideways(module: dict[str, Any]) -> bool:
    """A module with a table or a code block: on a phone, those scroll sideways."""
    text = yaml.safe_dump(module)
    return "|---" in text.replace(" ", "") or "```" in text


def _phone_pages() -> list[Any]:
    """The en pages of every kind: the home page, every course overview, and every module with a
    table or code block (where a phone's layout differs most), plus the first module of each
    course."""
    pages = [pytest.param("en/", id="en/")]
    courses = sorted({course for course, _ in _source_modules()})
    pages += [pytest.param(f"en/{course}/", id=f"en/{course}/") for course in courses]
    first_seen: set[str] = set()
    for course, module in _source_modules():
        if course in first_seen and not _scrolls_sideways(module):
            continue
        first_seen.add(course)
        path = f"en/{course}/{module['id']}/"
        pages.append(pytest.param(path, id=path))
    # The one-file course, read on a phone (its overview: the other sections are hidden).
    one_file = f"downloads/{single_file_name(courses[0], 'en')}"
    pages.append(pytest.param(one_file, id=one_file))
    return pages


BUNDLED_PAGES = _bundled_pages()
PHONE_PAGES = _phone_pages()
#: A small phone, as Chromium's device list has it.
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
#: The first quiz (in the bundled course, the one with every question type) in every main
#: language, the others in en: a scan of an answered quiz takes a few seconds.
QUIZ_PAGES = [
    (language, module)
    for number, module in enumerate(_quiz_modules())
    for language in (MAIN_LANGUAGES if number == 0 else ["en"])
]

RUN_AXE = """
async (tags) => {
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return {
    passed: results.passes.length,
    violations: results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({
        target: node.target.join(" "),
        html: node.html,
        summary: node.failureSummary,
      })),
    })),
  };
}
"""


def scan(page: Any, axe_source: str) -> list[dict[str, Any]]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(axe_source + "\n;undefined")
    results = page.evaluate(RUN_AXE, WCAG_TAGS)
    # A page on which no rule applied (an empty page, a wrong tag name) would pass unseen.
    assert results["passed"] >= 10, f"axe-core passed only {results['passed']} rules"
    return [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} serious or critical violation(s) on {where}:"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {node['html'][:160]}\n      {summary[:400]}")
    return "\n".join(lines)


def open_page(browser: Any, url: str, **device: Any) -> tuple[Any, Any, list[str]]:
    """A fresh context and page at `url`, loaded; and the uncaught errors it reports."""
    context = browser.new_context(locale="en-US", **device)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page, errors


@pytest.fixture(scope="module")
def site_url(bundled_site: BuiltSite, servers: Servers) -> str:
    return servers.serve(bundled_site.root)


def test_language_chooser(browser: BrowserWorker, site_url: str, axe_source: str) -> None:
    """The site root; `?choose` keeps it from sending the browser on to its own language."""

    def job(chromium: Any) -> tuple[list[dict[str, Any]], list[str]]:
        context, page, errors = open_page(chromium, site_url + "?choose")
        try:
            assert page.locator("a[hreflang]").count() >= 6, "the chooser lists no languages"
            return scan(page, axe_source), errors
        finally:
            context.close()

    violations, errors = browser.run(job)
    assert not violations, describe("the language chooser", violations)
    assert not errors, f"uncaught errors: {errors}"


@pytest.mark.parametrize(("language", "path"), BUNDLED_PAGES, ids=[p for _, p in BUNDLED_PAGES])
def test_page(
    browser: BrowserWorker, site_url: str, axe_source: str, language: str, path: str
) -> None:
    def job(chromium: Any) -> tuple[list[dict[str, Any]], list[str], str | None]:
        context, page, errors = open_page(chromium, site_url + path)
        try:
            return scan(page, axe_source), errors, page.get_attribute("html", "lang")
        finally:
            context.close()

    violations, errors, lang = browser.run(job)
    assert not violations, describe(path, violations)
    assert not errors, f"uncaught errors on {path}: {errors}"
    assert lang == language, f"{path} says it is in {lang!r}"


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_page_at_phone_width(
    browser: BrowserWorker, site_url: str, axe_source: str, path: str
) -> None:
    def job(chromium: Any) -> tuple[list[dict[str, Any]], list[str]]:
        context, page, errors = open_page(chromium, site_url + path, **PHONE)
        try:
            return scan(page, axe_source), errors
        finally:
            context.close()

    violations, errors = browser.run(job)
    assert not violations, describe(f"{path} at 360 px", violations)
    assert not errors, f"uncaught errors on {path}: {errors}"


def answer_every_question(page: Any) -> list[str]:
    """Answers every question of the page's quiz (first option, a number, a step moved, the
    first choice of each pair), checks it, and returns the question types answered."""
    types = []
    for question in page.locator("[data-sabaq-question]").all():
        kind = question.get_attribute("data-sabaq-type")
        types.append(kind)
        retry = question.locator('[data-sabaq-quiz-action="retry"]')
        if retry.is_visible():  # an ordering question always has an answer: checked already
            retry.click()
        if kind in ("single", "true_false", "claim_rating", "multiple"):
            question.locator("input").first.check()
        elif kind in ("fill_blank", "numeric"):
            question.locator("input[type=text]").fill("7")
        elif kind == "ordering":
            question.locator('[data-sabaq-quiz-move="1"]:not([disabled])').first.click()
        elif kind == "matching":
            for select in question.locator("select").all():
                select.select_option(index=1)
        else:
            raise AssertionError(f"the test does not know how to answer a {kind!r} question")
        question.locator('[data-sabaq-quiz-action="check"]').click()
        question.locator("[data-sabaq-quiz-feedback] [data-sabaq-verdict]").wait_for()
    return types


@pytest.mark.parametrize(
    ("language", "module"), QUIZ_PAGES, ids=[f"{lang}/{m}" for lang, m in QUIZ_PAGES]
)
def test_quiz_feedback_states(
    browser: BrowserWorker, site_url: str, axe_source: str, language: str, module: str
) -> None:
    path = f"{language}/{module}/"

    def job(chromium: Any) -> dict[str, Any]:
        context, page, errors = open_page(chromium, site_url + path)
        try:
            page.locator("[data-sabaq-quiz][data-sabaq-quiz-restored]").wait_for(state="attached")
            # Checked without an answer: each question asks for one.
            for button in page.locator('[data-sabaq-quiz-action="check"]').all():
                button.click()
            page.wait_for_function(
                "count => document.querySelectorAll("
                "'[data-sabaq-quiz-feedback]:not([hidden])').length === count",
                arg=page.locator("[data-sabaq-question]").count(),
            )
            unanswered = scan(page, axe_source)
            types = answer_every_question(page)
            verdicts = page.locator("[data-sabaq-quiz-feedback] [data-sabaq-verdict]").evaluate_all(
                "elements => elements.map(e => e.dataset.sabaqVerdict)"
            )
            answered = scan(page, axe_source)
            return {"unanswered": unanswered, "answered": answered, "types": types,
                    "verdicts": verdicts, "errors": errors}  # fmt: skip
        finally:
            context.close()

    result = browser.run(job)
    assert not result["unanswered"], describe(
        f"{path}, checked without answers", result["unanswered"]
    )
    assert not result["answered"], describe(f"{path}, answered", result["answered"])
    assert not result["errors"], f"uncaught errors on {path}: {result['errors']}"
    assert len(result["verdicts"]) == len(result["types"]) > 0
    assert len(set(result["verdicts"])) >= 2, (
        f"every answer on {path} got the same verdict {result['verdicts']}; the feedback states "
        "checked should include both right and wrong"
    )


def test_the_answered_quizzes_have_every_question_type(bundled_site: BuiltSite) -> None:
    """The quiz pages answered above, between them, hold every question type Sabaq has."""
    found: set[str] = set()
    for language, module in QUIZ_PAGES:
        text = (bundled_site.root / language / module / "index.html").read_text(encoding="utf-8")
        found |= set(re.findall(r'data-sabaq-type="([a-z_]+)"', text))
    missing = sorted(set(QUESTION_TYPES) - found)
    assert not missing, f"no answered quiz has a question of type {missing}"
