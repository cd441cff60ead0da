"""The one-file course: a whole course in one HTML file, for phones and messengers.

A zip package cannot be read on a phone: a file opened from a messenger or the Files app gets a
`content://` address, where a link from one file to another leads nowhere. So `sabaq build` also
writes `downloads/<course>-<language>.html`, cut from the same built pages as the zip
package (packaging.py), in the same job: the course's overview, its modules and the glossary as
sections of one page.

- Every link between them is a `#fragment`: ids get their section's name in front (every module
  has a "sources" heading), as in the printed course. Links to other pages of the site lead to
  its address when the project has a `site_url`, and are plain text otherwise.
- Pictures are inside it as `data:` URIs, scaled down to a phone's width
  (`Settings.one_file_picture_width`).
- Its own small script shows one section at a time, searches the text and follows reading
  progress; Sabaq's quiz engine and progress script are inlined with it, and its stylesheet with
  the quiz's. mkdocs-material's bundle and search worker stay out: they weigh more than a course.
- The Content-Security-Policy, in a `<meta>` tag, allows exactly the inlined script and
  stylesheet by their SHA-256 and pictures from `data:`: the file requests nothing, ever.

What needs other files or a server stays out: the progress file and its QR code, the
certificate, the request builder, the "save for offline use" button. Without JavaScript every
section shows, one after the other, and the quiz lists its questions.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from builder.engine.material_markup import page_article
from builder.engine.site_files import published
from builder.features.glossary.glossary import GLOSSARY_PAGE
from builder.features.offline.packaging import Package
from builder.features.offline.single_file_sections import PictureInliner, SectionRewriter
from builder.features.quiz.quiz import script_json
from builder.files import link_file
from builder.render.i18n import Messages, messages

FEATURES = Path(__file__).parents[1]
#: The shell's script and style: in templates/, so the engine does not publish them with the
#: site's assets (they are only ever inlined).
SHELL_SCRIPT = Path(__file__).parent / "templates" / "one-file.js"
SHELL_STYLE = Path(__file__).parent / "templates" / "one-file.css"
#: Inlined after the shell's style and before its script, in this order.
QUIZ_STYLE = FEATURES / "quiz" / "quiz.css"
PAGE_SCRIPTS = (FEATURES / "quiz" / "quiz.js", FEATURES / "progress" / "progress.js")

#: The sections the shell adds, named so that no module id is likely to meet them.
START = "sabaq-start"
GLOSSARY_HTML = GLOSSARY_PAGE.removesuffix(".md") + ".html"
GLOSSARY = "sabaq-glossary"
MAIN = "sabaq-main"


def single_file_name(course_id: str, language: str) -> str:
    """`<course>-<language>.html`, the one-file course's name under `site/downloads/` (the
    printable page of `sabaq build --print` is `<course>-<language>.print.html`)."""
    return f"{course_id}-{language}.html"


def write_single_files(
    packages: list[Package],
    language_site: Path,
    downloads: Path,
    previous: Path | None = None,
    rebuilt_courses: Collection[str] | None = None,
    site_url: str | None = None,
) -> dict[str, int]:
    """Write the one-file course of each package (all of one language) into `downloads/`;
    returns each course's file size in bytes. After a dirty build, the files of courses not in
    `rebuilt_courses` are taken from `previous` (the build cache's downloads), as the zip
    packages are."""
    sizes = {}
    if packages:
        downloads.mkdir(parents=True, exist_ok=True)
    for package in packages:
        name = single_file_name(package.course_id, package.language)
        target = downloads / name
        kept = previous / name if previous is not None else None
        if (
            kept is not None
            and rebuilt_courses is not None
            and package.course_id not in rebuilt_courses
            and kept.is_file()
        ):
            link_file(kept, target)
        else:
            # Written beside and renamed: `target` may be a hard link into the build cache.
            partial = downloads / f"partial-{name}"
            partial.write_text(render_single_file(package, language_site, site_url), "utf-8")
            partial.replace(target)
        sizes[package.course_id] = target.stat().st_size
    return sizes


@dataclass
class _Section:
    anchor: str
    title: str
    body: str


def render_single_file(package: Package, language_site: Path, site_url: str | None = None) -> str:
    """The one-file course of `package`, read from its built language site."""
    strings = messages(package.language)
    course = package.course_id
    pages = {f"{course}/index.html": START}
    pages |= {f"{course}/{module}/index.html": module for module in package.modules}
    if (language_site / GLOSSARY_HTML).is_file():
        pages[GLOSSARY_HTML] = GLOSSARY
    # The overview's dashboard links the module to continue with by fragment.
    continue_href = {f"{course}/index.html": "#{module}"}
    pictures = PictureInliner(language_site)
    sections = []
    for page, anchor in pages.items():
        article = page_article((language_site / page).read_text(encoding="utf-8"))
        if article is None:
            raise ValueError(f"{page}: the built page has no article")
        rewriter = SectionRewriter(
            page, pages, package.language, site_url, pictures, continue_href.get(page)
        )
        rewriter.feed(article)
        rewriter.close()
        sections.append(_Section(anchor, rewriter.title, "".join(rewriter.out).strip()))
    return _document(package, sections, strings)


def _document(package: Package, sections: list[_Section], strings: Messages) -> str:
    # Minified as the web site publishes them (about a third smaller).
    style = "\n".join(published(path).decode("utf-8") for path in (SHELL_STYLE, QUIZ_STYLE))
    script = "\n".join(published(path).decode("utf-8") for path in (*PAGE_SCRIPTS, SHELL_SCRIPT))
    policy = (
        f"default-src 'none'; script-src {_source_hash(script)}; style-src {_source_hash(style)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    title = html.escape(package.course_title)
    texts = {
        "results": strings.strings["one_file_results"],
        "none": strings.text("one_file_none"),
    }
    contents = "\n".join(
        f'<li><a href="#{section.anchor}">'
        f"{html.escape(strings.text('one_file_start')) if section.anchor == START else section.title}"
        "</a></li>"
        for section in sections
    )
    articles = "\n".join(_article(section, sections, strings) for section in sections)
    return (
        f'<!doctype html>\n<html lang="{package.language}" dir="ltr" data-sabaq-pages>\n<head>\n'
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{style}</style>\n"
        # In the head, so that the page is laid out for its script from the first paint; every
        # part of it waits for the document before it reads it.
        f"<script>{script}</script>\n</head>\n<body>\n"
        f'<a class="sabaq-one__skip" href="#{MAIN}">{html.escape(strings.text("one_file_skip"))}</a>\n'
        '<header class="sabaq-one__header">\n'
        f'<p class="sabaq-one__site">{html.escape(strings.text("site_name"))}</p>\n'
        f'<p class="sabaq-one__course"><a href="#{START}">{title}</a></p>\n'
        '<div class="sabaq-one__search" role="search" data-sabaq-one-search data-sabaq-js-only>\n'
        f'<label for="sabaq-one-query">{html.escape(strings.text("search_course"))}</label>\n'
        '<input type="search" id="sabaq-one-query" autocomplete="off" data-sabaq-one-query>\n'
        '<p class="sabaq-one__status" role="status" data-sabaq-one-status></p>\n'
        f'<ol class="sabaq-one__results" aria-label="{html.escape(strings.text("one_file_search_label"))}"'
        " data-sabaq-one-results hidden></ol>\n</div>\n</header>\n"
        f'<nav class="sabaq-one__contents" aria-label="{html.escape(strings.text("one_file_contents"))}">\n'
        f"<details><summary>{html.escape(strings.text('one_file_contents'))}</summary>\n"
        f"<ol>\n{contents}\n</ol>\n</details>\n</nav>\n"
        f'<main id="{MAIN}" class="md-typeset">\n{articles}\n</main>\n'
        f'<footer class="sabaq-one__footer"><p>{html.escape(strings.text("one_file_footer"))}</p></footer>\n'
        f'<script type="application/json" data-sabaq-one-text>{script_json(texts)}</script>\n'
        "</body>\n</html>\n"
    )


def _article(section: _Section, sections: list[_Section], strings: Messages) -> str:
    """One section, with links to the previous and next module (not from or to the glossary)."""
    pager = []
    modules = [s for s in sections if s.anchor != GLOSSARY]
    if section.anchor != GLOSSARY:
        position = modules.index(section)
        if position >= 1:
            previous = modules[position - 1]
            text = strings.text("one_file_previous", title=previous.title)
            pager.append(f'<a href="#{previous.anchor}" rel="prev">{text}</a>')
        if 1 <= position < len(modules) - 1:
            following = modules[position + 1]
            text = strings.text("one_file_next", title=following.title)
            pager.append(f'<a href="#{following.anchor}" rel="next">{text}</a>')
    pager_html = f'\n<p class="sabaq-one__pager">{" ".join(pager)}</p>' if pager else ""
    return (
        f'<article id="{section.anchor}" class="sabaq-one__page" data-sabaq-page>\n'
        f"{section.body}{pager_html}\n</article>"
    )


def _source_hash(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"
