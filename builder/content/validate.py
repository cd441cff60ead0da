"""Validate a loaded project: every file against the model, then the files against each other.

Pure: takes what `load` read and returns the typed project with all errors, never raising. Every
language edition of every course is assembled here (translations applied, fallbacks recorded), so
rendering only has to lay it out. Each kind of file has its checks in `validation/`; this module
runs them in order.
"""

from __future__ import annotations

from collections.abc import Mapping

from builder.content.errors import ContentError, sorted_errors
from builder.content.load import LoadedProject, ProjectFile
from builder.content.placeholders import placeholder_warnings
from builder.content.project import (
    BankEdition,
    CourseProject,
    Project,
    StoredEditions,
)
from builder.content.validation.banks import (
    bank_editions,
    orphan_bank_translations,
    validate_banks,
)
from builder.content.validation.courses import validate_course
from builder.content.validation.editions import check_translation_header, usable_translation
from builder.content.validation.pages import check_glossary_links, check_images
from builder.content.validation.root_files import check_tools, glossary_editions, rules_editions
from builder.settings import SETTINGS


def validate_project(loaded: LoadedProject) -> tuple[Project, list[ContentError]]:
    """The typed project and every error. `loaded` is used up. A catalogue's files and editions do
    not fit in memory at once (bench/results.md), so each quiz bank and then each course is read
    and checked, and its documents dropped, before the next is read; in a catalogue (more than
    `SETTINGS.courses_held_whole` courses) each is also kept compressed (`StoredEditions`). What
    crosses them is the list of files, the banks' question ids, the glossary and the request
    builder's rules."""
    errors: list[ContentError] = list(loaded.errors)
    # Every source file there is, readable or not, as (course folder, file name without language
    # and extension): one that has errors is reported for them, not again as missing where it is
    # used or translated.
    present = {
        (f.course_folder, f.stem)
        for f in loaded.files
        if f.language is None and f.kind != "glossary"
    }
    by_folder: dict[str, list[ProjectFile]] = {}
    for project_file in loaded.files:
        if project_file.course_folder:
            by_folder.setdefault(project_file.course_folder, []).append(project_file)
    # A catalogue's files and editions do not fit in memory at once: each is stored compressed.
    compress = len(by_folder) > SETTINGS.courses_held_whole
    others = [f for f in loaded.files if not f.course_folder]
    loaded.files = others
    errors.extend(_reading_errors([f for f in others if f.kind != "quiz"]))
    placeholders: list[ContentError] = []
    #: Translations whose source changed since: warnings, gathered before each file is stored.
    stale: list[ContentError] = []

    # Bank by bank, as the courses are below.
    quizzes: dict[str, list[ProjectFile]] = {}
    for project_file in others:
        if project_file.kind == "quiz":
            quizzes.setdefault(project_file.stem, []).append(project_file)
    stored_banks: dict[str, Mapping[str, BankEdition]] = {}
    #: bank id -> its questions' ids, which modules refer to
    bank_questions: dict[str, list[str]] = {}
    orphans: list[ProjectFile] = []
    for stem in sorted(quizzes):
        in_bank = quizzes.pop(stem)
        errors.extend(_reading_errors(in_bank))
        readable = [f for f in in_bank if not f.document.errors]
        translations = [f for f in readable if f.language is not None]
        source = validate_banks([f for f in readable if f.language is None], errors)
        if not source:
            orphans += translations
        else:
            editions = bank_editions(source, translations, errors, present)
            errors.extend(check_images([], editions, LoadedProject(loaded.root, in_bank, []), {}))
            for bank_id, (bank, _) in source.items():
                by_language = editions[bank_id]
                stale += [w for e in by_language.values() for w in e.translated.warnings]
                stored_banks[bank_id] = StoredEditions(by_language) if compress else by_language
                bank_questions[bank_id] = [question.id for question in bank.questions]
        placeholders += _placeholders(readable)
        _forget(in_bank)
    for project_file in orphans:
        if usable_translation(project_file, errors):
            errors.extend(orphan_bank_translations([project_file], bank_questions, present))
    glossary_files = [f for f in others if f.kind == "glossary"]
    glossary = glossary_editions([f for f in glossary_files if not f.document.errors], errors)
    rti_files = [f for f in others if f.kind == "rti"]
    rti = rules_editions([f for f in rti_files if not f.document.errors], errors)
    loaded.files = glossary_files + rti_files
    del others

    courses: list[CourseProject] = []
    for folder in sorted(by_folder):
        in_folder = by_folder.pop(folder)
        errors.extend(_reading_errors(in_folder))
        readable = [f for f in in_folder if not f.document.errors]
        course_project = validate_course(
            loaded.root, folder, readable, bank_questions, errors, present
        )
        placeholders += _placeholders(readable)
        if course_project is None:
            _forget(in_folder)
            continue
        course_id = course_project.course.id
        files = LoadedProject(loaded.root, in_folder, [], {}, loaded.images_outside)
        images = {course_id: loaded.images.get(course_id, {})}
        errors.extend(check_images([course_project], {}, files, images))
        if glossary or not glossary_files:
            errors.extend(check_glossary_links([course_project], files, glossary))
        stale += [
            w for edition in course_project.all_editions() for w in edition.translated.warnings
        ]
        _forget(in_folder)
        courses.append(course_project.stored() if compress else course_project)
    if rti or not rti_files:
        errors.extend(check_tools(courses, rti))
    images = {course.course.id: loaded.images.get(course.course.id, {}) for course in courses}
    project = Project(
        loaded.root, courses, stored_banks, images, glossary, rti, question_ids=bank_questions
    )
    stale += [
        w for edition in [*glossary.values(), *rti.values()] for w in edition.translated.warnings
    ]
    project.warnings = sorted_errors(stale + placeholders)
    return project, sorted_errors(errors)


def _reading_errors(files: list[ProjectFile]) -> list[ContentError]:
    """What reading the files found, and the translations' headers."""
    errors = []
    for project_file in files:
        errors.extend(project_file.document.errors)
        if project_file.language is not None and not project_file.document.errors:
            errors.extend(check_translation_header(project_file))
    return errors


def _placeholders(files: list[ProjectFile]) -> list[ContentError]:
    return [
        warning
        for f in files
        if f.language is None and f.kind in ("course", "module", "quiz")
        for warning in placeholder_warnings(f.document)
    ]


def _forget(files: list[ProjectFile]) -> None:
    for project_file in files:
        project_file.forget()
