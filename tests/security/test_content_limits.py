"""Hostile course content that `sabaq check` must catch before `build` would fail or misbehave:
numbers a quiz cannot compare with, ids the file system or the site cannot take, texts and lists
that would make a build grow with the square of one field, and control characters that would act
on the trainer's terminal or hide text on the page.

Every test builds a real project in a temporary folder, runs the real CLI, and asserts the exact
`path:line:column: message` and hint, the exit code, that there is no traceback, and that nothing
outside the project changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sabaq_testing import MINIMAL_PROJECT, REPO, Run, run_sabaq, write_files

from builder.content.limits import LIMITS, Limits

COURSE = "courses/demo/course.yml"
FIRST = "courses/demo/01-first.yml"
SECOND = "courses/demo/02-second.yml"
SECOND_RU = "courses/demo/02-second.ru.yml"
BANK = "quizzes/basics.yml"
LIMITS_HINT = "the limits, and why each is there, are in docs/authoring.md"

Project = Callable[..., Path]


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """MINIMAL_PROJECT with some files replaced, added or (None) removed, in tmp_path/project.
    After the test, tmp_path must hold nothing but the project: Sabaq wrote nowhere else."""

    def make(changes: dict[str, str | bytes | None] | None = None) -> Path:
        files = dict(MINIMAL_PROJECT)
        for name, content in (changes or {}).items():
            if content is None:
                del files[name]
            else:
                files[name] = content
        return write_files(tmp_path / "project", files)

    yield make
    assert [path.name for path in tmp_path.iterdir()] == ["project"]


def reported(run: Run) -> list[str]:
    """The error and hint lines of a run, in order."""
    pattern = re.compile(r"^(?:[^\s:][^:]*:\d+:\d+: |    hint: )")
    return [line for line in run.stderr.splitlines() if pattern.match(line)]


def assert_content_errors(run: Run, *lines: str) -> None:
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    assert reported(run) == list(lines), run.stderr
    assert run.code == 1


def assert_check_and_build_report(root: Path, *lines: str) -> None:
    """`check` reports exactly these lines, and `build` stops with the same ones, building
    nothing."""
    assert_content_errors(run_sabaq("check", cwd=root), *lines)
    assert_content_errors(run_sabaq("build", "--no-packages", cwd=root), *lines)
    assert not (root / "site").exists()


def numeric_bank(answer: str, tolerance: str = "0") -> str:
    return f"""
        id: basics
        title: Basics
        questions:
          - id: q1
            type: numeric
            prompt: How many?
            answer: {answer}
            tolerance: {tolerance}
        """


# --- Numbers a quiz cannot compare with ---------------------------------------------------------

ORDINARY_NUMBER = (
    "    hint: write an ordinary number, e.g. 57.1: a reader's answer cannot be compared with "
    "infinity, '.nan' or a number of hundreds of digits"
)


@pytest.mark.parametrize(
    ("written", "found"),
    [
        (".inf", "infinity ('.inf', or a number too large to store)"),
        ("1e999", "infinity ('.inf', or a number too large to store)"),
        ("-.inf", "minus infinity ('.inf', or a number too large to store)"),
        (".nan", "'.nan' (not a number)"),
        ("1" + "0" * 400, "one with 401 digits"),
    ],
)
def test_a_numeric_answer_must_be_an_ordinary_number(
    project: Project, written: str, found: str
) -> None:
    # Before: check passed, and build died in quiz.mask_number with a traceback.
    root = project({BANK: numeric_bank(written)})
    assert_check_and_build_report(
        root,
        f"quizzes/basics.yml:7:13: questions[0].answer: expected an ordinary number, found {found}",
        ORDINARY_NUMBER,
    )


@pytest.mark.parametrize(
    ("written", "found"),
    [
        (".inf", "infinity ('.inf', or a number too large to store)"),
        ("1e999", "infinity ('.inf', or a number too large to store)"),
    ],
)
def test_a_tolerance_must_be_an_ordinary_number(project: Project, written: str, found: str) -> None:
    root = project({BANK: numeric_bank("3", written)})
    assert_check_and_build_report(
        root,
        f"quizzes/basics.yml:8:16: questions[0].tolerance: expected an ordinary number, found {found}",
        ORDINARY_NUMBER,
    )


def test_a_large_but_ordinary_answer_builds(project: Project) -> None:
    root = project({BANK: numeric_bank("1.5e300", "2e-300")})
    run = run_sabaq("build", "--no-packages", cwd=root)
    assert run.code == 0, run.stderr


# --- Ids the file system or the site cannot take ------------------------------------------------


def with_module(module_id: str) -> dict[str, str | bytes | None]:
    """MINIMAL_PROJECT with its second module renamed to `module_id`."""
    return {
        COURSE: str(MINIMAL_PROJECT[COURSE]).replace("[first, second]", f'[first, "{module_id}"]'),
        SECOND: None,
        f"courses/demo/02-{module_id}.yml": str(MINIMAL_PROJECT[SECOND]).replace(
            "id: second", f'id: "{module_id}"'
        ),
    }


def with_course(course_id: str) -> dict[str, str | bytes | None]:
    """MINIMAL_PROJECT with its course renamed to `course_id`."""
    changes: dict[str, str | bytes | None] = {}
    for name, content in MINIMAL_PROJECT.items():
        if name.startswith("courses/demo/"):
            changes[name] = None
            text = str(content).replace("id: demo", f'id: "{course_id}"')
            changes[name.replace("courses/demo/", f"courses/{course_id}/")] = text
    return changes


#: Names the built site uses beside course and module folders (what a language folder of the
#: bundled project's site holds, the top-level downloads/, a course's index.html and images/).
SITE_NAMES = ["index", "search", "assets", "downloads", "404", "sw", "manifest", "offline"]


@pytest.mark.parametrize("module_id", [*SITE_NAMES, "sitemap"])
def test_a_module_cannot_take_a_name_the_site_uses(project: Project, module_id: str) -> None:
    # Before: check passed; a module 'index' silently replaced the course's overview page.
    root = project(with_module(module_id))
    assert_check_and_build_report(
        root,
        f"courses/demo/02-{module_id}.yml:1:5: id: '{module_id}' is a name the built site uses "
        "for itself, so a module cannot use it",
        f"    hint: choose another id, such as '{module_id}-basics', and rename the file to match",
    )


@pytest.mark.parametrize("course_id", SITE_NAMES)
def test_a_course_cannot_take_a_name_the_site_uses(project: Project, course_id: str) -> None:
    # Before: a course 'assets' or 'search' was built over the theme's files or the search index.
    root = project(with_course(course_id))
    assert_check_and_build_report(
        root,
        f"courses/{course_id}/course.yml:1:5: id: '{course_id}' is a name the built site uses "
        "for itself, so a course cannot use it",
        f"    hint: choose another id, such as '{course_id}-course', and rename the folder to "
        "match",
    )


@pytest.mark.parametrize("module_id", ["con", "nul", "lpt1", "com9"])
def test_a_module_cannot_take_a_name_windows_refuses(project: Project, module_id: str) -> None:
    # A downloaded package holding a folder 'con' cannot be unpacked on Windows.
    root = project(with_module(module_id))
    assert_check_and_build_report(
        root,
        f"courses/demo/02-{module_id}.yml:1:5: id: '{module_id}' is a name Windows does not "
        "allow for a folder, so a module cannot use it",
        f"    hint: choose another id, such as '{module_id}-basics', and rename the file to match",
    )


def test_an_id_too_long_for_a_file_name_is_an_error(project: Project) -> None:
    # A 300-character module id would be a 300-byte folder name: more than any file system takes.
    long_id = "a" * 300
    root = project(
        {COURSE: str(MINIMAL_PROJECT[COURSE]).replace("[first, second]", f"[first, {long_id}]")}
    )
    assert_check_and_build_report(
        root,
        f"courses/demo/course.yml:6:18: modules[1]: has more characters (300) than the limit of "
        f"{LIMITS.id_length}",
        f"    hint: shorten it; {LIMITS_HINT}",
    )


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            ["new", "course", "a" * 300],
            f"'{'a' * 59}…' is too long for a course id: the limit is 64 characters",
        ),
        (
            ["new", "course", "index"],
            "'index' is a name the built site uses for itself, so a course cannot use it: "
            "choose another id",
        ),
        (
            ["new", "module", "demo", "con"],
            "'con' is a name Windows does not allow for a folder, so a module cannot use it: "
            "choose another id",
        ),
    ],
)
def test_new_refuses_ids_the_site_cannot_take(
    project: Project, command: list[str], message: str
) -> None:
    # Before: 'sabaq new course <300 letters>' ended in an OSError traceback.
    root = project()
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    run = run_sabaq(*command, cwd=root)
    assert "Traceback" not in run.stderr
    assert run.stderr == f"sabaq: error: {message}\n"
    assert run.code == 2
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


# --- Limits on texts and lists -------------------------------------------------------------------


def module_text(
    *,
    sections: int = 1,
    title: str = "Title",
    body: str = "Text.",
    callouts: int = 0,
    objectives: int = 0,
    minutes: int = 10,
) -> str:
    lines = ["id: second", f"title: {title}", f"duration_minutes: {minutes}"]
    if objectives:
        lines += ["objectives:", *(f"  - Objective {n}" for n in range(objectives))]
    lines.append("sections:")
    for number in range(sections):
        lines += [f"  - heading: Part {number}", "    body: |"]
        lines += [f"      {line}" for line in body.splitlines()]
        if callouts:
            lines.append("    callouts:")
            lines += [f"      - kind: tip\n        body: Tip {n}." for n in range(callouts)]
    return "\n".join(lines) + "\n"


def choice_bank(options: int = 2, option_text: str = "B") -> str:
    lines = [
        "id: basics",
        "title: Basics",
        "questions:",
        "  - id: q1",
        "    type: single",
        "    prompt: Which?",
        "    options:",
        "      - id: a",
        "        text: A",
        "        correct: true",
    ]
    for number in range(1, options):
        lines += [f"      - id: o{number}", f"        text: {option_text}"]
    return "\n".join(lines) + "\n"


def matching_bank(pairs: int) -> str:
    lines = ["id: basics", "title: Basics", "questions:", "  - id: q1", "    type: matching"]
    lines += ["    prompt: Match them.", "    pairs:"]
    lines += [f"      - left: L{n}\n        right: R{n}" for n in range(pairs)]
    return "\n".join(lines) + "\n"


def many_modules(count: int) -> dict[str, str | bytes | None]:
    ids = [f"m{n}" for n in range(count)]
    changes: dict[str, str | bytes | None] = {
        COURSE: str(MINIMAL_PROJECT[COURSE]).replace("[first, second]", f"[{', '.join(ids)}]"),
        FIRST: None,
        SECOND: None,
    }
    for module_id in ids:
        changes[f"courses/demo/{module_id}.yml"] = (
            f"id: {module_id}\ntitle: M\nduration_minutes: 5\n"
            "sections:\n  - heading: H\n    body: Text.\n"
        )
    return changes


@pytest.mark.parametrize(
    ("changes", "lines"),
    [
        (
            {SECOND: module_text(title="T" * (LIMITS.title_length + 1))},
            [
                "courses/demo/02-second.yml:2:8: title: has more characters (301) than the "
                "limit of 300",
                f"    hint: shorten it; {LIMITS_HINT}",
            ],
        ),
        (
            {SECOND: module_text(body="x" * (LIMITS.body_length + 1))},
            [
                "courses/demo/02-second.yml:6:11: sections[0].body: has more characters "
                "(50,002) than the limit of 50,000",
                f"    hint: shorten it; {LIMITS_HINT}",
            ],
        ),
        (
            {SECOND: module_text(sections=LIMITS.sections_per_module + 1)},
            [
                "courses/demo/02-second.yml:5:3: sections: has 51 items, more than the limit of 50",
                f"    hint: split the module into two modules; {LIMITS_HINT}",
            ],
        ),
        (
            {SECOND: module_text(callouts=LIMITS.callouts_per_section + 1)},
            [
                "courses/demo/02-second.yml:9:7: sections[0].callouts: has 21 items, more than "
                "the limit of 20",
                f"    hint: remove some; {LIMITS_HINT}",
            ],
        ),
        (
            {SECOND: module_text(objectives=LIMITS.objectives_per_module + 1)},
            [
                "courses/demo/02-second.yml:5:3: objectives: has 31 items, more than the limit "
                "of 30",
                f"    hint: remove some; {LIMITS_HINT}",
            ],
        ),
        (
            {SECOND: module_text(minutes=LIMITS.module_minutes + 1)},
            [
                "courses/demo/02-second.yml:3:19: duration_minutes: must be at most 1440, found "
                "the number 1441",
                "    hint: change the number",
            ],
        ),
        (
            {BANK: choice_bank(options=LIMITS.options_per_question + 1)},
            [
                "quizzes/basics.yml:8:7: questions[0].options: has 21 items, more than the "
                "limit of 20",
                f"    hint: keep the options a reader can weigh; split the question in two; "
                f"{LIMITS_HINT}",
            ],
        ),
        (
            {BANK: choice_bank(option_text="o" * (LIMITS.choice_length + 1))},
            [
                "quizzes/basics.yml:12:15: questions[0].options[1].text: has more characters "
                "(501) than the limit of 500",
                f"    hint: shorten it; {LIMITS_HINT}",
            ],
        ),
        (
            {BANK: matching_bank(LIMITS.pairs_per_question + 1)},
            [
                "quizzes/basics.yml:8:7: questions[0].pairs: has 21 items, more than the limit "
                "of 20",
                f"    hint: split the question into two matching questions; {LIMITS_HINT}",
            ],
        ),
        (
            many_modules(LIMITS.modules_per_course + 1),
            [
                "courses/demo/course.yml:6:10: modules: has 101 items, more than the limit of 100",
                f"    hint: split the course into two courses; {LIMITS_HINT}",
            ],
        ),
    ],
    ids=[
        "title",
        "body",
        "sections",
        "callouts",
        "objectives",
        "minutes",
        "options",
        "option-text",
        "pairs",
        "modules",
    ],
)
def test_a_text_or_list_over_its_limit_is_an_error(
    project: Project, changes: dict[str, str | bytes | None], lines: list[str]
) -> None:
    # Before: every one of these built, the navigation and quiz menus growing without bound.
    assert_content_errors(run_sabaq("check", cwd=project(changes)), *lines)


def test_a_translation_has_the_limits_of_its_source(project: Project) -> None:
    # model_copy checks nothing: before, a translation's 1 MB title went into every page's menu.
    root = project(
        {
            SECOND_RU: f"""
                status: draft
                title: {"Т" * (LIMITS.title_length + 1)}
                """
        }
    )
    assert_content_errors(
        run_sabaq("check", cwd=root),
        "courses/demo/02-second.ru.yml:2:8: title: has more characters (301) than the limit of 300",
        f"    hint: shorten it; {LIMITS_HINT}",
    )


def test_courses_at_the_limits_build(project: Project) -> None:
    """The limits leave room for real courses: a 2,000-word module in 10 sections, and lists and
    titles exactly at their limits, build."""
    paragraph = " ".join(["word"] * 200)  # 10 sections of 200 words: 2,000 words
    root = project(
        {
            FIRST: module_text(
                sections=10, body=paragraph, title="T" * LIMITS.title_length
            ).replace("id: second", "id: first"),
            SECOND: module_text(
                sections=LIMITS.sections_per_module,
                callouts=2,
                objectives=LIMITS.objectives_per_module,
                minutes=LIMITS.module_minutes,
            ),
            BANK: choice_bank(options=LIMITS.options_per_question),
        }
    )
    run = run_sabaq("build", "--no-packages", "--lang", "en", cwd=root)
    assert run.code == 0, run.stderr
    assert (root / "site/en/demo/first/index.html").is_file()


def test_the_bundled_courses_are_within_the_limits() -> None:
    run = run_sabaq("check", cwd=REPO)
    assert run.code == 0, run.stderr


def test_docs_list_every_limit_with_its_value() -> None:
    """docs/authoring.md's table of limits names every field of Limits, with its value."""
    text = (REPO / "docs/authoring.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| ([\d,]+) \|", text, re.MULTILINE))
    expected = {name: f"{value:,}" for name, value in vars(Limits()).items()}
    assert rows == expected


# --- Control characters --------------------------------------------------------------------------

CONTROL_HINT = (
    "    hint: delete it; in double quotes, escapes such as \\e, \\0 or \\x1b write one (write "
    "\\\\ for a backslash, or use single quotes)"
)


def test_an_escape_sequence_in_a_field_is_an_error_and_never_reaches_the_terminal(
    project: Project,
) -> None:
    # Before: "level: expected ... but found '<ESC>[31m...'" turned the trainer's terminal red
    # (and an OSC sequence could retitle it or write to the clipboard).
    root = project(
        {COURSE: str(MINIMAL_PROJECT[COURSE]).replace("beginner", '"\\e[31mexpert\\e]0;pwned\\a"')}
    )
    for command in ("check", "build"):
        run = run_sabaq(command, cwd=root)
        assert "\x1b" not in run.stdout + run.stderr
        assert "\x07" not in run.stdout + run.stderr
        assert_content_errors(
            run,
            "courses/demo/course.yml:4:8: this text contains an invisible control character "
            "(U+001B)",
            CONTROL_HINT,
        )


def test_a_quoted_file_name_shows_control_characters_escaped(project: Project) -> None:
    # A file name is quoted as it is; an escape sequence in it is shown, not obeyed.
    name = "02-sec\x1b[2Jond.yml"
    root = project({SECOND: None, f"courses/demo/{name}": str(MINIMAL_PROJECT[SECOND])})
    run = run_sabaq("check", cwd=root)
    assert "\x1b" not in run.stderr
    assert (
        "courses/demo/02-sec\\x1b[2Jond.yml:1:5: id: 'second' does not match the file name "
        "'02-sec\\x1b[2Jond.yml'" in reported(run)
    )
    assert run.code == 1


@pytest.mark.parametrize(
    ("escape", "code"),
    [("\\0", "0000"), ("\\x07", "0007"), ("\\r", "000D"), ("\\x9b", "009B"), ("\\N", "0085")],
)
def test_a_control_character_in_a_module_is_an_error_at_its_place(
    project: Project, escape: str, code: str
) -> None:
    root = project(
        {SECOND: str(MINIMAL_PROJECT[SECOND]).replace("body: Text.", f'body: "Text{escape} more."')}
    )
    assert_check_and_build_report(
        root,
        f"courses/demo/02-second.yml:6:11: this text contains an invisible control character "
        f"(U+{code})",
        CONTROL_HINT,
    )


def test_a_bidirectional_override_is_an_error_at_its_exact_place(project: Project) -> None:
    # U+202E shows "Open gnp.exe" as "Open exe.png": text on the page reads otherwise than it is.
    root = project(
        {
            SECOND: """
                id: second
                title: Second module
                duration_minutes: 10
                sections:
                  - heading: More
                    body: |
                      First line.
                      Open \u202egnp.exe now.
                """
        }
    )
    assert_check_and_build_report(
        root,
        "courses/demo/02-second.yml:8:12: this text contains U+202E, an invisible character that "
        "changes the direction of the text around it",
        "    hint: delete it: right-to-left words show in the right order without it, and it can "
        "make a text read differently from what it says",
    )


def test_tabs_line_breaks_and_other_scripts_are_welcome(project: Project) -> None:
    root = project(
        {
            SECOND: str(MINIMAL_PROJECT[SECOND]).replace(
                "body: Text.", 'body: "Tab\\there.\\nҚазақша, oʻzbekcha, ‏עברית‏, zero\\u200dwidth."'
            )
        }
    )
    run = run_sabaq("build", "--no-packages", cwd=root)
    assert run.code == 0, run.stderr


def test_messages_show_control_characters_escaped() -> None:
    from builder.content.document import short_text
    from builder.content.errors import printable

    assert printable("a\x1b[31mb\x00c\u202ed\x9b") == "a\\x1b[31mb\\x00c\\u202ed\\x9b"
    assert short_text("\x1b]0;title\x07 end") == "\\x1b]0;title\\x07 end"
