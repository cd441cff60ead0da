"""A large catalogue's shortcuts in the engine make the site one plain build makes, byte for byte:
a language built in several MkDocs runs (builder/engine/runs.py), and navigation entries rendered
once for every page they look the same on (builder/engine/navigation.py)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from sabaq_testing import write_files

import builder.settings
from builder.build.pipeline import build_project
from builder.content import validate
from builder.content.load import load_project
from builder.content.project import StoredEditions
from builder.engine import navigation
from builder.engine.runs import TOP, page_runs
from builder.render import mkdocs_config

COURSES = ("alpha", "beta", "gamma")


def _catalogue() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for number, course in enumerate(COURSES):
        files[f"courses/{course}/course.yml"] = f"""
            id: {course}
            title: Course {course}
            summary: Course number {number}.
            level: beginner
            languages: [en, ru]
            modules: [one, two]
            """
        for module in ("one", "two"):
            files[f"courses/{course}/{module}.yml"] = f"""
                id: {module}
                title: Module {module} of {course}
                duration_minutes: 10
                sections:
                  - heading: Start of {module}
                    body: "Text of {course}, see [the other](../two/) module."
                """
    # The glossary's folder sorts between the courses': its run comes after alpha's and beta's.
    files["glossary.yml"] = """
        source_language: en
        terms:
          - id: lateral-reading
            term: Lateral reading
            definition: Leaving a page to see what other sources say about it.
        """
    return files


def _site_files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and "downloads" not in path.parts
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_files(tmp_path_factory.mktemp("catalogue") / "project", _catalogue())


def _build(project: Path, site: Path) -> dict[str, bytes]:
    report = build_project(project, site, workers=1, use_cache=False, with_packages=False)
    assert report.ok, report.errors
    return _site_files(site)


@pytest.fixture(scope="module")
def one_build(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    with pytest.MonkeyPatch.context() as patch:
        # Every entry rendered for every page, as Material does.
        patch.setattr(
            navigation,
            "nav_item_renderer",
            lambda: lambda render, item, path, page: render(item, path, 1),
        )
        return _build(project, tmp_path_factory.mktemp("one") / "site")


def test_the_runs_of_a_language_follow_mkdocs_order_and_take_whole_courses(tmp_path: Path):
    docs = write_files(
        tmp_path,
        {
            "index.md": "",
            "glossary.md": "",
            "alpha/index.md": "",
            "alpha/one.md": "",
            "alpha/two.md": "",
            "beta/index.md": "",
            "gamma/index.md": "",
            "gamma/images/photo.md": "",
            "assets/sabaq/sabaq.css": "",
        },
    )
    assert page_runs(docs, 3) == [
        frozenset({TOP}),
        frozenset({"alpha"}),
        frozenset({"beta", "gamma"}),
    ]
    assert page_runs(docs, 100) == [frozenset({TOP, "alpha", "beta", "gamma"})]


def test_a_language_built_in_several_runs_is_the_one_built_in_one(
    project: Path, one_build: dict[str, bytes], tmp_path: Path
):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            builder.settings,
            "SETTINGS",
            dataclasses.replace(builder.settings.SETTINGS, pages_per_engine_run=3),
        )
        several = _build(project, tmp_path / "site")
    assert several.keys() == one_build.keys()
    assert [name for name in several if several[name] != one_build[name]] == []
    # Each course is in the search index, once; each course's own index has the glossary's
    # entries, whichever run came first.
    index = several["en/search/search_index.json"].decode()
    assert all(index.count(f'"location":"{course}/one/"') == 1 for course in COURSES)
    for course in COURSES:
        own = json.loads(several[f"en/search/courses/{course}.json"])
        pages = {doc["location"].split("#")[0] for doc in own["docs"]}
        assert pages == {f"{course}/", f"{course}/one/", f"{course}/two/", "glossary/"}


def test_navigation_entries_rendered_once_are_those_rendered_for_each_page(
    project: Path, one_build: dict[str, bytes], tmp_path: Path
):
    once = _build(project, tmp_path / "site")
    assert [name for name in once if once[name] != one_build[name]] == []
    # The other courses are in every page's navigation, linked from the page's depth.
    module_page = once["en/alpha/one/index.html"].decode()
    assert 'href="../../gamma/"' in module_page
    assert 'href="../gamma/"' in once["en/alpha/index.html"].decode()


def test_a_catalogue_lists_only_the_page_s_own_course_in_its_navigation(
    project: Path, tmp_path: Path
):
    with pytest.MonkeyPatch.context() as patch:
        # Three courses make a catalogue when two are the most every page lists.
        catalogue = dataclasses.replace(mkdocs_config.SETTINGS, nav_every_course_up_to=2)
        patch.setattr(mkdocs_config, "SETTINGS", catalogue)
        site = _build(project, tmp_path / "site")
    module_page = site["en/alpha/one/index.html"].decode()
    assert 'href="../two/"' in module_page
    assert 'href="../../glossary/"' in module_page
    assert 'href="../../beta/"' not in module_page
    assert 'href="../../gamma/"' not in module_page
    assert 'href="../gamma/"' not in site["en/alpha/index.html"].decode()
    # The language's home page lists every course in its text.
    home = site["en/index.html"].decode()
    assert all(f'href="{course}/"' in home for course in COURSES)


def test_a_catalogue_kept_compressed_builds_the_site_one_held_whole_builds(
    project: Path, one_build: dict[str, bytes], tmp_path: Path
):
    with pytest.MonkeyPatch.context() as patch:
        # Three courses are a catalogue when none is held whole.
        patch.setattr(
            validate, "SETTINGS", dataclasses.replace(validate.SETTINGS, courses_held_whole=0)
        )
        compressed = _build(project, tmp_path / "site")
        checked, errors = validate.validate_project(load_project(project))
    assert errors == []
    assert all(isinstance(c.editions, StoredEditions) for c in checked.courses)
    assert [name for name in compressed if compressed[name] != one_build[name]] == []
