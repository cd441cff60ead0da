"""The glossary: `glossary.yml` validated, rendered as one page per language, linked from
modules, searchable, offline and in every course's package.

Real builds of a small project; exact messages for every error, as in tests/test_errors.py.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sabaq_testing import MINIMAL_PROJECT, Run, run_sabaq
from test_errors import assert_reports

MakeProject = Callable[[dict[str, str | bytes]], Path]

GLOSSARY = """
    source_language: en
    terms:
      - id: lateral-reading
        term: Lateral reading
        definition: Leaving a page to see what [other sources](glossary:source) say about it.
        see_also: [source]
        sources: [https://example.org/lateral]
      - id: source
        term: Source
        definition: Where a claim comes from.
        see_also: [appeal]
      - id: appeal
        term: Appeal
        definition: Asking a higher body to review a refusal.
    """
GLOSSARY_RU = """
    status: draft
    terms:
      - term: Латеральное чтение
        definition: Выйти со страницы и посмотреть, что о ней пишут [другие](glossary:source).
      - term: Источник
    """
FIRST_WITH_LINK = """
    id: first
    title: First module
    duration_minutes: 20
    sections:
      - heading: Start
        body: |
          Try [lateral reading](glossary:lateral-reading) first.
        callouts:
          - kind: tip
            body: An [appeal](glossary:appeal "Appeal") may help.
    quiz:
      bank: basics
    """
FIRST_RU_WITH_LINK = """
    status: draft
    sections:
      - heading: Начало
        body: |
          Сначала [латеральное чтение](glossary:lateral-reading).
    """


def glossary_project(extra: dict[str, str | bytes] | None = None) -> dict[str, str | bytes]:
    return {
        **MINIMAL_PROJECT,
        "glossary.yml": GLOSSARY,
        "glossary.ru.yml": GLOSSARY_RU,
        "courses/demo/01-first.yml": FIRST_WITH_LINK,
        "courses/demo/01-first.ru.yml": FIRST_RU_WITH_LINK,
        **(extra or {}),
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sabaq_testing import write_files

    project = write_files(tmp_path_factory.mktemp("glossary") / "project", glossary_project())
    run = run_sabaq("build", "--no-cache", cwd=project)
    assert run.code == 0, run.stderr
    return project / "site"


def anchors(page: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page))


# --- The page ------------------------------------------------------------------------------------


def test_glossary_page_lists_terms_alphabetically_with_anchors(site: Path) -> None:
    page = (site / "en" / "glossary" / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r'<h2 id="([^"]+)"[^>]*>([^<]+)', page)
    assert [text for _, text in headings] == ["Appeal", "Lateral reading", "Source"]
    assert [anchor for anchor, _ in headings] == ["appeal", "lateral-reading", "source"]
    # see_also and glossary links inside definitions lead to anchors on the same page.
    assert 'href="#source"' in page
    assert 'href="https://example.org/lateral"' in page


def test_untranslated_terms_fall_back_to_english_marked_as_such(site: Path) -> None:
    page = (site / "ru" / "glossary" / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2 ([^>]*)>([^<]+)", page)
    # Alphabetical by the term in the language: Latin (untranslated) before Cyrillic.
    assert [text for _, text in headings] == ["Appeal", "Источник", "Латеральное чтение"]
    assert 'lang="en"' in headings[0][0]
    assert 'lang="en"' not in headings[1][0]
    # "Источник" has no definition in Russian: the English one is shown, marked as English.
    assert '<div lang="en">\n<p>Where a claim comes from.</p>\n</div>' in page
    # A "see also" link to an untranslated term is marked too.
    assert '<a href="#appeal" lang="en">Appeal</a>' in page
    assert '<a href="#source">Источник</a>' in page
    assert "sabaq-notice--untranslated" in page
    assert "sabaq-notice--draft" in page


def test_an_untranslated_callout_is_shown_in_english_inside_its_box(site: Path) -> None:
    # The callout's body is indented under the admonition: the `lang` wrapper's markers are
    # turned into HTML there too, never shown as text (nor carry the build's secret to the page).
    page = (site / "ru" / "demo" / "first" / "index.html").read_text(encoding="utf-8")
    assert (
        '<p class="admonition-title">Совет</p>\n<div lang="en">\n<p>An <a href="../../glossary/'
        '#appeal" title="Appeal">appeal</a> may help.</p>\n</div>\n</div>'
    ) in page
    assert "sabaq-html" not in page


def test_module_links_lead_to_existing_anchors(site: Path) -> None:
    for language in ("en", "ru"):
        module = (site / language / "demo" / "first" / "index.html").read_text(encoding="utf-8")
        glossary = (site / language / "glossary" / "index.html").read_text(encoding="utf-8")
        links = re.findall(r'href="\.\./\.\./glossary/#([^"]+)"', module)
        assert "lateral-reading" in links
        assert set(links) <= anchors(glossary)
    english = (site / "en" / "demo" / "first" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../glossary/#appeal" title="Appeal"' in english


def test_glossary_is_linked_from_home_and_navigation(site: Path) -> None:
    home = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert 'href="glossary/"' in home
    module = (site / "en" / "demo" / "second" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="\.\./\.\./glossary/" class="md-nav__link', module)


def test_glossary_is_searchable_and_offline(site: Path) -> None:
    index = json.loads((site / "ru" / "search" / "search_index.json").read_text("utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert "glossary/#lateral-reading" in locations
    # A saved course keeps the glossary its modules link to.
    course = json.loads((site / "ru" / "demo" / "offline.json").read_text("utf-8"))
    assert "glossary/" in [address for address, _ in course["files"]]


def test_package_holds_the_glossary_and_its_links_work_from_files(site: Path) -> None:
    with zipfile.ZipFile(site / "downloads" / "demo-en.zip") as package:
        names = set(package.namelist())
        assert "demo-en/glossary/index.html" in names
        module = package.read("demo-en/demo/first/index.html").decode("utf-8")
        search = package.read("demo-en/search/search_index.js").decode("utf-8")
    assert 'href="../../glossary/index.html#lateral-reading"' in module
    assert '"location":"glossary/index.html#lateral-reading"' in search


# --- Errors --------------------------------------------------------------------------------------


def check_glossary(make_project: MakeProject, changes: dict[str, str | bytes | None]) -> Run:
    """`sabaq check` in the glossary project with some files replaced, added or (None) removed."""
    files = glossary_project()
    for name, content in changes.items():
        if content is None:
            files.pop(name, None)
        else:
            files[name] = content
    return run_sabaq("check", cwd=make_project(files))


def test_duplicate_ids_and_unknown_see_also(make_project: MakeProject) -> None:
    glossary = """
        terms:
          - id: source
            term: Source
            definition: Where a claim comes from.
            see_also: [sorce, appeal]
          - id: source
            term: Source again
            definition: Twice.
        """
    run = check_glossary(make_project, {"glossary.yml": glossary, "glossary.ru.yml": None})
    # The modules' links are checked once the glossary itself is right: no errors that follow
    # from these.
    assert_reports(
        run,
        "glossary.yml:5:16: terms[0].see_also[0]: there is no term 'sorce' in the glossary "
        "(did you mean 'source'?)",
        "    hint: use the id of a term listed under 'terms:'",
        "glossary.yml:5:23: terms[0].see_also[1]: there is no term 'appeal' in the glossary",
        "    hint: use the id of a term listed under 'terms:'",
        "glossary.yml:6:9: terms[1].id: the term id 'source' is used twice",
        "    hint: give each term id its own value",
    )


def test_unknown_term_in_a_module_is_reported_where_the_link_is(make_project: MakeProject) -> None:
    first = FIRST_WITH_LINK.replace("glossary:lateral-reading", "glossary:lateral-reding")
    first_ru = FIRST_RU_WITH_LINK.replace("glossary:lateral-reading", "glossary:nothing")
    run = check_glossary(
        make_project,
        {"courses/demo/01-first.yml": first, "courses/demo/01-first.ru.yml": first_ru},
    )
    assert_reports(
        run,
        "courses/demo/01-first.ru.yml:5:45: sections[0].body: there is no term 'nothing' in the "
        "glossary",
        "    hint: add the term to glossary.yml, or link one of its ids",
        "courses/demo/01-first.yml:7:38: sections[0].body: there is no term 'lateral-reding' in "
        "the glossary (did you mean 'lateral-reading'?)",
        "    hint: add the term to glossary.yml, or link one of its ids",
    )


def test_link_to_a_glossary_that_does_not_exist(make_project: MakeProject) -> None:
    run = check_glossary(
        make_project,
        {"glossary.yml": None, "glossary.ru.yml": None, "courses/demo/01-first.ru.yml": None},
    )
    assert_reports(
        run,
        "courses/demo/01-first.yml:7:38: sections[0].body: the link 'glossary:lateral-reading' "
        "needs a glossary, and there is none",
        "    hint: create glossary.yml beside courses/ with the term (see docs/authoring.md)",
        "courses/demo/01-first.yml:10:15: sections[0].callouts[0].body: the link "
        "'glossary:appeal' needs a glossary, and there is none",
        "    hint: create glossary.yml beside courses/ with the term (see docs/authoring.md)",
    )


def test_translation_without_source_and_text_only_translations(make_project: MakeProject) -> None:
    run = check_glossary(
        make_project,
        {
            "glossary.ru.yml": """
                status: draft
                terms:
                  - id: other
                    term: Латеральное чтение
                """,
            "glossary.kk.yml": "status: draft\n",
            "glossary.en.yml": "status: draft\n",
        },
    )
    assert_reports(
        run,
        "glossary.en.yml:1:1: 'en' is the glossary's source language, so it needs no "
        "translation file",
        "    hint: put the text in glossary.yml and delete this file",
        "glossary.ru.yml:3:5: terms[0].id: this is not text, so only the source file can set it",
        "    hint: change it in the source file glossary.yml, and remove it here",
    )


def test_a_course_cannot_take_the_glossary_address(make_project: MakeProject) -> None:
    files = {
        name.replace("courses/demo/", "courses/glossary/"): content
        for name, content in glossary_project().items()
    }
    files["courses/glossary/course.yml"] = str(files["courses/glossary/course.yml"]).replace(
        "id: demo", "id: glossary"
    )
    run = run_sabaq("check", cwd=make_project(files))
    assert_reports(
        run,
        "courses/glossary/course.yml:1:1: a course cannot be called 'glossary': that is the "
        "address of the glossary page",
        "    hint: rename the course folder and its id",
    )


# --- Rebuilds and status -------------------------------------------------------------------------


def test_editing_a_glossary_translation_rebuilds_its_page(make_project: MakeProject) -> None:
    project = make_project(glossary_project())
    assert run_sabaq("build", "--no-packages", cwd=project).code == 0
    (project / "glossary.ru.yml").write_text(
        GLOSSARY_RU.replace("Источник", "Первоисточник"), encoding="utf-8"
    )
    run = run_sabaq("build", "--no-packages", cwd=project)
    assert run.code == 0, run.stderr
    page = (project / "site" / "ru" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert ">Первоисточник<" in page
    assert ">Источник<" not in page


def test_i18n_status_counts_the_glossary(make_project: MakeProject) -> None:
    run = run_sabaq("i18n", "status", cwd=make_project(glossary_project()))
    assert run.code == 0, run.stderr
    rows = [line.split() for line in run.stdout.splitlines() if line.startswith("(glossary)")]
    assert rows == [
        ["(glossary)", "en", "6", "0", "0", "0", "0", "0", "source"],
        ["(glossary)", "ru", "3", "3", "0", "1", "0", "0", "partial"],
    ]
