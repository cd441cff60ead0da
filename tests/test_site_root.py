"""The two pages at the site's root: the language chooser and the 404 page GitHub Pages serves."""

from __future__ import annotations

import re

from builder.content.languages import LANGUAGES
from builder.render.root_pages import render_language_chooser, render_not_found_page


def test_not_found_page_links_from_the_sites_root_under_a_sub_path() -> None:
    page = render_not_found_page(["en", "kk"], "https://example.github.io/sabaq")
    # Each language's own "home page" link, then the list of languages.
    assert re.findall(r'href="([^"]+)"', page) == ["/sabaq/en/", "/sabaq/kk/"] * 2
    assert LANGUAGES["kk"].native_name in page


def test_not_found_page_without_a_site_url_links_from_the_domain_root() -> None:
    assert re.findall(r'href="([^"]+)"', render_not_found_page(["ru"], None)) == ["/ru/"] * 2


def test_language_chooser_links_are_relative_and_work_without_javascript() -> None:
    page = render_language_chooser(["en", "ru", "tg"])
    assert re.findall(r'<a href="([^"]+)"', page) == ["en/", "ru/", "tg/"]
