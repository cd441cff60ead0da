"""The build cache (builder/build/cache.py): a rebuild takes unchanged languages from the cache and builds
only the changed pages of a changed language, and its site is byte for byte the site a build from
scratch gives. Real builds of a copy of the bundled project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sabaq_testing import short_course_project

from builder.build.cache.documents import ParsedFiles
from builder.build.cache.keys import project_keys
from builder.build.folders import CACHE_DIR_NAME
from builder.build.pipeline import BuildReport, build_project
from builder.content.languages import LANGUAGE_CODES
from builder.engine.search_index import merge_search_index

SIFT_RU = Path("courses/fact-checking-basics/01-sift.ru.yml")
OTHERS = ["en", "uz", "kk", "ky", "tg"]
SECOND = "second-course"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = short_course_project(tmp_path / "project")
    # A second course, the same as the first under another name, so that an edit in one course
    # leaves the other's pages and package alone.
    second = root / "courses" / SECOND
    shutil.copytree(root / "courses" / "fact-checking-basics", second)
    course = second / "course.yml"
    course.write_text(
        course.read_text(encoding="utf-8").replace("id: fact-checking-basics", f"id: {SECOND}", 1),
        encoding="utf-8",
    )
    return root


def build(project: Path, site: Path, *, use_cache: bool = True) -> BuildReport:
    report = build_project(project, site, workers=1, use_cache=use_cache, progress=lambda _: None)
    assert report.ok, report.errors
    return report


def files_of(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def assert_same_as_a_build_from_scratch(project: Path, site: Path, tmp_path: Path) -> None:
    scratch = tmp_path / "scratch-site"
    build(project, scratch, use_cache=False)
    expected, actual = files_of(scratch), files_of(site)
    assert sorted(actual) == sorted(expected)
    assert [name for name in expected if actual[name] != expected[name]] == []


def edit(project: Path, relative: Path, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def page_times(project: Path, language: str) -> dict[str, int]:
    site = project / CACHE_DIR_NAME / language / "site"
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("index.html")}


def test_editing_one_translation_rebuilds_one_page_of_one_language(
    project: Path, tmp_path: Path
) -> None:
    first = build(project, tmp_path / "site")
    assert first.unchanged == []
    before = page_times(project, "ru")
    site = tmp_path / "site"
    package = site / "downloads" / f"{SECOND}-ru.zip"
    package_before = package.stat().st_mtime_ns
    edit(project, SIFT_RU, "body: |\n", "body: |\n      Новое предложение о проверке.\n")

    again = build(project, tmp_path / "site")

    assert again.languages == list(LANGUAGE_CODES)
    assert again.unchanged == OTHERS
    # Only the edited course is rendered again (its overview, module and certificate pages, the
    # home page, the glossary and the trainers' progress files page) ...
    assert again.pages == 2 + 6
    after = page_times(project, "ru")
    # ... and only the edited page is built again.
    assert [page for page in before if after[page] != before[page]] == [
        "fact-checking-basics/sift/index.html"
    ]
    # The other course's package is the one zipped last time.
    assert package.stat().st_mtime_ns == package_before
    assert "Новое предложение о проверке." in (
        site / "ru" / "fact-checking-basics" / "sift" / "index.html"
    ).read_text(encoding="utf-8")
    assert "Новое предложение о проверке." in (
        site / "ru" / "search" / "search_index.json"
    ).read_text(encoding="utf-8")
    assert_same_as_a_build_from_scratch(project, site, tmp_path)


def test_a_changed_title_rebuilds_the_whole_language(project: Path, tmp_path: Path) -> None:
    """Every page's navigation shows the module's title: no page can be kept."""
    build(project, tmp_path / "site")
    before = page_times(project, "ru")
    edit(project, SIFT_RU, "title: ", "title: Новое название — ")

    again = build(project, tmp_path / "site")

    assert again.unchanged == OTHERS
    after = page_times(project, "ru")
    assert [page for page in before if after[page] == before[page]] == []
    assert_same_as_a_build_from_scratch(project, tmp_path / "site", tmp_path)


def test_editing_a_source_file_rebuilds_every_language(project: Path, tmp_path: Path) -> None:
    build(project, tmp_path / "site")
    edit(
        project,
        Path("courses/fact-checking-basics/01-sift.yml"),
        "body: |\n",
        "body: |\n      One more sentence.\n",
    )

    again = build(project, tmp_path / "site")

    assert again.unchanged == []
    assert_same_as_a_build_from_scratch(project, tmp_path / "site", tmp_path)


def test_nothing_changed_builds_nothing(project: Path, tmp_path: Path) -> None:
    build(project, tmp_path / "site")
    again = build(project, tmp_path / "other-site")
    assert again.unchanged == list(LANGUAGE_CODES) and again.pages == 0
    assert files_of(tmp_path / "other-site") == files_of(tmp_path / "site")


def test_after_a_failed_build_the_next_one_is_right(project: Path, tmp_path: Path) -> None:
    build(project, tmp_path / "site")
    edit(project, SIFT_RU, "title: ", "title: [unclosed ")
    failed = build_project(project, tmp_path / "site", workers=1, progress=lambda _: None)
    assert not failed.ok
    edit(project, SIFT_RU, "title: [unclosed ", "title: Исправлено — ")

    build(project, tmp_path / "site")

    assert_same_as_a_build_from_scratch(project, tmp_path / "site", tmp_path)


@pytest.mark.parametrize(
    ("published", "translation_edited"),
    [("fact-checking-basics/index.html", False), ("assets/javascripts/bundle.*.min.js", True)],
    ids=["page", "theme-script-and-a-translation"],
)
def test_a_published_file_changed_in_place_is_built_again(
    project: Path, tmp_path: Path, published: str, translation_edited: bool
) -> None:
    """The cache's finished sites share their files with the published site (hard links), and
    the theme's scripts with the cache's built site too (copying them for every build of a
    language was a tenth of a rebuild): if one of them is edited in place, that language is
    built again from scratch, not copied back, nor built over in a dirty build when one of its
    translations changed as well."""
    build(project, tmp_path / "site")
    target = next((tmp_path / "site" / "kk").glob(published))
    with target.open("r+b") as file:  # in place: the same file, as an editor saving it would
        file.write(b"/* changed by hand */")
    if translation_edited:
        edit(
            project,
            Path("courses/fact-checking-basics/01-sift.kk.yml"),
            "body: |\n",
            "body: |\n      Тағы бір сөйлем.\n",
        )

    again = build(project, tmp_path / "site")

    assert again.unchanged == ["en", "ru", "uz", "ky", "tg"]
    assert_same_as_a_build_from_scratch(project, tmp_path / "site", tmp_path)


def test_unchanged_languages_are_moved_over_only_as_the_cache_has_them(
    project: Path, tmp_path: Path
) -> None:
    """An unchanged language is moved from the published site into the new one when the
    published folder holds the cache's very files; a file added, removed or replaced by hand
    (a new file under the same name) puts the cache's copy back instead."""
    site = tmp_path / "site"
    build(project, site)
    (site / "en" / "notes.txt").write_text("added by hand", encoding="utf-8")
    (site / "uz" / "sitemap.xml").unlink()
    replaced = site / "ky" / "fact-checking-basics" / "index.html"
    text = replaced.read_bytes()
    replaced.unlink()
    replaced.write_bytes(text.replace(b"<body", b"<body data-by-hand"))
    (site / "downloads" / "fact-checking-basics-tg.zip").unlink()
    before = {
        path.relative_to(site).as_posix(): path.stat().st_ino
        for path in (site / "ru").rglob("*")
        if path.is_file()
    }
    edit(project, SIFT_RU, "body: |\n", "body: |\n      Новое предложение о проверке.\n")
    edit(
        project,
        Path("courses/fact-checking-basics/01-sift.kk.yml"),
        "body: |\n",
        "body: |\n      Тағы бір сөйлем.\n",
    )

    again = build(project, site)

    assert again.unchanged == ["en", "uz", "ky", "tg"]
    assert_same_as_a_build_from_scratch(project, site, tmp_path)
    # The languages built again are new files (the other languages' are the cache's).
    assert not any(
        (site / name).stat().st_ino == inode
        for name, inode in before.items()
        if name.endswith(".html")
    )


def test_warnings_are_repeated_until_their_page_is_fixed(project: Path, tmp_path: Path) -> None:
    broken = "[the missing page](missing.md)"
    warning = "contains a link 'missing.md'"
    edit(project, SIFT_RU, "body: |\n", f"body: |\n      {broken}\n")
    first = build(project, tmp_path / "site")
    assert [w for w in first.warnings if warning in w] != []

    unchanged = build(project, tmp_path / "site")  # ru comes from the cache
    assert unchanged.unchanged == list(LANGUAGE_CODES)
    assert sorted(unchanged.warnings) == sorted(first.warnings)

    other_page = Path("courses/fact-checking-basics/02-verifying-images.ru.yml")
    edit(project, other_page, "body: |\n", "body: |\n      Ещё одно предложение.\n")
    dirty = build(project, tmp_path / "site")  # builds another ru page only
    assert dirty.unchanged == OTHERS and sorted(dirty.warnings) == sorted(first.warnings)

    edit(project, SIFT_RU, broken, "Ссылка исправлена.")
    fixed = build(project, tmp_path / "site")
    assert [w for w in fixed.warnings if warning in w] == []


def test_a_project_named_by_a_relative_path_builds(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache's folders go into MkDocs configurations, which read paths relative to
    themselves: the project's path must not stay relative."""
    monkeypatch.chdir(tmp_path)
    build(Path("project"), Path("site"))
    assert (tmp_path / "site" / "ru" / "fact-checking-basics" / "index.html").is_file()


def test_a_build_without_the_cache_leaves_no_cache(project: Path, tmp_path: Path) -> None:
    build(project, tmp_path / "site", use_cache=False)
    assert not (project / CACHE_DIR_NAME).exists()


def test_a_translation_changes_only_its_own_language_key(project: Path) -> None:
    options = {"packages": True}
    before = project_keys(project, LANGUAGE_CODES, options).languages
    edit(project, SIFT_RU, "title: ", "title: X ")
    after_translation = project_keys(project, LANGUAGE_CODES, options).languages
    assert [code for code in LANGUAGE_CODES if after_translation[code] != before[code]] == ["ru"]
    (project / "courses/fact-checking-basics/images/sift-steps.png").write_bytes(b"not a picture")
    after_picture = project_keys(project, LANGUAGE_CODES, options).languages
    assert [c for c in LANGUAGE_CODES if after_picture[c] == after_translation[c]] == []
    assert project_keys(project, LANGUAGE_CODES, {"packages": False}).languages != after_picture


def test_merging_a_dirty_builds_search_index(tmp_path: Path) -> None:
    """The rebuilt page's entries replace its old ones where they were; the rest stay."""
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(
        '{"config":{"lang":["ru"]},"docs":[{"location":"c/b/","text":"new"},'
        '{"location":"c/b/#x","text":"new x"}]}',
        encoding="utf-8",
    )
    previous = {
        "config": {"lang": ["ru"]},
        "docs": [
            {"location": "c/", "text": "course"},
            {"location": "c/b/", "text": "old"},
            {"location": "c/b/#y", "text": "old y"},
            {"location": "c/d/", "text": "other"},
        ],
    }
    merge_search_index(tmp_path, previous)
    assert (tmp_path / "search" / "search_index.json").read_text(encoding="utf-8") == (
        '{"config":{"lang":["ru"]},"docs":[{"location":"c/","text":"course"},'
        '{"location":"c/b/","text":"new"},{"location":"c/b/#x","text":"new x"},'
        '{"location":"c/d/","text":"other"}]}'
    )


def test_recent_documents_are_read_from_memory_until_their_file_changes(project: Path) -> None:
    """`sabaq serve` keeps the documents it read (`RecentDocuments`): the same file gives the
    same document without SQLite, a changed file is parsed again, and the oldest go first."""
    from builder.build.cache.documents import ParsedFiles, RecentDocuments

    cache_root = project / CACHE_DIR_NAME
    cache_root.mkdir()
    recent = RecentDocuments(limit=2)
    files = [project / SIFT_RU, project / "courses/fact-checking-basics/course.yml"]
    first = ParsedFiles(cache_root, recent)
    documents = [first.read(path) for path in files]
    first.save(read_everything=False)

    again = ParsedFiles(cache_root, recent)
    assert [again.read(path) for path in files] == documents
    assert all(a is b for a, b in zip(map(again.read, files), documents, strict=True))
    edit(project, SIFT_RU, "title: ", "title: Новое название — ")
    changed = again.read(project / SIFT_RU)
    assert changed is not documents[0] and "Новое название" in changed.data["title"]
    # Two documents fit: the changed one and the one used last; the first reading of SIFT_RU
    # went first.
    kept = list(recent.entries.values())
    assert len(kept) == 2 and all(document is not documents[0] for document in kept)
    again.save(read_everything=False)


def test_pictures_are_prepared_again_only_when_they_change(project: Path, tmp_path: Path) -> None:
    """Preparing a 12-megapixel photo takes a quarter of a second: a rebuild after a text edit
    takes the pictures prepared before, and a changed picture is prepared again."""
    from PIL import Image

    site = tmp_path / "site"
    build(project, site)
    prepared = project / CACHE_DIR_NAME / "images"
    pictures = {path.name: path.stat().st_mtime_ns for path in prepared.glob("*.png")}
    assert len(pictures) == 1
    edit(project, SIFT_RU, "body: |\n", "body: |\n      Новое предложение о проверке.\n")

    build(project, site)

    assert {p.name: p.stat().st_mtime_ns for p in prepared.glob("*.png")} == pictures
    picture = project / "courses" / "fact-checking-basics" / "images" / "sift-steps.png"
    with Image.open(picture) as opened:
        opened.convert("RGB").rotate(180).save(picture)

    build(project, site)

    # The second course still has the picture as it was; the first has a new one.
    after = {p.name: p.stat().st_mtime_ns for p in prepared.glob("*.png")}
    assert len(after) == 2 and {name: after[name] for name in pictures} == pictures
    second = project / "courses" / SECOND / "images" / "sift-steps.png"
    with Image.open(second) as opened:
        opened.convert("RGB").rotate(180).save(second)

    build(project, site)

    # Both courses have the new picture now: one file, and the old one is gone.
    assert [p.name for p in prepared.glob("*.png")] == [
        name for name in after if name not in pictures
    ]
    assert_same_as_a_build_from_scratch(project, site, tmp_path)


def test_a_file_read_after_the_parsed_files_were_saved_is_read_afresh(tmp_path: Path):
    # Validation reads files as it reaches them; a late read must not be taken for a damaged
    # cache (which would empty it).
    root = tmp_path / "cache"
    root.mkdir()
    source = tmp_path / "one.yml"
    source.write_text("id: one\n", encoding="utf-8")
    parsed = ParsedFiles(root)
    parsed.read(source)
    parsed.save(read_everything=True)
    assert parsed.read(source).data == {"id": "one"}
    kept = ParsedFiles(root)
    assert kept.database.execute("SELECT COUNT(*) FROM documents").fetchone() == (1,)
    kept.database.close()
