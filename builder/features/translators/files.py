"""The translation files of a checked project in one language, each beside its source.

The tools work on these pairs: the source's texts in order, what the translation holds for each
(current or stale, from `builder/content/translate.py`), and where the translation file is or
would be. Only files of the project's courses, quiz banks and project-wide files are listed, so
the tools never write anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from builder.content.document import DataPath
from builder.content.errors import UsageError
from builder.content.project import Edition, Project
from builder.content.translate import Found, Translated, fingerprint, text_at

#: Which schema a translation file names in its first line, by the kind of its source.
KIND_OF_MODEL = {
    "Course": "course",
    "Module": "module",
    "QuizBank": "quiz",
    "Glossary": "glossary",
    "RequestRules": "rti",
}


@dataclass
class TextFile:
    """A source file and its translation into one language."""

    source_path: Path
    #: The translation file, whether it exists yet or not.
    translation_path: Path
    source: BaseModel
    #: The source with the translation's current texts in place (builder/content/validate.py).
    translation: BaseModel
    source_language: str
    language: str
    #: 'draft' or 'reviewed' as the file says; 'draft' for a file that does not exist yet.
    status: str
    translated: Translated
    #: The course it belongs to (a quiz bank: the first course that uses it); "" for the
    #: glossary and the request builder's rules.
    course: str
    #: The project folder.
    root: Path

    @property
    def kind(self) -> str:
        return KIND_OF_MODEL[type(self.source).__name__]

    def source_text(self, path: DataPath) -> str | list[str]:
        value = text_at(self.source, path)
        return value if isinstance(value, (str, list)) else str(value)

    def held(self) -> dict[DataPath, Found]:
        """What the translation file holds, by source path: its current texts (as the source
        text they translate is the current one, `recorded` is None) and its stale ones."""
        held = {
            path: Found(text_at(self.translation, path), path, None)
            for path in self.translated.texts
            if path in self.translated.supplied
        }
        held.update(self.translated.stale_texts)
        return held

    def is_stale(self, found: Found, path: DataPath) -> bool:
        return found.recorded is not None and found.recorded != fingerprint(self.source_text(path))

    def relative(self, root: Path, path: Path | None = None) -> str:
        return (path or self.source_path).relative_to(root).as_posix()


def text_files(project: Project, language: str, course: str | None = None) -> list[TextFile]:
    """Every file of the project (or of one course and the quiz banks it uses) that has a
    translation into `language`, or should have one: never one in its own source language."""
    chosen = [c for c in project.courses if course is None or c.course.id == course]
    if course is not None and not chosen:
        known = ", ".join(c.course.id for c in project.courses) or "none"
        raise UsageError(f"there is no course '{course}' (courses: {known})")
    if course is not None and language == chosen[0].course.source_language:
        raise UsageError(
            f"'{language}' is the source language of the course '{course}', so it has no "
            "translation files"
        )
    if course is not None and language not in chosen[0].course.languages:
        raise UsageError(
            f"'{language}' is not among the languages of the course '{course}': add it to "
            f"'languages' in courses/{course}/course.yml first"
        )
    files: list[TextFile] = []
    banks: dict[str, str] = {}
    for course_project in chosen:
        course_model = course_project.course
        if language not in course_model.languages or language == course_model.source_language:
            continue
        source = course_project.editions[course_model.source_language]
        target = course_project.editions[language]
        pairs: list[tuple[BaseModel, Edition]] = [(source.course, target)]
        pairs += [(s.module, t) for s, t in zip(source.modules, target.modules, strict=True)]
        for model, edition in pairs:
            files.append(
                _text_file(
                    project.root,
                    model,
                    course_model.source_language,
                    edition,
                    language,
                    course_model.id,
                )
            )
        for module_edition in source.modules:
            if module_edition.module.quiz is not None:
                banks.setdefault(module_edition.module.quiz.bank, course_model.id)
    for bank_id, course_id in banks.items():
        by_language = project.banks[bank_id]
        bank = next(e.bank for e in by_language.values() if e.status == "source")
        if language != bank.source_language:
            files.append(
                _text_file(
                    project.root,
                    bank,
                    bank.source_language,
                    by_language[language],
                    language,
                    course_id,
                )
            )
    if course is None and language in project.languages():
        if project.glossary and language != project.glossary[language].source_language:
            glossary = project.glossary[language]
            source_glossary = project.glossary[glossary.source_language].glossary
            files.append(
                _text_file(
                    project.root, source_glossary, glossary.source_language, glossary, language, ""
                )
            )
        if project.rti and language != project.rti[language].source_language:
            rules = project.rti[language]
            source_rules = project.rti[rules.source_language].rules
            files.append(
                _text_file(project.root, source_rules, rules.source_language, rules, language, "")
            )
    return files


def _text_file(
    root: Path,
    source: BaseModel,
    source_language: str,
    edition: Edition,
    language: str,
    course: str,
) -> TextFile:
    source_path = edition.translated.source
    assert source_path is not None
    stem = source_path.name.removesuffix(".yml")
    return TextFile(
        source_path,
        edition.path or source_path.with_name(f"{stem}.{language}.yml"),
        source,
        edition_content(edition),
        source_language,
        language,
        "reviewed" if edition.status == "reviewed" else "draft",
        edition.translated,
        course,
        root,
    )


def edition_content(edition: Edition) -> BaseModel:
    """An edition's content: its course, module, quiz bank, glossary or rules."""
    for name in ("course", "module", "bank", "glossary", "rules"):
        if isinstance(content := getattr(edition, name, None), BaseModel):
            return content
    raise TypeError(f"an edition without content: {type(edition).__name__}")


def text_items(text_file: TextFile) -> Iterator[tuple[DataPath, str | list[str]]]:
    """The source's texts, in order, with their paths."""
    for path in text_file.translated.texts:
        yield path, text_file.source_text(path)
