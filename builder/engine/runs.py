"""A large language's build in several MkDocs runs, each rendering the pages of a few courses.

MkDocs reads and renders every page of a build before it writes the first one, so a build holds
every page in memory. Each run here sees the whole navigation and every file, as one build would,
but MkDocs' dirty mode renders only the run's own pages: what a page shows does not depend on
which run rendered it, and each run adds its pages' entries to the search index, in the order one
build would give them (builder/engine/search_index.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: The folder of the pages outside any course (the home page, the glossary), in `page_runs`.
TOP = ""


def page_runs(docs_dir: Path, most_pages: int) -> list[frozenset[str]]:
    """The runs a language's build takes: each the top-level folders of `docs_dir` (`TOP` for its
    own files) whose Markdown pages it renders, in the order MkDocs lists the files (a folder's
    files, then its folders by name), at most `most_pages` pages a run unless one folder has more.
    One run (of everything) when the language has no more pages than that."""
    from mkdocs.utils import is_markdown_file

    counts: dict[str, int] = {}
    for folder, subfolders, names in os.walk(docs_dir, followlinks=True):
        subfolders.sort()
        relative = Path(folder).relative_to(docs_dir).parts
        # What MkDocs takes for a page (`.md`, `.markdown`...): a page no run names is never built.
        pages = sum(is_markdown_file(name) for name in names)
        if pages:
            top = relative[0] if relative else TOP
            counts[top] = counts.get(top, 0) + pages
    runs: list[set[str]] = []
    in_run = most_pages
    for top in sorted(counts, key=lambda name: (name != TOP, name)):
        if in_run + counts[top] > most_pages:
            runs.append(set())
            in_run = 0
        runs[-1].add(top)
        in_run += counts[top]
    return [frozenset(run) for run in runs]


@contextmanager
def rendering_only(folders: frozenset[str] | None) -> Iterator[None]:
    """While a dirty MkDocs build runs, the pages it renders are those under `folders`, whatever
    their times; other files (pictures, scripts) are copied when newer, as MkDocs does. None:
    MkDocs decides, as always."""
    if folders is None:
        yield
        return
    from mkdocs.structure.files import File

    copied_when_newer = File.is_modified

    def is_modified(self: File) -> bool:
        if self.is_documentation_page():
            top = self.src_uri.split("/", 1)[0] if "/" in self.src_uri else TOP
            return top in folders
        return copied_when_newer(self)

    File.is_modified = is_modified  # type: ignore[method-assign]
    try:
        yield
    finally:
        File.is_modified = copied_when_newer  # type: ignore[method-assign]
