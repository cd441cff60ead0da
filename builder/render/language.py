"""Render a validated project into one language's pages and MkDocs configuration.

Pure: model in, Markdown text and a configuration dict out. Nothing here touches the disk or MkDocs,
so the output can be compared with golden files.

Page addresses are the same in every language: `<course-id>/` for a course overview and
`<course-id>/<module-id>/` for a module, under `site/<language>/`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from builder.content.project import Project
from builder.features.certificate.page import PAGE_NAME as CERTIFICATE
from builder.features.glossary.glossary import GLOSSARY_PAGE
from builder.features.progress.reader import PAGE as PROGRESS_READER
from builder.features.rti.page import PAGE_NAME as REQUEST_BUILDER
from builder.features.rti.page import holiday_years
from builder.features.trainer.notes import WORKSHOP_PAGE
from builder.render.i18n import messages
from builder.render.mkdocs_config import render_config
from builder.render.pages import (
    CourseListing,
    course_listing,
    nav_title,
    render_certificate_page,
    render_course_page,
    render_glossary_page,
    render_home_page,
    render_module_page,
    render_progress_reader_page,
    render_request_builder_page,
    render_workshop_page,
)


@dataclass
class RenderedLanguage:
    """Everything MkDocs needs to build one language's site."""

    language: str
    #: Markdown pages by path relative to the docs folder, e.g. "fact-checking/sift.md".
    pages: dict[str, str] = field(default_factory=dict)
    #: The MkDocs configuration, without the paths the engine fills in (docs_dir, site_dir).
    config: dict[str, Any] = field(default_factory=dict)


def render_language(
    project: Project,
    language: str,
    base_config: dict[str, Any],
    nonce: str,
    image_sizes: Mapping[str, Mapping[str, tuple[int, int]]] | None = None,
    courses: Collection[str] | None = None,
    today: dt.date | None = None,
    trainer: bool = False,
    write: Callable[[str, str], None] | None = None,
) -> RenderedLanguage:
    """The pages and configuration of one language's site. `image_sizes` gives, per course, the
    pixel size of each picture (`images/photo.jpg`) as the build wrote it. With `courses`, only
    those courses' pages are rendered (and the home page, the navigation and the configuration,
    which cover every course): the build cache has the others (builder/build/cache.py). With
    `write`, each module page is handed to it as soon as it is rendered instead of returned: a
    catalogue's language is too large to hold at once."""
    strings = messages(language)
    rendered = RenderedLanguage(language)
    glossary = project.glossary.get(language)
    # The home page lists every course: it is written once they all are, and stays first.
    rendered.pages["index.md"] = ""
    listings: list[CourseListing] = []
    nav: list[Any] = [{strings.text("courses_heading"): "index.md"}]
    # One course's edition at a time: a catalogue's do not all fit in memory (StoredEditions).
    for course_project in project.courses:
        if language not in course_project.editions:
            continue
        edition = course_project.editions[language]
        listings.append(course_listing(edition, strings))
        course = edition.course
        # The overview page gets its title here too: without one MkDocs takes it from the page's
        # heading, as HTML, and the theme's `<title>` would unescape it (see `nav_title`).
        course_nav: list[Any] = [{nav_title(course.title): f"{course.id}/index.md"}]
        wanted = courses is None or course.id in courses
        if wanted:
            rendered.pages[f"{course.id}/index.md"] = render_course_page(
                edition, strings, nonce, project
            )
        for position, module_edition in enumerate(edition.modules):
            module_id = module_edition.module.id
            if wanted:
                page = render_module_page(
                    edition,
                    position,
                    project,
                    strings,
                    nonce,
                    (image_sizes or {}).get(course.id, {}),
                    trainer=trainer,
                )
                if write is None:
                    rendered.pages[f"{course.id}/{module_id}.md"] = page
                else:
                    write(f"{course.id}/{module_id}.md", page)
            course_nav.append(
                {nav_title(module_edition.module.title): f"{course.id}/{module_id}.md"}
            )
        if trainer:
            workshop = f"{course.id}/{WORKSHOP_PAGE}.md"
            if wanted:
                rendered.pages[workshop] = render_workshop_page(edition, strings, nonce)
            course_nav.insert(1, {nav_title(strings.text("trainer_workshop_title")): workshop})
        certificate = f"{course.id}/{CERTIFICATE}.md"
        if wanted:
            rendered.pages[certificate] = render_certificate_page(edition, project, strings, nonce)
        if REQUEST_BUILDER in course.tools and project.rti:
            page = f"{course.id}/{REQUEST_BUILDER}.md"
            if wanted:
                years = holiday_years(today or dt.date.today())
                rendered.pages[page] = render_request_builder_page(
                    edition, project, strings, nonce, years
                )
            course_nav.append({nav_title(strings.text("rti_title")): page})
        nav.append({nav_title(course.title): course_nav})
    if glossary is not None:
        # Rendered with every build, as the home page is: one page, which every course links.
        rendered.pages[GLOSSARY_PAGE] = render_glossary_page(
            glossary, strings, nonce, project.languages()
        )
        nav.append({nav_title(strings.text("glossary_heading")): GLOSSARY_PAGE})
    # The trainers' page for progress files: every build, as the home page (it lists the courses).
    # Like the certificates, outside the navigation: the home page and the overviews link them.
    rendered.pages["index.md"] = render_home_page(
        listings, strings, project.languages(), has_glossary=glossary is not None
    )
    titles = {listing.id: listing.title for listing in listings}
    rendered.pages[PROGRESS_READER] = render_progress_reader_page(titles, project, strings, nonce)
    rendered.config = render_config(project, language, nav, base_config, nonce)
    return rendered
