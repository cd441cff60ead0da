"""The pages of one language's site as Markdown: home, course overview, module, request builder and
glossary. Pure, as the rest of `render/`."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from builder.content.project import CourseEdition, GlossaryEdition, Project
from builder.engine.material_classes import PRIMARY_BUTTON_ATTRIBUTES
from builder.features.certificate.page import render_certificate
from builder.features.glossary.glossary import GLOSSARY_PAGE, link_glossary_terms, sort_key
from builder.features.progress.dashboard import module_marker, render_dashboard
from builder.features.progress.reader import render_progress_reader
from builder.features.progress.version import course_version
from builder.features.quiz.quiz import render_quiz
from builder.features.rti.page import PAGE_NAME as REQUEST_BUILDER
from builder.features.rti.page import render_request_builder
from builder.features.trainer.notes import (
    render_answer_key,
    render_trainer_notes,
    render_workshop,
)
from builder.render.i18n import Messages
from builder.render.images import with_image_attributes
from builder.render.markdown_ext import trusted_html_marker
from builder.settings import SETTINGS

ASSET_DIR = SETTINGS.asset_dir


# --- Pages ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseListing:
    """A course as its language's home page lists it: what is kept of each course while the
    others are rendered."""

    id: str
    title: str
    summary: str
    facts: str


def course_listing(edition: CourseEdition, strings: Messages) -> CourseListing:
    course = edition.course
    return CourseListing(course.id, course.title, course.summary, _course_facts(edition, strings))


def render_home_page(
    listings: Sequence[CourseListing],
    strings: Messages,
    languages: list[str],
    *,
    has_glossary: bool = False,
) -> str:
    lines = [
        _front_matter(languages, strings.text("courses_intro")),
        f"# {_escape(strings.text('courses_heading'))}",
        "",
        _escape(strings.text("courses_intro")),
        "",
    ]
    if has_glossary:
        lines += [f"[{_escape(strings.text('glossary_link'))}]({GLOSSARY_PAGE})", ""]
    if not listings:
        lines += [_escape(strings.text("no_courses")), ""]
    for listing in listings:
        lines += [
            f"## [{_escape(listing.title)}]({listing.id}/index.md)",
            "",
            listing.summary.strip(),
            "",
            listing.facts,
            "",
        ]
    if listings:
        lines += [f"[{_escape(strings.text('reader_title'))}](progress-files/index.md)", ""]
    return "\n".join(lines)


def render_course_page(
    edition: CourseEdition, strings: Messages, nonce: str, project: Project | None = None
) -> str:
    course = edition.course
    lines = [_front_matter(course.languages, course.summary), f"# {_escape(course.title)}", ""]
    lines += _notices([edition], strings, nonce)
    lines += [course.summary.strip(), "", _course_facts(edition, strings), ""]
    modules = [
        {
            "id": m.module.id,
            "title": m.module.title,
            "minutes": m.module.duration_minutes,
            "questions": _quiz_size(m.module, project),
        }
        for m in edition.modules
    ]
    course_project = (
        next((c for c in project.courses if c.course.id == course.id), None) if project else None
    )
    version = course_version(course_project, project) if course_project and project else ""
    dashboard = render_dashboard(
        course.id, modules, strings, version=version, pass_mark=course.completion.pass_mark
    )
    lines.append(trusted_html_marker(dashboard, nonce))
    if course.authors:
        lines += [f"**{_escape(strings.text('authors'))}:** {_escape(', '.join(course.authors))}  "]
    lines += [f"**{_escape(strings.text('license'))}:** {_escape(course.license)}", ""]
    lines += [f"## {_escape(strings.text('modules_heading'))}", ""]
    for number, module_edition in enumerate(edition.modules, start=1):
        module = module_edition.module
        entry = f"{number}. [{_escape(module.title)}]({module.id}.md) · {strings.duration(module.duration_minutes)}"
        if module.summary:
            # Two trailing spaces: a line break, so the summary starts on a line of its own.
            entry += f"  \n    {_one_line(module.summary)}"
        lines.append(entry)
    lines.append("")
    if REQUEST_BUILDER in course.tools:
        lines += [
            f"## {_escape(strings.text('rti_title'))}",
            "",
            f"[{_escape(strings.text('rti_intro'))}]({REQUEST_BUILDER}.md)",
            "",
        ]
    if edition.modules:
        first = edition.modules[0].module.id
        lines += [
            f"[{_escape(strings.text('start_course'))}]({first}.md){{ {PRIMARY_BUTTON_ATTRIBUTES} }}",
            "",
        ]
    return "\n".join(lines)


def render_module_page(
    edition: CourseEdition,
    position: int,
    project: Project,
    strings: Messages,
    nonce: str,
    image_sizes: Mapping[str, tuple[int, int]] | None = None,
    *,
    trainer: bool = False,
) -> str:
    """A module's page; in the trainer edition (`trainer`) with its trainer notes and its quiz's
    answer key."""
    module_edition = edition.modules[position]
    module = module_edition.module
    course = edition.course
    fallback = _Fallback(module_edition, course.source_language, nonce)
    description = module.summary or course.summary
    lines = [
        _front_matter(course.languages, description),
        f"# {_escape(module.title)}{fallback.heading(('title',))}",
        "",
    ]
    lines.append(
        trusted_html_marker(
            f'<p class="sabaq-meta" {module_marker(course.id, module.id)}>{html.escape(strings.text("estimated_time", duration=strings.duration(module.duration_minutes)))}</p>',
            nonce,
        )
    )
    lines += _notices([module_edition], strings, nonce)
    if module.objectives:
        lines += [f"## {_escape(strings.text('objectives_heading'))}", ""]
        lines += [
            fallback.list_item(_one_line(objective), ("objectives", index))
            for index, objective in enumerate(module.objectives)
        ]
        lines.append("")
    page = f"{course.id}/{module.id}.md"
    for number, section in enumerate(module.sections):
        at = ("sections", number)
        lines += [f"## {_escape(section.heading)}{fallback.heading((*at, 'heading'))}", ""]
        lines += [*fallback.block(_body(section.body, image_sizes, page), (*at, "body")), ""]
        for index, callout in enumerate(section.callouts):
            title = callout.title or strings.text(f"callout_{callout.kind}")
            lines += [f'!!! {_ADMONITION[callout.kind]} "{_admonition_title(title)}"', ""]
            text = fallback.block(
                _body(callout.body, image_sizes, page), (*at, "callouts", index, "body")
            )
            lines += [
                f"    {line}" if line.strip() else "" for line in "\n".join(text).splitlines()
            ]
            lines.append("")
    if module.sources:
        lines += [f"## {_escape(strings.text('sources_heading'))}", ""]
        lines += [f"1. {_source_line(source)}" for source in module.sources]
        lines.append("")
    if module.quiz is not None:
        bank_edition = project.banks[module.quiz.bank][edition.language]
        lines += [f"## {_escape(strings.text('quiz_heading'))}", ""]
        lines += _notices([bank_edition], strings, nonce)
        quiz_html = render_quiz(
            bank_edition.bank,
            module.quiz.questions,
            storage_key=f"{course.id}/{module.id}",
            messages=strings.subset("quiz_"),
            fallback_language=_untranslated_questions(bank_edition),
        )
        lines.append(trusted_html_marker(quiz_html, nonce))
        if trainer:
            key = render_answer_key(bank_edition.bank, module.quiz.questions, strings)
            lines += ["", trusted_html_marker(key, nonce)]
    if trainer and module.trainer is not None:
        lines += ["", trusted_html_marker(render_trainer_notes(module.trainer, strings), nonce)]
    # Reaching this point on screen counts the module as read (builder/features/progress).
    lines.append(
        trusted_html_marker('<div class="sabaq-module-end" data-sabaq-module-end></div>', nonce)
    )
    return "\n".join(lines).rstrip() + "\n"


def render_workshop_page(edition: CourseEdition, strings: Messages, nonce: str) -> str:
    """`<course-id>/workshop.md`, in the trainer edition: every module's session plan."""
    course = edition.course
    modules = [(m.module.id, m.module.title, m.module.trainer) for m in edition.modules]
    lines = [
        _front_matter(course.languages, strings.text("trainer_workshop_intro")),
        f"# {_escape(strings.text('trainer_workshop_title'))}",
        "",
        trusted_html_marker(render_workshop(modules, strings), nonce),
    ]
    return "\n".join(lines) + "\n"


def render_certificate_page(
    edition: CourseEdition, project: Project, strings: Messages, nonce: str
) -> str:
    """`<course-id>/certificate.md`: the certificate (builder/features/certificate)."""
    course = edition.course
    course_project = next(c for c in project.courses if c.course.id == course.id)
    modules = [
        {
            "id": m.module.id,
            "title": m.module.title,
            "questions": _quiz_size(m.module, project),
        }
        for m in edition.modules
    ]
    fragment = render_certificate(
        course.id,
        course.title,
        modules,
        strings,
        version=course_version(course_project, project),
        pass_mark=course.completion.pass_mark,
    )
    lines = [
        _front_matter(
            course.languages,
            strings.text("progress_rule", mark=course.completion.pass_mark),
            searched=False,
        ),
        f"# {_escape(strings.text('certificate_title'))}",
        "",
        trusted_html_marker(fragment, nonce),
    ]
    return "\n".join(lines) + "\n"


def render_progress_reader_page(
    titles: Mapping[str, str], project: Project, strings: Messages, nonce: str
) -> str:
    """`progress-files/index.md`: the trainers' page for trainees' progress files. `titles` are
    the courses' in the page's language; a course not in it is named in its source language."""
    courses = {
        c.course.id: {
            "title": titles.get(c.course.id, c.course.title),
            "version": course_version(c, project),
            "modules": len(c.course.modules),
        }
        for c in project.courses
    }
    lines = [
        _front_matter(project.languages(), strings.text("reader_intro"), searched=False),
        f"# {_escape(strings.text('reader_title'))}",
        "",
        _escape(strings.text("reader_intro")),
        "",
        trusted_html_marker(render_progress_reader(courses, strings), nonce),
    ]
    return "\n".join(lines) + "\n"


def render_request_builder_page(
    edition: CourseEdition, project: Project, strings: Messages, nonce: str, years: Sequence[int]
) -> str:
    """`<course-id>/request-builder.md`: the request builder (builder/features/rti)."""
    course = edition.course
    fragment = render_request_builder(course.id, edition.language, project.rti, strings, years)
    lines = [
        _front_matter(course.languages, strings.text("rti_intro")),
        f"# {_escape(strings.text('rti_title'))}",
        "",
        _escape(strings.text("rti_intro")),
        "",
        trusted_html_marker(fragment, nonce),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _body(markdown: str, image_sizes: Mapping[str, tuple[int, int]] | None, page: str) -> str:
    return link_glossary_terms(with_image_attributes(markdown.strip(), image_sizes or {}), page)


def render_glossary_page(
    edition: GlossaryEdition, strings: Messages, nonce: str, languages: Sequence[str]
) -> str:
    """`glossary/index.md`: every term, alphabetical in the language, each a heading whose id is
    the term's id. A term not yet translated is shown in the source language, marked as such."""
    glossary = edition.glossary
    lines = [
        _front_matter(languages, strings.text("glossary_description")),
        f"# {_escape(strings.text('glossary_heading'))}",
        "",
    ]
    lines += _notices([edition], strings, nonce)
    missing = set(edition.translated.missing) if edition.status != "source" else set()
    fallback = f' lang="{edition.source_language}"'
    terms = {term.id: (index, term) for index, term in enumerate(glossary.terms)}
    for index, term in sorted(terms.values(), key=lambda entry: sort_key(entry[1].term)):
        term_lang = fallback if ("terms", index, "term") in missing else ""
        lines += [f"## {_escape(term.term)} {{ #{term.id}{term_lang} }}", ""]
        definition = link_glossary_terms(term.definition.strip(), GLOSSARY_PAGE)
        if ("terms", index, "definition") in missing:
            lines += [
                trusted_html_marker(f"<div{fallback}>", nonce),
                definition,
                trusted_html_marker("</div>", nonce),
            ]
        else:
            lines += [definition, ""]
        if term.see_also:
            links = ", ".join(
                f"[{_escape(terms[other][1].term)}](#{other})"
                + ("{" + fallback + " }" if ("terms", terms[other][0], "term") in missing else "")
                for other in term.see_also
            )
            lines += [f"*{_escape(strings.text('glossary_see_also'))}:* {links}", ""]
        if term.sources:
            links = ", ".join(f"<{_safe_url(url)}>" for url in term.sources)
            lines += [f"*{_escape(strings.text('sources_heading'))}:* {links}", ""]
    return "\n".join(lines).rstrip() + "\n"


#: Sabaq's callout kinds, as mkdocs-material's admonition types.
_ADMONITION = {"tip": "tip", "warning": "warning", "example": "example", "exercise": "question"}


def _quiz_size(module: Any, project: Project | None) -> int:
    """How many questions the module's quiz asks (0 without one)."""
    if module.quiz is None or project is None:
        return 0
    if module.quiz.questions is not None:
        return len(module.quiz.questions)
    return len(project.question_ids[module.quiz.bank])


def _course_facts(edition: CourseEdition, strings: Messages) -> str:
    course = edition.course
    total_minutes = sum(m.module.duration_minutes for m in edition.modules)
    status = edition.overall_status
    status_text = strings.text("translation_" + status)
    facts = [
        (strings.text("level"), strings.text(f"level_{course.level}")),
        (strings.text("duration"), strings.duration(total_minutes)),
        (strings.text("modules_heading"), strings.plural("module_count", len(edition.modules))),
        (strings.text("translation"), status_text),
    ]
    return " · ".join(f"**{_escape(label)}:** {_escape(value)}" for label, value in facts)


def _untranslated_questions(edition: Any) -> dict[str, str]:
    """The ids of a bank's questions shown wholly in the source language, with that language."""
    if edition.status == "source":
        return {}
    missing = set(edition.translated.missing)
    texts: dict[int, list[Any]] = {}
    for path in edition.translated.texts:
        if path[0] == "questions":
            texts.setdefault(path[1], []).append(path)
    return {
        edition.bank.questions[index].id: edition.bank.source_language
        for index, paths in texts.items()
        if all(path in missing for path in paths)
    }


class _Fallback:
    """Marks the texts of a translated page that are shown in the source language (not yet
    translated, or translated from an older source text) with that language's `lang`, so that
    screen readers read them in the right voice."""

    def __init__(self, edition: Any, source_language: str, nonce: str) -> None:
        self.missing = set(edition.translated.missing) if edition.status != "source" else set()
        self.language = source_language
        self.nonce = nonce

    def heading(self, path: tuple[Any, ...]) -> str:
        """An attribute list for a heading (` { lang=en }`), or nothing."""
        return f" {{ lang={self.language} }}" if path in self.missing else ""

    def list_item(self, markdown: str, path: tuple[Any, ...]) -> str:
        """A list item; its attribute list, on a line of its own, marks the item itself."""
        if path not in self.missing:
            return f"- {markdown}"
        return f"- {markdown}\n  {{ lang={self.language} }}"

    def block(self, markdown: str, path: tuple[Any, ...]) -> list[str]:
        if path not in self.missing:
            return [markdown]
        return [
            trusted_html_marker(f'<div lang="{self.language}">', self.nonce),
            markdown,
            trusted_html_marker("</div>", self.nonce),
        ]


def _notices(editions: list[Any], strings: Messages, nonce: str) -> list[str]:
    notes = []
    if any(e.status in ("missing",) or e.untranslated for e in editions):
        notes.append(("untranslated", strings.text("notice_untranslated")))
    if any(e.status == "draft" for e in editions):
        notes.append(("draft", strings.text("notice_draft")))
    return [
        trusted_html_marker(
            f'<p class="sabaq-notice sabaq-notice--{kind}" role="note">{html.escape(text)}</p>',
            nonce,
        )
        for kind, text in notes
    ]


def _source_line(source: Any) -> str:
    title = _escape(source.title)
    url = _safe_url(source.url) if source.url else None
    text = f"[{title}](<{url}>)" if url else title
    details = [_escape(str(part)) for part in (source.publisher, source.year) if part]
    return ", ".join([text, *details])


def _safe_url(url: str) -> str:
    # Characters an address may not hold as they are (such as "[" in a query) are %-encoded.
    return quote(url, safe=";/?:@&=+$,-_.!~*'()#%")


def _front_matter(
    languages: Sequence[str], description: str | None = None, *, searched: bool = True
) -> str:
    """Which languages this page exists in, for the language switcher (theme/partials), and the
    page's description for search engines and link previews (theme/main.html). A tool page
    (certificate, progress files) is left out of the search: it teaches nothing."""
    lines = ["---", f"sabaq_languages: {json.dumps(list(languages))}"]
    if not searched:
        lines.append("search:\n  exclude: true")
    if description:
        # JSON is YAML: the text arrives as written, whatever quotes or colons it holds.
        lines.append(f"description: {json.dumps(_one_line(description), ensure_ascii=False)}")
    return "\n".join([*lines, "---", ""])


#: The characters Python-Markdown lets a backslash escape (`<` is not one; raw HTML is off anyway).
_MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|>"


def _escape(text: str) -> str:
    """Plain text (a title, a name) made safe to put inside Markdown syntax."""
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in _one_line(text))


def nav_title(text: str) -> str:
    """A navigation title, escaped as HTML: MkDocs' Jinja environment does not autoescape, and
    mkdocs-material prints these titles as HTML in the sidebar, the header and the footer, so a
    `<script>` in a trainer's title would otherwise run."""
    # `<title>` shows the same text through `striptags`, which unescapes it again; there the text
    # is inert except for a closing tag, so "</" gets an invisible word joiner (U+2060) that keeps
    # a title from ever ending the `<title>` element. Quotes stay as they are: the footer's
    # aria-label escapes the title itself.
    return html.escape(_one_line(text), quote=False).replace("&lt;/", "&lt;\u2060/")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _admonition_title(text: str) -> str:
    # The admonition syntax ends its title at the first straight double quote.
    return _one_line(text).replace('"', "\u201d")


# --- The site's front door -----------------------------------------------------------------------
