"""Validate a loaded project: every file against the model, then the files against each other.

Pure: takes what `load` read and returns the typed project with all errors, never raising. Every
language edition of every course is assembled here (translations applied, fallbacks recorded), so
rendering only has to lay it out. Each kind of file has its checks in `validation/`; this module
runs them in order.
"""

from __future__ import annotations

from builder.content.errors import ContentError, sorted_errors
from builder.content.load import LoadedProject
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
    errors: list[ContentError] = list(loaded.errors)
    for project_file in loaded.files:
        errors.extend(project_file.document.errors)
    readable = [f for f in loaded.files if not f.document.errors]

    translations = [f for f in readable if f.language is not None]
    for project_file in translations:
        errors.extend(check_translation_header(project_file))

    banks_source = validate_banks(
        [f for f in readable if f.kind == "quiz" and f.language is None], errors
    )
    # Every source file there is, readable or not, as (course folder, file name without language
    # and extension): one that has errors is reported for them, not again as missing where it is
    # used or translated.
    present = {
        (f.course_folder, f.stem)
        for f in loaded.files
        if f.language is None and f.kind != "glossary"
    }
    banks = bank_editions(
        banks_source, [f for f in translations if f.kind == "quiz"], errors, present
    )

    courses: list[CourseProject] = []
    folders = sorted({f.course_folder for f in loaded.files if f.course_folder})
    for folder in folders:
        in_folder = [f for f in readable if f.course_folder == folder]
        course_project = validate_course(
            loaded.root, folder, in_folder, banks_source, errors, present
        )
        if course_project is not None:
            courses.append(course_project)
    images = {course.course.id: loaded.images.get(course.course.id, {}) for course in courses}
    errors.extend(check_images(courses, banks, loaded, images))
    glossary_files = [f for f in loaded.files if f.kind == "glossary"]
    glossary = glossary_editions([f for f in glossary_files if not f.document.errors], errors)
    if glossary or not glossary_files:
        errors.extend(check_glossary_links(courses, loaded, glossary))
    rti_files = [f for f in loaded.files if f.kind == "rti"]
    rti = rules_editions([f for f in rti_files if not f.document.errors], errors)
    if rti or not rti_files:
        errors.extend(check_tools(courses, rti))
    project = Project(loaded.root, courses, banks, images, glossary, rti)
    stale = [w for edition in project.editions() for w in edition.translated.warnings]
    placeholders = [
        w
        for f in readable
        if f.language is None and f.kind in ("course", "module", "quiz")
        for w in placeholder_warnings(f.document)
    ]
    project.warnings = sorted_errors(stale + placeholders)
    return project, sorted_errors(errors)
