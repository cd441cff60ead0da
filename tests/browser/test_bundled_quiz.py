"""The bundled short course's quizzes, answered in Chromium in every language the course has.

Each module of `courses/fact-checking-basics` has its own quiz, and together they use every
question type, all in six languages. For each module and language, the built page is opened once;
every question is answered rightly, and one wrongly first (a different one in each language).

The right answers come from the project as the builder reads it (load, then validate, then the
bank's edition in that language), never from the page: if the page in some language shows texts
the bank does not have, hashes an accepted answer differently from the browser, or drops a
question, the test fails. (Whether a translator put the right words on the right option is for a
reviewer; the edition is the truth here.) The verdicts and the score are read in the page's
language from builder/locales, so no translation is written twice.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from babel.numbers import format_decimal
from playwright.sync_api import Locator, Page, expect
from sabaq_site import COURSE, MODULES, REPO, example_site
from test_quiz_engine import (
    choose,
    match,
    open_quiz,
    press,
    question,
    status,
    step_texts,
    type_in,
    verdict,
)

from builder.content.load import load_project
from builder.content.model import (
    QUESTION_TYPES,
    ClaimRating,
    FillBlank,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    QuizReference,
    SingleChoice,
    TrueFalse,
)
from builder.content.project import Project
from builder.content.validate import validate_project
from builder.features.quiz.quiz import normalise_answer
from builder.render.i18n import Messages, messages

LANGUAGES = ["en", "ru", "uz", "kk", "ky", "tg"]
#: Every way of writing the Uzbek ʻ and ʼ, and the one a reader's keyboard gives instead.
APOSTROPHES = "\u02bb\u02bc\u2018\u2019`'"

Answer = Callable[[Locator], None]


# --- The answers, from the project ----------------------------------------------------------------


@pytest.fixture(scope="module")
def project() -> Project:
    project, errors = validate_project(load_project(REPO))
    assert errors == [], "\n".join(error.format(REPO) for error in errors)
    return project


def module_quiz(project: Project, module_id: str) -> QuizReference:
    """Which bank, and which of its questions, a module's quiz uses."""
    course = next(course for course in project.courses if course.course.id == COURSE)
    module = next(edition.module for edition in course.editions["en"].modules
                  if edition.module.id == module_id)  # fmt: skip
    assert module.quiz is not None, f"module {module_id} has no quiz"
    return module.quiz


def quiz_questions(project: Project, module_id: str, language: str) -> list[Any]:
    """A module's questions in `language`, in the order the page shows them."""
    quiz = module_quiz(project, module_id)
    bank = project.banks[quiz.bank][language].bank
    if quiz.questions is None:
        return list(bank.questions)
    by_id = {item.id: item for item in bank.questions}
    return [by_id[question_id] for question_id in quiz.questions]


def option_texts(item: SingleChoice | MultipleChoice | ClaimRating, correct: bool) -> list[str]:
    return [option.text for option in item.options if option.correct is correct]


def typed_variant(accepted: list[str]) -> str:
    """An accepted answer as a reader might type it: upper case, spaces around and between the
    words, and any Uzbek apostrophe swapped for another of its variants (ʻ becomes ')."""
    with_apostrophe = [text for text in accepted if any(mark in text for mark in APOSTROPHES)]
    chosen = max(with_apostrophe or accepted, key=len)
    swapped = chosen.translate(str.maketrans({"\u02bb": "'", "\u02bc": "\u2019", "'": "\u02bb",
                                              "\u2019": "'", "\u2018": "`", "`": "\u2018"}))  # fmt: skip
    variant = "  " + "   ".join(swapped.upper().split()) + " "
    assert variant.strip() != chosen and normalise_answer(variant) == normalise_answer(chosen), (
        f"the test's own variant of {chosen!r} is not a variant: {variant!r}"
    )
    return variant


def arrange(steps: list[str], move_up: str) -> Answer:
    """Puts ordering steps in this order with the page's (translated) Move up buttons."""

    def answer(item: Locator) -> None:
        for target, text in enumerate(steps):
            current = step_texts(item).index(text)
            for _ in range(current - target):
                step = item.locator("[data-sabaq-item]").nth(current)
                step.get_by_role("button", name=move_up, exact=True).click()
                current -= 1
        assert step_texts(item) == steps

    return answer


def right_answer(item: object, text: Messages, language: str) -> Answer:
    """How a reader answers this question rightly, from the bank alone."""
    if isinstance(item, (SingleChoice, MultipleChoice, ClaimRating)):
        return choose(*option_texts(item, correct=True))
    if isinstance(item, TrueFalse):
        return choose(text.text("quiz_true" if item.answer else "quiz_false"))
    if isinstance(item, FillBlank):
        return type_in(typed_variant(item.accepted))
    if isinstance(item, Numeric):
        return type_in(format_decimal(item.answer, locale=language))
    if isinstance(item, Ordering):
        return arrange(item.steps, text.text("quiz_move_up"))
    if isinstance(item, Matching):
        return match(*(pair.right for pair in item.pairs))
    raise AssertionError(f"no right answer for a {type(item).__name__}")


def wrong_answer(item: object, text: Messages, language: str) -> Answer:
    """An answer that scores nothing: every pick, typed text, order or pair is wrong."""
    if isinstance(item, (SingleChoice, MultipleChoice, ClaimRating)):
        wrong = option_texts(item, correct=False)
        return choose(*(wrong if isinstance(item, MultipleChoice) else wrong[:1]))
    if isinstance(item, TrueFalse):
        return choose(text.text("quiz_false" if item.answer else "quiz_true"))
    if isinstance(item, FillBlank):
        typo = item.accepted[0][:-1]  # a near miss, one letter short
        assert normalise_answer(typo) not in {normalise_answer(a) for a in item.accepted}
        return type_in(typo)
    if isinstance(item, Numeric):
        return type_in(format_decimal(item.answer + item.tolerance + 1, locale=language))
    if isinstance(item, Ordering):
        return arrange(item.steps[::-1], text.text("quiz_move_up"))
    if isinstance(item, Matching):
        rights = [pair.right for pair in item.pairs]
        shifted = rights[1:] + rights[:1]
        assert all(a != b for a, b in zip(rights, shifted, strict=True)), "pairs share a right"
        return match(*shifted)
    raise AssertionError(f"no wrong answer for a {type(item).__name__}")


# --- Tests ----------------------------------------------------------------------------------------


def test_each_module_has_its_own_quiz_and_together_every_type(project: Project) -> None:
    course = next(course for course in project.courses if course.course.id == COURSE)
    assert course.course.languages == LANGUAGES
    assert course.course.modules == MODULES
    banks = [module_quiz(project, module_id).bank for module_id in MODULES]
    assert len(set(banks)) == len(MODULES), f"modules share a bank: {banks}"
    types = {
        item.type for module_id in MODULES for item in quiz_questions(project, module_id, "en")
    }
    assert types == set(QUESTION_TYPES)
    for module_id in MODULES:
        english = quiz_questions(project, module_id, "en")
        assert 4 <= len(english) <= 8, f"{module_id}: {len(english)} questions"
        for language in LANGUAGES:
            edition = project.banks[module_quiz(project, module_id).bank][language]
            assert edition.status != "missing", f"{module_id} {language}: not translated"
            assert edition.translated.missing == [], f"{module_id} {language}: untranslated texts"
            types_here = [item.type for item in quiz_questions(project, module_id, language)]
            assert types_here == [item.type for item in english]


@pytest.fixture(scope="module")
def site_url(serve_directory: Callable[[Path], str]) -> str:
    """The bundled site as `sabaq build` makes it (shared with the other example-site tests)."""
    return serve_directory(example_site())


@pytest.mark.parametrize("module_id", MODULES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_question_answered_rightly(
    page: Page, site_url: str, project: Project, language: str, module_id: str
) -> None:
    text = messages(language)
    questions = quiz_questions(project, module_id, language)
    total = len(questions)
    right_word, wrong_word = text.text("quiz_correct"), text.text("quiz_incorrect")

    open_quiz(page, f"{site_url}{language}/{COURSE}/{module_id}/")
    shown = page.locator("[data-sabaq-question]").evaluate_all(
        "items => items.map(item => item.dataset.sabaqQuestion)"
    )
    assert shown == [item.id for item in questions]

    # A different question in each language, so that across languages every one is seen wrong.
    wrong_first = questions[LANGUAGES.index(language) % total].id
    for done, item in enumerate(questions):
        on_page = question(page, item.id)
        if item.id == wrong_first:
            wrong_answer(item, text, language)(on_page)
            press(on_page, "check")
            expect(verdict(on_page), f"{item.id} answered wrongly").to_have_text(wrong_word)
            expect(status(page)).to_have_text(text.text("quiz_score", score=done, total=total))
            press(on_page, "retry")
        right_answer(item, text, language)(on_page)
        press(on_page, "check")
        expect(verdict(on_page), f"{item.id} ({item.type})").to_have_text(right_word)

    expect(status(page)).to_have_text(text.text("quiz_score", score=total, total=total))
