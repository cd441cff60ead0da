"""What `sabaq build` writes for reading offline: the downloadable packages, the web app's files,
and a search index in plain UTF-8. One real build of a small project for the whole module."""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
import zipfile
from pathlib import Path

import pytest
from sabaq_testing import MINIMAL_PROJECT, write_files

from builder.build.pipeline import build_project
from builder.engine.material_markup import file_url, shim_inline_script
from builder.engine.search_index import CourseIndexes
from builder.features.offline.web_app import icon_png

#: A second course, so that the packages show they leave the other courses out.
OTHER_COURSE = {
    "courses/other/course.yml": """
        id: other
        title: Other course
        summary: Another tiny course.
        level: beginner
        languages: [en, ru]
        modules: [only]
        """,
    "courses/other/01-only.yml": """
        id: only
        title: Only module
        duration_minutes: 5
        sections:
          - heading: Alone
            body: Words.
        """,
}


def build_two_courses(root: Path, extra: dict[str, str] | None = None) -> Path:
    project = write_files(root / "project", {**MINIMAL_PROJECT, **OTHER_COURSE, **(extra or {})})
    report = build_project(project, root / "site", workers=1, use_cache=False)
    assert report.ok, report.errors
    return root / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_two_courses(tmp_path_factory.mktemp("offline"))


def test_a_package_per_course_and_language(site: Path) -> None:
    # Each beside its one-file course (tests/test_single_file.py).
    assert sorted(p.name for p in (site / "downloads").iterdir()) == [
        "demo-en.html",
        "demo-en.zip",
        "demo-ru.html",
        "demo-ru.zip",
        "other-en.html",
        "other-en.zip",
        "other-ru.html",
        "other-ru.zip",
    ]
    with zipfile.ZipFile(site / "downloads" / "demo-ru.zip") as archive:
        assert archive.testzip() is None  # every file's checksum is right
        # Fixed times and permissions: the same course gives the same bytes; readable once unpacked.
        assert {(i.date_time, i.external_attr >> 16) for i in archive.infolist()} == {
            ((2024, 1, 1, 0, 0, 0), 0o644)
        }
        assert archive.comment.startswith(b"sabaq-package:")
        names = archive.namelist()
        readme = archive.read("demo-ru/README.txt").decode("utf-8")
        texts = {n: archive.read(n) for n in names if n.endswith((".html", ".js", ".css"))}
    assert "demo-ru/index.html" in names
    assert "demo-ru/demo/first/index.html" in names
    assert not [n for n in names if n.startswith("demo-ru/other/")]
    assert "demo-ru/assets/sabaq/vendor/iframe-worker/shim.js" in names
    assert "demo-ru/search/search_index.js" in names
    assert not [n for n in names if n.endswith(".map") or "wordcut" in n or "sitemap" in n]
    assert "index.html" in readme and readme.startswith("Demo course")
    # Material's bundle names unpkg.com for Mermaid and a ResizeObserver polyfill (browsers from
    # before 2018): courses use neither, and the page's policy would refuse both.
    pages = {n: t for n, t in texts.items() if not n.endswith("bundle.a5f9d56c.min.js")}
    assert [
        n for n, text in pages.items() if b"unpkg.com" in text or b"fonts.googleapis" in text
    ] == []
    assert (
        b'src="../../assets/sabaq/vendor/iframe-worker/shim.js"'
        in texts["demo-ru/demo/first/index.html"]
    )


def test_the_package_policy_allows_exactly_the_shim_script(site: Path) -> None:
    with zipfile.ZipFile(site / "downloads" / "demo-en.zip") as archive:
        page = archive.read("demo-en/demo/first/index.html").decode("utf-8")
    script = shim_inline_script("../../assets/javascripts/workers/search.a7633da7.min.js")
    assert script.startswith(
        'postMessage=function c(s,n){parent.postMessage(s,n||"*")};importScripts=function d('
    )
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    assert f"script-src 'self' 'sha256-{digest}'; style-src" in page


def package_pages(package: Path) -> dict[str, str]:
    with zipfile.ZipFile(package) as archive:
        return {
            n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".html")
        }


def links_leaving(package: Path) -> tuple[list[str], int]:
    """The package's links to files it does not hold, and how many links were checked."""
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
    leaving, checked = [], 0
    for name, page in package_pages(package).items():
        for url in re.findall(r'(?:href|src)="([^"#?]+)[^"]*"', page):
            if url.startswith(("https:", "http:", "mailto:")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), url))
            if target not in names:
                leaving.append(f"{name} links to {url}")
            checked += 1
    return leaving, checked


def test_every_link_in_a_package_stays_inside_it(site: Path) -> None:
    """Pages link to files (`first/index.html`, not `first/`: no server finds index.html), and
    nothing points out of the package: no other course, language, download or web-app file."""
    leaving, checked = links_leaving(site / "downloads" / "demo-ru.zip")
    assert leaving == []
    assert checked > 50
    course_page = package_pages(site / "downloads" / "demo-ru.zip")["demo-ru/demo/index.html"]
    for web_only in (
        "manifest.webmanifest",
        "offline.js",
        "downloads/",
        "hreflang=",
        "Other course",
    ):
        assert web_only not in course_page


def test_no_link_leaves_a_package_with_tabs_and_sections(tmp_path: Path) -> None:
    """With `navigation.tabs` and `navigation.sections` the navigation lists every course and
    its modules, not pruned: in a package the other course stays as text, without its link."""
    mkdocs_yml = "theme:\n  name: material\n  features: [navigation.tabs, navigation.sections]\n"
    site = build_two_courses(tmp_path, {"mkdocs.yml": mkdocs_yml})
    web_page = (site / "ru" / "demo" / "first" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../other/" class="md-tabs__link"' in web_page  # the other course's tab

    leaving, checked = links_leaving(site / "downloads" / "demo-ru.zip")
    assert leaving == []
    assert checked > 50
    page = package_pages(site / "downloads" / "demo-ru.zip")["demo-ru/demo/first/index.html"]
    assert "Other course" in page
    assert 'href="../../other/' not in page
    assert 'href="../second/index.html"' in page  # the course's own pages keep theirs


def test_the_package_search_holds_its_course_only(site: Path) -> None:
    with zipfile.ZipFile(site / "downloads" / "demo-en.zip") as archive:
        script = archive.read("demo-en/search/search_index.js").decode("utf-8")
    assert script.startswith("var __index = {")
    index = json.loads(script.removeprefix("var __index = "))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert locations == {"demo/index.html", "demo/first/index.html", "demo/second/index.html"}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("../second/", "../second/index.html"),
        ("../second/#more", "../second/index.html#more"),
        ("./", "./index.html"),
        ("../..", "../../index.html"),
        ("..", "../index.html"),
        ("../images/photo.jpg", "../images/photo.jpg"),
        ("#start", "#start"),
        ("https://example.org/a/", "https://example.org/a/"),
        ("/absolute/", "/absolute/"),
        ("mailto:someone@example.org", "mailto:someone@example.org"),
        ("", ""),
    ],
)
def test_file_url_names_the_index_file_of_folders(url: str, expected: str) -> None:
    assert file_url(url) == expected


def test_course_pages_link_their_package_with_its_size(site: Path) -> None:
    page = (site / "en" / "demo" / "index.html").read_text(encoding="utf-8")
    assert (
        '<a class="md-button" href="../../downloads/demo-en.zip" download>Download this course as a ZIP file</a>'
        in page
    )
    assert "<span data-sabaq-download-size>(About 0.1 MB)</span>" in page
    assert "Save this course for offline use" in page


def test_each_language_is_an_installable_app(site: Path) -> None:
    manifest = json.loads((site / "ru" / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["start_url"] == "./" and manifest["lang"] == "ru"
    for icon in manifest["icons"]:
        side = int(icon["sizes"].split("x")[0])
        shipped = Path(__file__).parent.parent / "builder" / "assets" / f"icon-{side}.png"
        assert (site / "ru" / icon["src"]).read_bytes() == shipped.read_bytes()
        # The icons ship drawn (web_app.icon_png says why): the files are that drawing.
        assert shipped.read_bytes() == icon_png(side)
    favicon = Path(__file__).parent.parent / "builder" / "assets" / "favicon.png"
    assert favicon.read_bytes() == icon_png(32)
    assert '<link rel="icon" href="../assets/sabaq/favicon.png">' in (
        site / "ru" / "demo" / "index.html"
    ).read_text(encoding="utf-8")
    worker = (site / "ru" / "sw.js").read_text(encoding="utf-8")
    catalogue = json.loads((site / "ru" / "offline.json").read_text(encoding="utf-8"))
    assert f'const CACHE = "{catalogue["cache"]}";' in worker
    assert "__SABAQ_" not in worker.split("\n", 3)[-1]
    assert catalogue["courses"] == ["demo", "other"]
    assert "search/search_index.json" in catalogue["files"]
    # Each course's own files are in its own manifest: its folder and its search index.
    assert not any(a.startswith(("demo/", "search/courses/")) for a in catalogue["files"])
    course = json.loads((site / "ru" / "demo" / "offline.json").read_text(encoding="utf-8"))
    addresses = [address for address, _ in course["files"]]
    # Saving a course stores its own search index, not the language's.
    assert {"demo/", "demo/first/", "demo/second/", "search/courses/demo.json"} <= set(addresses)
    assert "search/search_index.json" not in addresses
    assert course["bytes"] == sum(size for _, size in course["files"])
    assert set(course["digests"]) == {
        address
        for address in addresses
        if address.startswith("demo/") or address == "search/courses/demo.json"
    }
    assert '<link rel="manifest" href="../manifest.webmanifest">' in (
        site / "ru" / "demo" / "index.html"
    ).read_text(encoding="utf-8")


def test_the_search_index_is_plain_utf8(site: Path) -> None:
    text = (site / "ru" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "\\u04" not in text
    json.loads(text)


def test_recently_packaged_files_are_kept_up_to_a_number_of_bytes() -> None:
    """The memo of packaged course files (`sabaq serve` packages a course again with most of its
    pages unchanged) drops the least recently used first, and never holds more than its limit."""
    from builder.features.offline.zip_format import Deflated, deflate
    from builder.memory import RecentlyUsed

    memo: RecentlyUsed[bytes, Deflated] = RecentlyUsed(3000, weight=lambda e: len(e.data))
    entries = {key: deflate(bytes([key[0]]) * 1200, level=0) for key in (b"a", b"b", b"c")}
    sizes = {key: len(entry.data) for key, entry in entries.items()}
    assert all(1000 < size < 1500 for size in sizes.values())  # stored, not compressed

    memo.put(b"a", entries[b"a"])
    memo.put(b"b", entries[b"b"])
    assert memo.get(b"a") is entries[b"a"]  # now the most recently used
    memo.put(b"c", entries[b"c"])

    assert memo.get(b"b") is None
    assert memo.get(b"a") is entries[b"a"] and memo.get(b"c") is entries[b"c"]
    assert memo.total == sizes[b"a"] + sizes[b"c"] <= 3000
    memo.put(b"a", entries[b"a"])  # again: counted once
    assert memo.total == sizes[b"a"] + sizes[b"c"]


def test_each_course_has_its_own_search_index(site: Path) -> None:
    language = site / "ru"
    whole = json.loads((language / "search" / "search_index.json").read_text(encoding="utf-8"))
    folder = language / "search" / "courses"
    assert sorted(path.name for path in folder.iterdir()) == ["demo.json", "other.json"]
    for course in ("demo", "other"):
        own = json.loads((folder / f"{course}.json").read_text(encoding="utf-8"))
        assert own["config"] == whole["config"]
        assert own["docs"] == [
            doc for doc in whole["docs"] if doc["location"].startswith(f"{course}/")
        ]
    # A course's pages search it, and say so; the others search the language.
    page = (language / "demo" / "first" / "index.html").read_text(encoding="utf-8")
    assert 'data-sabaq-search-index="search/courses/demo.json"' in page
    assert 'placeholder="Поиск по курсу"' in page
    home = (language / "index.html").read_text(encoding="utf-8")
    assert "data-sabaq-search-index" not in home
    assert 'placeholder="Поиск"' in home


def test_course_indexes_have_the_glossary_and_outlive_no_course(tmp_path: Path) -> None:
    docs = [
        {"location": "a/", "title": "A", "text": ""},
        {"location": "a/m/#part", "title": "Part", "text": ""},
        {"location": "b/", "title": "B", "text": ""},
        {"location": "glossary/#term", "title": "Term", "text": ""},
        {"location": "", "title": "Home", "text": ""},
    ]
    (tmp_path / "search" / "courses").mkdir(parents=True)
    (tmp_path / "search" / "courses" / "gone.json").write_text("{}", encoding="utf-8")
    indexes = CourseIndexes(tmp_path, ["a", "b", "c"], ["glossary/"])
    # As a build in several runs gives them: the pages outside courses first, then a few
    # courses at a time.
    indexes.add({"config": {"lang": ["en"]}, "docs": [docs[3], docs[4], docs[0], docs[1]]})
    indexes.add({"config": {"lang": ["en"]}, "docs": [docs[2]]})
    indexes.finish()
    folder = tmp_path / "search" / "courses"
    assert sorted(path.name for path in folder.iterdir()) == ["a.json", "b.json", "c.json"]
    by_course = {
        path.stem: json.loads(path.read_text(encoding="utf-8")) for path in folder.iterdir()
    }
    assert {
        course: [doc["location"] for doc in index["docs"]] for course, index in by_course.items()
    } == {
        "a": ["a/", "a/m/#part", "glossary/#term"],
        "b": ["b/", "glossary/#term"],
        "c": ["glossary/#term"],
    }
    assert by_course["c"]["config"] == {"lang": ["en"]}
