"""One file in one language: translation headers, statuses, and the edition of a file made from
its source and its translation. Shared by the other checks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from builder.content.document import DataPath, Document
from builder.content.errors import ContentError, did_you_mean, format_path
from builder.content.languages import LANGUAGE_CODES
from builder.content.load import ProjectFile
from builder.content.model import (
    TranslationHeader,
)
from builder.content.project import (
    EditionStatus,
)
from builder.content.schema_errors import validate_document
from builder.content.translate import Translated, apply_translation, text_paths

ModelT = TypeVar("ModelT", bound=BaseModel)


def check_translation_header(project_file: ProjectFile) -> list[ContentError]:
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


def status(project_file: ProjectFile) -> EditionStatus:
    data = project_file.document.data
    return "reviewed" if isinstance(data, dict) and data.get("status") == "reviewed" else "draft"


def usable_translation(project_file: ProjectFile, errors: list[ContentError]) -> bool:
    return project_file.language in LANGUAGE_CODES and not any(
        e.path == project_file.path for e in errors
    )


def duplicates(
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


def orphan_translation(project_file: ProjectFile, stems: list[str], folder: str) -> ContentError:
    source_name = f"{project_file.stem}.yml"
    return project_file.document.error(
        (),
        f"there is no source file '{source_name}' for this translation{did_you_mean(project_file.stem, stems)}",
        f"a translation <name>.{project_file.language}.yml needs its source <name>.yml beside it in {folder}",
    )


def edition_of(
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
    return merged, status(translation_file), translated, translation_file.path
