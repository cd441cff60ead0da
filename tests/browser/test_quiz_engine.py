"""The quiz engine (builder/features/quiz/quiz.js) in Chromium, on the site built from the fixture
course `tests/cases/quiz-all-types`, whose quiz has one question of every type.

Every question type is answered wrongly and rightly, from file:// and from http://127.0.0.1.
A hand-made page with nothing but the quiz covers how the script may be loaded.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from builder.content.document import load_document
from builder.content.model import QuizBank
from builder.engine.site_files import asset_files
from builder.features.quiz.quiz import normalise_answer, render_quiz
from builder.render.i18n import messages

REPOSITORY = Path(__file__).resolve().parents[2]
CASE = REPOSITORY / "tests" / "cases" / "quiz-all-types"
STORAGE_KEY = "quiz-course/all-types"
QUESTION_COUNT = 8

FIXTURE_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quiz engine fixture</title>
<link rel="stylesheet" href="assets/sabaq/quiz.css">
{script}
</head>
<body>
<main>
<h1>Every question type</h1>
{quiz}
</main>
</body>
</html>
"""
# Chromium refuses module scripts from file://, so course pages load quiz.js as a deferred
# classic script; the module form is tested over HTTP only.
CLASSIC_SCRIPT = '<script defer src="assets/sabaq/quiz.js"></script>'
MODULE_SCRIPT = '<script type="module" src="assets/sabaq/quiz.js"></script>'


def fixture_quiz_html() -> str:
    document = load_document(CASE / "quizzes" / "all-types.yml")
    assert not document.errors, document.errors
    bank = QuizBank.model_validate(document.data)
    return render_quiz(bank, None, storage_key=STORAGE_KEY, messages=messages("en").subset("quiz_"))


@dataclass
class Site:
    """A folder with a quiz page in it, and that page's path inside it."""

    root: Path
    page: str
    http_base: str = ""

    def url(self, scheme: str) -> str:
        if scheme == "file":
            return (self.root / self.page).as_uri()
        return self.http_base + self.page


@pytest.fixture(scope="session")
def fixture_site(
    tmp_path_factory: pytest.TempPathFactory, serve_directory: Callable[[Path], str]
) -> Site:
    """A hand-made page: the quiz, quiz.css and quiz.js, nothing else."""
    root = tmp_path_factory.mktemp("quiz-fixture")
    (root / "assets" / "sabaq").mkdir(parents=True)
    for asset in asset_files():
        shutil.copy(asset, root / "assets" / "sabaq" / asset.name)
    quiz = fixture_quiz_html()
    (root / "index.html").write_text(
        FIXTURE_PAGE.format(script=CLASSIC_SCRIPT, quiz=quiz), encoding="utf-8"
    )
    (root / "module.html").write_text(
        FIXTURE_PAGE.format(script=MODULE_SCRIPT, quiz=quiz), encoding="utf-8"
    )
    return Site(root, "index.html", serve_directory(root))


@pytest.fixture(scope="session")
def quiz_site(
    tmp_path_factory: pytest.TempPathFactory, serve_directory: Callable[[Path], str]
) -> Site:
    """The fixture course built as a trainer builds it, with mkdocs-material around the quiz."""
    site_dir = tmp_path_factory.mktemp("quiz-built") / "site"
    command = [sys.executable, "-m", "builder", "build", "--no-cache", "--project", str(CASE),
               "--site-dir", str(site_dir)]  # fmt: skip
    done = subprocess.run(
        command, cwd=REPOSITORY, capture_output=True, text=True, encoding="utf-8", timeout=300
    )
    assert done.returncode == 0, f"building {CASE.name} failed:\n{done.stdout}\n{done.stderr}"
    return Site(site_dir, "en/quiz-course/all-types/index.html", serve_directory(site_dir))


@pytest.fixture(params=["file", "http"])
def quiz_url(request: pytest.FixtureRequest, quiz_site: Site) -> str:
    return quiz_site.url(request.param)


# --- Helpers ------------------------------------------------------------------------------------


def open_quiz(page: Page, url: str) -> Locator:
    """Opens the quiz page and waits until the engine has started and restored saved answers."""
    page.goto(url)
    quiz = page.locator("[data-sabaq-quiz]")
    try:
        expect(quiz).to_have_attribute("data-sabaq-quiz-restored", "")
    except AssertionError:
        tags = page.locator('script[src*="quiz.js"]').evaluate_all(
            "scripts => scripts.map(s => s.outerHTML)"
        )
        hint = ""
        if url.startswith("file:") and any('type="module"' in tag for tag in tags):
            hint = (
                "\nChromium refuses module scripts from file:// pages: load quiz.js as a "
                "classic script with defer (mkdocs extra_javascript: {path: ..., defer: true})."
            )
        raise AssertionError(
            f"the quiz engine did not start on {url}; quiz.js is loaded by "
            f"{tags or 'no script tag'}{hint}"
        ) from None
    return quiz


def question(page: Page, question_id: str) -> Locator:
    return page.locator(f'[data-sabaq-question="{question_id}"]')


def press(item: Locator, action: str) -> None:
    item.locator(f'[data-sabaq-quiz-action="{action}"]').click()


def choose(*labels: str) -> Callable[[Locator], None]:
    """Ticks exactly these options (radio buttons or checkboxes) by their label."""

    def answer(item: Locator) -> None:
        for box in item.locator("input[type=radio], input[type=checkbox]").all():
            if box.get_attribute("type") == "checkbox":
                box.set_checked(False)
        for label in labels:
            item.get_by_label(label, exact=True).check()

    return answer


def type_in(text: str) -> Callable[[Locator], None]:
    def answer(item: Locator) -> None:
        item.locator("input[type=text]").fill(text)

    return answer


def step_texts(item: Locator) -> list[str]:
    return [text.strip() for text in item.locator(".sabaq-quiz__step-text").all_inner_texts()]


def arrange(*wanted: str) -> Callable[[Locator], None]:
    """Puts ordering steps in this order with the Move up buttons."""

    def answer(item: Locator) -> None:
        for target, text in enumerate(wanted):
            current = step_texts(item).index(text)
            step = item.locator("[data-sabaq-item]").nth(current)
            for _ in range(current - target):
                step.get_by_role("button", name="Move up").click()
                step = item.locator("[data-sabaq-item]").nth(current - 1)
                current -= 1
        assert step_texts(item) == list(wanted)

    return answer


def match(*countries: str) -> Callable[[Locator], None]:
    def answer(item: Locator) -> None:
        for index, country in enumerate(countries):
            item.locator("select").nth(index).select_option(label=country)

    return answer


def verdict(item: Locator) -> Locator:
    return item.locator(".sabaq-quiz__verdict strong")


def status(page: Page) -> Locator:
    return page.locator("[data-sabaq-quiz-status]")


SIFT = ("Stop", "Investigate the source", "Find better coverage",
        "Trace claims to the original context")  # fmt: skip


@dataclass
class Case:
    question: str
    right: Callable[[Locator], None]
    wrong: Callable[[Locator], None]
    explanation: str
    #: Feedback shown next to the chosen options, for the wrong and the right answer.
    wrong_feedback: list[str] = field(default_factory=list)
    right_feedback: list[str] = field(default_factory=list)


CASES = [
    Case("sift-first", choose("Stop"), choose("Search"), "Stop comes first",
         ["Searching comes later."], ["Right, pause before you share."]),
    Case("ifcn-commitments",
         choose("Non-partisanship and fairness", "Transparency of funding",
                "Open and honest corrections"),
         choose("Non-partisanship and fairness", "Keeping all sources secret"),
         "The commitments include",
         ["Yes, claims from all sides are checked alike.", "No, sources are made transparent."],
         ["Yes, claims from all sides are checked alike."]),
    Case("lateral-reading-tf", choose("False"), choose("True"), "Read laterally, in new tabs",
         ["Not quite; a site can look professional"], ["Right; read laterally instead."]),
    Case("lateral-reading-term", type_in("  Yonlama   Oʼqish "), type_in("reading vertically"),
         "Lateral reading is how"),
    Case("rti-success-rate", type_in("57,4"), type_in("57.7"), "57.1% of the requests"),
    Case("sift-order", arrange(*SIFT), arrange(*SIFT[1:], SIFT[0]), "SIFT spells the four"),
    Case("domains",
         match("Kazakhstan", "Kyrgyzstan", "Uzbekistan", "Tajikistan"),
         match("Kyrgyzstan", "Kazakhstan", "Tajikistan", "Uzbekistan"),
         "The country code is the last part"),
    Case("flood-photo", choose("False"), choose("Misleading"), "The photo is real but old",
         ["Close, but the claim states a false fact."],
         ["Right, the photo does not show yesterday"]),
]  # fmt: skip


def assert_verdict(item: Locator, word: str, icon: str, feedback: list[str]) -> None:
    expect(verdict(item)).to_have_text(word)
    expect(item.locator(".sabaq-quiz__verdict [aria-hidden=true]")).to_have_text(icon + " ")
    for text in feedback:
        expect(item.locator(".sabaq-quiz__note", has_text=text)).to_be_visible()
    expect(item.locator('[data-sabaq-quiz-action="check"]')).to_be_hidden()
    expect(item.locator('[data-sabaq-quiz-action="retry"]')).to_be_visible()


# --- Every question type -------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[case.question for case in CASES])
def test_wrong_then_right_answer(page: Page, quiz_url: str, case: Case) -> None:
    open_quiz(page, quiz_url)
    item = question(page, case.question)
    explanation = item.locator("[data-sabaq-quiz-explanation]")
    expect(explanation).to_be_hidden()
    expect(status(page)).to_have_text("")

    case.wrong(item)
    press(item, "check")
    assert_verdict(item, "Incorrect", "✗", case.wrong_feedback)
    expect(status(page)).to_have_text(f"Score: 0 of {QUESTION_COUNT}")
    expect(explanation).to_be_visible()
    expect(explanation).to_contain_text("Explanation")
    expect(explanation).to_contain_text(case.explanation)
    expect(item.locator("input, select, [data-sabaq-quiz-move]").first).to_be_disabled()
    expect(item.locator("[data-sabaq-quiz-feedback]")).to_be_focused()

    press(item, "retry")
    expect(item.locator(".sabaq-quiz__verdict")).to_have_count(0)
    expect(item.locator(".sabaq-quiz__note")).to_have_count(0)
    expect(explanation).to_be_hidden()
    expect(status(page)).to_have_text("")
    expect(item.locator('input, select, [data-sabaq-quiz-move="1"]').first).to_be_enabled()

    case.right(item)
    press(item, "check")
    assert_verdict(item, "Correct", "✓", case.right_feedback)
    expect(status(page)).to_have_text(f"Score: 1 of {QUESTION_COUNT}")
    expect(explanation).to_contain_text(case.explanation)


def test_partial_credit(page: Page, quiz_url: str) -> None:
    """Multiple choice: (right picks - wrong picks) / right options; matching: share of pairs."""
    open_quiz(page, quiz_url)
    commitments = question(page, "ifcn-commitments")
    choose("Non-partisanship and fairness", "Transparency of funding")(commitments)
    press(commitments, "check")
    assert_verdict(commitments, "Partly correct", "◐", [])
    expect(status(page)).to_have_text(f"Score: 0.7 of {QUESTION_COUNT}")

    domains = question(page, "domains")
    match("Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan")(domains)
    press(domains, "check")
    assert_verdict(domains, "Partly correct", "◐", [])
    expect(domains.locator('.sabaq-quiz__note[data-sabaq-verdict="right"]')).to_have_count(2)
    expect(domains.locator('.sabaq-quiz__note[data-sabaq-verdict="wrong"]')).to_have_count(2)
    expect(status(page)).to_have_text(f"Score: 1.2 of {QUESTION_COUNT}")

    # Choosing every option earns little: (3 right picks - 2 wrong picks) / 3 = 0.33.
    press(commitments, "retry")
    choose("Non-partisanship and fairness", "Transparency of funding",
           "Open and honest corrections", "Keeping all sources secret",
           "Checking one side only")(commitments)  # fmt: skip
    press(commitments, "check")
    assert_verdict(commitments, "Partly correct", "◐", [])
    expect(status(page)).to_have_text(f"Score: 0.8 of {QUESTION_COUNT}")  # 0.33 + 0.5


def test_check_without_answer_asks_for_one(page: Page, quiz_url: str) -> None:
    open_quiz(page, quiz_url)
    for question_id in ("sift-first", "ifcn-commitments", "lateral-reading-term",
                        "rti-success-rate", "domains"):  # fmt: skip
        item = question(page, question_id)
        press(item, "check")
        feedback = item.locator("[data-sabaq-quiz-feedback]")
        expect(feedback).to_have_text("Please answer the question first.")
        expect(feedback).to_be_focused()
        expect(item.locator('[data-sabaq-quiz-action="check"]')).to_be_visible()
    expect(status(page)).to_have_text("")


def test_reveal_shows_explanation_before_answering(page: Page, quiz_url: str) -> None:
    open_quiz(page, quiz_url)
    item = question(page, "sift-order")
    press(item, "reveal")
    explanation = item.locator("[data-sabaq-quiz-explanation]")
    expect(explanation).to_contain_text("SIFT spells the four moves in order.")
    expect(explanation).to_be_focused()
    expect(item.locator('[data-sabaq-quiz-action="reveal"]')).to_be_hidden()
    expect(status(page)).to_have_text("")


# --- Progress ------------------------------------------------------------------------------------


def test_progress_persists_and_reset_clears_it(page: Page, quiz_url: str) -> None:
    quiz = open_quiz(page, quiz_url)
    for case in CASES:
        item = question(page, case.question)
        (case.wrong if case.question == "sift-first" else case.right)(item)
        press(item, "check")
    press(question(page, "ifcn-commitments"), "retry")
    choose("Non-partisanship and fairness", "Transparency of funding")(
        question(page, "ifcn-commitments")
    )
    press(question(page, "ifcn-commitments"), "check")
    expected_score = f"Score: 6.7 of {QUESTION_COUNT}"
    expect(status(page)).to_have_text(expected_score)

    saved = json.loads(page.evaluate(f"localStorage.getItem('sabaq:v1:{STORAGE_KEY}')"))
    assert set(saved) == {case.question for case in CASES}
    assert saved["sift-first"] == {"answer": ["search"], "score": 0}
    assert saved["lateral-reading-term"]["answer"] == "  Yonlama   Oʼqish "
    assert math.isclose(saved["ifcn-commitments"]["score"], 2 / 3)

    order_before = step_texts(question(page, "sift-order"))
    page.reload()
    expect(quiz).to_have_attribute("data-sabaq-quiz-restored", "")
    expect(status(page)).to_have_text(expected_score)
    expect(verdict(question(page, "sift-first"))).to_have_text("Incorrect")
    expect(question(page, "sift-first").get_by_label("Search", exact=True)).to_be_checked()
    expect(verdict(question(page, "ifcn-commitments"))).to_have_text("Partly correct")
    expect(question(page, "lateral-reading-term").locator("input")).to_have_value(
        "  Yonlama   Oʼqish "
    )
    assert step_texts(question(page, "sift-order")) == order_before == list(SIFT)
    expect(question(page, "domains").locator("select").nth(1)).to_have_value(
        re.compile(r"^r[0-9a-f]{8}$")
    )
    for case in CASES:
        item = question(page, case.question)
        expect(item.locator("[data-sabaq-quiz-explanation]")).to_contain_text(case.explanation)
        expect(item.locator('[data-sabaq-quiz-action="retry"]')).to_be_visible()

    page.get_by_role("button", name="Reset my progress").click()
    expect(status(page)).to_have_text("Your progress on this quiz has been cleared.")
    assert page.evaluate(f"localStorage.getItem('sabaq:v1:{STORAGE_KEY}')") is None
    expect(page.locator(".sabaq-quiz__verdict, .sabaq-quiz__note")).to_have_count(0)
    expect(page.locator("[data-sabaq-quiz-explanation]:visible")).to_have_count(0)
    expect(page.locator(".sabaq-quiz input:checked")).to_have_count(0)
    expect(question(page, "rti-success-rate").locator("input")).to_have_value("")
    expect(question(page, "domains").locator("select").first).to_have_value("")
    assert step_texts(question(page, "sift-order")) != list(SIFT)

    page.reload()
    expect(quiz).to_have_attribute("data-sabaq-quiz-restored", "")
    expect(status(page)).to_have_text("")
    expect(page.locator(".sabaq-quiz__verdict")).to_have_count(0)


def test_saved_answers_that_no_longer_fit_are_dropped(page: Page, quiz_site: Site) -> None:
    url = quiz_site.url("http")
    page.goto(url)
    page.evaluate(
        """key => localStorage.setItem(key, JSON.stringify({
            "sift-first": {"answer": ["gone"], "score": 1},
            "domains": {"answer": 42, "score": 1},
            "no-such-question": {"answer": ["stop"], "score": 1},
            "sift-order": {"answer": ["nope"], "score": 1}}))""",
        f"sabaq:v1:{STORAGE_KEY}",
    )
    open_quiz(page, url)
    expect(page.locator(".sabaq-quiz__verdict")).to_have_count(0)
    expect(status(page)).to_have_text("")
    assert page.evaluate(f"localStorage.getItem('sabaq:v1:{STORAGE_KEY}')") is None
    assert step_texts(question(page, "sift-order")) != list(SIFT)


# --- Robustness ------------------------------------------------------------------------------------


def test_trainer_text_that_looks_like_html_stays_text(page: Page, quiz_url: str) -> None:
    open_quiz(page, quiz_url)
    prompt = question(page, "sift-first").locator("legend")
    expect(prompt).to_contain_text("</script><img src=x onerror=alert(1)> <!-- not a comment")
    expect(page.locator(".sabaq-quiz img")).to_have_count(0)
    expect(page.locator(".sabaq-quiz script")).to_have_count(1)
    expect(page.locator(".sabaq-quiz *:not(script)", has_text="<img")).not_to_have_count(0)


def test_without_javascript_the_questions_are_readable(chromium: Browser, quiz_site: Site) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(quiz_site.url("http"))
        expect(page.get_by_text("The quiz checks your answers with JavaScript.")).to_be_visible()
        quiz = page.locator(".sabaq-quiz")
        expect(quiz.locator("fieldset legend")).to_have_count(QUESTION_COUNT)
        expect(quiz.get_by_label("Open and honest corrections")).to_be_visible()
        expect(quiz.get_by_text("Investigate the source")).to_be_visible()
        expect(quiz.locator("button:visible")).to_have_count(0)
    finally:
        context.close()


def swap_in_new_quiz(page: Page, emit: str) -> None:
    """Replaces the page's content with a fresh, not yet enhanced quiz, as instant navigation
    does, then announces the new page `emit` (JavaScript) twice and calls init() once more."""
    page.evaluate(
        """([html, emit]) => {
            window.checks = 0;
            document.addEventListener("sabaq:quiz-checked", () => window.checks++);
            document.querySelector("[data-sabaq-quiz]").parentElement.innerHTML = html;
            new Function(emit)();
            new Function(emit)();
            sabaq.quiz.init();
        }""",
        [fixture_quiz_html(), emit],
    )


def assert_new_quiz_runs_once(page: Page) -> None:
    item = question(page, "sift-first")
    expect(item.locator('[data-sabaq-quiz-action="check"]')).to_be_visible()
    expect(page.locator("[data-sabaq-quiz-needs-js]")).to_be_hidden()
    choose("Stop")(item)
    press(item, "check")
    expect(verdict(item)).to_have_text("Correct")
    assert page.evaluate("window.checks") == 1
    expect(item.locator(".sabaq-quiz__verdict")).to_have_count(1)


def test_init_follows_instant_navigation(page: Page, fixture_site: Site) -> None:
    """A stand-in for mkdocs-material's document$, which announces each page instant
    navigation swaps in; the engine subscribes to it once and starts each quiz once."""
    page.add_init_script(
        "window.document$ = {subscribers: [], subscribe(f) { this.subscribers.push(f); }};"
    )
    open_quiz(page, fixture_site.url("http"))
    assert page.evaluate("document$.subscribers.length") == 1
    swap_in_new_quiz(page, "document$.subscribers.forEach(f => f(document))")
    assert_new_quiz_runs_once(page)


def test_init_follows_material_document_observable(page: Page, quiz_site: Site) -> None:
    """The same with mkdocs-material's own document$ on a built page, once its bundle has
    loaded (when the reader first reaches for search: material-lazy.js)."""
    open_quiz(page, quiz_site.url("http"))
    assert page.evaluate("typeof document$") == "undefined"
    page.locator("[data-md-component=search-query]").focus()
    page.wait_for_function("() => typeof document$ !== 'undefined'")
    page.keyboard.press("Escape")  # closes search, which Material opened at the focus
    expect(page.locator(".md-search__overlay")).to_be_hidden()
    swap_in_new_quiz(page, "document$.next(document)")
    assert_new_quiz_runs_once(page)


def test_runs_as_an_es_module_over_http(page: Page, fixture_site: Site) -> None:
    open_quiz(page, fixture_site.http_base + "module.html")
    item = question(page, "sift-first")
    choose("Stop")(item)
    press(item, "check")
    expect(verdict(item)).to_have_text("Correct")
    assert page.evaluate("typeof sabaq.quiz.init") == "function"
    assert page.evaluate("typeof init") == "undefined"  # no stray globals


def test_classic_script_leaks_no_globals(page: Page, quiz_site: Site) -> None:
    open_quiz(page, quiz_site.url("http"))
    leaked = page.evaluate(
        """["init", "start", "Quiz", "sha256", "sha256Fallback", "normaliseAnswer",
            "answerHash", "parseNumber", "unmask", "all", "show"].filter(n => n in window)"""
    )
    assert leaked == []


# --- Keyboard, small screens ---------------------------------------------------------------------


def tab_to(page: Page, selector: str, limit: int = 200) -> None:
    """Presses Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            assert_focus_visible(page)
            return
    raise AssertionError(f"Tab never reached {selector}")


def assert_focus_visible(page: Page) -> None:
    style = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
    )
    assert style[0] != "none" and style[1] >= 2, f"focus is not visible: outline {style}"


def check_with_keyboard(page: Page, question_id: str) -> None:
    tab_to(page, f'[data-sabaq-question="{question_id}"] [data-sabaq-quiz-action="check"]')
    page.keyboard.press("Enter")
    expect(verdict(question(page, question_id))).to_have_text("Correct")


def test_keyboard_only(page: Page, quiz_site: Site) -> None:
    """The whole quiz answered rightly with Tab, Space, Enter, arrow keys and typing."""
    open_quiz(page, quiz_site.url("http"))

    def within(question_id: str, selector: str) -> str:
        return f'[data-sabaq-question="{question_id}"] {selector}'

    tab_to(page, within("sift-first", "input"))  # the first option: Stop
    page.keyboard.press("Space")
    check_with_keyboard(page, "sift-first")

    for value in ("non-partisanship", "funding", "corrections"):
        tab_to(page, within("ifcn-commitments", f'input[value="{value}"]'))
        page.keyboard.press("Space")
    check_with_keyboard(page, "ifcn-commitments")

    tab_to(page, within("lateral-reading-tf", "input"))  # True
    page.keyboard.press("ArrowDown")  # False
    check_with_keyboard(page, "lateral-reading-tf")

    tab_to(page, within("lateral-reading-term", "input"))
    page.keyboard.type("lateral reading")
    page.keyboard.press("Enter")
    expect(verdict(question(page, "lateral-reading-term"))).to_have_text("Correct")

    tab_to(page, within("rti-success-rate", "input"))
    page.keyboard.type("57.1")
    page.keyboard.press("Enter")
    expect(verdict(question(page, "rti-success-rate"))).to_have_text("Correct")

    ordering = question(page, "sift-order")
    for target, text in enumerate(SIFT):
        current = step_texts(ordering).index(text)
        if current == target:
            continue
        item_id = (
            ordering.locator("[data-sabaq-item]").nth(current).get_attribute("data-sabaq-item")
        )
        move_up = f'[data-sabaq-item="{item_id}"] [data-sabaq-quiz-move="-1"]'
        tab_to(page, within("sift-order", move_up))
        for _ in range(current - target):
            page.keyboard.press("Enter")
        expect(ordering.locator("[data-sabaq-quiz-moved]")).to_have_text(
            f"{text}: Step {target + 1}"
        )
    assert step_texts(ordering) == list(SIFT)
    check_with_keyboard(page, "sift-order")

    countries = ("Kazakhstan", "Kyrgyzstan", "Uzbekistan", "Tajikistan")
    for index, country in enumerate(countries):
        tab_to(page, within("domains", f'select[id$="pair-{index}"]'))
        for _ in range(10):
            if page.evaluate("document.activeElement.selectedOptions[0].text") == country:
                break
            page.keyboard.press("ArrowDown")
        else:
            raise AssertionError(f"could not choose {country} with the arrow keys")
    check_with_keyboard(page, "domains")

    tab_to(page, within("flood-photo", "input"))  # True
    page.keyboard.press("ArrowDown")  # Misleading
    page.keyboard.press("ArrowDown")  # False
    check_with_keyboard(page, "flood-photo")

    expect(status(page)).to_have_text(f"Score: {QUESTION_COUNT} of {QUESTION_COUNT}")
    tab_to(page, '[data-sabaq-quiz-action="reset"]')
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text("Your progress on this quiz has been cleared.")


def test_fits_a_320_pixel_screen(chromium: Browser, quiz_site: Site) -> None:
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        open_quiz(page, quiz_site.url("http"))
        for case in CASES:  # wrong answers show the most: verdicts, notes, explanations
            item = question(page, case.question)
            case.wrong(item)
            press(item, "check")
        expect(page.locator(".sabaq-quiz__verdict")).to_have_count(QUESTION_COUNT)
        sizes = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert sizes[0] <= sizes[1] == 320, f"the page scrolls sideways: {sizes}"
        overflowing = page.evaluate(
            """() => Array.from(document.querySelectorAll(".sabaq-quiz *"))
                .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > 320.5)
                .map(e => e.outerHTML.slice(0, 80))"""
        )
        assert overflowing == []
    finally:
        context.close()


# --- Hashing without crypto.subtle ----------------------------------------------------------------


def answer_all(page: Page, url: str, *, right: bool) -> list[tuple[str, str]]:
    open_quiz(page, url)
    for case in CASES:
        item = question(page, case.question)
        (case.right if right else case.wrong)(item)
        press(item, "check")
        expect(verdict(item)).not_to_have_count(0)
    verdicts = [(case.question, verdict(question(page, case.question)).inner_text())
                for case in CASES]  # fmt: skip
    verdicts.append(("score", status(page).inner_text()))
    return verdicts


@pytest.fixture
def page_without_subtle(chromium: Browser) -> Iterator[Page]:
    """A page where crypto.subtle is missing, as on http://192.168.x.x."""
    context = chromium.new_context()
    context.add_init_script("delete Crypto.prototype.subtle;")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def test_fallback_sha256_gives_the_same_verdicts(
    page: Page, page_without_subtle: Page, quiz_url: str
) -> None:
    assert page_without_subtle.evaluate("crypto.subtle") is None
    for right in (True, False):
        with_subtle = answer_all(page, quiz_url, right=right)
        page.evaluate("localStorage.clear()")
        without_subtle = answer_all(page_without_subtle, quiz_url, right=right)
        page_without_subtle.evaluate("localStorage.clear()")
        assert with_subtle == without_subtle
        expected = "Correct" if right else "Incorrect"
        assert [word for _, word in with_subtle[:-1]] == [expected] * QUESTION_COUNT


HASH_INPUTS = ["", "abc", "a" * 55, "a" * 56, "a" * 63, "a" * 64, "a" * 65, "b" * 1000,
               "salt:stop:1", "Қазақстан oʻzbekcha 🙂", "\u0000\uffff"]  # fmt: skip


def test_fallback_sha256_matches_hashlib(page: Page, quiz_site: Site) -> None:
    open_quiz(page, quiz_site.url("http"))
    got = page.evaluate(
        """texts => Promise.all(texts.map(async t => [
            sabaq.quiz.sha256Fallback(new TextEncoder().encode(t)), await sabaq.quiz.sha256(t)]))""",
        HASH_INPUTS,
    )
    for text, (fallback, subtle) in zip(HASH_INPUTS, got, strict=True):
        expected = hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert fallback == subtle == expected, text


# --- The same normalisation as Python -----------------------------------------------------------

NORMALISATION_INPUTS = [
    "  Lateral   Reading ", "yonlama oʻqish", "Yonlama O'qish", "yonlama o’qish",
    "yonlama o`qish", "yonlama o‘qish", "yonlama oʼqish", "ＬＡＴＥＲＡＬ", "ﬁle",
    "a\u00a0b\u2003c\tb\n", "\ufeffx\u3000y\x1cz\x85", "ΟΔΟΣ", "İstanbul", "Straße",
    "Қазақстан", "Oʻzbekiston", "①½", "", "   ", "Ǆ", "ＡＢＣ’ｄ",
]  # fmt: skip


def test_normalisation_is_the_same_as_python(page: Page, quiz_site: Site) -> None:
    open_quiz(page, quiz_site.url("http"))
    got = page.evaluate(
        "texts => texts.map(t => sabaq.quiz.normaliseAnswer(t))", NORMALISATION_INPUTS
    )
    assert got == [normalise_answer(text) for text in NORMALISATION_INPUTS]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("57,1", 57.1), ("57.1", 57.1), (" 57.1 % ", 57.1), ("1 000", 1000.0), ("1,000.5", 1000.5),
     ("\u22123", -3.0), ("+2", 2.0), (".5", 0.5), ("1e3", 1000.0), ("５７", 57.0),
     ("abc", None), ("", None), ("12,5,6", None), ("0x10", None), ("1.2.3", None)],
)  # fmt: skip
def test_numbers_are_read_generously(
    page: Page, quiz_site: Site, typed: str, expected: float | None
) -> None:
    open_quiz(page, quiz_site.url("http"))
    value = page.evaluate("t => sabaq.quiz.parseNumber(t)", typed)
    if expected is None:
        assert math.isnan(value)
    else:
        assert value == pytest.approx(expected)
