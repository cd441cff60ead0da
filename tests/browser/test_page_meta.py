"""Every page type tells search engines and link previews what it is about (its course's or
module's summary), and the search dialog has an accessible name, in every language: the two
points Lighthouse's SEO and accessibility audits missed."""

from __future__ import annotations

import html
import re

import pytest
from sabaq_site import REPO, example_site

from builder.content.languages import LANGUAGE_CODES
from builder.content.load import load_project
from builder.content.validate import validate_project
from builder.render.i18n import messages

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def description(path_parts: tuple[str, ...]) -> str:
    page = example_site().joinpath(*path_parts, "index.html").read_text(encoding="utf-8")
    found = DESCRIPTION.findall(page)
    assert len(found) == 1, path_parts
    return html.unescape(found[0])


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_each_page_type_describes_itself(language: str) -> None:
    project, errors = validate_project(load_project(REPO))
    assert errors == []
    strings = messages(language)
    assert description((language,)) == strings.text("courses_intro")
    assert description((language, "glossary")) == strings.text("glossary_description")
    for course in project.courses:
        if language not in course.course.languages:
            continue  # the authoring guide is in en and ru only
        edition = course.editions[language]
        summary = " ".join(edition.course.summary.split())
        assert description((language, course.course.id)) == summary
        for module in edition.modules:
            expected = " ".join((module.module.summary or edition.course.summary).split())
            assert description((language, course.course.id, module.module.id)) == expected
    assert description((language, "right-to-information", "request-builder")) == strings.text(
        "rti_intro"
    )
    assert description((language, "fact-checking-basics", "certificate")) == strings.text(
        "progress_rule", mark=70
    )


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_the_search_dialog_has_a_name(language: str) -> None:
    page = (example_site() / language / "index.html").read_text(encoding="utf-8")
    match = re.search(r'class="md-search"[^>]*role="dialog" aria-label="([^"]+)"', page)
    assert match and match.group(1).strip()
