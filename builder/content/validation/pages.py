"""What a page will load and link: pictures, addresses in Markdown, and glossary links, each error
at its place in the text."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from builder.content.document import DataPath, Document, short_text
from builder.content.errors import ContentError, Position, did_you_mean, format_path
from builder.content.load import LoadedProject
from builder.content.model import (
    Module,
)
from builder.content.pictures import (
    address_problem,
    image_problem,
    outside_link_named,
    picture_problem,
)
from builder.content.project import (
    BankEdition,
    CourseProject,
    Edition,
    GlossaryEdition,
)
from builder.content.project_files import LINK_OUTSIDE_HINT
from builder.content.validation.courses import MODULE_FILE, id_from_name
from builder.features.glossary.glossary import GLOSSARY_PAGE, glossary_links
from builder.render.markdown_ext import loaded_addresses


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
        and (match := MODULE_FILE.match(f.stem))
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


def check_images(
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
            id_from_name(f.stem) if f.kind == "module" else f.stem,
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


def check_glossary_links(
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
