"""Courses and their modules: the course file, module files and names, quiz references, and every
course in every language."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from builder.content.document import Document
from builder.content.errors import ContentError, did_you_mean
from builder.content.load import IMAGES_FOLDER, ProjectFile
from builder.content.model import (
    Course,
    Module,
    reserved_id,
)
from builder.content.project import (
    CourseEdition,
    CourseProject,
    ModuleEdition,
)
from builder.content.schema_errors import validate_document
from builder.content.translate import apply_translation
from builder.content.validation.editions import (
    duplicates,
    edition_of,
    orphan_translation,
    usable_translation,
)

#: Every course has its certificate page at `<course-id>/certificate/` (builder/features/certificate).
CERTIFICATE_PAGE = "certificate"
MODULE_FILE = re.compile(r"^(?:(?P<number>\d+)-)?(?P<id>.+)$")


def validate_course(
    root: Path,
    folder: str,
    files: list[ProjectFile],
    banks: Mapping[str, list[str]],
    errors: list[ContentError],
    present: set[tuple[str, str]],
) -> CourseProject | None:
    modules = _validate_modules(
        folder,
        [f for f in files if f.kind == "module" and f.language is None],
        banks,
        errors,
        present,
    )
    course_files = [f for f in files if f.kind == "course" and f.language is None]
    if not course_files:
        _check_module_translations(files, modules, errors)
        course_path = root / "courses" / folder / "course.yml"
        if not any(e.path == course_path for e in errors):
            errors.append(
                ContentError(
                    course_path,
                    Document(course_path).position_of(()),
                    f"the course folder '{folder}' has no course.yml",
                    f"create it with 'sabaq new course {folder}', or move the folder out of courses/",
                )
            )
        return None
    course_file = course_files[0]
    course, course_errors = validate_document(Course, course_file.document)
    errors.extend(course_errors)
    if course is None:
        _check_module_translations(files, modules, errors)
        return None
    document = course_file.document
    if course.id != folder:
        errors.append(
            document.error(
                ("id",),
                f"id: '{course.id}' does not match the folder name '{folder}'",
                f"rename the folder to '{course.id}', or change the id to '{folder}'",
            )
        )
    if reason := reserved_id(course.id):
        errors.append(
            document.error(
                ("id",),
                f"id: '{course.id}' is {reason}, so a course cannot use it",
                f"choose another id, such as '{course.id}-course', and rename the folder to match",
            )
        )
    errors += duplicates(
        document,
        [("languages", i) for i in range(len(course.languages))],
        list(course.languages),
        "language",
    )
    errors += duplicates(
        document,
        [("modules", i) for i in range(len(course.modules))],
        list(course.modules),
        "module",
    )
    if course.source_language not in course.languages:
        errors.append(
            document.error(
                ("source_language",),
                f"source_language: '{course.source_language}' is not among the course's languages",
                f"add '{course.source_language}' to 'languages'",
            )
        )
    for index, module_id in enumerate(course.modules):
        if module_id not in modules and not any(
            place == folder and id_from_name(stem) == module_id for place, stem in present
        ):
            errors.append(
                document.error(
                    ("modules", index),
                    f"modules[{index}]: module '{module_id}' is listed, but there is no file for it in "
                    f"courses/{folder}/{did_you_mean(module_id, modules)}",
                    f"create it with 'sabaq new module {folder} {module_id}', or remove it from the list",
                )
            )
    for module_id, (_, module_file) in modules.items():
        if module_id not in course.modules:
            errors.append(
                module_file.document.error(
                    ("id",),
                    f"module '{module_id}' is not listed in course.yml",
                    f"add '- {module_id}' under 'modules:' in courses/{folder}/course.yml, in reading order",
                )
            )

    ordered = [modules[module_id] for module_id in course.modules if module_id in modules]
    editions = _course_editions(
        course, course_file, ordered, [f for f in files if f.language is not None], errors, present
    )
    return CourseProject(course, course_file.path, editions)


def _check_module_translations(
    files: list[ProjectFile],
    modules: dict[str, tuple[Module, ProjectFile]],
    errors: list[ContentError],
) -> None:
    """Without a valid course.yml there are no editions to assemble, but each module translation
    can still be checked against its module, so that one run reports every error."""
    by_stem = {module_file.stem: (module, module_file) for module, module_file in modules.values()}
    for project_file in files:
        if project_file.language is None or project_file.stem not in by_stem:
            continue
        if project_file.kind == "module" and usable_translation(project_file, errors):
            module, module_file = by_stem[project_file.stem]
            errors.extend(
                apply_translation(module, project_file.document, module_file.path.name)[2]
            )


def _validate_modules(
    folder: str,
    files: list[ProjectFile],
    banks: Mapping[str, list[str]],
    errors: list[ContentError],
    present: set[tuple[str, str]],
) -> dict[str, tuple[Module, ProjectFile]]:
    modules: dict[str, tuple[Module, ProjectFile]] = {}
    for project_file in files:
        module, module_errors = validate_document(Module, project_file.document)
        errors.extend(module_errors)
        if module is None:
            continue
        document = project_file.document
        expected_id = id_from_name(project_file.stem)
        if module.id != expected_id:
            errors.append(
                document.error(
                    ("id",),
                    f"id: '{module.id}' does not match the file name '{project_file.path.name}'",
                    f"rename the file to end in '{module.id}.yml', or change the id to '{expected_id}'",
                )
            )
            continue
        if module.id == IMAGES_FOLDER:
            errors.append(
                document.error(
                    ("id",),
                    f"id: '{module.id}' is the name of the course's pictures folder, so a module cannot use it",
                    f"choose another id, such as 'verifying-{module.id}', and rename the file to match",
                )
            )
            continue
        if module.id == CERTIFICATE_PAGE:
            errors.append(
                document.error(
                    ("id",),
                    f"id: '{module.id}' is the address of the course's certificate page, so a "
                    "module cannot use it",
                    f"choose another id, such as '{module.id}-basics', and rename the file to match",
                )
            )
            continue
        if reason := reserved_id(module.id):
            errors.append(
                document.error(
                    ("id",),
                    f"id: '{module.id}' is {reason}, so a module cannot use it",
                    f"choose another id, such as '{module.id}-basics', and rename the file to match",
                )
            )
            continue
        if module.id in modules:
            first = modules[module.id][1].path.name
            errors.append(
                document.error(
                    ("id",),
                    f"id: the module id '{module.id}' is already used by {first}",
                    "give each module its own id",
                )
            )
            continue
        if module.quiz is not None:
            errors.extend(_check_quiz_reference(module, document, banks, present))
        modules[module.id] = (module, project_file)
    return modules


def id_from_name(stem: str) -> str:
    """The id a file's name promises: '02-sift' -> 'sift'."""
    match = MODULE_FILE.match(stem)
    return match.group("id") if match else stem


def _check_quiz_reference(
    module: Module,
    document: Document,
    banks: Mapping[str, list[str]],
    present: set[tuple[str, str]],
) -> list[ContentError]:
    assert module.quiz is not None
    bank_entry = banks.get(module.quiz.bank)
    if bank_entry is None and ("", module.quiz.bank) in present:
        return []  # the bank's file exists, and its own errors are reported
    if bank_entry is None:
        return [
            document.error(
                ("quiz", "bank"),
                f"quiz.bank: there is no quiz bank '{module.quiz.bank}'{did_you_mean(module.quiz.bank, banks)}",
                f"create quizzes/{module.quiz.bank}.yml, or use one of: {', '.join(sorted(banks)) or '(none yet)'}",
            )
        ]
    known = bank_entry
    return [
        document.error(
            ("quiz", "questions", index),
            f"quiz.questions[{index}]: the bank '{module.quiz.bank}' has no question '{question_id}'{did_you_mean(question_id, known)}",
            f"the bank's questions are: {', '.join(known)}",
        )
        for index, question_id in enumerate(module.quiz.questions or [])
        if question_id not in known
    ]


def _course_editions(
    course: Course,
    course_file: ProjectFile,
    modules: list[tuple[Module, ProjectFile]],
    translation_files: list[ProjectFile],
    errors: list[ContentError],
    present: set[tuple[str, str]],
) -> dict[str, CourseEdition]:
    by_stem = {module_file.stem: (module, module_file) for module, module_file in modules}
    translations: dict[tuple[str, str], ProjectFile] = {}
    for project_file in translation_files:
        if not usable_translation(project_file, errors):
            continue
        language = project_file.language or ""
        if project_file.kind == "module" and project_file.stem not in by_stem:
            if (project_file.course_folder, project_file.stem) in present:
                continue  # the source has errors of its own, or is not in the course
            errors.append(orphan_translation(project_file, list(by_stem), f"courses/{course.id}/"))
            continue
        if language == course.source_language:
            errors.append(
                project_file.document.error(
                    (),
                    f"'{language}' is this course's source language, so it needs no translation file",
                    f"put the text in {project_file.stem}.yml and delete this file",
                )
            )
            continue
        if language not in course.languages:
            errors.append(
                project_file.document.error(
                    (),
                    f"'{language}' is not among the course's languages",
                    f"add '{language}' to 'languages' in courses/{course.id}/course.yml, or remove this file",
                )
            )
            continue
        translations[(project_file.stem, language)] = project_file

    editions: dict[str, CourseEdition] = {}
    for language in course.languages:
        course_value, course_status, course_translated, course_path = edition_of(
            course,
            course_file,
            translations.get(("course", language)),
            language == course.source_language,
            errors,
        )
        module_editions = []
        for module, module_file in modules:
            value, status, translated, path = edition_of(
                module,
                module_file,
                translations.get((module_file.stem, language)),
                language == course.source_language,
                errors,
            )
            module_editions.append(ModuleEdition(status, translated, path, value))
        editions[language] = CourseEdition(
            course_status, course_translated, course_path, language, course_value, module_editions
        )
    return editions
