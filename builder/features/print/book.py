"""The printable course: one HTML page per course and language, made from its built pages.

A book is cut from a built language site, as the downloadable package is: a title page, a table
of contents, then each page's article in order. It takes whatever pages it is given, so an
edition with other pages (a trainer's) prints with the same code. Each article is changed for
paper:

- ids get the page's name in front (every module has a "sources" heading), and links between the
  book's pages become links inside it; links elsewhere in the site lead to its web address when
  the project has a `site_url`, and are plain text otherwise (a PDF has no site around it);
- what is no use on paper goes: scripts, buttons, heading anchors, whatever the page keeps
  `hidden` until its script runs (the quiz's controls, feedback and explanations);
- a matching question's drop-down lists become lines to write on (text fields, so that their
  labels still name them), with the choices listed once.

The page loads only its stylesheet and fonts (`downloads/print/`) and the course's pictures.
"""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass
from pathlib import Path

from builder.content.languages import LANGUAGES
from builder.content.project import Project
from builder.engine.material_markup import page_article
from builder.files import write_if_changed
from builder.render.i18n import Messages, messages
from builder.render.one_document import (
    ArticleParser,
    has_scheme,
    start_tag,
)

BOOK_ASSETS = Path(__file__).parent / "book"
#: The book's stylesheet and fonts, under `downloads/`.
ASSETS_FOLDER = "print"
#: Nothing but the book's own stylesheet, fonts and pictures: no script at all.
BOOK_POLICY = (
    "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class PrintBook:
    """One course in one language, as printed. `pages` are paths in the built language site
    (`<course>/<module>/index.html`), in the book's order."""

    course_id: str
    language: str
    title: str
    summary: str
    facts: str
    pages: tuple[str, ...]
    #: The file name without extension: `<course>-<language>` (an edition adds its name).
    stem: str

    @property
    def html_name(self) -> str:
        # `<course>-<language>.html` is the one-file course (features/offline/single_file.py).
        return f"{self.stem}.print.html"

    @property
    def pdf_name(self) -> str:
        return f"{self.stem}.pdf"


def plan_books(project: Project, languages: list[str], *, edition: str = "") -> list[PrintBook]:
    """One book per course and language: its modules in order. An `edition` other than the
    reader's (such as "trainer") is named in the files: `<course>-<language>-<edition>.pdf`."""
    books = []
    for course_project in project.courses:
        for language in languages:
            course_edition = course_project.editions.get(language)
            if course_edition is None:
                continue
            course = course_edition.course
            strings = messages(language)
            modules = [module_edition.module for module_edition in course_edition.modules]
            minutes = sum(module.duration_minutes for module in modules)
            facts = (
                f"{strings.plural('module_count', len(modules))} · {strings.duration(minutes)} · "
                f"{LANGUAGES[language].native_name}"
            )
            stem = "-".join(part for part in (course.id, language, edition) if part)
            books.append(
                PrintBook(
                    course.id,
                    language,
                    course.title,
                    course.summary,
                    facts,
                    tuple(f"{course.id}/{module.id}/index.html" for module in modules),
                    stem,
                )
            )
    return books


def write_book_assets(downloads: Path) -> None:
    """The stylesheet and fonts every book loads, into `downloads/print/`."""
    for source in sorted(BOOK_ASSETS.rglob("*")):
        if source.is_file():
            target = downloads / ASSETS_FOLDER / source.relative_to(BOOK_ASSETS)
            write_if_changed(target, source.read_bytes())


def render_book(book: PrintBook, language_site: Path, site_url: str | None = None) -> str:
    """The book's HTML page, to be written as `downloads/<book.html_name>` beside the language
    folders of the site (its pictures are linked there)."""
    strings = messages(book.language)
    anchors = {page: _anchor(page) for page in book.pages}
    articles, contents = [], []
    for page in book.pages:
        text = (language_site / page).read_text(encoding="utf-8")
        rewriter = _ArticleRewriter(book.language, page, anchors, site_url, strings)
        rewriter.feed(_article(text, page))
        rewriter.close()
        articles.append(
            f'<article class="sabaq-book__module" id="{anchors[page]}">\n'
            f"{''.join(rewriter.out).strip()}\n</article>"
        )
        contents.append(f'<li><a href="#{anchors[page]}">{rewriter.title}</a></li>')
    title = html.escape(book.title)
    return (
        f'<!doctype html>\n<html lang="{book.language}" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{BOOK_POLICY}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<title>{title}</title>\n"
        f'<link rel="stylesheet" href="{ASSETS_FOLDER}/book.css">\n</head>\n<body>\n'
        '<header class="sabaq-book__title-page">\n'
        f'<p class="sabaq-book__site">{html.escape(strings.text("site_name"))}</p>\n'
        f"<h1>{title}</h1>\n<p>{html.escape(book.summary)}</p>\n"
        f'<p class="sabaq-book__facts">{html.escape(book.facts)}</p>\n'
        + _course_address(book, site_url)
        + "</header>\n"
        f'<nav class="sabaq-book__contents" aria-labelledby="sabaq-book-contents">\n'
        f'<h2 id="sabaq-book-contents">{html.escape(strings.text("print_contents"))}</h2>\n'
        f"<ol>\n{chr(10).join(contents)}\n</ol>\n</nav>\n<main>\n"
        + "\n".join(articles)
        + "\n</main>\n</body>\n</html>\n"
    )


def write_book(book: PrintBook, language_site: Path, downloads: Path, site_url: str | None) -> Path:
    """Write the book's page into `downloads/` and return its path."""
    target = downloads / book.html_name
    write_if_changed(target, render_book(book, language_site, site_url).encode("utf-8"))
    return target


def _course_address(book: PrintBook, site_url: str | None) -> str:
    if not site_url:
        return ""
    address = f"{site_url.rstrip('/')}/{book.language}/{book.course_id}/"
    return f'<p class="sabaq-book__address"><a href="{html.escape(address)}">{html.escape(address)}</a></p>\n'


def _anchor(page: str) -> str:
    """`<course>/<module>/index.html` -> `module`: the book's id of a page."""
    return posixpath.basename(posixpath.dirname(page)) or "start"


def _article(page_html: str, page: str) -> str:
    article = page_article(page_html)
    if article is None:
        raise ValueError(f"{page}: the built page has no article")
    return article


#: Elements that never print, with everything inside them.
_DROPPED = {"script", "button", "noscript", "template", "style", "iframe"}
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _ArticleRewriter(ArticleParser):
    """One page's article, changed for paper as the module docstring says."""

    def __init__(
        self,
        language: str,
        page: str,
        anchors: dict[str, str],
        site_url: str | None,
        strings: Messages,
    ) -> None:
        super().__init__(page, anchors, language, site_url)
        self.strings = strings
        self.out: list[str] = []
        self.title = ""
        self._skipping = 0  # depth inside an element left out
        self._unlinked = 0  # depth of <a> elements written without their tag
        self._in_h1 = False
        self._h1_text: list[str] = []
        self._open: list[str] = []  # tags of the kept elements still open
        self._select: list[str] | None = None  # a drop-down's choices, while inside it
        self._option: list[str] | None = None
        self._choices: list[str] | None = None  # a matching question's choices, once read
        self._select_id: str | None = None

    # --- tags ---

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self._skipping:
            if tag not in _VOID:
                self._skipping += 1
            return
        if self._select is not None:
            if tag == "option":
                self._option = []
            return
        if self._is_dropped(tag, attributes):
            if tag not in _VOID:
                self._skipping = 1
            return
        if tag == "select":
            self._select = []
            self._select_id = attributes.get("id")
            return
        if tag == "h1":
            self._in_h1 = True
        if tag == "a":
            href = self._link(attributes.get("href"))
            if href is None:
                self._unlinked += 1
                self._open.append("a-unlinked")
                return
            attributes["href"] = href
        pairs = tag == "div" and "sabaq-quiz__pairs" in (attributes.get("class") or "").split()
        attributes = self._rewritten(tag, attributes)
        self.out.append(start_tag(tag, attributes))
        if tag not in _VOID:
            self._open.append("div-pairs" if pairs else tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and not self._skipping and self._open and self._open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            self._skipping -= 1
            return
        if self._select is not None:
            if tag == "option" and self._option is not None:
                self._select.append("".join(self._option).strip())
                self._option = None
            elif tag == "select":
                # The first entry is "Choose…", with no value.
                self._choices = self._choices or self._select[1:]
                self._select = None
                # A line to write on, still the control its label names.
                line = {"type": "text", "class": "sabaq-book__blank", "id": self._select_id}
                self.out.append(start_tag("input", self._rewritten("input", line)))
            return
        if tag in _VOID or not self._open:
            return
        opened = self._open.pop()
        if opened == "a-unlinked":
            self._unlinked -= 1
            return
        if tag == "h1" and self._in_h1:
            self._in_h1 = False
            self.title = "".join(self._h1_text).strip()
        if opened == "div-pairs":
            self.out.append("</div>")
            if self._choices:
                # The drop-downs' choices, once: each pair has a line to write one on.
                label = html.escape(self.strings.text("print_choices"))
                choices = " · ".join(self._choices)
                self.out.append(f'\n<p class="sabaq-book__choices">{label} {choices}</p>')
            self._choices = None
            return
        self.out.append(f"</{opened}>")

    # --- text ---

    def handle_data(self, data: str) -> None:
        self._text(data)

    def _text(self, text: str) -> None:
        if self._skipping:
            return
        if self._select is not None:
            if self._option is not None:
                self._option.append(text)
            return
        if self._in_h1:
            self._h1_text.append(text)
        self.out.append(text)

    # --- helpers ---

    def _is_dropped(self, tag: str, attributes: dict[str, str | None]) -> bool:
        classes = (attributes.get("class") or "").split()
        return (
            tag in _DROPPED
            or "hidden" in attributes
            or "headerlink" in classes
            or "data-sabaq-quiz-needs-js" in attributes
            # Paper has no scripts: what only a script runs, and notices asking for one, go.
            or "data-sabaq-js-only" in attributes
            or "data-sabaq-no-js" in attributes
            or "sabaq-quiz__hidden" in classes
            or "sabaq-module-end" in classes
        )

    def _rewritten(self, tag: str, attributes: dict[str, str | None]) -> dict[str, str | None]:
        if "id" in attributes and attributes["id"]:
            attributes["id"] = f"{self.prefix}--{attributes['id']}"
        if "for" in attributes and attributes["for"]:
            attributes["for"] = f"{self.prefix}--{attributes['for']}"
        for name in ("aria-labelledby", "aria-describedby"):
            if attributes.get(name):
                attributes[name] = " ".join(
                    f"{self.prefix}--{part}" for part in str(attributes[name]).split()
                )
        if tag == "img":
            # A lazy picture would not be there when the page is printed.
            attributes.pop("loading", None)
            src = attributes.get("src")
            if src and not has_scheme(src):
                attributes["src"] = self._site_relative(src)
        if tag == "details":
            attributes["open"] = None
        if tag == "input":
            attributes.pop("name", None)
        return attributes

    def _site_relative(self, src: str) -> str:
        """A picture's address as the book sees it: from `downloads/` into the language site."""
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), src))
        return f"../{self.language}/{target}"
