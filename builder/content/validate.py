"""Validate a loaded project: every file against the model, then the files against each other.

Pure: takes what `load` read and returns the typed project with all errors, never raising. Every
language edition of every course is assembled here (translations applied, fallbacks recorded), so
rendering only has to lay it out. Each kind of file has its checks in `validation/`; this module
runs them in order.
"""

from __future__ import annotations

from builder.content.errors import ContentError, sorted_errors
from builder.content.load import LoadedProject, ProjectFile
from builder.content.placeholders import placeholder_warnings
from builder.content.project import (
    CourseProject,
    Project,
)
from builder.content.validation.banks import bank_editions, validate_banks
from builder.content.validation.courses import validate_course
from builder.content.validation.editions import check_translation_header
from builder.content.validation.pages import check_glossary_links, check_images
from builder.content.validation.root_files import check_tools, glossary_editions, rules_editions


def validate_project(loaded: LoadedProject) -> tuple[Project, list[ContentError]]:
    """The typed project and every error. `loaded` is used up: a course's files are dropped from
    it once the course is checked, so that a large catalogue's documents (with the place of every
    value) are not all held while the rest is validated; only the quiz banks' sources, which
    modules refer to, stay to the end."""
    errors: list[ContentError] = list(loaded.errors)
    for project_file in loaded.files:
        errors.extend(project_file.document.errors)
    for project_file in loaded.files:
        if project_file.language is not None and not project_file.document.errors:
            errors.extend(check_translation_header(project_file))
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
    others = [f for f in loaded.files if not f.course_folder]
    loaded.files = others
    placeholders: list[ContentError] = []

    quizzes = [f for f in others if f.kind == "quiz"]
    readable_quizzes = [f for f in quizzes if not f.document.errors]
    banks_source = validate_banks([f for f in readable_quizzes if f.language is None], errors)
    banks = bank_editions(
        banks_source, [f for f in readable_quizzes if f.language is not None], errors, present
    )
    errors.extend(check_images([], banks, LoadedProject(loaded.root, quizzes, []), {}))
    placeholders += _placeholders(readable_quizzes)
    glossary_files = [f for f in others if f.kind == "glossary"]
    glossary = glossary_editions([f for f in glossary_files if not f.document.errors], errors)
    rti_files = [f for f in others if f.kind == "rti"]
    rti = rules_editions([f for f in rti_files if not f.document.errors], errors)
    loaded.files = glossary_files + rti_files
    del quizzes, readable_quizzes, others

    courses: list[CourseProject] = []
    for folder in sorted(by_folder):
        in_folder = by_folder.pop(folder)
        readable = [f for f in in_folder if not f.document.errors]
        course_project = validate_course(
            loaded.root, folder, readable, banks_source, errors, present
        )
        placeholders += _placeholders(readable)
        if course_project is None:
            continue
        courses.append(course_project)
        course_id = course_project.course.id
        files = LoadedProject(loaded.root, in_folder, [], {}, loaded.images_outside)
        images = {course_id: loaded.images.get(course_id, {})}
        errors.extend(check_images([course_project], {}, files, images))
        if glossary or not glossary_files:
            errors.extend(check_glossary_links([course_project], files, glossary))
    if rti or not rti_files:
        errors.extend(check_tools(courses, rti))
    images = {course.course.id: loaded.images.get(course.course.id, {}) for course in courses}
    project = Project(loaded.root, courses, banks, images, glossary, rti)
    stale = [w for edition in project.editions() for w in edition.translated.warnings]
    project.warnings = sorted_errors(stale + placeholders)
    return project, sorted_errors(errors)


def _placeholders(files: list[ProjectFile]) -> list[ContentError]:
    return [
        warning
        for f in files
        if f.language is None and f.kind in ("course", "module", "quiz")
        for warning in placeholder_warnings(f.document)
    ]
