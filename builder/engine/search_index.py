"""The search index, stored as plain UTF-8.

MkDocs' search plugin writes `search/search_index.json` with Python's default `ensure_ascii`, so
every Cyrillic letter becomes a six-byte `\\u0430` escape: the Russian index of the example course
is 81 KB instead of 32 KB (9.2 KB instead of 8.2 KB gzipped). Readers on slow, metered connections
download it on every first visit, so the engine rewrites it after each build.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

INDEX = Path("search") / "search_index.json"
#: mkdocs-material's `offline` plugin copies the index into a script for file:// use.
INDEX_SCRIPT = Path("search") / "search_index.js"
#: Each course's own index (`<course>.json`), which search reads on that course's pages.
COURSE_INDEXES = Path("search") / "courses"


def course_index(course_id: str) -> str:
    """The address of a course's search index in its language site."""
    return f"{COURSE_INDEXES.as_posix()}/{course_id}.json"


class CourseIndexes:
    """Cuts a language's search index into one per course: its pages' entries, and those of the
    pages whose addresses start with one of `with_every_course` (the glossary). A reader who opens
    search on a course page downloads one course's index, however big the catalogue; one saving
    a course for offline use stores that one. Indexes of courses no longer built are removed.

    `add` takes the entries of whole courses (a build's index, or one of several runs': the pages
    every course searches come first, builder/engine/runs.py), so the index of a whole large
    language is never held in memory; `finish` writes the indexes of courses without entries."""

    def __init__(
        self, site_dir: Path, courses: Collection[str], with_every_course: Sequence[str]
    ) -> None:
        self.site_dir = site_dir
        self.courses = set(courses)
        self.with_every_course = tuple(with_every_course)
        self.shared: list[Any] = []
        self.config: Any = None
        self.written: set[str] = set()
        folder = site_dir / COURSE_INDEXES
        if folder.is_dir():
            for old in folder.glob("*.json"):
                if old.stem not in self.courses:
                    old.unlink()
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, index: dict[str, Any] | None) -> None:
        if index is None:
            return
        if self.config is None:
            self.config = index.get("config")
        by_course: dict[str, list[Any]] = {}
        for doc in index.get("docs", []):
            page = _page_of(doc)
            course = page.split("/", 1)[0] if "/" in page else ""
            if course in self.courses:
                by_course.setdefault(course, []).append(doc)
            elif page.startswith(self.with_every_course):
                self.shared.append(doc)
        for course, docs in by_course.items():
            self._write(course, docs)

    def finish(self) -> None:
        if self.config is None:  # no index at all: no course's either
            return
        for course in sorted(self.courses - self.written):
            self._write(course, [])

    def _write(self, course: str, docs: list[Any]) -> None:
        index = {"config": self.config, "docs": docs + self.shared}
        (self.site_dir / course_index(course)).write_text(
            json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        self.written.add(course)


def compact_search_index(site_dir: Path) -> None:
    """Rewrite the site's search index (and its file:// script copy, if any) as compact UTF-8."""
    index = site_dir / INDEX
    if not index.exists():
        return
    text = json.dumps(
        json.loads(index.read_text(encoding="utf-8")), ensure_ascii=False, separators=(",", ":")
    )
    index.write_text(text, encoding="utf-8")
    script = site_dir / INDEX_SCRIPT
    if script.exists():
        # The same statement the offline plugin writes; the theme's bundle reads `__index`.
        script.write_text(f"var __index = {text}", encoding="utf-8")


def read_search_index(site_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((site_dir / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def merge_search_index(site_dir: Path, previous: dict[str, Any]) -> None:
    """After a dirty build, which indexes only the pages it built: the previous index with those
    pages' entries replaced by the new ones, in the same place."""
    current = read_search_index(site_dir)
    if current is None:
        return
    new_entries: dict[str, list[Any]] = {}
    for doc in current.get("docs", []):
        new_entries.setdefault(_page_of(doc), []).append(doc)
    docs: list[Any] = []
    placed: set[str] = set()
    for doc in previous.get("docs", []):
        page = _page_of(doc)
        if page not in new_entries:
            docs.append(doc)
        elif page not in placed:
            docs.extend(new_entries[page])
            placed.add(page)
    for page, entries in new_entries.items():
        if page not in placed:
            docs.extend(entries)
    (site_dir / INDEX).write_text(
        json.dumps({**current, "docs": docs}, ensure_ascii=False, separators=(",", ":")),
        encoding="utf-8",
    )


def _page_of(doc: dict[str, Any]) -> str:
    return str(doc.get("location", "")).split("#", 1)[0]
