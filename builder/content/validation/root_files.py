"""The project-wide files beside `courses/`: the glossary and the request builder's rules, and the
course tools that need them."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from builder.content.errors import ContentError, Position, did_you_mean
from builder.content.languages import LANGUAGE_CODES
from builder.content.load import ProjectFile
from builder.content.model import (
    Glossary,
    RequestRules,
)
from builder.content.project import (
    CourseProject,
    EditionStatus,
    GlossaryEdition,
    RulesEdition,
)
from builder.content.schema_errors import validate_document
from builder.content.translate import Translated, apply_translation, text_paths
from builder.content.validation.editions import duplicates, status, usable_translation


def glossary_editions(
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
    term_errors = duplicates(
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
        if language is None or not usable_translation(project_file, errors):
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
            status(project_file),
            translated,
            project_file.path,
            merged,
            source_language,
        )
    return editions


def rules_editions(files: list[ProjectFile], errors: list[ContentError]) -> dict[str, RulesEdition]:
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
    problems = duplicates(
        document, [("countries", i, "id") for i in range(len(ids))], ids, "country id"
    )
    for index, country in enumerate(rules.countries):
        topics = [rule.topic for rule in country.rules]
        problems += duplicates(
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


def check_tools(courses: list[CourseProject], rti: dict[str, RulesEdition]) -> list[ContentError]:
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
