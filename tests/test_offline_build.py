"""What `sabaq build` writes for reading offline: the downloadable packages, the web app's files,
and a search index in plain UTF-8. One real build of a small project for the whole module."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sabaq_testing import MINIMAL_PROJECT, write_files

from builder.build import build_project
from builder.packaging import shim_inline_script


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("offline")
    project = write_files(root / "project", MINIMAL_PROJECT)
    report = build_project(project, root / "site", workers=1)
    assert report.ok, report.errors
    return root / "site"


def test_a_package_per_course_and_language(site: Path) -> None:
    assert sorted(p.name for p in (site / "downloads").iterdir()) == ["demo-en.zip", "demo-ru.zip"]
    with zipfile.ZipFile(site / "downloads" / "demo-ru.zip") as archive:
        names = archive.namelist()
        readme = archive.read("demo-ru/README.txt").decode("utf-8")
        texts = {n: archive.read(n) for n in names if n.endswith((".html", ".js", ".css"))}
    assert "demo-ru/index.html" in names
    assert "demo-ru/demo/first.html" in names  # plain .html addresses for file://
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
    assert b'src="../assets/sabaq/vendor/iframe-worker/shim.js"' in texts["demo-ru/demo/first.html"]


def test_the_package_policy_allows_exactly_the_shim_script(site: Path) -> None:
    with zipfile.ZipFile(site / "downloads" / "demo-en.zip") as archive:
        page = archive.read("demo-en/demo/first.html").decode("utf-8")
    script = shim_inline_script("../assets/javascripts/workers/search.a7633da7.min.js")
    assert script.startswith(
        'postMessage=function c(s,n){parent.postMessage(s,n||"*")};importScripts=function d('
    )
    assert "script-src 'self' 'sha256-" in page


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
        assert (site / "ru" / icon["src"]).read_bytes().startswith(b"\x89PNG")
    worker = (site / "ru" / "sw.js").read_text(encoding="utf-8")
    catalogue = json.loads((site / "ru" / "offline.json").read_text(encoding="utf-8"))
    assert f'const CACHE = "{catalogue["cache"]}";' in worker
    assert "__SABAQ_" not in worker.split("\n", 3)[-1]
    addresses = [address for address, _ in catalogue["courses"]["demo"]["files"]]
    assert {"demo/", "demo/first/", "demo/second/", "search/search_index.json"} <= set(addresses)
    assert '<link rel="manifest" href="../manifest.webmanifest">' in (
        site / "ru" / "demo" / "index.html"
    ).read_text(encoding="utf-8")


def test_the_search_index_is_plain_utf8(site: Path) -> None:
    text = (site / "ru" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "\\u04" not in text
    json.loads(text)
