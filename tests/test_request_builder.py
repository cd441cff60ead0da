"""The request builder's data and arithmetic: `rti.yml` validated with exact messages, due dates
counted against the `holidays` package's tables, and the page rendered from the bundled rules
with every rule's source and confidence.

The browser half (the form, the letter, saving, export, import, wiping) is in
tests/browser/test_request_builder_page.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import holidays
import pytest
from sabaq_testing import MINIMAL_PROJECT, run_sabaq
from test_errors import assert_reports

from builder.content.languages import LANGUAGE_CODES
from builder.content.load import load_project
from builder.content.project import Project
from builder.content.validate import validate_project
from builder.features.rti.page import deadline_phrase, render_request_builder
from builder.features.rti.workdays import due_date, holiday_dates
from builder.render.i18n import messages

REPO = Path(__file__).resolve().parents[1]
MakeProject = Callable[[dict[str, str | bytes]], Path]
CODES = ["KZ", "KG", "TJ", "UZ"]


# --- Due dates ------------------------------------------------------------------------------------


def test_working_days_skip_weekends() -> None:
    # Monday 1 March 2027: four days that week, five the next, and Monday the 15th is the tenth.
    assert due_date(dt.date(2027, 3, 1), 10, "working", set()) == (dt.date(2027, 3, 15), [])


def test_working_days_skip_the_holidays_of_the_table() -> None:
    table = holiday_dates("KG", [2027])
    assert "2027-03-08" in table  # International Women's Day, a day off in Kyrgyzstan
    due, skipped = due_date(dt.date(2027, 3, 1), 10, "working", set(table))
    extra = [day for day in skipped if day != dt.date(2027, 3, 8)]
    assert dt.date(2027, 3, 8) in skipped
    # Each holiday on a weekday pushes the due date one working day later.
    assert due == due_date(dt.date(2027, 3, 1), 10 + len(skipped), "working", set())[0]
    assert all(day.isoformat() in table and day.weekday() < 5 for day in extra)


def test_calendar_days_count_every_day() -> None:
    table = set(holiday_dates("TJ", [2027]))
    assert due_date(dt.date(2027, 1, 31), 30, "calendar", table) == (dt.date(2027, 3, 2), [])


@pytest.mark.parametrize("code", CODES)
def test_the_table_is_the_packages_days_off(code: str) -> None:
    table = holiday_dates(code, [2026, 2027])
    expected = sorted(d.isoformat() for d in holidays.country_holidays(code, years=[2026, 2027]))
    assert table == expected and len(table) >= 10
    # Counting working days over a year never lands on a weekend or a day off.
    start = dt.date(2027, 1, 1)
    for days in range(1, 200, 7):
        due, _ = due_date(start, days, "working", set(table))
        assert due.weekday() < 5 and due.isoformat() not in table


# --- The bundled rules ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project() -> Project:
    project, errors = validate_project(load_project(REPO))
    assert errors == []
    return project


def test_every_country_rule_has_a_source_and_uncertain_ones_say_why(project: Project) -> None:
    rules = project.rti["en"].rules
    assert [country.holidays for country in rules.countries] == CODES
    for country in rules.countries:
        topics = {rule.topic for rule in country.rules}
        assert {"who_may_ask", "deadline", "extension", "fees", "refusals", "appeal"} <= topics, (
            country.id
        )
        for rule in country.rules:
            assert rule.sources and all(
                s.url.startswith(("https://", "http://")) for s in rule.sources
            )
            assert (rule.confidence == "uncertain") == bool(rule.unclear), (country.id, rule.topic)
        deadline_rule = next(rule for rule in country.rules if rule.topic == "deadline")
        # The computed date is presented as certain only where the rule is confirmed.
        assert country.deadline.confidence == deadline_rule.confidence, country.id


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_the_page_shows_every_rule_with_its_source_and_confidence(
    project: Project, language: str
) -> None:
    strings = messages(language)
    page = render_request_builder("rti", language, project.rti, strings, [2026, 2027])
    assert project.rti[language].status != "missing"
    for country in project.rti[language].rules.countries:
        assert country.law.replace('"', "&quot;") in page or country.law in page
        for rule in country.rules:
            assert (
                f'data-sabaq-rti-rule="{rule.topic}" data-sabaq-rti-confidence="{rule.confidence}"'
                in page
            )
            for source in rule.sources:
                assert f'href="{source.url}"' in page
        phrase = deadline_phrase(country, strings)
        assert str(country.deadline.days) in phrase
    assert strings.text("rti_uncertain") in page and strings.text("rti_confirmed") in page


# --- Errors in rti.yml ----------------------------------------------------------------------------

RULES = """
    countries:
      - id: kyrgyzstan
        holidays: KG
        name: Kyrgyzstan
        law: Law No. 217
        law_url: https://example.org/law
        deadline:
          days: 10
          count: working
          confidence: confirmed
        rules:
          - topic: deadline
            text: 10 working days.
            confidence: uncertain
            sources:
              - cite: Law No. 217
                url: https://example.org/law
          - topic: deadline
            text: Again.
            confidence: confirmed
            sources:
              - cite: Law No. 217
                url: https://example.org/law
    """


def test_rule_errors_are_reported_where_they_are(make_project: MakeProject) -> None:
    files = dict(MINIMAL_PROJECT)
    files["rti.yml"] = RULES
    run = run_sabaq("check", cwd=make_project(files))
    assert_reports(
        run,
        "rti.yml:14:21: countries[0].rules[0]: an uncertain rule needs 'unclear'",
        "    hint: say in 'unclear' what could not be confirmed and what the reader should check",
        "rti.yml:18:16: countries[0].rules[1].topic: the topic 'deadline' is used twice",
        "    hint: give each topic its own value",
    )


def test_a_course_with_the_tool_needs_rules(make_project: MakeProject) -> None:
    files = dict(MINIMAL_PROJECT)
    files["courses/demo/course.yml"] += "tools: [request-builder]\n"
    run = run_sabaq("check", cwd=make_project(files))
    assert_reports(
        run,
        "courses/demo/course.yml:1:1: tools: the request builder needs rti.yml, and there is none",
        "    hint: create rti.yml beside courses/ with each country's rules (see "
        "docs/request-builder.md), or remove 'request-builder' from tools",
    )
