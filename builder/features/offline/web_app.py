"""Reading without a connection: the installable web app and the downloadable package.

For every language site this adds, after MkDocs has built it:

- `manifest.webmanifest` and two icons, so the language site can be installed as an app;
- `sw.js`, a service worker whose scope is the language folder. On install it stores the
  language's "shell" (the styles and scripts every page loads); every page a reader opens is stored as it is
  read; the "Save this course for offline use" button on a course page (assets/offline.js) stores
  the whole course and the search index. Answers come from the store first and are refreshed from
  the network in the background. The store's name carries a hash of the build: a new build's
  worker makes a new store, keeping each stored file whose digest did not change and fetching the
  changed ones, then deletes the old store;
- `offline.json`, the language's manifest: the store's name, the courses, and the digest of every
  file outside them; and `<course>/offline.json`, each course's: which files saving it stores and
  how big they are, and its own files' digests. An update reads the manifests of the courses a
  reader has pages of, so its cost does not grow with the catalogue.

Nothing is stored before the reader opens a page, and whole courses only when they ask: data costs
money where the readers are.

Course pages also link the course's downloadable package (builder/features/offline/packaging.py) and
its one-file course (single_file.py), with their sizes.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal

from builder.content.languages import LANGUAGES
from builder.content.project import Project
from builder.engine.material_classes import BUTTON
from builder.engine.material_markup import (
    MATERIAL_BUNDLE_PREFIX,
    MATERIAL_IMAGES_DIR,
    SEARCH_STEMMERS_DIR,
    SEARCH_WORKERS_DIR,
    search_stemmers,
)
from builder.engine.search_index import COURSE_INDEXES, INDEX
from builder.engine.site_files import copy_built_site
from builder.features.offline.packaging import DOWNLOADS_DIR, Package, package_name, write_packages
from builder.features.offline.single_file import single_file_name, write_single_files
from builder.features.print.book import PrintBook
from builder.features.print.publish import fill_pdf_sizes, pdf_link, print_books
from builder.render.i18n import messages
from builder.render.language import RenderedLanguage
from builder.render.markdown_ext import trusted_html_marker
from builder.render.privacy import policy_meta_tags
from builder.settings import SETTINGS

SERVICE_WORKER_TEMPLATE = Path(__file__).parent / "templates" / "sw.js"
THEME_COLOR = SETTINGS.theme_color
#: Files that are never stored for offline use: source maps, the sitemap, the worker itself.
_NEVER = re.compile(r"(\.map$|^sitemap\.xml|^sw\.js$|(^|/)offline\.json$|^404\.html$)")
#: The offline manifest: the language's at its root, each course's in its folder.
MANIFEST = "offline.json"
#: Material's own assets carry a content hash in their names and never change under one name.
_HASHED = re.compile(r"\.[0-9a-f]{8}\.min\.(js|css)$")
_SIZE_SLOT = "<span data-sabaq-download-size></span>"
_ONE_FILE_SIZE_SLOT = "<span data-sabaq-one-file-size></span>"


def configure_web_app(rendered: RenderedLanguage) -> None:
    """Tell the theme to link the manifest and load assets/offline.js (theme/main.html)."""
    extra = dict(rendered.config.get("extra") or {})
    extra["sabaq_web_app"] = {"theme_color": THEME_COLOR}
    rendered.config["extra"] = extra


def add_course_tools(
    rendered: RenderedLanguage, project: Project, nonce: str, books: Sequence[PrintBook] = ()
) -> None:
    """Append the offline tools to each course page of `rendered`: the "save" button, and the
    links to the course's package and, with `books` (`sabaq build --print`), its PDF. Their
    sizes are filled in after the build (`fill_download_sizes`), when the files exist."""
    strings = messages(rendered.language)
    pdfs = {
        book.course_id: pdf_link(book, f"../../{DOWNLOADS_DIR}")
        for book in books
        if book.language == rendered.language
    }
    for course_project in project.courses:
        course_id = course_project.course.id
        page = f"{course_id}/index.md"
        if page not in rendered.pages:
            continue
        zip_href = f"../../{DOWNLOADS_DIR}/{package_name(course_id, rendered.language)}"
        one_file_href = f"../../{DOWNLOADS_DIR}/{single_file_name(course_id, rendered.language)}"
        tools = (
            f'<div class="sabaq-offline" data-sabaq-offline="{html.escape(course_id)}"'
            f' data-sabaq-offline-text="{html.escape(json.dumps(_button_texts(strings), ensure_ascii=False))}">\n'
            '<p class="sabaq-offline__save" data-sabaq-offline-save-area data-sabaq-js-only>'
            f'<button type="button" class="{BUTTON}" data-sabaq-offline-save>{html.escape(strings.text("offline_save"))}</button> '
            "<span data-sabaq-offline-size></span></p>\n"
            '<p class="sabaq-offline__status" data-sabaq-offline-status role="status" aria-live="polite"></p>\n'
            f'<p><a class="{BUTTON}" href="{zip_href}" download>{html.escape(strings.text("offline_download"))}</a> '
            f"{_SIZE_SLOT}</p>\n"
            f'<p class="sabaq-offline__note">{html.escape(strings.text("offline_download_note"))}</p>\n'
            f'<p><a class="{BUTTON}" href="{one_file_href}" download>{html.escape(strings.text("one_file_download"))}</a> '
            f"{_ONE_FILE_SIZE_SLOT}</p>\n"
            f'<p class="sabaq-offline__note">{html.escape(strings.text("one_file_note"))}</p>\n'
            f"{pdfs.get(course_id, '')}"
            "</div>"
        )
        rendered.pages[page] = (
            rendered.pages[page].rstrip("\n") + "\n" + trusted_html_marker(tools, nonce)
        )


def _button_texts(strings: Any) -> dict[str, str]:
    """The strings assets/offline.js shows, with `{size}` and `{percent}` left for it to fill."""
    return {
        "size": strings.strings["offline_size"],
        "saving": strings.strings["offline_saving"],
        "saved": strings.text("offline_saved"),
        "failed": strings.text("offline_failed"),
    }


def megabytes(size: int, language: str) -> str:
    """A size in MB with one decimal, written the language's way ("1.2", "1,2"); never "0.0"."""
    value = max(round(size / 1_000_000, 1), 0.1)
    return format_decimal(value, format="0.0", locale=language)


def fill_download_sizes(language_site: Path, language: str, sizes: dict[str, int]) -> None:
    """Write each package's size next to its link on the course pages of a built language site."""
    fill_sizes(language_site, language, sizes, _SIZE_SLOT, "data-sabaq-download-size")


def fill_sizes(
    language_site: Path, language: str, sizes: dict[str, int], slot: str, marker: str
) -> None:
    """Replace `slot` on each course page (by course id in `sizes`) with the file's size in MB,
    in a span carrying the attribute `marker`."""
    strings = messages(language)
    for course_id, size in sizes.items():
        page = language_site / course_id / "index.html"
        if not page.exists():
            continue
        text = page.read_text(encoding="utf-8")
        label = f"({strings.text('offline_size', size=megabytes(size, language))})"
        page.write_text(
            text.replace(slot, f"<span {marker}>{html.escape(label)}</span>"), encoding="utf-8"
        )


def finish_language_site(language_site: Path, course_ids: list[str], language: str) -> None:
    """Add the manifest, offline.json and the service worker to a built language site (the
    manifest's icons come with Sabaq's assets). Call it last: the service worker's version is a
    hash of every other file."""
    strings = messages(language)
    manifest = {
        "name": strings.text("site_name"),
        "short_name": "Sabaq",
        "lang": language,
        "dir": "ltr",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {
                "src": f"{SETTINGS.asset_dir}/icon-{size}.png",
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in SETTINGS.icon_sizes
        ],
    }
    (language_site / "manifest.webmanifest").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )

    files = {
        path.relative_to(language_site).as_posix(): path
        for path in sorted(language_site.rglob("*"))
        if path.is_file() and not _NEVER.search(path.relative_to(language_site).as_posix())
    }
    digests = {name: _digest(path) for name, path in files.items()}
    version = hashlib.sha256(json.dumps(digests).encode("utf-8")).hexdigest()[:12]
    search_language = LANGUAGES[language].search_language
    shell = [_address(name) for name in files if _is_shell(name)]
    courses = [c for c in course_ids if (language_site / c).is_dir()]
    own: dict[str, list[str]] = {course_id: [] for course_id in courses}
    outside = []
    for name in files:
        course_id = _course_of(name, own)
        if course_id is None:
            outside.append(name)
        else:
            own[course_id].append(name)
    with_every_course = [n for n in outside if _is_saved_with_every_course(n, search_language)]
    for course_id, names in own.items():
        saved = names + with_every_course
        # What saving the course stores, and the digests of its own files (its folder, its search
        # index): a reader's update reads the manifests of the courses it has pages of, never the
        # whole catalogue's.
        (language_site / course_id / MANIFEST).write_text(
            json.dumps(
                {
                    "files": [[_address(name), files[name].stat().st_size] for name in saved],
                    "bytes": sum(files[name].stat().st_size for name in saved),
                    "digests": {_address(name): digests[name] for name in names},
                },
                ensure_ascii=False,
                separators=(",", ":"),
            ),
            encoding="utf-8",
        )
    cache = f"sabaq-{language}-{version}"
    # The digests of the other files, and which courses have their own manifest: the service
    # worker of the next build keeps what a reader stored when its digest is unchanged, and
    # downloads only what changed (templates/sw.js).
    (language_site / MANIFEST).write_text(
        json.dumps(
            {
                "cache": cache,
                "courses": courses,
                "files": {_address(name): digests[name] for name in outside},
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        encoding="utf-8",
    )
    worker = SERVICE_WORKER_TEMPLATE.read_text(encoding="utf-8")
    worker = worker.replace('"__SABAQ_CACHE__"', json.dumps(cache))
    worker = worker.replace('"__SABAQ_PREFIX__"', json.dumps(f"sabaq-{language}-"))
    worker = worker.replace("[/* __SABAQ_SHELL__ */]", json.dumps(shell, ensure_ascii=False))
    worker = worker.replace("/__SABAQ_HASHED__/", _HASHED.pattern.join("//"))
    worker = worker.replace("[/* __SABAQ_POLICIES__ */]", json.dumps(policy_meta_tags()))
    worker = worker.replace('"__SABAQ_INDEX__"', json.dumps(INDEX.as_posix()))
    worker = worker.replace(
        '"__SABAQ_COURSE_INDEXES__/"', json.dumps(f"{COURSE_INDEXES.as_posix()}/")
    )
    (language_site / "sw.js").write_text(worker, encoding="utf-8")


def _address(name: str) -> str:
    """The address a file is requested by, relative to the language root: pages by folder."""
    if name == "index.html":
        return "./"
    return name.removesuffix("index.html") if name.endswith("/index.html") else name


#: Assets only some pages load, or only when the reader asks (Material's bundle at the first
#: search, the QR code generator): not stored with every first visit, but with a saved course, and
#: with any page that loads them.
ON_REQUEST_ONLY = frozenset(
    f"{SETTINGS.asset_dir}/{name}"
    for name in (
        "qrcode.js", "share.js", "reader.js", "rti.js", "rti.css", "certificate.js",
        "certificate.css", "embeds.js", "embeds.css", "icon-192.png", "icon-512.png",
    )
)  # fmt: skip


def _is_shell(name: str) -> bool:
    """What every page needs: the manifest and the styles and scripts every page loads. Not the
    rest, not even the home page (it grows with the catalogue): data costs money where the readers
    are, and a first visit should not pay for pages and tools the reader has not opened."""
    if name == "manifest.webmanifest":
        return True
    return (
        name.startswith("assets/")
        and not name.startswith(
            (SEARCH_STEMMERS_DIR, SEARCH_WORKERS_DIR, MATERIAL_BUNDLE_PREFIX, MATERIAL_IMAGES_DIR)
        )
        and name not in ON_REQUEST_ONLY
    )


def _course_of(name: str, courses: Collection[str]) -> str | None:
    """The course a file of the language site belongs to: its folder's, or its search index's
    (the service worker reads addresses the same way, templates/sw.js)."""
    folder, slash, rest = name.partition("/")
    if slash and folder in courses:
        return folder
    index = name.removeprefix(f"{COURSE_INDEXES.as_posix()}/")
    if index != name and index.endswith(".json") and index[: -len(".json")] in courses:
        return index[: -len(".json")]
    return None


def _is_saved_with_every_course(name: str, search_language: str) -> bool:
    """What a saved course needs besides its own files (its pages, its search index): the home
    page (where the installed app opens), the glossary its modules link to, the rest of search
    (Material's bundle and worker, the language's stemmers), and the tools its pages load."""
    if name in ("index.html", "glossary/index.html") or name.startswith(MATERIAL_BUNDLE_PREFIX):
        return True
    if name in ON_REQUEST_ONLY or name.startswith(SEARCH_WORKERS_DIR):
        return True
    return name in search_stemmers(search_language)


def _digest(path: Path) -> str:
    """The first 12 hex digits of the file's SHA-256, as the service worker computes them."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def icon_png(size: int) -> bytes:
    """The app icon: an open book, white on the theme colour, inside the safe zone of a
    maskable icon (the middle 80%).

    It ships drawn, as `builder/assets/icon-<size>.png` (a test checks the files show exactly
    this drawing; after changing it, write them again with this function): drawing them in every
    build process cost a rebuild 20 ms, with Pillow's import."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), THEME_COLOR)
    draw = ImageDraw.Draw(image)
    unit = size / 24
    # mkdocs-material's default logo (the "book-open-page-variant" icon) is a 24x24 path; this
    # is the same book, drawn with two polygons.
    left = [(3, 8), (12, 11.5), (12, 21), (3, 18)]
    right = [(12, 11.5), (21, 8), (21, 18), (12, 21)]
    for shape in (left, right):
        scaled = [
            (size / 2 + (x - 12) * unit * 0.8, size / 2 + (y - 14.5) * unit * 0.8) for x, y in shape
        ]
        draw.polygon(scaled, fill="white")
    draw.ellipse(
        [size / 2 - 2.4 * unit, size / 2 - 8 * unit, size / 2 + 2.4 * unit, size / 2 - 3.2 * unit],
        fill="white",
    )
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


# --- Pipeline hooks (builder/build/pipeline.py) -------------------------------------------------------------


def add_offline_features(
    rendered: RenderedLanguage, project: Project, nonce: str, books: Sequence[PrintBook] = ()
) -> None:
    """Before the build: the web app's theme settings and the course pages' offline tools (with
    the links to the printed courses, `books`)."""
    configure_web_app(rendered)
    add_course_tools(rendered, project, nonce, books)


@dataclass(frozen=True)
class LanguageFinish:
    """What to do once a language has built, in the worker that built it (so it pickles)."""

    built_site: Path
    #: The language's folder in the new site (the built site is copied there if elsewhere).
    language_site: Path
    language: str
    course_ids: list[str]
    packages: list[Package]
    downloads: Path
    #: The build cache's packages of this language, taken as they are when unchanged.
    previous_downloads: Path | None = None
    #: After a dirty build: the courses rendered again (the others' packages are unchanged).
    rebuilt_courses: Collection[str] | None = None
    #: The courses to print (`sabaq build --print`), and the site's address for their links.
    books: tuple[PrintBook, ...] = ()
    site_url: str | None = None


def finish_language(finish: LanguageFinish) -> None:
    """Copy the built site to its place in the new site if it is elsewhere (in the build cache),
    cut the language's packages into `downloads/`, print its courses there if asked, write their
    sizes on the course pages, then add the manifest, icons and service worker."""
    if finish.built_site != finish.language_site:
        copy_built_site(finish.built_site, finish.language_site)
    sizes = write_packages(
        finish.packages,
        finish.language_site,
        finish.downloads,
        finish.previous_downloads,
        finish.rebuilt_courses,
    )
    fill_download_sizes(finish.language_site, finish.language, sizes)
    one_file_sizes = write_single_files(
        finish.packages,
        finish.language_site,
        finish.downloads,
        finish.previous_downloads,
        finish.rebuilt_courses,
        finish.site_url,
    )
    fill_sizes(
        finish.language_site,
        finish.language,
        one_file_sizes,
        _ONE_FILE_SIZE_SLOT,
        "data-sabaq-one-file-size",
    )
    pdf_sizes = print_books(
        list(finish.books),
        finish.language_site,
        finish.downloads,
        finish.site_url,
        finish.previous_downloads,
        finish.rebuilt_courses,
    )
    fill_pdf_sizes(finish.language_site, finish.language, pdf_sizes)
    finish_language_site(finish.language_site, finish.course_ids, finish.language)
