"""Gate 3, links: every internal link on every page of every language leads to a file that
exists, and every anchor (`href="...#id"`) to an element with that id.

Two builds of the bundled courses:

- as the repository builds them (no site_url), checked against the built files;
- in a project whose mkdocs.yml says site_url: https://example.github.io/sabaq/, as a fork on
  GitHub Pages has it, served under /sabaq/ on 127.0.0.1 and crawled with urllib. A link that
  leaves /sabaq/ is broken there, as it would be on Pages; links to the site_url itself (the
  canonical address of each page) are followed to the local copy.

"Links" are the addresses a browser follows or loads: a/area/link href, and the src of scripts,
images, frames and media. External addresses (http(s) elsewhere, mailto:, tel:) are not fetched;
a `javascript:` address is always an error.
"""

from __future__ import annotations

import functools
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
from sabaq_gates import BuiltSite, Servers, html_pages, parse_page

#: Pages of the build without site_url whose links are not checked, and why.
UNCHECKED_WITHOUT_SITE_URL = {
    "404.html": "MkDocs writes root-absolute links (/assets/..., /../ru/) into a 404 page, "
    "since a host serves it for any address; they are right only when site_url says where the "
    "language's site is. Checked in the site_url build below.",
}
#: Where the files of the sub-path build are served, as on a GitHub Pages project site.
PAGES_MOUNT = "/sabaq/"
_FILE_HOST = "http://site.invalid"


@dataclass
class Resource:
    """What an address led to."""

    found: bool
    #: Why it was not found (a status, a missing file).
    problem: str = ""
    is_html: bool = False
    ids: set[str] = field(default_factory=set)


@dataclass
class Broken:
    page: str
    line: int
    link: str
    problem: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.link} -> {self.problem}"


def check_pages(
    pages: dict[str, str],
    fetch: Callable[[str], Resource],
    is_internal: Callable[[str], str | None],
) -> tuple[list[Broken], int]:
    """Checks every link of `pages` ({page address: HTML}). `is_internal` turns an absolute
    address into the one to fetch, or None for an external one; `fetch` gets a resource once.
    Returns the broken links and how many internal links were checked."""
    cache: dict[str, Resource] = {}
    broken: list[Broken] = []
    checked = 0
    for page_url, html in pages.items():
        for link in parse_page(html).links:
            value = link.value.strip()
            scheme = urlsplit(value).scheme.lower()
            if "".join(value.split()).lower().startswith("javascript:"):
                broken.append(Broken(page_url, link.line, value, "a javascript: address"))
                continue
            if scheme in ("mailto", "tel", "data"):
                continue
            absolute, fragment = urldefrag(urljoin(page_url, value))
            target = is_internal(absolute)
            if target is None:
                continue
            checked += 1
            if target not in cache:
                cache[target] = fetch(target)
            resource = cache[target]
            if not resource.found:
                broken.append(Broken(page_url, link.line, value, resource.problem))
            elif fragment and resource.is_html and unquote(fragment) not in resource.ids:
                broken.append(Broken(page_url, link.line, value, f"no element with id {unquote(fragment)!r}"))  # fmt: skip
    return broken, checked


def report(broken: list[Broken], limit: int = 60) -> str:
    lines = [f"{len(broken)} broken link(s):", *(str(item) for item in broken[:limit])]
    if len(broken) > limit:
        lines.append(f"... and {len(broken) - limit} more")
    return "\n".join(lines)


# --- The build without site_url, against its files ----------------------------------------------


def test_links_resolve_in_the_built_files(bundled_site: BuiltSite) -> None:
    root = bundled_site.root

    def is_internal(address: str) -> str | None:
        return address if address.startswith(_FILE_HOST + "/") else None

    def fetch(address: str) -> Resource:
        path = unquote(urlsplit(address).path)
        file = root / path.lstrip("/")
        if file.is_dir():
            # A static host answers a folder's address with its index.html (after adding the
            # slash, if it is missing, as MkDocs' ".." home links do).
            file = file / "index.html"
        if not file.is_file():
            return Resource(False, f"no file {file.relative_to(root)}")
        if file.suffix != ".html":
            return Resource(True)
        return Resource(True, is_html=True, ids=parse_page(file.read_text("utf-8")).ids)

    pages = {
        f"{_FILE_HOST}/{page.relative_to(root).as_posix()}": page.read_text("utf-8")
        for page in html_pages(root)
        if page.name not in UNCHECKED_WITHOUT_SITE_URL
    }
    assert len(pages) >= 6 * 5, f"only {len(pages)} pages in {root}"
    broken, checked = check_pages(pages, fetch, is_internal)
    assert not broken, report(broken)
    assert checked > len(pages) * 10, f"only {checked} internal links on {len(pages)} pages"


# --- The GitHub Pages build, served under /sabaq/ -------------------------------------------------


def _http_fetch(address: str, *, within: str) -> Resource:
    """GETs `address`; found if it answers 200 without being sent outside `within`."""
    try:
        with urllib.request.urlopen(address, timeout=10) as response:  # noqa: S310 (127.0.0.1)
            final = response.geturl()
            body = response.read()
            is_html = response.headers.get_content_type() == "text/html"
    except urllib.error.HTTPError as error:
        return Resource(False, f"HTTP {error.code}")
    except urllib.error.URLError as error:
        return Resource(False, f"cannot connect: {error.reason}")
    if not final.startswith(within):
        return Resource(False, f"redirected to {final}")
    ids = parse_page(body.decode("utf-8")).ids if is_html else set()
    return Resource(True, is_html=is_html, ids=ids)


@pytest.fixture(scope="module")
def pages_base(pages_site: BuiltSite, servers: Servers) -> str:
    return servers.serve(pages_site.root, PAGES_MOUNT)


def _crawl_pages(site: BuiltSite, base: str) -> dict[str, str]:
    """Every HTML file of the site, fetched over HTTP at the address a reader uses."""
    pages = {}
    for page in html_pages(site.root):
        relative = page.relative_to(site.root).as_posix()
        address = base + (relative.removesuffix("index.html") if page.name == "index.html" else relative)  # fmt: skip
        with urllib.request.urlopen(address, timeout=10) as response:  # noqa: S310 (127.0.0.1)
            pages[address] = response.read().decode("utf-8")
    return pages


def test_links_resolve_under_a_github_pages_sub_path(
    pages_site: BuiltSite, pages_base: str
) -> None:
    assert pages_site.site_url is not None
    site_url = pages_site.site_url

    def is_internal(address: str) -> str | None:
        if address.startswith(site_url):
            return pages_base + address[len(site_url) :]
        origin = pages_base[: -len(PAGES_MOUNT) + 1]  # http://127.0.0.1:port/
        return address if address.startswith(origin) else None

    pages = _crawl_pages(pages_site, pages_base)
    assert any(page.endswith("/404.html") for page in pages)
    fetch = functools.partial(_http_fetch, within=pages_base)
    broken, checked = check_pages(pages, fetch, is_internal)
    assert not broken, report(broken)
    assert checked > len(pages) * 10, f"only {checked} internal links on {len(pages)} pages"


def test_every_page_names_its_own_address_as_canonical(pages_site: BuiltSite) -> None:
    """With site_url set, each language's pages say they live at <site_url><language>/...:
    the address search engines and shared links use."""
    assert pages_site.site_url is not None
    wrong = []
    for page in html_pages(pages_site.root):
        relative = page.relative_to(pages_site.root)
        if page.name != "index.html" or len(relative.parts) < 2:
            continue  # the 404 pages and the language chooser have no canonical address
        expected = pages_site.site_url + relative.as_posix().removesuffix("index.html")
        canonical = [
            link.value
            for link in parse_page(page.read_text("utf-8")).links
            if link.tag == "link" and link.rel == "canonical"
        ]
        if canonical != [expected]:
            wrong.append(f"{relative}: {canonical} instead of {expected}")
    assert not wrong, "wrong canonical addresses:\n" + "\n".join(wrong)


def test_the_server_keeps_to_the_sub_path(pages_base: str) -> None:
    """The crawl above means something only if leaving /sabaq/ fails, as on GitHub Pages."""
    origin = pages_base[: -len(PAGES_MOUNT) + 1]
    assert _http_fetch(pages_base + "en/", within=pages_base).found
    outside = _http_fetch(origin + "en/", within=origin)
    assert not outside.found and outside.problem == "HTTP 404", outside


def test_a_missing_anchor_is_reported(tmp_path: Path) -> None:
    """The checker itself: a link to a missing id, file or javascript: address is caught."""
    page = tmp_path / "index.html"
    page.write_text(
        '<h2 id="here">x</h2><a href="#here">ok</a><a href="#gone">bad</a>'
        '<a href="missing/">bad</a><a href=" JavaScript:alert(1)">bad</a>'
        '<a href="https://example.org/">external</a>',
        encoding="utf-8",
    )
    address = f"{_FILE_HOST}/index.html"

    def fetch(target: str) -> Resource:
        if target == address:
            return Resource(True, is_html=True, ids=parse_page(page.read_text("utf-8")).ids)
        return Resource(False, "no file")

    broken, checked = check_pages(
        {address: page.read_text("utf-8")},
        fetch,
        lambda target: target if target.startswith(_FILE_HOST) else None,
    )
    assert [item.problem for item in broken] == [
        "no element with id 'gone'",
        "no file",
        "a javascript: address",
    ]
    assert checked == 3
