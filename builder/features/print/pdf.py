"""PDFs of the printable courses, printed by Chromium (Debian's, through Playwright).

Chromium rather than WeasyPrint: the books are the pages readers already see in Chromium-based
browsers, with the same CSS (flex layout, form controls as worksheet boxes), the tests already
drive it, and it embeds the subset of each font it uses. WeasyPrint would be a second layout
engine to keep the print stylesheet right for, with its own system libraries (Pango). See
docs/printing.md.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from builder.content.errors import UsageError
from builder.features.offline.zip_format import ZIP_TIME
from builder.settings import SETTINGS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

#: Page numbers at the foot of each page. Chromium draws it apart from the page, so it carries
#: its own style; digits only, in any font.
_FOOTER = (
    '<div style="font-size:8pt;width:100%;text-align:center;color:#444">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


#: The dates Chromium writes in a PDF's information: the time it printed, which would make every
#: build's PDF differ (and a site built in parts differ from one built whole, sabaq assemble).
_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate) \(D:)\d{14}(\+00'00'\))")
#: The date every PDF says it was made instead: the packages' (same length, so the PDF's table of
#: byte offsets stays true).
_FIXED_DATE = "{:04d}{:02d}{:02d}{:02d}{:02d}{:02d}".format(*ZIP_TIME).encode("ascii")


def check_print_engine() -> None:
    """Raise a UsageError that says what to install when Chromium or Playwright is missing."""
    if shutil.which(SETTINGS.print_browser) is None:
        raise UsageError(
            f"printing needs Chromium at {SETTINGS.print_browser}: install it "
            "(Debian: apt-get install chromium), or build without --print"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        raise UsageError(
            "printing needs the Python package playwright: pip install 'sabaq[print]' "
            "(make site installs it), or build without --print"
        ) from error


#: A build calls no one: Chromium's own calls home (updates, sync, field trials) are turned off.
_QUIET_CHROMIUM = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    # Containers (a CI job's) give /dev/shm 64 MB, too little for a long page: use /tmp instead.
    "--disable-dev-shm-usage",
]


@contextmanager
def print_browser() -> Iterator[Browser]:
    """Chromium, started once for all the books of a language."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=SETTINGS.print_browser, args=_QUIET_CHROMIUM
        )
        try:
            yield browser
        finally:
            browser.close()


def print_pdf(browser: Browser, page_file: Path, target: Path) -> int:
    """Print the HTML page `page_file` to `target` as A4 and return the PDF's size in bytes."""
    page = browser.new_page()
    # The page and its pictures are files; anything else it might ask for is refused.
    page.route("**/*", _files_only)
    try:
        page.goto(page_file.resolve().as_uri(), wait_until="load")
        # Fonts load when text first needs them; print once every one has.
        page.evaluate("document.fonts.ready.then(() => true)")
        target.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(target),
            format="A4",
            prefer_css_page_size=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=_FOOTER,
            margin={"top": "18mm", "bottom": "20mm", "left": "17mm", "right": "17mm"},
            outline=True,
            tagged=True,
        )
    finally:
        page.close()
    printed = target.read_bytes()
    target.write_bytes(_PDF_DATE.sub(rb"\g<1>" + _FIXED_DATE + rb"\g<2>", printed))
    return target.stat().st_size


def _files_only(route: Route) -> None:
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort()
