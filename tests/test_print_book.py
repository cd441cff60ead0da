"""The printable course page made from built pages (builder/features/print/book.py), on pages
written here; and what `sabaq build --print` says when it cannot print. The real build and its
PDFs: tests/browser/test_print_pdf.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.content.errors import UsageError
from builder.features.print import pdf
from builder.features.print.book import PrintBook, render_book
from builder.settings import Settings

MODULE = """<html><body><article class="md-content__inner md-typeset">
<h1 id="first">First &amp; foremost<a class="headerlink" href="#first">&para;</a></h1>
<p>See <a href="../second/#more">more</a>, the <a href="../../glossary/#sift">glossary</a>
and <a href="https://example.org/a">a source</a>. <img src="../images/a.png" loading="lazy"></p>
<details class="tip"><summary>Tip</summary><p>Open on paper.</p></details>
<section class="sabaq-quiz"><p data-sabaq-quiz-needs-js>Turn on JavaScript.</p>
<div class="sabaq-quiz__pairs"><div class="sabaq-quiz__pair"><label for="p0">Astana</label>
<select id="p0"><option value="">Choose…</option><option value="r1">Kazakhstan</option>
<option value="r2">Kyrgyzstan</option></select></div></div>
<div data-sabaq-quiz-explanation hidden>The answer.</div><button>Check</button>
<script type="application/json">{"secret": 1}</script></section>
</article></body></html>"""

SECOND = """<article class="md-content__inner md-typeset"><h1 id="second">Second</h1>
<h2 id="more">More</h2></article>"""


def book_html(tmp_path: Path, site_url: str | None = None) -> str:
    site = tmp_path / "en"
    for name, text in (("first", MODULE), ("second", SECOND)):
        (site / "demo" / name).mkdir(parents=True)
        (site / "demo" / name / "index.html").write_text(text, encoding="utf-8")
    book = PrintBook(
        "demo",
        "en",
        "Demo <course>",
        "Summary",
        "2 modules",
        ("demo/first/index.html", "demo/second/index.html"),
        "demo-en",
    )
    return render_book(book, site, site_url)


def test_a_book_keeps_what_prints_and_links_inside_itself(tmp_path: Path) -> None:
    page = book_html(tmp_path)
    assert "<title>Demo &lt;course&gt;</title>" in page
    assert '<li><a href="#first">First &amp; foremost</a></li>' in page
    assert '<h1 id="first--first">First &amp; foremost</h1>' in page
    assert '<a href="#second--more">more</a>' in page
    # No site address: the glossary link is its text alone.
    assert "the glossary\nand" in page
    assert '<a href="https://example.org/a">a source</a>' in page
    assert '<img src="../en/demo/images/a.png">' in page
    assert '<details class="tip" open>' in page
    assert (
        '<label for="first--p0">Astana</label>\n<input type="text" class="sabaq-book__blank" id="first--p0">'
        in page
    )
    assert '<p class="sabaq-book__choices">Choose from: Kazakhstan · Kyrgyzstan</p>' in page
    for gone in ("<select", "Turn on JavaScript", "The answer.", "<button", "secret", "&para;"):
        assert gone not in page


def test_with_a_site_address_other_pages_are_links_to_it(tmp_path: Path) -> None:
    page = book_html(tmp_path, "https://courses.example.org/")
    assert '<a href="https://courses.example.org/en/glossary/#sift">glossary</a>' in page
    assert '<a href="https://courses.example.org/en/demo/">' in page


def test_printing_without_chromium_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "SETTINGS", Settings(print_browser="/nowhere/chromium"))
    with pytest.raises(UsageError) as raised:
        pdf.check_print_engine()
    assert str(raised.value) == (
        "printing needs Chromium at /nowhere/chromium: install it (Debian: apt-get install "
        "chromium), or build without --print"
    )
