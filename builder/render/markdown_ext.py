"""Markdown that cannot run script: the extension every page Sabaq builds is rendered with.

Trainers write Markdown, often pasted from elsewhere. Raw HTML in it is shown as text, never
interpreted. Whatever any extension made of it passes one last check (`_SafetyTreeprocessor`),
attribute by attribute, so the page's Content-Security-Policy is never the only defence:

- `on...=` and `style=` attributes are removed (attr_list can write them);
- an address the browser loads by itself (`src`, `srcset`, `poster`, `background`, `ping`, every
  `data-...` a script could load...) must be in the site: one from another site, `data:` or
  `javascript:` is removed, however the Markdown wrote it (inline, reference, attribute list);
- an address followed on a click (`href`, `formaction`, `xlink:href`...) may be relative, http(s),
  mailto or tel; `javascript:`, `vbscript:`, `data:` and other schemes are removed;
- any other attribute that holds `javascript:` or `vbscript:` (a title) is removed;
- ids starting with `__` are removed: mkdocs-material finds its own elements by such ids.

`sabaq check` reports the pictures from other sites as errors at their line (`loaded_addresses`
finds them with the same extensions), so the removal here only guards what it cannot see, such as
an extension a project adds. Sabaq's own HTML (notices, quizzes) reaches the page through a marker
line that carries a per-build secret, so trainer text cannot forge it.
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

from builder.engine.material_classes import TABLE_WRAPPERS

MARKER_PREFIX = "sabaq-html"
#: The Markdown extensions every page is rendered with (after the project's own, if any).
#: `builder.render.markdown_ext` comes last so that its safety pass sees everything the others produced.
MARKDOWN_EXTENSIONS: list[Any] = [
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "sane_lists",
    "tables",
    {"toc": {"permalink": True}},
    "pymdownx.details",
    "pymdownx.superfences",
    {"pymdownx.tabbed": {"alternate_style": True}},
]
_SAFE_URL_SCHEMES = ("http", "https", "mailto", "tel")
#: Attributes holding an address the browser follows when the reader clicks.
_LINK_ATTRIBUTES = frozenset({"href", "action", "formaction", "xlink:href", "cite"})
#: Attributes holding an address the browser (or a script, for `data-...`) loads by itself.
_SOURCE_ATTRIBUTES = frozenset(
    {"src", "srcset", "poster", "background", "lowsrc", "dynsrc", "longdesc", "ping", "data"}
    | {"codebase", "archive", "manifest", "icon", "imagesrcset", "usemap", "xlink:src"}
)
#: Sabaq's own address in a trainer's text: a video placeholder's player (builder/features/embeds/embeds.py).
_EMBED_PLAYER = "data-sabaq-embed-player"
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_RUNS_SCRIPT = re.compile(r"(?:java|vb)script:", re.IGNORECASE)


def trusted_html_marker(fragment: str, nonce: str) -> str:
    """A Markdown paragraph that the extension (configured with the same nonce) turns into
    `fragment`, unchanged. Base64 keeps Markdown from touching the fragment on its way through."""
    encoded = base64.b64encode(fragment.encode("utf-8")).decode("ascii")
    return f"\n\n{MARKER_PREFIX}:{nonce}:{encoded}\n\n"


def _cleaned(url: str) -> str:
    # Browsers ignore control characters and spaces inside a scheme ("java\tscript:"), and read
    # a backslash as a slash ("\\\\host" is "//host"), so do we.
    return re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url)).replace("\\", "/")


def is_safe_url(url: str) -> bool:
    """Relative links and http(s)/mailto/tel only: what a course needs, and nothing that runs."""
    match = _SCHEME.match(_cleaned(url))
    return match is None or match.group(1).lower() in _SAFE_URL_SCHEMES


def is_local_address(url: str) -> bool:
    """An address in the site itself: no scheme (`https:`, `data:`...) and no other host (`//`)."""
    cleaned = _cleaned(url)
    return _SCHEME.match(cleaned) is None and not cleaned.startswith("//")


def _addresses(name: str, value: str) -> list[str]:
    """The addresses in an attribute's value: a `srcset` lists several, "a.png 1x, b.png 2x"."""
    if name.endswith("srcset"):
        return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]
    return [value]


def is_loaded_by_itself(name: str) -> bool:
    """Whether the address in attribute `name` is loaded with no click (or may be, by a script)."""
    return name in _SOURCE_ATTRIBUTES or name.startswith("data-")


def _allowed_embed_player(name: str, value: str) -> bool:
    # The only outside address a page may hold to load: a known video player, loaded after a
    # click (assets/embeds.js), from the origins the page's policy lets it frame.
    from builder.features.embeds.embeds import PROVIDERS

    return name == _EMBED_PLAYER and any(
        value.startswith(f"{provider.frame_origin}/") for provider in PROVIDERS.values()
    )


def attribute_allowed(name: str, value: str) -> bool:
    """Whether an attribute Markdown produced may stay on the page (see the module's docstring)."""
    name = name.lower()
    if name.startswith("on") or name == "style":
        return False
    if name == "id":
        # mkdocs-material's own elements (`__config`, `__search`...) are found by these ids; its
        # content tabs (`__tabbed_1_1`) come from pymdownx.tabbed, not from a trainer.
        return not value.startswith("__") or re.fullmatch(r"__tabbed_\d+_\d+", value) is not None
    if is_loaded_by_itself(name):
        return _allowed_embed_player(name, value) or all(
            is_local_address(address) for address in _addresses(name, value)
        )
    if name in _LINK_ATTRIBUTES:
        return is_safe_url(value)
    return _RUNS_SCRIPT.search(_cleaned(value)) is None


class _TrustedHtmlPreprocessor(Preprocessor):
    def __init__(self, md: markdown.Markdown, nonce: str) -> None:
        super().__init__(md)
        # Indented too: a marker inside a callout (an admonition's indented block) is one.
        self.line = re.compile(rf"^( *){MARKER_PREFIX}:{re.escape(nonce)}:([A-Za-z0-9+/=]+)$")

    def run(self, lines: list[str]) -> list[str]:
        result = []
        for line in lines:
            match = self.line.match(line) if self.line.pattern else None
            if match:
                fragment = base64.b64decode(match.group(2)).decode("utf-8")
                result.append(match.group(1) + self.md.htmlStash.store(fragment))
            else:
                result.append(line)
        return result


class _SafetyTreeprocessor(Treeprocessor):
    def run(self, root: Element) -> None:
        for element in root.iter():
            for name, value in list(element.attrib.items()):
                if not attribute_allowed(name, value):
                    del element.attrib[name]
            if element.tag == "img" and "src" not in element.attrib:
                # A picture that may not load is shown as its description, as a browser would.
                description = element.attrib.get("alt", "")
                element.attrib.clear()
                element.tag, element.text = "span", description


class _AddressCollector(Treeprocessor):
    """Notes every address the text would load by itself, before the safety pass removes the
    ones it must not: what `loaded_addresses` reports."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.found: list[tuple[str, str, str]] = []

    def run(self, root: Element) -> None:
        for element in root.iter():
            for name, value in element.attrib.items():
                if is_loaded_by_itself(name.lower()) and not _allowed_embed_player(name, value):
                    self.found += [(str(element.tag), name, a) for a in _addresses(name, value)]


class _TableWrapper(Treeprocessor):
    """Each table in the boxes Material's script would put it in as it starts, written into the
    page: it scrolls sideways on a phone from the first paint, and before that script loads (which
    is when the reader first needs it: engine/theme_assets/material-lazy.js)."""

    def run(self, root: Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "table" or "class" in child.attrib:
                    continue
                outer, inner = (Element("div", {"class": name}) for name in TABLE_WRAPPERS)
                outer.append(inner)
                outer.tail, child.tail = child.tail, None
                parent.remove(child)
                inner.append(child)
                parent.insert(index, outer)


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
        md.treeprocessors.register(_SafetyTreeprocessor(md), "sabaq_safety", -100)
        md.treeprocessors.register(_TableWrapper(md), "sabaq_tables", -101)


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


@cache
def _address_finder() -> tuple[markdown.Markdown, _AddressCollector]:
    names: list[Any] = []
    configs: dict[str, Any] = {}
    # Without builder.features.embeds.embeds: a video placeholder loads only after a click, from a known player,
    # and the extension would warn about a bad video line here, without saying which file.
    for extension in [*MARKDOWN_EXTENSIONS, SafeMarkdownExtension()]:
        if isinstance(extension, dict):
            ((name, options),) = extension.items()
            names.append(name)
            configs[name] = options
        else:
            names.append(extension)
    renderer = markdown.Markdown(extensions=names, extension_configs=configs)
    collector = _AddressCollector(renderer)
    renderer.treeprocessors.register(collector, "sabaq_addresses", -99)
    return renderer, collector


#: What can make Markdown load something: a picture (`![`) or an attribute list (`{`).
_MAY_LOAD = re.compile(r"!\[|\{")


def loaded_addresses(text: str) -> list[tuple[int, str, str, str]]:
    """Every address that trainer Markdown, rendered as a page renders it, would load by itself
    (a picture's `src`, a `srcset`, a `data-src` from an attribute list...): (where it is
    written in the text, the element, the attribute, the address). Ids and safe links are not
    addresses that load; video players from known providers are Sabaq's own."""
    if not _MAY_LOAD.search(text):
        return []  # most texts: no need to render them
    renderer, collector = _address_finder()
    collector.found = []
    try:
        renderer.convert(text)
    finally:
        renderer.reset()
    result = []
    searched_from: dict[str, int] = {}
    for tag, name, address in collector.found:
        # Where the address is written (as a whole, not as the start of a longer one); the same
        # address again is looked for after it.
        written = re.compile(re.escape(address) + r"(?=[\s\"')>\]}]|$)")
        match = written.search(text, searched_from.get(address, 0))
        searched_from[address] = match.end() if match else 0
        result.append((match.start() if match else 0, tag, name, address))
    return result


def render_inline(text: str) -> str:
    """Like `render_fragment`, without the surrounding paragraph, for one-line texts."""
    rendered = render_fragment(text).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered
