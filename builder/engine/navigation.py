"""The site navigation's entries, each rendered once per build for the pages it looks the same on.

Every page lists every course in its navigation (pruned to its title outside the page's own
course: `navigation.prune`), so rendering the navigation grew with the catalogue: a tenth of
every page's build at 100 courses, and more with each course. An entry the page is not in reads
the same on every page at the same depth whose address starts elsewhere (its links are relative:
`../../course/`), so the theme's `partials/nav.html` asks `render_nav_item` for it, and it is
rendered once for all of them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

#: Material's macro rendering one top-level entry: (nav item, path such as "__nav_2", level).
RenderEntry = Callable[[Any, str, int], Any]


def nav_item_renderer() -> Callable[[RenderEntry, Any, str, Any], Any]:
    """A `render_nav_item(render, nav_item, path, page)` for one build's templates: what
    `render(nav_item, path, 1)` gives, taken from an earlier page where it is the same."""
    rendered: dict[tuple[int, str, int], tuple[Any, Any]] = {}
    first_parts: dict[int, tuple[Any, frozenset[str]]] = {}

    def folders_of(nav_item: Any) -> frozenset[str]:
        known = first_parts.get(id(nav_item))
        if known is None:
            known = first_parts[id(nav_item)] = (nav_item, _first_folders(nav_item))
        return known[1]

    def render_nav_item(render: RenderEntry, nav_item: Any, path: str, page: Any) -> Any:
        url = getattr(page, "url", None)  # None on a page of the theme's own (404.html)
        if not isinstance(url, str) or nav_item.active or getattr(nav_item, "pages", None):
            return render(nav_item, path, 1)
        page_dir = _page_folder(url)
        # A link to an address that shares its first folder with the page's is written
        # differently from each page of that folder.
        if page_dir and page_dir[0] in folders_of(nav_item):
            return render(nav_item, path, 1)
        key = (id(nav_item), path, len(page_dir))
        found = rendered.get(key)
        if found is None:
            # The item is kept with its text, so that its id names it for the whole build.
            found = rendered[key] = (nav_item, render(nav_item, path, 1))
        return found[1]

    return render_nav_item


def nav_items_chooser() -> Callable[[Any, Any, bool], list[tuple[int, Any]]]:
    """A `sabaq_nav_items(nav, page, every_course)` for one build's templates: the top-level
    entries a page's navigation shows, each with its place in the whole navigation (from 1,
    which names its toggle): all of them, or in a catalogue (not `every_course`) the page's own
    course and the entries that are no course (the home page, the glossary). Worked out once
    per navigation, so that a page of a catalogue costs the same whatever its size."""
    known: dict[int, tuple[Any, list[tuple[int, Any]], list[tuple[int, Any]], dict[int, int]]] = {}

    def sabaq_nav_items(nav: Any, page: Any, every_course: bool) -> list[tuple[int, Any]]:
        found = known.get(id(nav))
        if found is None:
            every = list(enumerate(nav.items, start=1))
            others = [(index, item) for index, item in every if not getattr(item, "children", None)]
            places = {id(item): index for index, item in every}
            # `nav` is kept with them: while it lives, no other navigation can take its id.
            found = known[id(nav)] = (nav, every, others, places)
        _, every, others, places = found
        if every_course:
            return every
        ancestors = getattr(page, "ancestors", None) or []
        own = places.get(id(ancestors[-1])) if ancestors else None
        if own is None:
            return others
        return sorted([*others, (own, every[own - 1][1])], key=lambda pair: pair[0])

    return sabaq_nav_items


def _page_folder(url: str) -> list[str]:
    """The folders a relative link starts from on the page at `url`, as MkDocs counts them
    (mkdocs.utils.get_relative_url: a last part with a dot is a file)."""
    folder, _, name = url.rpartition("/")
    if "." in name:
        url = folder
    return _parts(url)


def _parts(url: str) -> list[str]:
    normalized = posixpath.normpath("/" + url)[1:]
    return normalized.split("/") if normalized else []


def _first_folders(nav_item: Any) -> frozenset[str]:
    """The first folder of every relative address the entry links to."""
    found: set[str] = set()
    for item in _walk(nav_item):
        url = getattr(item, "url", None)
        if not isinstance(url, str):
            continue
        parsed = urlsplit(url)
        if parsed.scheme or parsed.netloc or url.startswith(("/", "#")):
            continue  # written as it is on every page
        parts = _parts(url)
        if parts:
            found.add(parts[0])
    return frozenset(found)


def _walk(nav_item: Any) -> Iterator[Any]:
    yield nav_item
    for child in getattr(nav_item, "children", None) or ():
        yield from _walk(child)
