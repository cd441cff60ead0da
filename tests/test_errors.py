"""Every mistake a trainer is likely to make, as `sabaq check` reports it.

Each test starts from the valid MINIMAL_PROJECT, changes one file, runs the real command in the
project folder and asserts the exact `path:line:column: message` and hint lines, exit code 1 and
no traceback.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sabaq_testing import MINIMAL_PROJECT, Run, run_sabaq

MakeProject = Callable[[dict[str, str | bytes]], Path]

COURSE = "courses/demo/course.yml"
FIRST = "courses/demo/01-first.yml"
SECOND = "courses/demo/02-second.yml"
FIRST_RU = "courses/demo/01-first.ru.yml"
BANK = "quizzes/basics.yml"

_REPORTED = re.compile(r"^(?:[^\s:][^:]*:\d+:\d+: |    hint: )")


def check(make_project: MakeProject, changes: dict[str, str | bytes | None]) -> Run:
    """`sabaq check` in MINIMAL_PROJECT with some files replaced, added or (None) removed."""
    files = dict(MINIMAL_PROJECT)
    for name, content in changes.items():
        if content is None:
            del files[name]
        else:
            files[name] = content
    return run_sabaq("check", cwd=make_project(files))


def reported(output: str) -> list[str]:
    """The error and hint lines of the output, in order."""
    return [line for line in output.splitlines() if _REPORTED.match(line)]


def assert_reports(run: Run, *lines: str) -> None:
    """`run` failed with exactly these error and hint lines, and the summary that counts them."""
    assert "Traceback" not in run.stdout + run.stderr
    assert reported(run.stderr) == list(lines)
    errors = [line for line in lines if not line.startswith("    hint: ")]
    files = {line.split(":", 1)[0] for line in errors}
    summary = (
        f"{len(errors)} error{'s' if len(errors) != 1 else ''} in "
        f"{len(files)} file{'s' if len(files) != 1 else ''}; nothing was built."
    )
    assert run.stderr.rstrip("\n").endswith("\n\n" + summary), run.stderr
    assert run.code == 1


# --- A correct project ---------------------------------------------------------------------------


def test_correct_project_passes(make_project: MakeProject) -> None:
    run = check(make_project, {})

    assert (run.code, reported(run.stderr)) == (0, [])
    assert "Traceback" not in run.stdout + run.stderr


def test_correct_translation_passes(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            FIRST_RU: """
                status: draft
                title: Первый модуль
                sections:
                  - heading: Начало
                    body: Привет.
                """,
        },
    )

    assert (run.code, reported(run.stderr)) == (0, [])


# --- YAML ----------------------------------------------------------------------------------------


def test_yaml_syntax_error(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            FIRST: """
                id: first
                title: Step 1: stop
                duration_minutes: 20
                sections:
                  - heading: Start
                    body: Hello.
                """,
        },
    )

    assert_reports(
        run,
        f"{FIRST}:2:14: YAML syntax error: this ':' is not expected here",
        "    hint: if the ':' is part of the text, put the whole text in quotes, "
        'e.g. title: "Step 1: stop"; otherwise check the indentation of this line',
    )


def test_tab_indented_file(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            SECOND: "id: second\ntitle: Second module\nduration_minutes: 10\nsections:\n\t- heading: More\n\t  body: Text.\n"
        },
    )

    assert_reports(
        run,
        f"{SECOND}:5:1: a tab is used for indentation; YAML needs spaces",
        "    hint: replace the tab with spaces (in VS Code: 'Convert Indentation to Spaces')",
        f"{SECOND}:6:1: a tab is used for indentation; YAML needs spaces",
        "    hint: replace the tab with spaces (in VS Code: 'Convert Indentation to Spaces')",
    )


def test_file_not_saved_as_utf8(make_project: MakeProject) -> None:
    run = check(make_project, {FIRST_RU: "status: draft\ntitle: Первый модуль\n".encode("cp1251")})

    assert_reports(
        run,
        f"{FIRST_RU}:2:8: this file is not saved as UTF-8, so its text cannot be read from here on",
        "    hint: save the file as UTF-8 (in VS Code: click the encoding in the status bar, then "
        "'Save with Encoding' > 'UTF-8')",
    )


def test_duplicate_key(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            SECOND: """
                id: second
                title: Second module
                duration_minutes: 10
                title: Another title
                sections:
                  - heading: More
                    body: Text.
                """,
        },
    )

    assert_reports(run, f"{SECOND}:4:1: 'title' is given twice", "    hint: keep only one of them")


def test_yaml_alias(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            SECOND: """
                id: second
                title: &title Second module
                duration_minutes: 10
                sections:
                  - heading: *title
                    body: Text.
                """,
        },
    )

    assert_reports(
        run,
        f"{SECOND}:5:14: YAML aliases (*name) are not supported",
        "    hint: write the text out in full where it is needed",
    )


def test_yaml_tag(make_project: MakeProject) -> None:
    # PyYAML's own constructor raised ValueError here, and `check` printed a traceback.
    run = check(
        make_project,
        {
            SECOND: """
                id: second
                title: Second module
                duration_minutes: !!int twenty
                sections:
                  - heading: More
                    body: Text.
                """,
        },
    )

    assert_reports(
        run,
        f"{SECOND}:3:19: YAML tags such as '!!int' are not supported",
        "    hint: remove the tag; to keep a value as text, put it in quotes",
    )


def test_empty_file(make_project: MakeProject) -> None:
    run = check(make_project, {SECOND: ""})

    assert_reports(
        run,
        f"{SECOND}:1:1: the file is empty",
        "    hint: start from 'sabaq new' or another module file",
    )


def test_yaml_extension(make_project: MakeProject) -> None:
    run = check(
        make_project, {SECOND: None, "courses/demo/02-second.yaml": MINIMAL_PROJECT[SECOND]}
    )

    # One mistake, one error: the module listed in course.yml is not also reported as missing.
    assert_reports(
        run,
        "courses/demo/02-second.yaml:1:1: Sabaq reads files ending in '.yml', not '.yaml'",
        "    hint: rename the file to '02-second.yml'",
    )


# --- Values --------------------------------------------------------------------------------------


def test_text_where_a_number_belongs(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            SECOND: """
                id: second
                title: Second module
                duration_minutes: twenty
                sections:
                  - heading: More
                    body: Text.
                """,
        },
    )

    assert_reports(
        run,
        f"{SECOND}:3:19: duration_minutes: expected a whole number, found 'twenty'",
        "    hint: write digits only, e.g. 20",
    )


def test_number_where_text_belongs(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            SECOND: """
                id: second
                title: Second module
                duration_minutes: 10
                sections:
                  - heading: 2024
                    body: Text.
                """,
        },
    )

    assert_reports(
        run,
        f"{SECOND}:5:14: sections[0].heading: expected text, found the number 2024",
        '    hint: put the text in quotes, e.g. heading: "2024"',
    )


def test_number_out_of_range(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            SECOND: """
                id: second
                title: Second module
                duration_minutes: 0
                sections:
                  - heading: More
                    body: Text.
                """,
        },
    )

    assert_reports(
        run,
        f"{SECOND}:3:19: duration_minutes: must be more than 0, found the number 0",
        "    hint: change the number",
    )


def test_pasted_paragraph_is_quoted_short_on_one_line(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            SECOND: """
                id: second
                title: Second module
                duration_minutes: |
                  Lateral reading means leaving the page to see what others say about it.
                  Then come back.
                sections:
                  - heading: "12:30"
                    body: Text.
                """,
        },
    )

    assert_reports(
        run,
        f"{SECOND}:3:19: duration_minutes: expected a whole number, found "
        "'Lateral reading means leaving the page to see what others s…'",
        "    hint: write digits only, e.g. 20",
    )


def test_clock_time_is_text(make_project: MakeProject) -> None:
    # YAML 1.1 reads 12:30 as the number 750 (base 60).
    run = check(
        make_project,
        {
            SECOND: "id: second\ntitle: 12:30\nduration_minutes: 10\nsections:\n  - heading: More\n    body: Text.\n"
        },
    )

    assert (run.code, reported(run.stderr)) == (0, [])


def test_misspelt_key_in_a_quiz_option(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            BANK: _bank(
                "  - id: q1\n    type: single\n    prompt: Which?\n    options:\n"
                "      - id: a\n        txt: A\n        correct: true\n      - id: b\n        text: B\n"
            )
        },
    )

    assert_reports(
        run,
        f"{BANK}:9:9: questions[0].options[0].txt: unknown key (did you mean 'text'?)",
        "    hint: the keys allowed here are: id, text, correct, feedback",
    )


def test_empty_title(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            SECOND: """
                id: second
                title: ""
                duration_minutes: 10
                sections:
                  - heading: More
                    body: Text.
                """,
        },
    )

    assert_reports(
        run,
        f"{SECOND}:2:8: title: must not be empty",
        "    hint: write the text after the colon",
    )


def test_unknown_key_suggests_the_right_one(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            SECOND: """
                id: second
                titel: Second module
                duration_minutes: 10
                sections:
                  - heading: More
                    body: Text.
                """,
        },
    )

    # Reported once, as a misspelling, not also as 'title' missing.
    assert_reports(
        run,
        f"{SECOND}:2:1: titel: unknown key (did you mean 'title'?)",
        "    hint: the keys allowed here are: id, title, duration_minutes, summary, objectives, "
        "sections, sources, quiz, trainer",
    )


def test_missing_required_field(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            SECOND: """
                id: second
                title: Second module
                sections:
                  - heading: More
                    body: Text.
                """,
        },
    )

    assert_reports(
        run,
        f"{SECOND}:1:1: 'duration_minutes' is missing",
        "    hint: add 'duration_minutes:' here: about how long the module takes, in minutes.",
    )


def test_missing_field_in_a_list_item(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            SECOND: """
                id: second
                title: Second module
                duration_minutes: 10
                sections:
                  - heading: More
                """,
        },
    )

    assert_reports(
        run,
        f"{SECOND}:5:5: sections[0]: 'body' is missing",
        "    hint: add 'body:' here: the section's text, in Markdown: paragraphs, lists, tables, links.",
    )


# --- Courses and modules -------------------------------------------------------------------------


def test_two_modules_with_the_same_id(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            "courses/demo/03-first.yml": """
                id: first
                title: First module again
                duration_minutes: 5
                sections:
                  - heading: Again
                    body: Text.
                """,
        },
    )

    assert_reports(
        run,
        "courses/demo/03-first.yml:1:5: id: the module id 'first' is already used by 01-first.yml",
        "    hint: give each module its own id",
    )


def test_a_module_cannot_take_the_certificate_pages_address(make_project: MakeProject) -> None:
    course = str(MINIMAL_PROJECT["courses/demo/course.yml"])
    run = check(
        make_project,
        {
            "courses/demo/course.yml": course.replace(
                "[first, second]", "[first, second, certificate]"
            ),
            "courses/demo/03-certificate.yml": """
                id: certificate
                title: Certificate
                duration_minutes: 5
                sections:
                  - heading: Done
                    body: Text.
                """,
        },
    )

    assert_reports(
        run,
        "courses/demo/03-certificate.yml:1:5: id: 'certificate' is the address of the course's "
        "certificate page, so a module cannot use it",
        "    hint: choose another id, such as 'certificate-basics', and rename the file to match",
    )


def test_a_pass_mark_is_a_per_cent(make_project: MakeProject) -> None:
    course = str(MINIMAL_PROJECT["courses/demo/course.yml"])
    run = check(
        make_project,
        {
            "courses/demo/course.yml": course.rstrip()
            + "\n        completion:\n          pass_mark: 150\n"
        },
    )

    assert_reports(
        run,
        "courses/demo/course.yml:8:14: completion.pass_mark: must be at most 100, found the number 150",
        "    hint: change the number",
    )


def test_module_listed_but_missing(make_project: MakeProject) -> None:
    run = check(make_project, {SECOND: None})

    assert_reports(
        run,
        f"{COURSE}:6:18: modules[1]: module 'second' is listed, but there is no file for it in "
        "courses/demo/",
        "    hint: create it with 'sabaq new module demo second', or remove it from the list",
    )


def test_module_listed_but_missing_suggests_a_close_one(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            COURSE: """
                id: demo
                title: Demo course
                summary: A tiny course.
                level: beginner
                languages: [en, ru]
                modules: [first, secnd]
                """,
        },
    )

    assert_reports(
        run,
        f"{SECOND}:1:5: module 'second' is not listed in course.yml",
        "    hint: add '- second' under 'modules:' in courses/demo/course.yml, in reading order",
        f"{COURSE}:6:18: modules[1]: module 'secnd' is listed, but there is no file for it in "
        "courses/demo/ (did you mean 'second'?)",
        "    hint: create it with 'sabaq new module demo secnd', or remove it from the list",
    )


def test_module_on_disk_but_not_listed(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            "courses/demo/03-third.yml": """
                id: third
                title: Third module
                duration_minutes: 5
                sections:
                  - heading: Three
                    body: Text.
                """,
        },
    )

    assert_reports(
        run,
        "courses/demo/03-third.yml:1:5: module 'third' is not listed in course.yml",
        "    hint: add '- third' under 'modules:' in courses/demo/course.yml, in reading order",
    )


def test_module_with_errors_is_not_also_reported_missing(make_project: MakeProject) -> None:
    run = check(make_project, {SECOND: "id: second\ntitle: Second module\n"})

    assert [line for line in reported(run.stderr) if not line.startswith("    ")] == [
        f"{SECOND}:1:1: 'duration_minutes' is missing",
        f"{SECOND}:1:1: 'sections' is missing",
    ]


def test_course_id_does_not_match_folder(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            COURSE: """
                id: demo-course
                title: Demo course
                summary: A tiny course.
                level: beginner
                languages: [en, ru]
                modules: [first, second]
                """,
        },
    )

    assert_reports(
        run,
        f"{COURSE}:1:5: id: 'demo-course' does not match the folder name 'demo'",
        "    hint: rename the folder to 'demo-course', or change the id to 'demo'",
    )


def test_unknown_level_suggests_the_right_one(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            COURSE: """
                id: demo
                title: Demo course
                summary: A tiny course.
                level: begginer
                languages: [en, ru]
                modules: [first, second]
                """,
        },
    )

    assert_reports(
        run,
        f"{COURSE}:4:8: level: expected 'beginner', 'intermediate' or 'advanced' but found "
        "'begginer' (did you mean 'beginner'?)",
        "    hint: use one of: beginner, intermediate, advanced",
    )


# --- Languages -----------------------------------------------------------------------------------


def test_unsupported_language_in_course(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            COURSE: """
                id: demo
                title: Demo course
                summary: A tiny course.
                level: beginner
                languages: [en, fr]
                modules: [first, second]
                """,
        },
    )

    assert_reports(
        run,
        f"{COURSE}:5:17: languages[1]: 'fr' is not a supported language",
        "    hint: use one of: en, ru, uz, kk, ky, tg",
    )


def test_unsupported_language_in_file_name(make_project: MakeProject) -> None:
    run = check(
        make_project, {"courses/demo/01-first.fr.yml": "status: draft\ntitle: Premier module\n"}
    )

    assert_reports(
        run,
        "courses/demo/01-first.fr.yml:1:1: 'fr' in the file name is not a supported language",
        "    hint: name translations <name>.<language>.yml with one of: en, ru, uz, kk, ky, tg",
    )


def test_translation_for_a_language_the_course_does_not_list(make_project: MakeProject) -> None:
    run = check(
        make_project, {"courses/demo/01-first.uz.yml": "status: draft\ntitle: Birinchi modul\n"}
    )

    assert_reports(
        run,
        "courses/demo/01-first.uz.yml:1:1: 'uz' is not among the course's languages",
        "    hint: add 'uz' to 'languages' in courses/demo/course.yml, or remove this file",
    )


# --- Translations --------------------------------------------------------------------------------


def test_translation_key_the_source_lacks(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            FIRST_RU: """
                status: draft
                title: Первый модуль
                sections:
                  - heading: Начало
                    bodi: Привет.
                """,
        },
    )

    assert_reports(
        run,
        f"{FIRST_RU}:5:5: sections[0].bodi: this key is not in the source (did you mean 'body'?)",
        "    hint: a translation can only hold text; the text keys here are: heading, body, callouts",
    )


def test_translation_that_changes_structure(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            FIRST_RU: """
                status: draft
                id: pervyi
                title: Первый модуль
                duration_minutes: 30
                """,
        },
    )

    assert_reports(
        run,
        f"{FIRST_RU}:2:1: id: this is not text, so only the source file can set it",
        "    hint: change it in the source file 01-first.yml, and remove it here",
        f"{FIRST_RU}:4:1: duration_minutes: this is not text, so only the source file can set it",
        "    hint: change it in the source file 01-first.yml, and remove it here",
    )


def test_translation_list_longer_than_the_source(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            FIRST_RU: """
                status: draft
                sections:
                  - heading: Начало
                  - heading: Продолжение
                """,
        },
    )

    assert_reports(
        run,
        f"{FIRST_RU}:4:5: sections: the source has 1 item, this translation has 2",
        "    hint: items are matched by position; add the item to 01-first.yml first, or remove it here",
    )


def test_translation_without_status(make_project: MakeProject) -> None:
    run = check(make_project, {FIRST_RU: "title: Первый модуль\n"})

    assert_reports(
        run,
        f"{FIRST_RU}:1:1: 'status' is missing",
        "    hint: add 'status: draft' at the top (or 'status: reviewed' once a native speaker has "
        "checked it)",
    )


def test_translation_with_unknown_status(make_project: MakeProject) -> None:
    run = check(make_project, {FIRST_RU: "status: done\ntitle: Первый модуль\n"})

    assert_reports(
        run,
        f"{FIRST_RU}:1:9: status: expected 'draft' or 'reviewed' but found 'done'",
        "    hint: use one of: draft, reviewed",
    )


def test_translation_of_a_broken_source_is_not_called_an_orphan(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            FIRST: "id: first\ntitle: First module\n",
            FIRST_RU: "status: draft\ntitle: Первый модуль\n",
        },
    )

    assert all(line.startswith(FIRST + ":") for line in reported(run.stderr) if line[0] != " ")


def test_translation_without_a_source(make_project: MakeProject) -> None:
    run = check(make_project, {"courses/demo/03-third.ru.yml": "status: draft\ntitle: Третий\n"})

    assert_reports(
        run,
        "courses/demo/03-third.ru.yml:1:1: there is no source file '03-third.yml' for this translation",
        "    hint: a translation <name>.ru.yml needs its source <name>.yml beside it in courses/demo/",
    )


# --- Quizzes -------------------------------------------------------------------------------------


def _module_with_quiz(quiz: str) -> str:
    return (
        "id: first\ntitle: First module\nduration_minutes: 20\n"
        "sections:\n  - heading: Start\n    body: Hello.\n" + quiz
    )


def _bank(questions: str) -> str:
    return "id: basics\ntitle: Basics\nquestions:\n" + questions


def test_quiz_bank_that_does_not_exist(make_project: MakeProject) -> None:
    run = check(make_project, {FIRST: _module_with_quiz("quiz:\n  bank: basic\n")})

    assert_reports(
        run,
        f"{FIRST}:8:9: quiz.bank: there is no quiz bank 'basic' (did you mean 'basics'?)",
        "    hint: create quizzes/basic.yml, or use one of: basics",
    )


def test_quiz_questions_not_in_the_bank(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {FIRST: _module_with_quiz("quiz:\n  bank: basics\n  questions: [q1, q-1, q7]\n")},
    )

    assert_reports(
        run,
        f"{FIRST}:9:19: quiz.questions[1]: the bank 'basics' has no question 'q-1' (did you mean 'q1'?)",
        "    hint: the bank's questions are: q1",
        f"{FIRST}:9:24: quiz.questions[2]: the bank 'basics' has no question 'q7'",
        "    hint: the bank's questions are: q1",
    )


def test_single_question_with_no_correct_option(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            BANK: _bank(
                "  - id: q1\n    type: single\n    prompt: Which?\n    options:\n"
                "      - id: a\n        text: A\n      - id: b\n        text: B\n"
            )
        },
    )

    assert_reports(
        run,
        f"{BANK}:8:7: questions[0]: a 'single' question needs exactly one option with "
        "'correct: true', found 0",
        "    hint: mark exactly one option 'correct: true'; for several right answers use "
        "'type: multiple'",
    )


def test_single_question_with_two_correct_options(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            BANK: _bank(
                "  - id: q1\n    type: single\n    prompt: Which?\n    options:\n"
                "      - id: a\n        text: A\n        correct: true\n"
                "      - id: b\n        text: B\n        correct: true\n"
            )
        },
    )

    assert_reports(
        run,
        f"{BANK}:8:7: questions[0]: a 'single' question needs exactly one option with "
        "'correct: true', found 2",
        "    hint: mark exactly one option 'correct: true'; for several right answers use "
        "'type: multiple'",
    )


def test_a_rule_across_fields_is_reported_beside_a_type_error_elsewhere(
    make_project: MakeProject,
) -> None:
    """Every independent mistake in one run: a question with no right option is reported even
    while another question of the bank has a wrong type."""
    run = check(
        make_project,
        {
            BANK: _bank(
                "  - id: q1\n    type: single\n    prompt: Which?\n    options:\n"
                "      - id: a\n        text: A\n      - id: b\n        text: B\n"
                "  - id: q2\n    type: numeric\n    prompt: How many?\n    answer: many\n"
            )
        },
    )

    assert_reports(
        run,
        f"{BANK}:8:7: questions[0]: a 'single' question needs exactly one option with "
        "'correct: true', found 0",
        "    hint: mark exactly one option 'correct: true'; for several right answers use "
        "'type: multiple'",
        f"{BANK}:15:13: questions[1].answer: expected a number, found 'many'",
        "    hint: write digits only, e.g. 57.1",
    )


def test_multiple_question_with_no_correct_option(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            BANK: _bank(
                "  - id: q1\n    type: multiple\n    prompt: Which?\n    options:\n"
                "      - id: a\n        text: A\n      - id: b\n        text: B\n"
            )
        },
    )

    assert_reports(
        run,
        f"{BANK}:8:7: questions[0]: a 'multiple' question needs at least one option with "
        "'correct: true'",
        "    hint: mark the right options with 'correct: true'",
    )


def test_unknown_question_type(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            BANK: _bank(
                "  - id: q1\n    type: singel\n    prompt: Which?\n    options:\n"
                "      - id: a\n        text: A\n        correct: true\n      - id: b\n        text: B\n"
            )
        },
    )

    # The module that uses the bank is not also told that the bank does not exist.
    assert_reports(
        run,
        f"{BANK}:5:11: questions[0].type: unknown question type 'singel' (did you mean 'single'?)",
        "    hint: use one of: single, multiple, true_false, fill_blank, numeric, ordering, matching, "
        "claim_rating",
    )


# --- Many mistakes at once -----------------------------------------------------------------------


def test_every_error_in_one_run_sorted_by_file_then_line(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            COURSE: """
                id: demo
                title: Demo course
                summary: A tiny course.
                level: begginer
                languages: [en, ru]
                modules: [first, second]
                """,
            FIRST: _module_with_quiz("quiz:\n  bank: basics\n  questions: [q9]\n"),
            FIRST_RU: "status: draft\ntitle: Первый модуль\nduration_minutes: 30\n",
            SECOND: """
                id: second
                title: Second module
                duration_minutes: twenty
                sections:
                  - heading: More
                    bodi: Text.
                """,
            "quizzes/extra.yml": "id: extra\ntitle: Extra\nquestions:\n  - id: x\n    type: singel\n    prompt: Which?\n",
        },
    )

    lines = reported(run.stderr)
    errors = [line for line in lines if not line.startswith("    hint: ")]
    assert errors == [
        f"{FIRST_RU}:3:1: duration_minutes: this is not text, so only the source file can set it",
        f"{FIRST}:9:15: quiz.questions[0]: the bank 'basics' has no question 'q9'",
        f"{SECOND}:3:19: duration_minutes: expected a whole number, found 'twenty'",
        f"{SECOND}:6:5: sections[0].bodi: unknown key (did you mean 'body'?)",
        f"{COURSE}:4:8: level: expected 'beginner', 'intermediate' or 'advanced' but found "
        "'begginer' (did you mean 'beginner'?)",
        "quizzes/extra.yml:5:11: questions[0].type: unknown question type 'singel' (did you mean 'single'?)",
    ]
    assert len(lines) == 2 * len(errors)  # every error has its hint
    assert_reports(run, *lines)
    assert "6 errors in 5 files; nothing was built." in run.stderr


def test_broken_course_file_hides_no_module_errors(make_project: MakeProject) -> None:
    run = check(
        make_project,
        {
            COURSE: "id: demo\ntitle: Demo: course\n",
            SECOND: "id: second\ntitle: Second module\nduration_minutes: twenty\nsections: []\n",
            FIRST_RU: "status: draft\nid: pervyi\n",
        },
    )

    assert [line for line in reported(run.stderr) if not line.startswith("    ")] == [
        f"{FIRST_RU}:2:1: id: this is not text, so only the source file can set it",
        f"{SECOND}:3:19: duration_minutes: expected a whole number, found 'twenty'",
        f"{SECOND}:4:11: sections: needs at least 1 item",
        f"{COURSE}:2:12: YAML syntax error: this ':' is not expected here",
    ]
    assert run.code == 1


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow  # builds sites with MkDocs
def test_build_with_errors_reports_them_and_leaves_the_site_alone(
    make_project: MakeProject,
) -> None:
    files: dict[str, str | bytes] = {
        **MINIMAL_PROJECT,
        SECOND: "id: second\ntitle: Second module\nduration_minutes: twenty\nsections:\n  - heading: More\n    body: Text.\n",
        "site/index.html": "<p>the published site</p>\n",
        "site/en/marker.txt": "published before\n",
        # What every build writes: a site Sabaq built, which it may replace (builder/build/folders.py).
        "site/.nojekyll": "",
    }
    project = make_project(files)
    before = _tree_digest(project / "site")
    checked = run_sabaq("check", cwd=project)

    built = run_sabaq("build", cwd=project)

    assert_reports(
        built,
        f"{SECOND}:3:19: duration_minutes: expected a whole number, found 'twenty'",
        "    hint: write digits only, e.g. 20",
    )
    assert reported(built.stderr) == reported(checked.stderr)
    assert _tree_digest(project / "site") == before
    # Nothing but the cache (builder/build/cache.py) beside the project: no half-built folder.
    assert sorted(path.name for path in project.iterdir()) == [
        ".sabaq-cache",
        "courses",
        "quizzes",
        "site",
    ]


def test_source_address_that_is_not_a_web_address(make_project) -> None:
    module = (
        str(MINIMAL_PROJECT["courses/demo/02-second.yml"])
        + """
        sources:
          - title: A source
            url: " JaVaScRiPt:alert(1)"
        """
    )
    project = make_project({**MINIMAL_PROJECT, "courses/demo/02-second.yml": module})
    run = run_sabaq("check", cwd=project)
    assert run.code == 1
    assert run.stderr.splitlines()[:2] == [
        "courses/demo/02-second.yml:10:10: sources[0].url: ' JaVaScRiPt:alert(1)' is not a web address",
        "    hint: write the full address, starting with https:// (or http://)",
    ]


# --- mkdocs.yml ----------------------------------------------------------------------------------

MKDOCS_HELP = "MkDocs' settings are described at https://www.mkdocs.org/user-guide/configuration/"


def test_a_theme_that_is_not_a_group_of_keys(make_project: MakeProject) -> None:
    """`theme: readthedocs` stopped the build with a traceback; Sabaq's sites use
    mkdocs-material, whose settings go under `theme:`."""
    run = check(
        make_project, {"mkdocs.yml": "site_url: https://example.org/\ntheme: readthedocs\n"}
    )
    assert_reports(
        run,
        "mkdocs.yml:2:8: theme: expected keys such as 'palette:' and 'features:'",
        "    hint: Sabaq's sites are made with mkdocs-material: write its settings under 'theme:', "
        "one per line (see the comments in the bundled mkdocs.yml)",
    )


def test_another_theme_and_malformed_settings(make_project: MakeProject) -> None:
    config = (
        "theme:\n"
        "  name: readthedocs\n"
        "  features: navigation.footer\n"
        "extra: [a, b]\n"
        "markdown_extensions: toc\n"
    )
    run = check(make_project, {"mkdocs.yml": config})
    assert_reports(
        run,
        "mkdocs.yml:2:9: theme.name: Sabaq's sites are made with mkdocs-material, not 'readthedocs'",
        "    hint: write 'name: material', or leave the name out",
        "mkdocs.yml:3:13: theme.features: expected a list of feature names",
        "    hint: write one name per line, e.g. '- navigation.footer'",
        "mkdocs.yml:4:8: extra: expected keys",
        f"    hint: {MKDOCS_HELP}",
        "mkdocs.yml:5:22: markdown_extensions: expected a list of extension names",
        f"    hint: {MKDOCS_HELP}",
    )


@pytest.mark.slow  # builds sites with MkDocs
def test_mkdocs_own_verdict_on_a_setting_is_placed_at_the_setting(
    make_project: MakeProject,
) -> None:
    """MkDocs checks each setting as a build would; `sabaq check` reports what it finds at the
    setting, and `sabaq build` the same instead of 'the site failed to build'."""
    config = "theme:\n  palette:\n    primary: teal\nsite_url: example.org/courses/\n"
    project = make_project({**MINIMAL_PROJECT, "mkdocs.yml": config})
    expected = [
        "mkdocs.yml:4:11: site_url: The URL isn't valid, it should include the http:// (scheme)",
        f"    hint: fix the setting in mkdocs.yml; {MKDOCS_HELP}",
    ]
    assert_reports(run_sabaq("check", cwd=project), *expected)
    built = run_sabaq("build", "--lang", "en", cwd=project)
    assert reported(built.stderr) == expected
    assert built.code == 1 and not (project / "site").exists()


def test_a_markdown_extension_that_is_not_on_the_list(make_project: MakeProject) -> None:
    """An extension Sabaq does not know is refused before MkDocs would import it: it could be
    the project's own code (tests/security/test_mkdocs_config.py)."""
    config = "markdown_extensions:\n  - toc\n  - admonitions\n"
    run = check(make_project, {"mkdocs.yml": config})
    assert_reports(
        run,
        "mkdocs.yml:3:5: markdown_extensions[1]: 'admonitions' is not one of the Markdown "
        "extensions Sabaq allows (did you mean 'admonition'?); others are Python code that could "
        "do anything on this computer",
        reported(run.stderr)[1],
    )
    assert reported(run.stderr)[1].startswith("    hint: use one of: abbr, admonition, ")


def test_analytics_and_cookie_consent_are_refused(make_project: MakeProject) -> None:
    config = (
        "extra:\n"
        "  analytics:\n"
        "    provider: google\n"
        "    property: G-XXXXXXXXXX\n"
        "  consent:\n"
        "    title: Cookies\n"
    )
    assert_reports(
        check(make_project, {"mkdocs.yml": config}),
        "mkdocs.yml:2:3: extra.analytics: Sabaq's pages load nothing from other sites, and an "
        "analytics service would learn who reads which page",
        "    hint: remove 'analytics:' from 'extra:'; the courses' readers may be watched, and the "
        "pages' security policy would block it anyway",
        "mkdocs.yml:5:3: extra.consent: a cookie consent banner is for analytics and other "
        "sites' content, which Sabaq's pages do not have",
        "    hint: remove 'consent:' from 'extra:'",
    )
