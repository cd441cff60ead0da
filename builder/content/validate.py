"""Validate a loaded project: every file against the model, then the files against each other.

Pure: takes what `load` read and returns the typed project with all errors, never raising. Every
language edition of every course is assembled here (translations applied, fallbacks recorded), so
rendering only has to lay it out.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from builder.content.document import DataPath, Document, short_text
from builder.content.errors import ContentError, Position, did_you_mean, format_path, sorted_errors
from builder.content.languages import LANGUAGE_CODES
from builder.content.load import IMAGES_FOLDER, LoadedProject, ProjectFile
from builder.content.model import (
    ClaimRating,
    Course,
    Glossary,
    Matching,
    Module,
    MultipleChoice,
    Ordering,
    QuizBank,
    RequestRules,
    SingleChoice,
    TranslationHeader,
    reserved_id,
)
from builder.content.pictures import (
    address_problem,
    image_problem,
    outside_link_named,
    picture_problem,
)
from builder.content.project import (
    BankEdition,
    CourseEdition,
    CourseProject,
    Edition,
    EditionStatus,
    GlossaryEdition,
    ModuleEdition,
    Project,
    RulesEdition,
)
from builder.content.project_files import LINK_OUTSIDE_HINT
from builder.content.schema_errors import validate_document
from builder.content.translate import Translated, apply_translation, text_paths
from builder.features.glossary.glossary import GLOSSARY_PAGE, glossary_links
from builder.render.markdown_ext import loaded_addresses

ModelT = TypeVar("ModelT", bound=BaseModel)
_MODULE_FILE = re.compile(r"^(?:(?P<number>\d+)-)?(?P<id>.+)$")


def validate_project(loaded: LoadedProject) -> tuple[Project, list[ContentError]]:
    errors: list[ContentError] = list(loaded.errors)
    for project_file in loaded.files:
        errors.extend(project_file.document.errors)
    readable = [f for f in loaded.files if not f.document.errors]

    translations = [f for f in readable if f.language is not None]
    for project_file in translations:
        errors.extend(_check_translation_header(project_file))

    banks_source = _validate_banks(
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
    banks = _bank_editions(
        banks_source, [f for f in translations if f.kind == "quiz"], errors, present
    )

    courses: list[CourseProject] = []
    folders = sorted({f.course_folder for f in loaded.files if f.course_folder})
    for folder in folders:
        in_folder = [f for f in readable if f.course_folder == folder]
        course_project = _validate_course(
            loaded.root, folder, in_folder, banks_source, errors, present
        )
        if course_project is not None:
            courses.append(course_project)
    images = {course.course.id: loaded.images.get(course.course.id, {}) for course in courses}
    errors.extend(_check_images(courses, banks, loaded, images))
    glossary_files = [f for f in loaded.files if f.kind == "glossary"]
    glossary = _glossary_editions([f for f in glossary_files if not f.document.errors], errors)
    if glossary or not glossary_files:
        errors.extend(_check_glossary_links(courses, loaded, glossary))
    rti_files = [f for f in loaded.files if f.kind == "rti"]
    rti = _rules_editions([f for f in rti_files if not f.document.errors], errors)
    if rti or not rti_files:
        errors.extend(_check_tools(courses, rti))
    project = Project(loaded.root, courses, banks, images, glossary, rti)
    project.warnings = sorted_errors(w for e in project.editions() for w in e.translated.warnings)
    return project, sorted_errors(errors)


# --- Translation headers -------------------------------------------------------------------------


def _check_translation_header(project_file: ProjectFile) -> list[ContentError]:
    document = project_file.document
    language = project_file.language or ""
    if language not in LANGUAGE_CODES:
        return [
            document.error(
                (),
                f"'{language}' in the file name is not a supported language{did_you_mean(language, LANGUAGE_CODES)}",
                f"name translations <name>.<language>.yml with one of: {', '.join(LANGUAGE_CODES)}",
            )
        ]
    data = document.data
    if not isinstance(data, dict) or "status" not in data:
        return [
            document.error(
                (),
                "'status' is missing",
                "add 'status: draft' at the top (or 'status: reviewed' once a native speaker has checked it)",
            )
        ]
    header = Document(
        document.path, {"status": data["status"]}, document.value_positions, document.key_positions
    )
    _, errors = validate_document(TranslationHeader, header)
    return errors


def _status(project_file: ProjectFile) -> EditionStatus:
    data = project_file.document.data
    return "reviewed" if isinstance(data, dict) and data.get("status") == "reviewed" else "draft"


def _usable_translation(project_file: ProjectFile, errors: list[ContentError]) -> bool:
    return project_file.language in LANGUAGE_CODES and not any(
        e.path == project_file.path for e in errors
    )


# --- Quiz banks ----------------------------------------------------------------------------------


def _validate_banks(
    files: list[ProjectFile], errors: list[ContentError]
) -> dict[str, tuple[QuizBank, ProjectFile]]:
    banks: dict[str, tuple[QuizBank, ProjectFile]] = {}
    for project_file in files:
        document = project_file.document
        bank, bank_errors = validate_document(QuizBank, document)
        errors.extend(bank_errors)
        if bank is None:
            continue
        if bank.id != project_file.stem:
            errors.append(
                document.error(
                    ("id",),
                    f"id: '{bank.id}' does not match the file name '{project_file.path.name}'",
                    f"rename the file to '{bank.id}.yml', or change the id to '{project_file.stem}'",
                )
            )
            continue
        errors.extend(_check_questions(bank, document))
        banks[bank.id] = (bank, project_file)
    return banks


def _check_questions(bank: QuizBank, document: Document) -> list[ContentError]:
    errors = _duplicates(
        document,
        [("questions", i, "id") for i in range(len(bank.questions))],
        [q.id for q in bank.questions],
        "question id",
    )
    for index, question in enumerate(bank.questions):
        path = ("questions", index)
        if isinstance(question, (SingleChoice, MultipleChoice, ClaimRating)):
            option_paths = [(*path, "options", i, "id") for i in range(len(question.options))]
            errors += _duplicates(
                document, option_paths, [o.id for o in question.options], "option id"
            )
            correct = sum(option.correct for option in question.options)
            if isinstance(question, MultipleChoice):
                if correct == 0:
                    errors.append(
                        document.error(
                            (*path, "options"),
                            f"questions[{index}]: a 'multiple' question needs at least one option with 'correct: true'",
                            "mark the right options with 'correct: true'",
                        )
                    )
            elif correct != 1:
                errors.append(
                    document.error(
                        (*path, "options"),
                        f"questions[{index}]: a '{question.type}' question needs exactly one option with "
                        f"'correct: true', found {correct}",
                        "mark exactly one option 'correct: true'; for several right answers use "
                        "'type: multiple'",
                    )
                )
        if isinstance(question, Ordering):
            errors += _duplicates(
                document,
                [(*path, "steps", i) for i in range(len(question.steps))],
                question.steps,
                "step",
            )
        if isinstance(question, Matching):
            errors += _duplicates(
                document,
                [(*path, "pairs", i, "left") for i in range(len(question.pairs))],
                [p.left for p in question.pairs],
                "left item",
            )
            errors += _duplicates(
                document,
                [(*path, "pairs", i, "right") for i in range(len(question.pairs))],
                [p.right for p in question.pairs],
                "right item",
            )
    return errors


def _duplicates(
    document: Document, paths: Sequence[DataPath], values: Sequence[str], what: str
) -> list[ContentError]:
    seen: set[str] = set()
    errors = []
    for path, value in zip(paths, values, strict=True):
        if value in seen:
            errors.append(
                document.error(
                    path,
                    f"{format_path(path)}: the {what} '{value}' is used twice",
                    f"give each {what} its own value",
                )
            )
        seen.add(value)
    return errors


def _bank_editions(
    banks: dict[str, tuple[QuizBank, ProjectFile]],
    translation_files: list[ProjectFile],
    errors: list[ContentError],
    present: set[tuple[str, str]],
) -> dict[str, dict[str, BankEdition]]:
    editions: dict[str, dict[str, BankEdition]] = {}
    for bank_id, (bank, source_file) in banks.items():
        texts = text_paths(bank)
        editions[bank_id] = {
            language: BankEdition(
                "source", Translated(texts, set(texts), source=source_file.path), None, bank
            )
            if language == bank.source_language
            else BankEdition("missing", Translated(texts, source=source_file.path), None, bank)
            for language in LANGUAGE_CODES
        }
    for project_file in translation_files:
        if not _usable_translation(project_file, errors):
            continue
        if project_file.stem not in banks:
            if ("", project_file.stem) in present:
                continue  # the source has errors of its own
            errors.append(_orphan_translation(project_file, list(banks), "quizzes/"))
            continue
        bank, source_file = banks[project_file.stem]
        merged, translated, merge_errors = apply_translation(
            bank, project_file.document, source_file.path.name
        )
        translated.source = source_file.path
        errors.extend(merge_errors)
        editions[bank.id][project_file.language or ""] = BankEdition(
            _status(project_file), translated, project_file.path, merged
        )
    return editions


def _orphan_translation(project_file: ProjectFile, stems: list[str], folder: str) -> ContentError:
    source_name = f"{project_file.stem}.yml"
    return project_file.document.error(
        (),
        f"there is no source file '{source_name}' for this translation{did_you_mean(project_file.stem, stems)}",
        f"a translation <name>.{project_file.language}.yml needs its source <name>.yml beside it in {folder}",
    )


# --- Courses -------------------------------------------------------------------------------------


def _validate_course(
    root: Path,
    folder: str,
    files: list[ProjectFile],
    banks: dict[str, tuple[QuizBank, ProjectFile]],
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
    errors += _duplicates(
        document,
        [("languages", i) for i in range(len(course.languages))],
        list(course.languages),
        "language",
    )
    errors += _duplicates(
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
            place == folder and _id_from_name(stem) == module_id for place, stem in present
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
        if project_file.kind == "module" and _usable_translation(project_file, errors):
            module, module_file = by_stem[project_file.stem]
            errors.extend(
                apply_translation(module, project_file.document, module_file.path.name)[2]
            )


def _validate_modules(
    folder: str,
    files: list[ProjectFile],
    banks: dict[str, tuple[QuizBank, ProjectFile]],
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
        expected_id = _id_from_name(project_file.stem)
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


def _id_from_name(stem: str) -> str:
    """The id a file's name promises: '02-sift' -> 'sift'."""
    match = _MODULE_FILE.match(stem)
    return match.group("id") if match else stem


def _check_quiz_reference(
    module: Module,
    document: Document,
    banks: dict[str, tuple[QuizBank, ProjectFile]],
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
    bank = bank_entry[0]
    known = [question.id for question in bank.questions]
    return [
        document.error(
            ("quiz", "questions", index),
            f"quiz.questions[{index}]: the bank '{bank.id}' has no question '{question_id}'{did_you_mean(question_id, known)}",
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
        if not _usable_translation(project_file, errors):
            continue
        language = project_file.language or ""
        if project_file.kind == "module" and project_file.stem not in by_stem:
            if (project_file.course_folder, project_file.stem) in present:
                continue  # the source has errors of its own, or is not in the course
            errors.append(_orphan_translation(project_file, list(by_stem), f"courses/{course.id}/"))
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
        course_value, course_status, course_translated, course_path = _edition_of(
            course,
            course_file,
            translations.get(("course", language)),
            language == course.source_language,
            errors,
        )
        module_editions = []
        for module, module_file in modules:
            value, status, translated, path = _edition_of(
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


def _edition_of(
    source: ModelT,
    source_file: ProjectFile,
    translation_file: ProjectFile | None,
    is_source_language: bool,
    errors: list[ContentError],
) -> tuple[ModelT, EditionStatus, Translated, Path | None]:
    if is_source_language:
        texts = text_paths(source)
        translated = Translated(texts=texts, supplied=set(texts), source=source_file.path)
        return source, "source", translated, None
    if translation_file is None:
        translated = Translated(texts=text_paths(source), source=source_file.path)
        return source, "missing", translated, None
    merged, translated, merge_errors = apply_translation(
        source, translation_file.document, source_file.path.name
    )
    translated.source = source_file.path
    errors.extend(merge_errors)
    return merged, _status(translation_file), translated, translation_file.path


# --- Pictures and other addresses a page loads ---------------------------------------------------


def _may_load(data: Any, data_path: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    """The texts in a file's data that could make a page load something: those with a picture
    (`![`) or an attribute list (`{`). Most texts have neither, and need not be rendered."""
    if isinstance(data, str):
        if "![" in data or "{" in data:
            yield data_path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _may_load(value, (*data_path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _may_load(item, (*data_path, index))


def _module_bodies(module: Module) -> Iterator[tuple[DataPath, str]]:
    for index, section in enumerate(module.sections):
        yield ("sections", index, "body"), section.body
        for callout_index, callout in enumerate(section.callouts):
            yield ("sections", index, "callouts", callout_index, "body"), callout.body


def _bodies_to_check(
    course_project: CourseProject, loaded: LoadedProject
) -> Iterator[tuple[Document, DataPath, str]]:
    """Every Markdown body of the course's modules that a file supplies, once, with the file it
    is in: the source's, and each translation's own (a body it leaves out is the source's)."""
    documents = {f.path: f.document for f in loaded.files}
    source_documents = {
        match.group("id"): f.document
        for f in loaded.files
        if f.kind == "module"
        and f.language is None
        and f.course_folder == course_project.course.id
        and (match := _MODULE_FILE.match(f.stem))
    }
    for edition in course_project.editions.values():
        for module_edition in edition.modules:
            if module_edition.status == "source":
                document = source_documents.get(module_edition.module.id)
                supplied = None
            elif module_edition.path is not None:
                document = documents.get(module_edition.path)
                supplied = module_edition.translated.supplied
            else:
                continue
            if document is None:
                continue
            for path, text in _module_bodies(module_edition.module):
                if supplied is None or path in supplied:
                    yield document, path, text


def _text_error(
    document: Document, path: DataPath, offset: int, message: str, hint: str
) -> ContentError:
    """An error at a place inside a Markdown text."""
    return ContentError(
        document.path,
        document.position_in_text(path, offset),
        short_text(f"{format_path(path)}: {message}", 500),
        short_text(hint, 500),
    )


def _check_images(
    courses: list[CourseProject],
    banks: dict[str, dict[str, BankEdition]],
    loaded: LoadedProject,
    images: dict[str, dict[str, Path]],
) -> list[ContentError]:
    """No text, in any language, may make a page load anything from another site: a request to
    a third party on every page view, telling it who reads what. Markdown can ask for one in many
    forms (a picture, a reference, an attribute list), so the texts are rendered as a page renders
    them and what they would load is checked. And every picture a module's text shows must be in
    the course's images/ folder, readable, and not a link out of the project: a missing one would
    be a broken page, one that links out a file published from the trainer's computer."""
    errors: list[ContentError] = []

    def check(
        document: Document | None, edition: Edition, pictures: _CoursePictures | None = None
    ) -> None:
        if document is None:
            return
        # The edition's texts as the file has them: a translation's are those it supplies.
        texts = (
            set(edition.translated.texts)
            if edition.status == "source"
            else edition.translated.supplied
        )
        for path, text in _may_load(document.data):
            if path not in texts and path[:-1] not in texts:
                continue  # not a text (an id, an address), or one the translation leaves out
            for offset, element, attribute, address in loaded_addresses(text):
                problem = address_problem(element, attribute, address)
                if problem is None and pictures is not None and element == "img":
                    if attribute == "src" and path[-1] == "body":
                        problem = pictures.problem(address)
                if problem:
                    errors.append(
                        ContentError(
                            document.path,
                            document.position_in_text(path, offset),
                            short_text(f"{format_path(path)}: {problem[0]}", 500),
                            short_text(problem[1], 500),
                        )
                    )

    documents = {f.path: f.document for f in loaded.files}
    # A source file by (course folder, kind, id): a module's id is its file name without the
    # number; a bank's is its whole file name.
    sources = {
        (
            f.course_folder,
            f.kind,
            _id_from_name(f.stem) if f.kind == "module" else f.stem,
        ): f.document
        for f in loaded.files
        if f.language is None
    }

    def document_of(edition: Edition, key: tuple[str, str, str]) -> Document | None:
        if edition.status == "source":
            return sources.get(key)
        return documents.get(edition.path) if edition.path is not None else None

    for course_project in courses:
        course_id = course_project.course.id
        pictures = _CoursePictures(images[course_id], loaded.images_outside.get(course_id, {}))
        for edition in course_project.editions.values():
            key = (course_id, "course", "course")
            check(document_of(edition, key), edition, None)
            for module_edition in edition.modules:
                key = (course_id, "module", module_edition.module.id)
                check(document_of(module_edition, key), module_edition, pictures)
        errors.extend(pictures.unshown())
    for bank_id, bank_editions in banks.items():
        for bank_edition in bank_editions.values():
            key = ("", "quiz", bank_id)
            check(document_of(bank_edition, key), bank_edition)
    return errors


class _CoursePictures:
    """A course's pictures as its modules show them: what is wrong with each picture a text
    names, and, once every text was read, the broken pictures and links out of the project that
    no text names (still published, or read, if left alone: reported where they are)."""

    def __init__(self, available: dict[str, Path], outside: dict[str, Path]) -> None:
        self.available, self.outside = available, outside
        self.broken = {
            name: problem
            for name, file in available.items()
            if (problem := picture_problem(file)) is not None
        }
        self.named: set[str] = set()

    def problem(self, src: str) -> tuple[str, str] | None:
        problem = image_problem(src, self.available, self.outside)
        normalised = posixpath.normpath(src)
        if link := outside_link_named(normalised, self.outside):
            self.named.add(link)
        if problem is None and normalised in self.broken:
            self.named.add(normalised)
            message, hint = self.broken[normalised]
            problem = (f"the image '{src}': {message}", hint)
        return problem

    def unshown(self) -> list[ContentError]:
        errors = [
            ContentError(
                link,
                Position(),
                "this is a link to a place outside the project, so Sabaq does not read it",
                LINK_OUTSIDE_HINT,
            )
            for name, link in self.outside.items()
            if name not in self.named
        ]
        errors += [
            ContentError(self.available[name], Position(), message, hint)
            for name, (message, hint) in self.broken.items()
            if name not in self.named
        ]
        return errors


# --- Glossary ------------------------------------------------------------------------------------


def _glossary_editions(
    files: list[ProjectFile], errors: list[ContentError]
) -> dict[str, GlossaryEdition]:
    """The glossary in every language (a language without a translation falls back to the
    source), or nothing if there is no valid glossary.yml."""
    source_file = _single_source(files, "glossary", errors)
    if source_file is None:
        return {}
    document = source_file.document
    glossary, glossary_errors = validate_document(Glossary, document)
    errors.extend(glossary_errors)
    if glossary is None:
        return {}
    ids = [term.id for term in glossary.terms]
    term_errors = _duplicates(
        document, [("terms", i, "id") for i in range(len(ids))], ids, "term id"
    )
    for index, term in enumerate(glossary.terms):
        for see_index, other in enumerate(term.see_also):
            if other not in ids:
                term_errors.append(
                    document.error(
                        ("terms", index, "see_also", see_index),
                        f"terms[{index}].see_also[{see_index}]: there is no term '{other}' in the "
                        f"glossary{did_you_mean(other, ids)}",
                        "use the id of a term listed under 'terms:'",
                    )
                )
    errors.extend(term_errors)
    if term_errors:
        return {}
    return {
        language: GlossaryEdition(status, translated, path, merged, language, source_language)
        for language, (status, translated, path, merged, source_language) in _single_file_editions(
            glossary, glossary.source_language, source_file, files, "glossary", errors
        ).items()
    }


Model = TypeVar("Model", bound=BaseModel)


def _single_source(
    files: list[ProjectFile], name: str, errors: list[ContentError]
) -> ProjectFile | None:
    """The source of a project-wide file (`<name>.yml`), or None, reported at every translation
    that has none."""
    sources = [f for f in files if f.language is None]
    if not sources:
        errors.extend(
            f.document.error(
                (),
                f"there is no {name}.yml for this translation",
                f"a translation {name}.<language>.yml needs its source {name}.yml beside it",
            )
            for f in files
            if f.language is not None
        )
        return None
    return sources[0]


def _single_file_editions(
    source: Model, source_language: str, source_file: ProjectFile, files: list[ProjectFile],
    name: str, errors: list[ContentError],
) -> dict[str, tuple[EditionStatus, Translated, Path | None, Model, str]]:  # fmt: skip
    """A project-wide file (`<name>.yml`) in every language: its translations merged, and the
    source where a language has none. Each value: status, texts, translation file, content and
    the source language."""
    texts = text_paths(source)
    editions: dict[str, tuple[EditionStatus, Translated, Path | None, Model, str]] = {
        language: (
            "source" if language == source_language else "missing",
            Translated(
                texts,
                set(texts) if language == source_language else set(),
                source=source_file.path,
            ),
            None,
            source,
            source_language,
        )
        for language in LANGUAGE_CODES
    }
    for project_file in files:
        language = project_file.language
        if language is None or not _usable_translation(project_file, errors):
            continue
        if language == source_language:
            errors.append(
                project_file.document.error(
                    (),
                    f"'{language}' is the {'glossary' if name == 'glossary' else name + '.yml'}'s "
                    "source language, so it needs no translation file",
                    f"put the text in {name}.yml and delete this file",
                )
            )
            continue
        merged, translated, merge_errors = apply_translation(
            source, project_file.document, source_file.path.name
        )
        translated.source = source_file.path
        errors.extend(merge_errors)
        editions[language] = (
            _status(project_file),
            translated,
            project_file.path,
            merged,
            source_language,
        )
    return editions


def _rules_editions(
    files: list[ProjectFile], errors: list[ContentError]
) -> dict[str, RulesEdition]:
    """The request builder's rules in every language, or nothing without a valid rti.yml."""
    source_file = _single_source(files, "rti", errors)
    if source_file is None:
        return {}
    document = source_file.document
    rules, rules_errors = validate_document(RequestRules, document)
    errors.extend(rules_errors)
    if rules is None:
        return {}
    ids = [country.id for country in rules.countries]
    problems = _duplicates(
        document, [("countries", i, "id") for i in range(len(ids))], ids, "country id"
    )
    for index, country in enumerate(rules.countries):
        topics = [rule.topic for rule in country.rules]
        problems += _duplicates(
            document,
            [("countries", index, "rules", i, "topic") for i in range(len(topics))],
            topics,
            "topic",
        )
        for rule_index, rule in enumerate(country.rules):
            if rule.confidence == "uncertain" and not rule.unclear:
                problems.append(
                    document.error(
                        ("countries", index, "rules", rule_index, "confidence"),
                        f"countries[{index}].rules[{rule_index}]: an uncertain rule needs "
                        "'unclear'",
                        "say in 'unclear' what could not be confirmed and what the reader "
                        "should check",
                    )
                )
    errors.extend(problems)
    if problems:
        return {}
    return {
        language: RulesEdition(status, translated, path, merged, language, source_language)
        for language, (status, translated, path, merged, source_language) in _single_file_editions(
            rules, rules.source_language, source_file, files, "rti", errors
        ).items()
    }


def _check_tools(courses: list[CourseProject], rti: dict[str, RulesEdition]) -> list[ContentError]:
    """A course that lists the request builder needs rules, and no module at its address."""
    errors = []
    for course_project in courses:
        if "request-builder" not in course_project.course.tools:
            continue
        if not rti:
            errors.append(
                ContentError(
                    course_project.path,
                    Position(),
                    "tools: the request builder needs rti.yml, and there is none",
                    "create rti.yml beside courses/ with each country's rules (see "
                    "docs/request-builder.md), or remove 'request-builder' from tools",
                )
            )
        if "request-builder" in course_project.course.modules:
            errors.append(
                ContentError(
                    course_project.path,
                    Position(),
                    "a module cannot be called 'request-builder' in a course with that tool: "
                    "it is the tool's address",
                    "rename the module",
                )
            )
    return errors


def _check_glossary_links(
    courses: list[CourseProject], loaded: LoadedProject, glossary: dict[str, GlossaryEdition]
) -> list[ContentError]:
    """Every `[words](glossary:<id>)` in a module must name a term of the glossary."""
    ids = [term.id for term in next(iter(glossary.values())).glossary.terms] if glossary else []
    errors = []
    for course_project in courses:
        if glossary and course_project.course.id == GLOSSARY_PAGE.split("/")[0]:
            errors.append(
                ContentError(
                    course_project.path,
                    Position(),
                    "a course cannot be called 'glossary': that is the address of the glossary "
                    "page",
                    "rename the course folder and its id",
                )
            )
        for document, path, text in _bodies_to_check(course_project, loaded):
            for offset, term_id in glossary_links(text):
                if term_id in ids:
                    continue
                if not glossary:
                    message = f"the link 'glossary:{term_id}' needs a glossary, and there is none"
                    hint = (
                        "create glossary.yml beside courses/ with the term (see docs/authoring.md)"
                    )
                else:
                    message = (
                        f"there is no term '{term_id}' in the glossary{did_you_mean(term_id, ids)}"
                    )
                    hint = "add the term to glossary.yml, or link one of its ids"
                errors.append(_text_error(document, path, offset, message, hint))
    return errors
