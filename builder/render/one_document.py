"""Pages of a language site gathered into one document (the printed course, the one-file
course): what both do to a page's links and tags the same way."""

from __future__ import annotations

import html
import posixpath
import re
from html.parser import HTMLParser


def has_scheme(address: str) -> bool:
    return re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", address) is not None


def start_tag(tag: str, attributes: dict[str, str | None]) -> str:
    parts = [tag]
    for name, value in attributes.items():
        parts.append(name if value is None else f'{name}="{html.escape(value, quote=True)}"')
    return f"<{' '.join(parts)}>"


def link_in_document(
    href: str | None,
    *,
    page: str,
    prefix: str,
    anchors: dict[str, str],
    site_url: str | None,
    language: str,
) -> str | None:
    """Where a link of `page` (a path in the language site, its anchor `prefix`) leads in the
    document, or None for a link kept as plain text: its own fragments and the gathered pages
    (`anchors`: page -> anchor) become in-document fragments; web and mail addresses stay; any
    other page of the site becomes its address under `site_url`, if the site has one."""
    if href is None:
        return None
    if href.startswith("#"):
        return f"#{prefix}--{href[1:]}" if href != "#" else None
    if has_scheme(href):
        return href if href.startswith(("http://", "https://", "mailto:")) else None
    path, _, fragment = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path or "."))
    target_page = target if target.endswith(".html") else f"{target}/index.html"
    if target_page in anchors:
        anchor = anchors[target_page]
        return f"#{anchor}--{fragment}" if fragment else f"#{anchor}"
    if site_url is None or target.startswith(".."):
        return None
    address = f"{site_url}/{language}/{target.removesuffix('index.html')}"
    if not address.endswith((".html", "/")) and "." not in posixpath.basename(target):
        address += "/"
    return f"{address}#{fragment}" if fragment else address


class ArticleParser(HTMLParser):
    """A page's article read as it was written: entities and character references kept as they
    are (`_text` gets them as text), comments left out. Subclasses write what they keep; `_link`
    says where a link of `page` leads in the document (`link_in_document`)."""

    def __init__(
        self, page: str, anchors: dict[str, str], language: str, site_url: str | None
    ) -> None:
        super().__init__(convert_charrefs=False)
        self.page = page
        self.prefix = anchors[page]
        self.anchors = anchors
        self.language = language
        self.site_url = site_url.rstrip("/") if site_url else None

    def _link(self, href: str | None) -> str | None:
        return link_in_document(
            href,
            page=self.page,
            prefix=self.prefix,
            anchors=self.anchors,
            site_url=self.site_url,
            language=self.language,
        )

    def _text(self, text: str) -> None:
        raise NotImplementedError

    def handle_entityref(self, name: str) -> None:
        self._text(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        pass
