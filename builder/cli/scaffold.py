"""`sabaq new`: course and module files to start from, with comments that teach the format."""

from __future__ import annotations

import os
import re
from pathlib import Path

from builder.content.document import load_document, short_text
from builder.content.errors import UsageError
from builder.content.limits import LIMITS
from builder.content.model import ID_PATTERN, reserved_id
from builder.content.project_files import stays_inside
from builder.content.schema import write_schemas

COURSE_TEMPLATE = """\
# yaml-language-server: $schema=../../schemas/course.schema.json
# A course. Each line is "key: value"; lines starting with # are comments for you, not readers.
# Your editor (VS Code with the YAML extension) completes keys and flags mistakes as you type.

# The course's id: lower-case words joined by hyphens. It is also the folder name and the
# last part of the course's web address, so do not change it once the course is published.
id: {id}

title: {title}
summary: >-
  One or two sentences: what the course teaches, and for whom.

# beginner, intermediate or advanced
level: beginner

# The language this folder's files are written in, and every language the course is published in.
# A translation of a file NAME.yml is NAME.<language>.yml, for example 01-introduction.ru.yml.
source_language: en
languages: [en]

# The modules, in the order readers take them. Each one is a file in this folder named
# NN-<module-id>.yml (the number only sorts the files; this list decides the order).
# Add one with: sabaq new module {id} <module-id>
modules:
  - introduction

authors:
  - Your name
license: CC BY 4.0
"""

MODULE_TEMPLATE = """\
# yaml-language-server: $schema=../../schemas/module.schema.json
# A module: one page of the course. Keep it short enough to read on a phone in one sitting.

# The module's id: the file name without its number, and the last part of the page's address.
id: {id}
title: {title}
# About how long the module takes, in minutes.
duration_minutes: 15
summary: One sentence shown in the course overview.

# What a reader can do after the module; one line each.
objectives:
  - Explain ...
  - Check ...

# The module's parts. "body" is Markdown: **bold**, *italic*, lists with "- ", links
# like [text](https://example.org), tables. The "|" after "body:" keeps the lines as you wrote them.
sections:
  - heading: First heading
    body: |
      Write the text here, indented under "body:".

      - A list item
      - Another one
    # Boxes after the text. kind is tip, warning, example or exercise.
    callouts:
      - kind: tip
        body: A practical tip.

# Every fact needs a source readers can check.
sources:
  - title: Title of the source
    url: https://example.org
    publisher: Who published it
    year: 2024

# A quiz at the end: the id of a question bank in quizzes/. Remove these two lines for no quiz.
# quiz:
#   bank: my-quiz
"""


BANK_TEMPLATE = """\
# yaml-language-server: $schema=../schemas/quiz.schema.json
# A question bank: the quiz at the end of a module that names it (quiz: {{bank: {id}}}).
# One question of every type follows; keep the ones you need, delete the others, and replace
# every text. Each question has an id (unique in the bank), a type, a prompt in Markdown, and
# an optional explanation that readers see once they have answered.

id: {id}
# The language this file is written in. A translation is {id}.<language>.yml.
source_language: en
title: A quiz title

questions:
  # One right option among several. "feedback" is optional, per option.
  - id: pick-one
    type: single
    prompt: Write the question here.
    explanation: Why the right answer is right (readers see it once they answer).
    options:
      - id: right
        text: A right option
        correct: true
        feedback: Why this is right.
      - id: wrong
        text: A wrong option

  # Several right options; readers tick every one.
  - id: pick-several
    type: multiple
    prompt: Write the question here.
    options:
      - id: first
        text: A right option
        correct: true
      - id: second
        text: Another option
        correct: true
      - id: third
        text: A wrong option

  # A statement readers mark true or false.
  - id: true-or-false
    type: true_false
    prompt: Write the question here.
    answer: false

  # Readers type a word or phrase; every spelling you accept, in this language.
  - id: type-the-word
    type: fill_blank
    prompt: Write the question here.
    accepted: ["the word readers type"]

  # A number, with how far off an answer may be, and its unit.
  - id: a-number
    type: numeric
    prompt: Write the question here.
    answer: 57.1
    tolerance: 0.5
    unit: "%"

  # Readers put the steps in order; write them here in the right order (readers see them mixed).
  - id: in-order
    type: ordering
    prompt: Write the question here.
    steps:
      - First step
      - Second step
      - Third step

  # Readers match each left item with its right item; write the pairs that belong together.
  - id: match-them
    type: matching
    prompt: Write the question here.
    pairs:
      - left: Left item
        right: Right item
      - left: Another left item
        right: Another right item

  # Readers rate a claim on your scale (as the region's fact-checkers do); one option is right.
  - id: rate-the-claim
    type: claim_rating
    prompt: Write the question here.
    claim: A claim to rate
    claimant: Who made the claim
    options:
      - id: "true"
        text: "True"
      - id: misleading
        text: Misleading
      - id: "false"
        text: "False"
        correct: true
"""


def _check_id(value: str, what: str) -> None:
    shown = short_text(value)
    if not re.match(ID_PATTERN, value):
        raise UsageError(
            f"'{shown}' is not a valid {what} id: use lower-case letters, digits and single "
            "hyphens, such as 'lateral-reading'"
        )
    if len(value) > LIMITS.id_length:
        raise UsageError(
            f"'{shown}' is too long for a {what} id: the limit is {LIMITS.id_length} characters"
        )
    if reason := reserved_id(value):
        raise UsageError(f"'{value}' is {reason}, so a {what} cannot use it: choose another id")


def _title(identifier: str) -> str:
    return identifier.replace("-", " ").capitalize()


def _refuse_links_out(project: Path, *paths: Path) -> None:
    """A cloned project's links must not make Sabaq write elsewhere on this computer
    (builder/content/project_files.py)."""
    for path in paths:
        if os.path.lexists(path) and not stays_inside(path, project):
            raise UsageError(
                f"{path} is a link to a place outside the project; Sabaq writes nothing there"
            )


def new_course(project: Path, course_id: str) -> list[Path]:
    _check_id(course_id, "course")
    folder = project / "courses" / course_id
    _refuse_links_out(project, project / "courses", project / "quizzes", project / "schemas")
    if folder.exists():
        raise UsageError(f"{folder} already exists")
    folder.mkdir(parents=True)
    (project / "quizzes").mkdir(exist_ok=True)
    # The files' first line points editors at these, so a new project gets them too.
    if not (project / "schemas").exists():
        write_schemas(project / "schemas")
    course_file = folder / "course.yml"
    course_file.write_text(
        COURSE_TEMPLATE.format(id=course_id, title=_title(course_id)), encoding="utf-8"
    )
    return [course_file, *new_module(project, course_id, "introduction", number=1)]


def new_module(
    project: Path, course_id: str, module_id: str, number: int | None = None
) -> list[Path]:
    _check_id(module_id, "module")
    folder = project / "courses" / course_id
    if not (folder / "course.yml").exists():
        raise UsageError(
            f"there is no course '{course_id}' (no {folder / 'course.yml'}); create it with 'sabaq new course {course_id}'"
        )
    _refuse_links_out(project, project / "courses", folder, folder / "course.yml")
    existing = sorted(folder.glob("[0-9]*-*.yml"))
    if (
        any(path.stem.split(".")[0].split("-", 1)[-1] == module_id for path in existing)
        or (folder / f"{module_id}.yml").exists()
    ):
        raise UsageError(f"the course '{course_id}' already has a module '{module_id}'")
    if number is None:
        numbers = [
            int(path.name.split("-", 1)[0])
            for path in existing
            if path.name.split("-", 1)[0].isdigit()
        ]
        number = max(numbers, default=0) + 1
    path = folder / f"{number:02d}-{module_id}.yml"
    _refuse_links_out(project, path)
    path.write_text(MODULE_TEMPLATE.format(id=module_id, title=_title(module_id)), encoding="utf-8")
    _list_module_in_course(folder / "course.yml", module_id)
    return [path]


def _list_module_in_course(course_file: Path, module_id: str) -> None:
    """Append the module to course.yml's list, keeping the trainer's comments and layout."""
    document = load_document(course_file)
    data = document.data if isinstance(document.data, dict) else {}
    modules = data.get("modules")
    if not isinstance(modules, list) or module_id in modules:
        return
    lines = course_file.read_text(encoding="utf-8").splitlines(keepends=True)
    if modules:
        last = document.position_of(("modules", len(modules) - 1))
        indent = " " * (last.column - 3)
        lines.insert(last.line, f"{indent}- {module_id}\n")
    course_file.write_text("".join(lines), encoding="utf-8")


def new_bank(project: Path, bank_id: str) -> list[Path]:
    """`quizzes/<bank_id>.yml` with one question of every type, to keep or delete."""
    _check_id(bank_id, "quiz bank")
    folder = project / "quizzes"
    _refuse_links_out(project, folder)
    path = folder / f"{bank_id}.yml"
    _refuse_links_out(project, path)
    if path.exists() or (folder / f"{bank_id}.yaml").exists():
        raise UsageError(f"{path} already exists")
    folder.mkdir(exist_ok=True)
    if not (project / "schemas").exists():
        write_schemas(project / "schemas")
    path.write_text(BANK_TEMPLATE.format(id=bank_id), encoding="utf-8")
    return [path]
