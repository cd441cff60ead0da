"""One built page's article, made a section of the one-file course (single_file.py).

- ids get the section's name in front (`first--sources`), and so do the labels and fragments
  that name them; links to the other pages in the file become fragments (`#first`,
  `#sabaq-glossary--term`); links to other pages of the site lead to its address when the
  project has a `site_url`, and are plain text otherwise; links to cited sources stay;
- pictures become `data:` URIs at the phone's width; one that cannot leaves its description;
- what could load anything goes: scripts (but the quiz's and the dashboard's JSON data, whose
  explanations are rewritten too), frames, media, stylesheets, `style` and `on*` attributes,
  and every other address; so do the offline buttons and the progress file, which need the site;
- tables scroll sideways in a box a keyboard reaches, as on the web site (scrolling.js).
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
from pathlib import Path

from builder.features.quiz.quiz import script_json
from builder.render.images import InlinePicture, inline_picture
from builder.render.one_document import (
    ArticleParser,
    has_scheme,
    start_tag,
)
from builder.settings import SETTINGS


class PictureInliner:
    """The language site's pictures as data: URIs, each made once per file."""

    def __init__(self, language_site: Path) -> None:
        self.language_site = language_site
        self._made: dict[str, InlinePicture | None] = {}

    def get(self, relative: str) -> InlinePicture | None:
        if relative not in self._made:
            path = self.language_site / relative
            found = None
            if ".." not in relative.split("/") and path.is_file():
                found = _inline_picture(path)
            self._made[relative] = found
        return self._made[relative]


def _inline_picture(path: Path) -> InlinePicture | None:
    """`inline_picture`, kept by content for the process: every language has the same pictures."""
    key = hashlib.sha256(path.read_bytes()).digest() + path.suffix.encode("utf-8")
    if key not in _INLINED:
        _INLINED[key] = inline_picture(path, SETTINGS.one_file_picture_width)
    return _INLINED[key]


_INLINED: dict[bytes, InlinePicture | None] = {}

#: Elements left out with everything inside them (scripts other than JSON data are dropped
#: in `_is_dropped`).
_DROPPED = {"noscript", "template", "style", "iframe", "object", "embed", "link", "meta", "base"}
_DROPPED |= {"video", "audio", "source", "track", "frame", "frameset", "portal"}
_VOID = {
    "area",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
#: Attributes holding an address, kept only as `_link` and `_inline` make them (on `a` and `img`)
#: or as a fragment.
_ADDRESSES = {"href", "src", "xlink:href", "data", "cite", "longdesc", "manifest"}
#: Attributes that could make the browser fetch something, or that the policy refuses anyway.
_UNSAFE_ATTRIBUTES = {"srcset", "style", "poster", "action", "formaction", "background", "ping"}
_JSON_SCRIPT = "application/json"
_SCROLL_BOX = "md-typeset__scrollwrap"


class SectionRewriter(ArticleParser):
    """One built page's article as a section of the one-file course (see the module docstring).
    Feed it the article; then `out` holds the section's markup and `title` its heading's text."""

    def __init__(
        self,
        page: str,
        anchors: dict[str, str],
        language: str,
        site_url: str | None,
        pictures: PictureInliner,
        continue_href: str | None = None,
    ) -> None:
        super().__init__(page, anchors, language, site_url)
        self.pictures = pictures
        self.continue_href = continue_href
        self.out: list[str] = []
        self.title = ""
        self._skipping = 0  # depth inside an element left out
        self._open: list[str] = []  # tags of the kept elements still open ("a-text": unlinked)
        self._h1: list[str] | None = None
        self._json: list[str] | None = None  # a JSON script's text, while inside it
        self._json_attributes: dict[str, str | None] = {}
        self._heading: str | None = None  # the id of the last heading written
        self._scrolling = 0  # depth inside a box that scrolls sideways

    # --- tags ---

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self._skipping:
            if tag not in _VOID:
                self._skipping += 1
            return
        if self._is_dropped(tag, attributes):
            if tag not in _VOID:
                self._skipping = 1
            return
        if tag == "h1" and self._h1 is None and not self.title:
            self._h1 = []
        if tag == "a":
            href = self._link(attributes.get("href"))
            if href is None:
                self._open.append("a-text")
                return
            attributes["href"] = href
        if tag == "img" and not self._inline(attributes):
            # A picture that cannot travel in the file: its description stays.
            self.out.append(html.escape(attributes.get("alt") or ""))
            return
        if tag == "script":
            self._json, self._json_attributes = [], attributes
            return
        if "data-sabaq-dashboard" in attributes and self.continue_href:
            attributes["data-sabaq-dashboard-href"] = self.continue_href
        attributes = self._rewritten(tag, attributes)
        opened = tag
        classes = (attributes.get("class") or "").split()
        if tag == "table" and not self._scrolling:
            # What Material's script and scrolling.js do to a table on the web site: a box that
            # scrolls sideways on a narrow screen, reachable by keyboard.
            self.out.append(start_tag("div", self._scroll_box({"class": _SCROLL_BOX})))
            opened = "table-boxed"
        elif tag == "div" and _SCROLL_BOX in classes:
            attributes = self._scroll_box(attributes)
            opened = "div-box"
        elif tag == "code" and self._open and self._open[-1] == "pre":
            attributes["tabindex"] = "0"
        if opened != tag:
            self._scrolling += 1
        if re.fullmatch("h[1-6]", tag) and attributes.get("id"):
            self._heading = attributes["id"]
        self.out.append(start_tag(tag, attributes))
        if tag not in _VOID:
            self._open.append(opened)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and not self._skipping and self._open and self._open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            self._skipping -= 1
            return
        if tag == "script" and self._json is not None:
            self.out.append(start_tag("script", self._json_attributes))
            self.out.append(self._json_data("".join(self._json)))
            self.out.append("</script>")
            self._json = None
            return
        if tag in _VOID or not self._open:
            return
        opened = self._open.pop()
        if opened == "a-text":
            return
        if opened in ("table-boxed", "div-box"):
            self._scrolling -= 1
            self.out.append("</table></div>" if opened == "table-boxed" else "</div>")
            return
        if tag == "h1" and self._h1 is not None:
            self.title = html.escape(html.unescape("".join(self._h1)).strip())
            self._h1 = None
        self.out.append(f"</{opened}>")

    # --- text ---

    def handle_data(self, data: str) -> None:
        if self._json is not None:
            self._json.append(data)
        else:
            self._text(data)

    def _text(self, text: str) -> None:
        if self._skipping:
            return
        if self._h1 is not None:
            self._h1.append(text)
        self.out.append(text)

    # --- helpers ---

    def _is_dropped(self, tag: str, attributes: dict[str, str | None]) -> bool:
        classes = (attributes.get("class") or "").split()
        return (
            tag in _DROPPED
            or (tag == "script" and attributes.get("type") != _JSON_SCRIPT)
            or "headerlink" in classes
            # The offline buttons and the progress file: they need the web site.
            or "data-sabaq-offline" in attributes
            or "data-sabaq-progress-share" in attributes
        )

    def _rewritten(self, tag: str, attributes: dict[str, str | None]) -> dict[str, str | None]:
        for name in list(attributes):
            if name in _UNSAFE_ATTRIBUTES or name.startswith("on"):
                del attributes[name]
            elif name in _ADDRESSES and (tag, name) not in (("a", "href"), ("img", "src")):
                value = attributes[name] or ""
                if value.startswith("#") and len(value) > 1:
                    attributes[name] = f"#{self.prefix}--{value[1:]}"
                else:
                    del attributes[name]
        for name in ("id", "for"):
            if attributes.get(name):
                attributes[name] = f"{self.prefix}--{attributes[name]}"
        for name in ("aria-labelledby", "aria-describedby", "aria-controls"):
            if attributes.get(name):
                attributes[name] = " ".join(
                    f"{self.prefix}--{part}" for part in str(attributes[name]).split()
                )
        return attributes

    def _scroll_box(self, attributes: dict[str, str | None]) -> dict[str, str | None]:
        """A box that scrolls, focusable and named by the heading above it (or the page's)."""
        attributes |= {"tabindex": "0", "role": "region"}
        if self._heading:
            attributes["aria-labelledby"] = self._heading
        else:
            attributes["aria-label"] = html.unescape(self.title) or "table"
        return attributes

    def _inline(self, attributes: dict[str, str | None]) -> bool:
        """Put the picture in `attributes["src"]` as a data: URI with its new size; False if it
        cannot be (not a file of the site)."""
        src = attributes.get("src") or ""
        if src.startswith("data:image/"):
            return True
        if has_scheme(src) or src.startswith(("/", "#")):
            return False
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), src))
        picture = self.pictures.get(target.split("#")[0].split("?")[0])
        if picture is None:
            return False
        attributes["src"] = picture.data_uri()
        attributes.pop("loading", None)  # every picture is in the file already
        if picture.size is not None:
            attributes["width"], attributes["height"] = (str(n) for n in picture.size)
        return True

    def _json_data(self, text: str) -> str:
        """A quiz's data with the links in its explanations and feedback rewritten as the page's;
        other JSON as it is."""
        if "data-sabaq-quiz-data" not in self._json_attributes:
            return text
        data = json.loads(text)
        for question in data.get("questions", []):
            if isinstance(question.get("explanation"), str):
                question["explanation"] = self._fragment(question["explanation"])
            feedback = question.get("feedback")
            if isinstance(feedback, dict):
                question["feedback"] = {
                    key: self._fragment(value) if isinstance(value, str) else value
                    for key, value in feedback.items()
                }
        return script_json(data)

    def _fragment(self, markup: str) -> str:
        rewriter = SectionRewriter(
            self.page, self.anchors, self.language, self.site_url, self.pictures
        )
        rewriter.feed(markup)
        rewriter.close()
        return "".join(rewriter.out)
