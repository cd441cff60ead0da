"""The bundled example module's quiz, answered in Chromium in every language the course has.

The issue is done when "a bundled example module has a quiz using every type, all in six
languages, and the browser tests pass". Module `sift` of `courses/fact-checking-basics` draws on
`quizzes/fact-checking-basics.yml`, which has a question of every type. For each language, the
built page is opened once; every question is answered rightly, and one wrongly first.

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
from sabaq_site import COURSE, REPO, example_site
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

from builder.i18n import Messages, messages
from builder.load import load_project
from builder.model import (
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
from builder.quiz import normalise_answer
from builder.validate import Project, validate_project

MODULE = "sift"
LANGUAGES = ["en", "ru", "uz", "kk", "ky", "tg"]
#: The question answered wrongly first, by type: a different type in each language, so that
#: together they cover the answers a reader types, arranges and pairs as well as picks.
WRONG_FIRST = {
    "en": "true_false",
    "ru": "multiple",
    "uz": "fill_blank",
    "kk": "numeric",
    "ky": "ordering",
    "tg": "matching",
}
#: Every way of writing the Uzbek ʻ and ʼ, and the one a reader's keyboard gives instead.
APOSTROPHES = "\u02bb\u02bc\u2018\u2019`'"

Answer = Callable[[Locator], None]


# --- The answers, from the project ----------------------------------------------------------------


@pytest.fixture(scope="module")
def project() -> Project:
    project, errors = validate_project(load_project(REPO))
    assert errors == [], "\n".join(error.format(REPO) for error in errors)
    return project


def module_quiz(project: Project) -> QuizReference:
    """Which bank, and which of its questions, the sift module's quiz uses."""
    course = next(course for course in project.courses if course.course.id == COURSE)
    module = next(edition.module for edition in course.editions["en"].modules
                  if edition.module.id == MODULE)  # fmt: skip
    assert module.quiz is not None, f"module {MODULE} has no quiz"
    return module.quiz


def quiz_questions(project: Project, language: str) -> list[Any]:
    """The sift module's questions in `language`, in the order the page shows them."""
    quiz = module_quiz(project)
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


def test_the_quiz_has_every_type_in_all_six_languages(project: Project) -> None:
    course = next(course for course in project.courses if course.course.id == COURSE)
    assert course.course.languages == LANGUAGES
    assert {item.type for item in quiz_questions(project, "en")} == set(QUESTION_TYPES)
    for language in LANGUAGES:
        edition = project.banks[module_quiz(project).bank][language]
        assert edition.status != "missing", f"{language}: the quiz is not translated"
        assert edition.translated.missing == [], f"{language}: untranslated texts"
        types = [item.type for item in quiz_questions(project, language)]
        assert types == [item.type for item in quiz_questions(project, "en")]
    assert set(WRONG_FIRST) == set(LANGUAGES)
    assert set(WRONG_FIRST.values()) <= set(QUESTION_TYPES)


@pytest.fixture(scope="module")
def site_url(serve_directory: Callable[[Path], str]) -> str:
    """The bundled site as `sabaq build` makes it (shared with the other example-site tests)."""
    return serve_directory(example_site())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_question_answered_rightly(
    page: Page, site_url: str, project: Project, language: str
) -> None:
    text = messages(language)
    questions = quiz_questions(project, language)
    total = len(questions)
    right_word, wrong_word = text.text("quiz_correct"), text.text("quiz_incorrect")

    open_quiz(page, f"{site_url}{language}/{COURSE}/{MODULE}/")
    shown = page.locator("[data-sabaq-question]").evaluate_all(
        "items => items.map(item => item.dataset.sabaqQuestion)"
    )
    assert shown == [item.id for item in questions]

    wrong_first = next(item.id for item in questions if item.type == WRONG_FIRST[language])
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
