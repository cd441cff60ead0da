"""The downloadable course package: one course in one language, readable from `file://`.

`sabaq build` writes `site/downloads/<course>-<language>.zip` for every course and language. A
trainer can hand it over on a USB stick or a messenger; the reader unpacks it and opens
`index.html`, with no server and no connection.

A package is cut from the language's built web site, not built again: the course's pages, the
theme's assets and the course's part of the search index, changed for `file://`:

- links to folders (`../sift/`) name the file (`../sift/index.html`): there is no web server to
  find `index.html`;
- search reads `search/search_index.js`, a script copy of the index (what mkdocs-material's
  `offline` plugin does), through a small shim that runs the search worker in a hidden iframe. The
  shim ships in the package (`assets/sabaq/vendor/iframe-worker/`) instead of coming from
  unpkg.com, and each page's Content-Security-Policy allows exactly the one inline script it
  writes;
- what only works on the web goes: the web app's manifest and service worker script, the "save"
  and "download" buttons, the language switcher and the other courses' entries in the navigation
  (the site prunes its navigation to the open course, so those entries are single links);
- instant navigation is turned off (it loads pages with XMLHttpRequest, which browsers refuse
  from `file://`) and ES modules become deferred classic scripts (refused from `file://` too).

Cutting instead of building a second MkDocs site per course and language halves the work of a
full build (bench/results.md).
"""

from __future__ import annotations

import hashlib
import html
import json
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.content.languages import LANGUAGES
from builder.content.project import Project
from builder.engine.material_markup import (
    SHIM_PATH,
    VENDOR_DIR,
    file_url,
    file_variant_page,
    is_search_stemmer,
    search_stemmers,
)
from builder.engine.search_index import course_index
from builder.features.glossary.glossary import GLOSSARY_PAGE
from builder.features.offline.zip_format import Deflated, deflate, write_zip
from builder.files import link_file
from builder.fingerprint import sabaq_fingerprint
from builder.memory import RecentlyUsed
from builder.render.i18n import messages
from builder.settings import SETTINGS

DOWNLOADS_DIR = SETTINGS.downloads_dir
#: Pages every course links to, packaged with each course.
GLOSSARY_FOLDER = GLOSSARY_PAGE.split("/")[0]


@dataclass(frozen=True)
class Package:
    course_id: str
    course_title: str
    language: str
    #: The course's module ids in order (the one-file course, single_file.py, reads them).
    modules: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        return package_name(self.course_id, self.language)


def package_name(course_id: str, language: str) -> str:
    """`<course>-<language>.zip`, the package's name under `site/downloads/`."""
    return f"{course_id}-{language}.zip"


def plan_packages(project: Project, languages: list[str]) -> list[Package]:
    """One package per course and language the course is published in."""
    return [
        Package(
            course_project.course.id,
            course_project.editions[language].course.title,
            language,
            tuple(edition.module.id for edition in course_project.editions[language].modules),
        )
        for course_project in project.courses
        for language in languages
        if language in course_project.editions
    ]


# --- Cutting a package from the built language site -------------------------------------------


@dataclass(frozen=True)
class _SharedFiles:
    """What every package of one language site holds alike, read once per language and
    compressed once per process: compressing the theme's assets again for each course was most
    of a package's cost."""

    #: (path in the package, compressed content): the theme's and Sabaq's assets, the shim.
    files: list[tuple[str, Deflated]]
    digest: bytes


def write_packages(
    packages: list[Package],
    language_site: Path,
    downloads: Path,
    previous: Path | None = None,
    rebuilt_courses: Collection[str] | None = None,
) -> dict[str, int]:
    """Cut each package (all of one language) out of `language_site` and zip it into
    `downloads/`; returns each course's package size in bytes. A package in the `previous`
    folder (the build cache's) made from the same files is taken as it is: zipping is most of a
    package's cost, and an edit changes one course's package, not the others'.

    After a dirty build, `rebuilt_courses` names the courses whose pages were made again: the
    others' pages, and so their packages, are the ones the previous build made, taken without
    reading them (builder/build/cache.py: a dirty build happens only when the configuration, the
    navigation and Sabaq are the same, and the cached packages are as that build left them)."""
    if not packages:
        return {}
    downloads.mkdir(parents=True, exist_ok=True)
    sizes = {}
    if previous is not None and rebuilt_courses is not None:
        for package in packages:
            kept = previous / package.file_name
            if package.course_id not in rebuilt_courses and kept.is_file():
                link_file(kept, downloads / package.file_name)
                sizes[package.course_id] = kept.stat().st_size
        packages = [package for package in packages if package.course_id not in sizes]
        if not packages:
            return sizes
    shared = _shared_files(language_site, packages[0].language)
    for package in packages:
        course_files = _course_files(package, language_site, shared)
        digests = [hashlib.sha256(data).digest() for _, data in course_files]
        key = _package_key(package, course_files, digests, shared)
        target = downloads / package.file_name
        earlier = previous / package.file_name if previous is not None else None
        if earlier is not None and _zip_comment(earlier) == key.encode("ascii"):
            link_file(earlier, target)
        else:
            own = [
                (name, _packaged(name, data, digest))
                for (name, data), digest in zip(course_files, digests, strict=True)
            ]
            write_zip(target, package.file_name.removesuffix(".zip"), [*own, *shared.files], key)
        sizes[package.course_id] = target.stat().st_size
    return sizes


def _packaged(name: str, data: bytes, digest: bytes) -> Deflated:
    """A course file as the package holds it (a page changed for file://), compressed; from
    `_PACKAGED` if the same file was packaged before by this process."""
    key = hashlib.sha256(name.encode("utf-8") + b"\0" + digest).digest()
    found = _PACKAGED.get(key)
    if found is None:
        if name.endswith(".html") and name != "index.html":
            data = file_variant_page(data.decode("utf-8"), name, (GLOSSARY_FOLDER,)).encode("utf-8")
        found = _PACKAGED.put(key, deflate(data, SETTINGS.zip_level))
    return found


#: Course files as packaged, by name and content, up to 8 MB compressed (the packages of a
#: language of the large benchmark project, 270 pages). An edit changes one page of a course, and
#: its package is made again with the other pages as they were: `sabaq serve` rebuilds in one
#: process, and this halves what the package costs there. A build from scratch finds nothing here
#: and holds at most 8 MB more.
_PACKAGED: RecentlyUsed[bytes, Deflated] = RecentlyUsed(
    SETTINGS.packaged_files_bytes, weight=lambda entry: len(entry.data)
)


def _shared_files(language_site: Path, language: str) -> _SharedFiles:
    search_language = LANGUAGES[language].search_language
    files = [
        (path.relative_to(language_site).as_posix(), path.read_bytes())
        for path in sorted((language_site / "assets").rglob("*"))
        if path.is_file()
        and _asset_belongs_in_package(path.relative_to(language_site).as_posix(), search_language)
    ]
    files.append((SHIM_PATH, (VENDOR_DIR / "shim.js").read_bytes()))
    files.append(
        (
            f"{SETTINGS.asset_dir}/vendor/iframe-worker/LICENSE",
            (VENDOR_DIR / "LICENSE").read_bytes(),
        )
    )
    digest = hashlib.sha256(sabaq_fingerprint().encode("ascii"))
    compressed = []
    for name, data in files:
        content_hash = hashlib.sha256(data).digest()
        digest.update(name.encode("utf-8") + b"\0" + content_hash)
        if content_hash not in _DEFLATED_ASSETS:
            _DEFLATED_ASSETS[content_hash] = deflate(data)
        compressed.append((name, _DEFLATED_ASSETS[content_hash]))
    return _SharedFiles(compressed, digest.digest())


#: The theme's assets compressed, by content hash, for the life of the process: they are the
#: same files in every language, and a worker finishes several languages (and `sabaq serve`
#: many builds): 19 files, 90 KB compressed.
_DEFLATED_ASSETS: dict[bytes, Deflated] = {}


def _course_files(
    package: Package, language_site: Path, shared: _SharedFiles
) -> list[tuple[str, bytes]]:
    """The package's own files: README, start page, the course's pages as the web site has them
    (`write_packages` changes them for file:// only when it zips them), its pictures and its
    search index."""
    files = [
        ("README.txt", readme(package).encode("utf-8")),
        ("index.html", start_page(package).encode("utf-8")),
    ]
    # The glossary travels with every course: its modules link to it.
    for folder in (package.course_id, GLOSSARY_FOLDER):
        for path in sorted((language_site / folder).rglob("*")):
            if not path.is_file():
                continue
            files.append((path.relative_to(language_site).as_posix(), path.read_bytes()))
    # The course's own search index (its pages and the glossary, builder/engine/search_index.py).
    index_path = language_site / course_index(package.course_id)
    if index_path.is_file():
        script = search_index_script(json.loads(index_path.read_text(encoding="utf-8")))
        files.append(("search/search_index.js", script.encode("utf-8")))
    return files


def _package_key(
    package: Package,
    course_files: list[tuple[str, bytes]],
    digests: list[bytes],
    shared: _SharedFiles,
) -> str:
    """A hash of everything the package is made from (Sabaq's code included, in `shared`;
    `digests` are the course files' SHA-256), kept as the zip's comment."""
    digest = hashlib.sha256(shared.digest + package.file_name.encode("utf-8"))
    for (name, _), content_digest in zip(course_files, digests, strict=True):
        digest.update(name.encode("utf-8") + b"\0" + content_digest)
    return f"sabaq-package:{digest.hexdigest()}"


def _zip_comment(path: Path) -> bytes | None:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.comment
    except (OSError, zipfile.BadZipFile):
        return None


def _asset_belongs_in_package(relative: str, search_language: str) -> bool:
    """Leave out what a reader offline never loads: source maps, the web app's icons and script,
    and other languages' search stemmers (wordcut.js alone is 660 KB)."""
    if relative.endswith(".map"):
        return False
    if relative.startswith(f"{SETTINGS.asset_dir}/") and relative.rsplit("/", 1)[-1].startswith(
        ("icon-", "offline.")
    ):
        return False
    if is_search_stemmer(relative):
        return relative in search_stemmers(search_language)
    return True


def search_index_script(index: dict[str, Any]) -> str:
    """A course's search index as the script file:// search reads (`var __index = ...`, what
    mkdocs-material's offline plugin writes), with file addresses."""
    docs = [{**doc, "location": file_url(doc["location"])} for doc in index.get("docs", [])]
    text = json.dumps({**index, "docs": docs}, ensure_ascii=False, separators=(",", ":"))
    return f"var __index = {text}"


def start_page(package: Package) -> str:
    """`index.html` at the top of the package: it opens the course's first page."""
    course = f"{package.course_id}/index.html"
    title = html.escape(package.course_title)
    return (
        f'<!doctype html>\n<html lang="{package.language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f'<meta http-equiv="refresh" content="0; url={course}">\n<title>{title}</title>\n'
        f'</head>\n<body>\n<p><a href="{course}">{title}</a></p>\n</body>\n</html>\n'
    )


def readme(package: Package) -> str:
    """README.txt at the top of the package: what it is and how to open it."""
    strings = messages(package.language)
    lines = [package.course_title, "", strings.text("offline_download_note")]
    if package.language != "en":
        lines += ["", messages("en").text("offline_download_note")]
    return "\r\n".join(lines) + "\r\n"
