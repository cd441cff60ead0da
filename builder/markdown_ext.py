"""Markdown that cannot run script: the extension every page Sabaq builds is rendered with.

Trainers write Markdown, often pasted from elsewhere. Raw HTML in it is shown as text, never
interpreted; links and attributes that could run script (`javascript:` URLs, `onclick=` through
attr_list) are removed. Sabaq's own HTML (notices, quizzes) reaches the page through a marker line
that carries a per-build secret, so trainer text cannot forge it.
"""

from __future__ import annotations

import base64
import html
import re
from functools import cache
from typing import Any
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

MARKER_PREFIX = "sabaq-html"
_SAFE_URL_SCHEMES = ("http", "https", "mailto", "tel")
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "srcset")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def trusted_html_marker(fragment: str, nonce: str) -> str:
    """A Markdown paragraph that the extension (configured with the same nonce) turns into
    `fragment`, unchanged. Base64 keeps Markdown from touching the fragment on its way through."""
    encoded = base64.b64encode(fragment.encode("utf-8")).decode("ascii")
    return f"\n\n{MARKER_PREFIX}:{nonce}:{encoded}\n\n"


def is_safe_url(url: str) -> bool:
    """Relative links and http(s)/mailto/tel only: what a course needs, and nothing that runs."""
    # Browsers ignore control characters and spaces inside a scheme ("java\tscript:"), so do we.
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url))
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1).lower() in _SAFE_URL_SCHEMES


class _TrustedHtmlPreprocessor(Preprocessor):
    def __init__(self, md: markdown.Markdown, nonce: str) -> None:
        super().__init__(md)
        self.line = re.compile(rf"^{MARKER_PREFIX}:{re.escape(nonce)}:([A-Za-z0-9+/=]+)$")

    def run(self, lines: list[str]) -> list[str]:
        result = []
        for line in lines:
            match = self.line.match(line) if self.line.pattern else None
            if match:
                fragment = base64.b64decode(match.group(1)).decode("utf-8")
                result.append(self.md.htmlStash.store(fragment))
            else:
                result.append(line)
        return result


class _RemoveScriptingTreeprocessor(Treeprocessor):
    def run(self, root: Element) -> None:
        for element in root.iter():
            for name in list(element.attrib):
                lowered = name.lower()
                if lowered.startswith("on") or lowered == "style":
                    del element.attrib[name]
                elif lowered in _URL_ATTRIBUTES and not is_safe_url(element.attrib[name]):
                    del element.attrib[name]


class SafeMarkdownExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"nonce": ["", "The per-build secret that Sabaq's own HTML markers carry."]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API name)
        # Without these two, `<script>` in a trainer's text would reach the page as HTML.
        if "html_block" in md.preprocessors:
            md.preprocessors.deregister("html_block")
        if "html" in md.inlinePatterns:
            md.inlinePatterns.deregister("html")
        nonce = str(self.getConfig("nonce"))
        if nonce:
            md.preprocessors.register(_TrustedHtmlPreprocessor(md, nonce), "sabaq_html", 25)
        # Last of all, after attr_list and every link has been made.
        md.treeprocessors.register(_RemoveScriptingTreeprocessor(md), "sabaq_safety", -100)


def makeExtension(**kwargs: Any) -> SafeMarkdownExtension:  # noqa: N802 (Markdown's API name)
    return SafeMarkdownExtension(**kwargs)


@cache
def _fragment_renderer() -> markdown.Markdown:
    # Building a Markdown instance costs more than converting a short text with it, and a quiz
    # has dozens of texts; one instance, reset between texts, renders them all.
    return markdown.Markdown(
        extensions=[SafeMarkdownExtension(), "attr_list", "sane_lists"], output_format="html"
    )


#: Text that Markdown would only wrap in a paragraph: letters, digits, spaces and punctuation
#: without a meaning in Markdown, on one line, not starting like a list item or a heading.
_PLAIN_TEXT = re.compile(r"(?!\d+\.)[^\W_](?:[^\W_]|[ .,;:?!'\"()%/«»„“”‘’—–-])*")


def render_fragment(text: str) -> str:
    """Trainer Markdown to safe HTML outside a page, e.g. a quiz prompt or option."""
    if _PLAIN_TEXT.fullmatch(text) and not text.endswith(" "):
        # Most quiz texts are plain sentences: the same result without running Markdown, which
        # is most of the time it takes to render a quiz (tests/test_markdown_ext.py checks both
        # ways agree).
        return f"<p>{text}</p>"
    renderer = _fragment_renderer()
    try:
        return renderer.convert(text)
    finally:
        renderer.reset()


def render_inline(text: str) -> str:
    """Like `render_fragment`, without the surrounding paragraph, for one-line texts."""
    rendered = render_fragment(text).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered
