"""Changes to mkdocs-material's own scripts, made where the engine builds (builder/engine/run.py).

Material fetches the language's whole search index as soon as a page opens on the web, and the
index grows with every course; from `file://` it already waits until the reader opens search.
Sabaq makes the web do the same, so a page's first load does not grow with the catalogue; and a
course's pages fetch that course's index, not the language's, so opening search does not either.

The bundle itself loads when the reader first reaches for search or the header
(theme_assets/material-lazy.js), which can be after the document has loaded: Sabaq lets it start
then too (Material waits for an event that has already passed), and leaves alone the tables the
page already has in their scrolling boxes.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import material

#: Material's bundle, as the theme's base.html names it (the hash changes with each release).
_BUNDLE_GLOB = "assets/javascripts/bundle.*.min.js"

#: In Material's source (setupSearchWorker): merge(of(location.protocol !== "file:"),
#: watchToggle("search")).pipe(filter(active => active), switchMap(() => index$)). The index is
#: requested at the first `true`; with `of(false)` that is the reader opening search.
_FETCH_INDEX_AT_ONCE = re.compile(r'([\w$]+\()location\.protocol!=="file:"(\),[\w$]+\("search"\))')

#: With the `search.highlight` feature, every page's content asks for the index, to mark the words
#: a search result was found for (its address then carries `?h=`). Only such a page needs it.
_HIGHLIGHT_ON_EVERY_PAGE = re.compile(r'([\w$]+\("search\.highlight"\))\?([\w$]+\(e,\{index\$)')
_HIGHLIGHT_ONLY_AFTER_SEARCH = r'\1&&!!new URLSearchParams(location.search).get("h")?\2'


#: In Material's source (fetchSearchIndex): the index is `search/search_index.json`. A course's
#: pages name their course's own (theme/partials/search.html), cut by builder/engine/search_index.py.
_THE_LANGUAGES_INDEX = re.compile(r'new URL\("search/search_index\.json",([\w$]+)\.base\)')
_THE_PAGES_INDEX = (
    r'new URL(document.querySelector("[data-sabaq-search-index]")?.getAttribute('
    r'"data-sabaq-search-index")||"search/search_index.json",\1.base)'
)


#: In Material's source (watchDocument): the document$ subject emits at DOMContentLoaded only.
_START_AT_DOCUMENT_LOADED = re.compile(
    r"function ([\w$]+)\(\)\{let ([\w$]+)=new ([\w$]+)\(1\);return ([\w$]+)\(document,"
    r'"DOMContentLoaded",\{once:!0\}\)\.subscribe\(\(\)=>\2\.next\(document\)\),\2\}'
)
_START_NOW_OR_AT_DOCUMENT_LOADED = (
    r'function \1(){let \2=new \3(1);return document.readyState!=="loading"?\2.next(document):'
    r'\4(document,"DOMContentLoaded",{once:!0}).subscribe(()=>\2.next(document)),\2}'
)


#: In Material's source (mountDataTable): every `table:not([class])` is put into its scrolling
#: boxes. Sabaq's pages have them already (render/markdown_ext.py): a table inside is left alone.
_WRAP_EVERY_TABLE = re.compile(
    r"function ([\w$]+)\(([\w$]+)\)\{return \2\.replaceWith\(([\w$]+)\),"
    r"\3\.replaceWith\(([\w$]+)\(\2\)\),"
)
_WRAP_TABLES_NOT_WRAPPED = (
    r'function \1(\2){return \2.closest(".md-typeset__table")||(\2.replaceWith(\3),'
    r"\3.replaceWith(\4(\2))),"
)


class MaterialChangedError(RuntimeError):
    """The installed mkdocs-material no longer has the code a patch expects."""


@cache
def patched_theme_files() -> dict[str, bytes]:
    """Theme files as Sabaq publishes them, by their path in the site."""
    theme_dir = Path(material.__file__).parent / "templates"
    bundles = sorted(theme_dir.glob(_BUNDLE_GLOB))
    if len(bundles) != 1:
        raise MaterialChangedError(
            f"expected one {_BUNDLE_GLOB} in mkdocs-material, found {bundles}"
        )
    bundle = bundles[0]
    script = bundle.read_text(encoding="utf-8")
    for pattern, replacement in (
        (_FETCH_INDEX_AT_ONCE, r"\1!1\2"),
        (_HIGHLIGHT_ON_EVERY_PAGE, _HIGHLIGHT_ONLY_AFTER_SEARCH),
        (_START_AT_DOCUMENT_LOADED, _START_NOW_OR_AT_DOCUMENT_LOADED),
        (_WRAP_EVERY_TABLE, _WRAP_TABLES_NOT_WRAPPED),
        (_THE_LANGUAGES_INDEX, _THE_PAGES_INDEX),
    ):
        script, count = pattern.subn(replacement, script)
        if count != 1:
            raise MaterialChangedError(
                f"mkdocs-material's start-up changed ({count} matches of "
                f"{pattern.pattern} in {bundle.name}): update builder/engine/material_patches.py so "
                "that the bundle and the index load when the reader needs them"
            )
    return {bundle.relative_to(theme_dir).as_posix(): script.encode("utf-8")}


def material_bundle() -> str:
    """The path of Material's bundle in the site, for the script that loads it when needed."""
    (path,) = patched_theme_files()
    return path
