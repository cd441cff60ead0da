"""Printing a built language site's courses, and listing the PDFs beside the zip packages.

`sabaq build --print` writes, for every course and language, `downloads/<course>-<language>.print.html`
(the printable page, builder/features/print/book.py) and `downloads/<course>-<language>.pdf`
(Chromium's print of it, pdf.py); the course page links the PDF, with its size, beside the zip.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Collection
from pathlib import Path

from builder.engine.material_classes import BUTTON
from builder.features.print.book import PrintBook, write_book
from builder.features.print.pdf import print_browser, print_pdf
from builder.files import link_file
from builder.render.i18n import messages

log = logging.getLogger(__name__)

#: Where the PDF's size goes on the course page, filled in once the PDF exists.
SIZE_SLOT = "<span data-sabaq-print-size></span>"


def print_books(
    books: list[PrintBook],
    language_site: Path,
    downloads: Path,
    site_url: str | None,
    previous: Path | None = None,
    rebuilt_courses: Collection[str] | None = None,
) -> dict[str, int]:
    """Write each book's page and PDF into `downloads/` (all books of one language, read from
    its built site `language_site`); returns each course's PDF size in bytes. After a dirty
    build, the books of the courses not in `rebuilt_courses` are taken from `previous` (the
    build cache's downloads), as their packages are (builder/features/offline/packaging.py):
    their pages are the ones the last build printed."""
    sizes = {}
    if previous is not None and rebuilt_courses is not None:
        for book in books:
            kept = [previous / book.html_name, previous / book.pdf_name]
            if book.course_id not in rebuilt_courses and all(path.is_file() for path in kept):
                for path in kept:
                    link_file(path, downloads / path.name)
                sizes[book.course_id] = kept[1].stat().st_size
        books = [book for book in books if book.course_id not in sizes]
    if not books:
        return sizes
    pages = [write_book(book, language_site, downloads, site_url) for book in books]
    with print_browser() as browser:
        for book, page in zip(books, pages, strict=True):
            sizes[book.course_id] = print_pdf(browser, page, downloads / book.pdf_name)
    log.debug("printed %s PDFs of %s", len(books), books[0].language)
    return sizes


def book_files(books: list[PrintBook], downloads: Path) -> list[Path]:
    """The files `print_books` writes for `books`, for the build cache to keep."""
    return [downloads / name for book in books for name in (book.html_name, book.pdf_name)]


def pdf_link(book: PrintBook, downloads_href: str) -> str:
    """The course page's paragraph that links the PDF (`downloads_href`: the downloads folder,
    relative to the course page), with a slot for its size."""
    text = html.escape(messages(book.language).text("print_download"))
    return (
        f'<p class="sabaq-offline__print"><a class="{BUTTON}" href="{downloads_href}/{book.pdf_name}" download>'
        f"{text}</a> {SIZE_SLOT}</p>\n"
    )


def fill_pdf_sizes(language_site: Path, language: str, sizes: dict[str, int]) -> None:
    """Write each PDF's size next to its link on the course pages of a built language site."""
    from builder.features.offline.web_app import fill_sizes

    fill_sizes(language_site, language, sizes, SIZE_SLOT, "data-sabaq-print-size")
