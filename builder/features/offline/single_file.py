"""The one-file course: a whole course in one HTML file, for phones and messengers.

A zip package cannot be read on a phone: a file opened from a messenger or the Files app gets a
`content://` address, where a link from one file to another leads nowhere. So `sabaq build` also
writes `downloads/<course>-<language>-offline.html`, cut from the same built pages as the zip
package (packaging.py), in the same job: the course's overview, its modules and the glossary as
sections of one page.

- Every link between them is a `#fragment`: ids get their section's name in front (every module
  has a "sources" heading), as in the printed course. Links to other pages of the site lead to
  its address when the project has a `site_url`, and are plain text otherwise.
- Pictures are inside it as `data:` URIs, scaled down to a phone's width
  (`Settings.one_file_picture_width`).
- Its own small script shows one section at a time, searches the text and follows reading
  progress; Sabaq's quiz engine and progress script are inlined with it, and its stylesheet with
  the quiz's. mkdocs-material's bundle and search worker stay out: they weigh more than a course.
- The Content-Security-Policy, in a `<meta>` tag, allows exactly the inlined script and
  stylesheet by their SHA-256 and pictures from `data:`: the file requests nothing, ever.

What needs other files or a server stays out: the progress file and its QR code, the
certificate, the request builder, the "save for offline use" button. Without JavaScript every
section shows, one after the other, and the quiz lists its questions.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import posixpath
import re
from collections.abc import Collection
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from builder.engine.material_markup import page_article
from builder.features.glossary.glossary import GLOSSARY_PAGE
from builder.features.offline.packaging import Package
from builder.features.quiz.quiz import script_json
from builder.files import link_file
from builder.render.i18n import Messages, messages
from builder.render.images import InlinePicture, inline_picture
from builder.settings import SETTINGS

FEATURES = Path(__file__).parents[1]
#: The shell's script and style: in templates/, so the engine does not publish them with the
#: site's assets (they are only ever inlined).
SHELL_SCRIPT = Path(__file__).parent / "templates" / "one-file.js"
SHELL_STYLE = Path(__file__).parent / "templates" / "one-file.css"
#: Inlined after the shell's style and before its script, in this order.
QUIZ_STYLE = FEATURES / "quiz" / "quiz.css"
PAGE_SCRIPTS = (FEATURES / "quiz" / "quiz.js", FEATURES / "progress" / "progress.js")

#: The sections the shell adds, named so that no module id is likely to meet them.
START = "sabaq-start"
GLOSSARY_HTML = GLOSSARY_PAGE.removesuffix(".md") + ".html"
GLOSSARY = "sabaq-glossary"
MAIN = "sabaq-main"


def single_file_name(course_id: str, language: str) -> str:
    """`<course>-<language>-offline.html`, the one-file course's name under `site/downloads/`
    (`<course>-<language>.html` is the printable page of `sabaq build --print`)."""
    return f"{course_id}-{language}-offline.html"


def write_single_files(
    packages: list[Package],
    language_site: Path,
    downloads: Path,
    previous: Path | None = None,
    rebuilt_courses: Collection[str] | None = None,
    site_url: str | None = None,
) -> dict[str, int]:
    """Write the one-file course of each package (all of one language) into `downloads/`;
    returns each course's file size in bytes. After a dirty build, the files of courses not in
    `rebuilt_courses` are taken from `previous` (the build cache's downloads), as the zip
    packages are."""
    sizes = {}
    for package in packages:
        name = single_file_name(package.course_id, package.language)
        target = downloads / name
        kept = previous / name if previous is not None else None
        if (
            kept is not None
            and rebuilt_courses is not None
            and package.course_id not in rebuilt_courses
            and kept.is_file()
        ):
            link_file(kept, target)
        else:
            # Written beside and renamed: `target` may be a hard link into the build cache.
            partial = downloads / f"partial-{name}"
            partial.write_text(render_single_file(package, language_site, site_url), "utf-8")
            partial.replace(target)
        sizes[package.course_id] = target.stat().st_size
    return sizes


@dataclass
class _Section:
    anchor: str
    title: str
    body: str


def render_single_file(package: Package, language_site: Path, site_url: str | None = None) -> str:
    """The one-file course of `package`, read from its built language site."""
    strings = messages(package.language)
    course = package.course_id
    pages = {f"{course}/index.html": START}
    pages |= {f"{course}/{module}/index.html": module for module in package.modules}
    if (language_site / GLOSSARY_HTML).is_file():
        pages[GLOSSARY_HTML] = GLOSSARY
    # The overview's dashboard links the module to continue with by fragment.
    continue_href = {f"{course}/index.html": "#{module}"}
    pictures = _PictureInliner(language_site)
    sections = []
    for page, anchor in pages.items():
        article = page_article((language_site / page).read_text(encoding="utf-8"))
        if article is None:
            raise ValueError(f"{page}: the built page has no article")
        rewriter = _PageRewriter(
            page, pages, package.language, site_url, pictures, continue_href.get(page)
        )
        rewriter.feed(article)
        rewriter.close()
        sections.append(_Section(anchor, rewriter.title, "".join(rewriter.out).strip()))
    return _document(package, sections, strings)


def _document(package: Package, sections: list[_Section], strings: Messages) -> str:
    style = SHELL_STYLE.read_text(encoding="utf-8") + QUIZ_STYLE.read_text(encoding="utf-8")
    script = "\n".join(path.read_text(encoding="utf-8") for path in (*PAGE_SCRIPTS, SHELL_SCRIPT))
    policy = (
        f"default-src 'none'; script-src {_source_hash(script)}; style-src {_source_hash(style)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    title = html.escape(package.course_title)
    texts = {
        "results": strings.strings["one_file_results"],
        "none": strings.text("one_file_none"),
    }
    contents = "\n".join(
        f'<li><a href="#{section.anchor}">'
        f"{html.escape(strings.text('one_file_start')) if section.anchor == START else section.title}"
        "</a></li>"
        for section in sections
    )
    articles = "\n".join(
        _article(section, sections, index, strings) for index, section in enumerate(sections)
    )
    return (
        f'<!doctype html>\n<html lang="{package.language}" dir="ltr" data-sabaq-pages>\n<head>\n'
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        f'<a class="sabaq-one__skip" href="#{MAIN}">{html.escape(strings.text("one_file_skip"))}</a>\n'
        '<header class="sabaq-one__header">\n'
        f'<p class="sabaq-one__site">{html.escape(strings.text("site_name"))}</p>\n'
        f'<p class="sabaq-one__course"><a href="#{START}">{title}</a></p>\n'
        '<div class="sabaq-one__search" role="search" data-sabaq-one-search hidden>\n'
        f'<label for="sabaq-one-query">{html.escape(strings.text("one_file_search"))}</label>\n'
        '<input type="search" id="sabaq-one-query" autocomplete="off" data-sabaq-one-query>\n'
        '<p class="sabaq-one__status" role="status" data-sabaq-one-status></p>\n'
        f'<ol class="sabaq-one__results" aria-label="{html.escape(strings.text("one_file_search_label"))}"'
        " data-sabaq-one-results hidden></ol>\n</div>\n</header>\n"
        f'<nav class="sabaq-one__contents" aria-label="{html.escape(strings.text("one_file_contents"))}">\n'
        f"<details><summary>{html.escape(strings.text('one_file_contents'))}</summary>\n"
        f"<ol>\n{contents}\n</ol>\n</details>\n</nav>\n"
        f'<main id="{MAIN}" class="md-typeset">\n{articles}\n</main>\n'
        f'<footer class="sabaq-one__footer"><p>{html.escape(strings.text("one_file_footer"))}</p></footer>\n'
        f'<script type="application/json" data-sabaq-one-text>{script_json(texts)}</script>\n'
        f"<script>{script}</script>\n</body>\n</html>\n"
    )


def _article(section: _Section, sections: list[_Section], index: int, strings: Messages) -> str:
    """One section, with links to the previous and next module (not from or to the glossary)."""
    pager = []
    modules = [s for s in sections if s.anchor != GLOSSARY]
    if section.anchor != GLOSSARY:
        position = modules.index(section)
        if position >= 1:
            previous = modules[position - 1]
            text = strings.text("one_file_previous", title=previous.title)
            pager.append(f'<a href="#{previous.anchor}" rel="prev">{text}</a>')
        if 1 <= position < len(modules) - 1:
            following = modules[position + 1]
            text = strings.text("one_file_next", title=following.title)
            pager.append(f'<a href="#{following.anchor}" rel="next">{text}</a>')
    pager_html = f'\n<p class="sabaq-one__pager">{" ".join(pager)}</p>' if pager else ""
    return (
        f'<article id="{section.anchor}" class="sabaq-one__page" data-sabaq-page>\n'
        f"{section.body}{pager_html}\n</article>"
    )


def _source_hash(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


class _PictureInliner:
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


class _PageRewriter(HTMLParser):
    """One built page's article as a section of the one-file course (see the module docstring)."""

    def __init__(
        self,
        page: str,
        anchors: dict[str, str],
        language: str,
        site_url: str | None,
        pictures: _PictureInliner,
        continue_href: str | None = None,
    ) -> None:
        super().__init__(convert_charrefs=False)
        self.page = page
        self.prefix = anchors[page]
        self.anchors = anchors
        self.site_url = site_url.rstrip("/") if site_url else None
        self.language = language
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
            self.out.append(_start_tag("div", self._scroll_box({"class": _SCROLL_BOX})))
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
        self.out.append(_start_tag(tag, attributes))
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
            self.out.append(_start_tag("script", self._json_attributes))
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

    def handle_entityref(self, name: str) -> None:
        self._text(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        pass

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
        if _has_scheme(src) or src.startswith(("/", "#")):
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

    def _link(self, href: str | None) -> str | None:
        """Where a link leads in the file, or None for a link kept as plain text."""
        if href is None:
            return None
        if href.startswith("#"):
            return f"#{self.prefix}--{href[1:]}" if href != "#" else None
        if _has_scheme(href):
            return href if href.startswith(("http://", "https://", "mailto:")) else None
        path, _, fragment = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), path or "."))
        page = target if target.endswith(".html") else f"{target}/index.html"
        if page in self.anchors:
            anchor = self.anchors[page]
            return f"#{anchor}--{fragment}" if fragment else f"#{anchor}"
        if self.site_url is None or target.startswith(".."):
            return None
        address = f"{self.site_url}/{self.language}/{target.removesuffix('index.html')}"
        if not address.endswith((".html", "/")) and "." not in posixpath.basename(target):
            address += "/"
        return f"{address}#{fragment}" if fragment else address

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
        rewriter = _PageRewriter(
            self.page, self.anchors, self.language, self.site_url, self.pictures
        )
        rewriter.feed(markup)
        rewriter.close()
        return "".join(rewriter.out)


def _has_scheme(address: str) -> bool:
    return re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", address) is not None


def _start_tag(tag: str, attributes: dict[str, str | None]) -> str:
    parts = [tag]
    for name, value in attributes.items():
        parts.append(name if value is None else f'{name}="{html.escape(value, quote=True)}"')
    return f"<{' '.join(parts)}>"
