"""mkdocs-material's search indexing, with the same result in less than half the time.

Material's search plugin cuts every page into sections (one per heading) with its `Parser`, a
subclass of Python's `html.parser.HTMLParser`. That was the largest single cost of a language's
build left to Sabaq (0.19 of 1.0 CPU seconds for 28 module pages; 0.08 with this module): the
pure-Python tokenizer, and the parser comparing its `Element` objects, whose equality and hash
are by tag name, through Python methods on every tag and text.

`SearchParser` gives the same sections for the HTML Python-Markdown and Sabaq write:

- the tokenizer is a few regular expressions that accept only plain start tags (attribute values
  quoted or absent), end tags and text, and read `<script>`/`<style>` content as raw text, as
  `HTMLParser` does. On anything else (a comment, `<!DOCTYPE`, `<?`, a stray `<`, an unquoted
  value) the page goes to Material's own `Parser` whole;
- the section logic is Material's, line for line, with its element comparisons done on tag names,
  which is what they compare.

tests/test_search_parser.py compares the two on every page of the bundled, the hostile and the
benchmark sites and on generated HTML. `engine.build_one` installs it for the length of a build (`installed`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any

from material.plugins.search import plugin as material_search

_NAME = r"[a-zA-Z][-.a-zA-Z0-9:_]*"
_ATTRIBUTE = re.compile(r"""\s+([^\s/>"'=<]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?""")
#: One token: text up to the next `<`, an end tag, or a start tag whose attribute values are quoted.
_TOKEN = re.compile(
    rf"""(?P<data>[^<]+)|</(?P<end>{_NAME})\s*>"""
    rf"""|<(?P<tag>{_NAME})(?P<attributes>(?:\s+[^\s/>"'=<]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)"""
    r"""\s*(?P<closed>/?)>"""
)
_RAW_TEXT_END = {tag: re.compile(rf"</\s*{tag}\s*>", re.IGNORECASE) for tag in ("script", "style")}
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
_ALWAYS_SKIPPED = frozenset(("script", "style", "object"))
#: Material's own parser, for pages the fast path does not read (and to compare with in tests).
MaterialParser = material_search.Parser
#: The tags Material keeps in the indexed text (p, code, pre, lists, sub, sup).
_KEEP = frozenset(MaterialParser().keep)

#: The fast path assumes Python's tokenizer treats exactly these elements' content as raw text
#: (true of the Pythons Sabaq supports; later security releases add more, and then every page
#: goes to Material's parser).
_FAST_PATH = HTMLParser.CDATA_CONTENT_ELEMENTS == ("script", "style")


class _NotPlainHtmlError(Exception):
    """The page has HTML the fast tokenizer does not read: Material's parser takes it."""


def _tokens(text: str) -> list[tuple[str, Any, Any]]:
    """("start", tag, attrs) / ("end", tag, None) / ("data", text, None), as HTMLParser (with
    `convert_charrefs`) would call its handlers, or `_NotPlainHtmlError`."""
    tokens: list[tuple[str, Any, Any]] = []
    append, unescape, match_token = tokens.append, html.unescape, _TOKEN.match
    position, length = 0, len(text)
    while position < length:
        match = match_token(text, position)
        if match is None:  # a comment, a declaration, a stray "<", an unquoted value...
            raise _NotPlainHtmlError
        position = match.end()
        data, end_tag, tag = match.group("data", "end", "tag")
        if data is not None:
            append(("data", unescape(data), None))
        elif end_tag is not None:
            append(("end", end_tag.lower(), None))
        else:
            tag = tag.lower()
            attrs: list[tuple[str, str | None]] = []
            attributes = match.group("attributes")
            if attributes:
                for name, double, single in _ATTRIBUTE.findall(attributes):
                    # findall gives "" for a group that did not take part: tell a value-less
                    # attribute (None, as HTMLParser has it) from an empty one by its text.
                    value = double or single
                    attrs.append((name.lower(), unescape(value) if value else value))
                if any(not value for _, value in attrs):
                    attrs = _exact_attributes(attributes)
            append(("start", tag, attrs))
            if match.group("closed"):  # <tag/>: HTMLParser calls both handlers
                append(("end", tag, None))
            elif tag in _RAW_TEXT_END:
                raw_end = _RAW_TEXT_END[tag].search(text, position)
                if raw_end is None:
                    raise _NotPlainHtmlError
                if raw_end.start() > position:
                    append(("data", text[position : raw_end.start()], None))
                append(("end", tag, None))
                position = raw_end.end()
    return tokens


def _exact_attributes(attributes: str) -> list[tuple[str, str | None]]:
    """The attributes, with None for those written without a value."""
    result: list[tuple[str, str | None]] = []
    for attribute in _ATTRIBUTE.finditer(attributes):
        name, double, single = attribute.groups()
        value = double if double is not None else single
        result.append((name.lower(), None if value is None else html.unescape(value)))
    return result


class SearchParser:
    """A stand-in for `material.plugins.search.plugin.Parser`: `feed`, `close`, then `data`, the
    page's sections (Material's `Section` objects)."""

    def __init__(self) -> None:
        self.data: list[Any] = []
        self._text: list[str] = []

    def feed(self, text: str) -> None:
        self._text.append(text)

    def close(self) -> None:
        text = "".join(self._text)
        try:
            if not _FAST_PATH:
                raise _NotPlainHtmlError
            tokens = _tokens(text)
        except _NotPlainHtmlError:
            parser = MaterialParser()
            parser.feed(text)
            parser.close()
            self.data = parser.data
            return
        self.data = _Sections(tokens).data


class _Sections:
    """Material's `Parser` handlers (material/plugins/search/plugin.py), over tag names."""

    def __init__(self, tokens: list[tuple[str, Any, Any]]) -> None:
        self.skip: set[str] = set(_ALWAYS_SKIPPED)
        #: The open elements: (tag, attributes); how many of each tag are open; and how many of
        #: them have a tag in `skip` (Material's `skip.intersection(context)`, kept counted).
        self.context: list[tuple[str, dict[str, Any]]] = []
        self.open_tags: dict[str, int] = {}
        self.skipping = 0
        self.section: Any = None
        self.data: list[Any] = []
        for kind, value, attrs in tokens:
            if kind == "data":
                self.text(value)
            elif kind == "start":
                self.start(value, attrs)
            else:
                self.end(value)

    def _in_title(self) -> bool:
        return self.open_tags.get(self.section.el.tag, 0) > 0

    def start(self, tag: str, attr_list: list[tuple[str, Any]]) -> None:
        if tag in material_search.void:
            return
        attrs = dict(attr_list)
        self.context.append((tag, attrs))
        self.open_tags[tag] = self.open_tags.get(tag, 0) + 1
        if tag in self.skip:
            self.skipping += 1
        if tag in _HEADINGS:
            depth = len(self.context)
            if "id" in attrs:
                if tag != "h1" and not self.data:
                    self.section = material_search.Section(material_search.Element("hx"), depth)
                    self.data.append(self.section)
                self.section = material_search.Section(material_search.Element(tag, attrs), depth)
                if self.data:
                    self.section.id = attrs["id"]
                self.data.append(self.section)
        if not self.section:
            self.section = material_search.Section(material_search.Element("hx"))
            self.data.append(self.section)
        if "data-search-exclude" in attrs or attrs.get("class", 0) == "linenodiv":
            if tag not in self.skip:
                self.skip.add(tag)
                self.skipping += self.open_tags[tag]
            return
        if tag in _KEEP and not self.skipping:
            (self.section.title if self._in_title() else self.section.text).append(f"<{tag}>")

    def end(self, tag: str) -> None:
        context = self.context
        if not context or context[-1][0] != tag:
            return
        if self.section.depth > len(context):
            for section in reversed(self.data):
                if section.depth <= len(context):
                    self.section.depth = float("inf")
                    self.section = section
                    break
        context.pop()
        self.open_tags[tag] -= 1
        if tag in self.skip:
            self.skipping -= 1
            if tag not in _ALWAYS_SKIPPED:
                self.skip.remove(tag)
                self.skipping -= self.open_tags[tag]
            return
        if tag in _KEEP and not self.skipping:
            data = self.section.title if self._in_title() else self.section.text
            index = data.index(f"<{tag}>")
            for i in range(index + 1, len(data)):
                if not data[i].isspace():
                    index = len(data)
                    break
            if len(data) > index:
                del data[index:]
            else:
                data.append(f"</{tag}>")

    def text(self, data: str) -> None:
        if self.skipping:
            return
        in_pre = self.open_tags.get("pre", 0) > 0
        if not in_pre:
            data = data.replace("\n", " ") if not data.isspace() else " "
        if not self.section:
            self.section = material_search.Section(material_search.Element("hx"))
            self.data.append(self.section)
        if self._in_title():
            permalink = any(
                tag == "a" and attrs.get("class") == "headerlink" for tag, attrs in self.context
            )
            if not permalink:
                self.section.title.append(html.escape(data, quote=False))
        elif data.isspace():
            text = self.section.text
            if not text or not text[-1].isspace() or in_pre:
                text.append(data)
        else:
            self.section.text.append(html.escape(data, quote=False))


@contextmanager
def installed() -> Iterator[None]:
    """Material's search plugin cuts pages with `SearchParser` inside the block."""
    material_search.Parser = SearchParser  # type: ignore[misc]
    try:
        yield
    finally:
        material_search.Parser = MaterialParser  # type: ignore[misc]
