"""The quiz engine's size budget: readers on cheap phones and slow, metered connections download
quiz.js and quiz.css on every module page, so together they may weigh at most 8 KB gzipped."""

from __future__ import annotations

import gzip
from pathlib import Path

QUIZ = Path(__file__).resolve().parent.parent / "builder" / "features" / "quiz"
BUDGET_BYTES = 8192


def gzipped_size(path: Path) -> int:
    # Level 9, what static servers and `gzip -9` use for files compressed ahead of time.
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def test_quiz_engine_fits_its_budget() -> None:
    sizes = {name: gzipped_size(QUIZ / name) for name in ("quiz.js", "quiz.css")}
    total = sum(sizes.values())
    assert total <= BUDGET_BYTES, (
        f"quiz.js + quiz.css are {total} bytes gzipped ({sizes}); the budget is {BUDGET_BYTES}"
    )


#: The request builder's script and styles, loaded only on its own page (theme/main.html).
REQUEST_BUILDER = Path(__file__).resolve().parent.parent / "builder" / "features" / "rti"
REQUEST_BUILDER_BUDGET_BYTES = 6144


def test_request_builder_fits_its_budget() -> None:
    sizes = {name: gzipped_size(REQUEST_BUILDER / name) for name in ("rti.js", "rti.css")}
    total = sum(sizes.values())
    assert total <= REQUEST_BUILDER_BUDGET_BYTES, (
        f"rti.js + rti.css are {total} bytes gzipped ({sizes}); the budget is "
        f"{REQUEST_BUILDER_BUDGET_BYTES}"
    )


#: The certificate's script and styles, loaded only on its page.
CERTIFICATE = Path(__file__).resolve().parent.parent / "builder" / "features" / "certificate"
CERTIFICATE_BUDGET_BYTES = 3072


def test_certificate_fits_its_budget() -> None:
    sizes = {
        name: gzipped_size(CERTIFICATE / name) for name in ("certificate.js", "certificate.css")
    }
    total = sum(sizes.values())
    assert total <= CERTIFICATE_BUDGET_BYTES, (
        f"certificate.js + certificate.css are {total} bytes gzipped ({sizes}); the budget is "
        f"{CERTIFICATE_BUDGET_BYTES}"
    )


#: The dashboard and the progress file, loaded on every page (module pages record reading).
PROGRESS = Path(__file__).resolve().parent.parent / "builder" / "features" / "progress"
PROGRESS_BUDGET_BYTES = 2304
#: The progress file and its QR code, loaded on course overviews only (qrcode.js when asked).
SHARE_BUDGET_BYTES = 3584


def test_progress_scripts_fit_their_budgets() -> None:
    size = gzipped_size(PROGRESS / "progress.js")
    assert size <= PROGRESS_BUDGET_BYTES, (
        f"progress.js is {size} bytes gzipped; the budget is {PROGRESS_BUDGET_BYTES}"
    )
    size = gzipped_size(PROGRESS / "share.js")
    assert size <= SHARE_BUDGET_BYTES, (
        f"share.js is {size} bytes gzipped; the budget is {SHARE_BUDGET_BYTES}"
    )
    # The trainers' page for progress files loads reader.js, and nothing else of its own.
    size = gzipped_size(PROGRESS / "reader.js")
    assert size <= 2048, f"reader.js is {size} bytes gzipped; the budget is 2048"


def test_the_vendored_qr_generator_is_the_npm_package_unchanged() -> None:
    """builder/features/progress/qrcode.js is qrcode-generator (MIT, package.json pins it),
    loaded only when a reader asks for their QR code."""
    installed = Path(__file__).resolve().parent.parent / "node_modules" / "qrcode-generator"
    assert (PROGRESS / "qrcode.js").read_bytes() == (installed / "dist" / "qrcode.js").read_bytes()


#: The printed course's stylesheet and fonts (builder/features/print/book/): only the printable
#: page loads them, never a web page, but every site carries them in downloads/print/.
PRINT_BOOK = Path(__file__).resolve().parent.parent / "builder" / "features" / "print" / "book"
PRINT_STYLE_BUDGET_BYTES = 3072
PRINT_FONTS_BUDGET_BYTES = 480_000


def test_printed_course_fits_its_budget() -> None:
    style = gzipped_size(PRINT_BOOK / "book.css")
    assert style <= PRINT_STYLE_BUDGET_BYTES, f"book.css is {style} bytes gzipped"
    fonts = sum(path.stat().st_size for path in (PRINT_BOOK / "fonts").glob("*.woff2"))
    assert fonts <= PRINT_FONTS_BUDGET_BYTES, f"the print fonts are {fonts} bytes"


#: The one-file course's own script and style (builder/features/offline/templates/), inlined
#: minified in every `downloads/<course>-<language>.html` beside the quiz's and the
#: progress script.
ONE_FILE = Path(__file__).resolve().parent.parent / "builder" / "features" / "offline" / "templates"
ONE_FILE_BUDGET_BYTES = 3584


def test_the_one_file_shell_fits_its_budget() -> None:
    from builder.engine.site_files import published

    sizes = {
        name: len(gzip.compress(published(ONE_FILE / name), compresslevel=9, mtime=0))
        for name in ("one-file.js", "one-file.css")
    }
    total = sum(sizes.values())
    assert total <= ONE_FILE_BUDGET_BYTES, (
        f"one-file.js + one-file.css are {total} bytes gzipped ({sizes}); the budget is "
        f"{ONE_FILE_BUDGET_BYTES}"
    )
