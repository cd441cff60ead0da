"""A validated project, as the later stages read it: every course in every language (translations
applied, what is missing recorded), the quiz banks, pictures, glossary and request rules.

`validate.py` makes these; `render`, the features and the build only read them.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from builder.content.errors import ContentError
from builder.content.languages import LANGUAGE_CODES
from builder.content.model import Course, Glossary, Module, QuizBank, RequestRules
from builder.content.translate import Translated

EditionStatus = Literal["source", "reviewed", "draft", "missing"]


@dataclass
class Edition:
    """One file's content in one language."""

    status: EditionStatus
    translated: Translated
    path: Path | None  # the translation file, if there is one

    @property
    def untranslated(self) -> bool:
        """Whether a reader sees text in the source language. Trainer notes do not count: the
        trainees' site never shows them (translators still see them in `sabaq i18n status`)."""
        return self.status != "source" and any(
            path[:1] != ("trainer",) for path in self.translated.missing
        )


@dataclass
class ModuleEdition(Edition):
    module: Module = field(default=None)  # type: ignore[assignment]


@dataclass
class CourseEdition(Edition):
    language: str = ""
    course: Course = field(default=None)  # type: ignore[assignment]
    modules: list[ModuleEdition] = field(default_factory=list)

    @property
    def overall_status(self) -> str:
        """'source', 'reviewed', 'draft' or 'partial', for the course list."""
        editions: list[Edition] = [self, *self.modules]
        if self.status == "source":
            return "source"
        if any(edition.status == "missing" or edition.untranslated for edition in editions):
            return "partial"
        if all(edition.status == "reviewed" for edition in editions):
            return "reviewed"
        return "draft"


@dataclass
class BankEdition(Edition):
    bank: QuizBank = field(default=None)  # type: ignore[assignment]


@dataclass
class GlossaryEdition(Edition):
    glossary: Glossary = field(default=None)  # type: ignore[assignment]
    language: str = ""
    source_language: str = "en"


@dataclass
class RulesEdition(Edition):
    rules: RequestRules = field(default=None)  # type: ignore[assignment]
    language: str = ""
    source_language: str = "en"


E = TypeVar("E", bound="Edition")


class StoredEditions(Mapping[str, E]):
    """One file's editions (language -> edition) kept pickled and compressed, each read back
    when asked for: a catalogue's courses and quiz banks in every language do not fit in memory
    at once (300 courses, 16,000 pages: bench/results.md), and rendering a language reads one
    course at a time. Each lookup returns a new copy; nothing reads an edition to change it.
    Only a catalogue's are kept so (`Settings.courses_held_whole`)."""

    __slots__ = ("_stored",)

    def __init__(self, editions: Mapping[str, E]) -> None:
        self._stored = {
            language: zlib.compress(pickle.dumps(edition, pickle.HIGHEST_PROTOCOL), 1)
            for language, edition in editions.items()
        }

    def __getitem__(self, language: str) -> E:
        edition: E = pickle.loads(zlib.decompress(self._stored[language]))
        return edition

    def __iter__(self) -> Iterator[str]:
        return iter(self._stored)

    def __len__(self) -> int:
        return len(self._stored)

    def __contains__(self, language: object) -> bool:
        return language in self._stored

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredEditions):
            return self._stored == other._stored
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


@dataclass
class CourseProject:
    course: Course
    path: Path
    editions: Mapping[str, CourseEdition]
    #: What is worked out once from the whole course (its version: builder/features/progress/).
    memo: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def all_editions(self) -> Iterator[Edition]:
        """The course's and its modules' editions in every language."""
        for edition in self.editions.values():
            yield edition
            yield from edition.modules

    def stored(self) -> CourseProject:
        """The course with its editions compressed (`StoredEditions`)."""
        if isinstance(self.editions, StoredEditions):
            return self
        return CourseProject(self.course, self.path, StoredEditions(self.editions), self.memo)


@dataclass
class Project:
    root: Path
    courses: list[CourseProject]
    #: bank id -> language -> the bank in that language
    banks: Mapping[str, Mapping[str, BankEdition]]
    #: course id -> {"images/photo.jpg": the file}
    images: dict[str, dict[str, Path]] = field(default_factory=dict)
    #: language -> the glossary in that language; empty without a glossary.yml.
    glossary: dict[str, GlossaryEdition] = field(default_factory=dict)
    #: language -> the request builder's rules in that language; empty without an rti.yml.
    rti: dict[str, RulesEdition] = field(default_factory=dict)
    #: What `sabaq check` reports without failing: translations whose source has changed.
    warnings: list[ContentError] = field(default_factory=list)
    #: bank id -> its questions' ids, the same in every language (a bank's size without reading
    #: it back from `banks`).
    question_ids: dict[str, list[str]] = field(default_factory=dict)

    def editions(self) -> Iterator[Edition]:
        """Every edition of every file in every language."""
        for course_project in self.courses:
            yield from course_project.all_editions()
        for by_language in self.banks.values():
            yield from by_language.values()
        yield from self.glossary.values()
        yield from self.rti.values()

    def languages(self) -> list[str]:
        used = {language for course in self.courses for language in course.course.languages}
        return [code for code in LANGUAGE_CODES if code in used]
