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
    """Cuts a language's search index into one per course: its pages' entries, then those of the
    pages whose addresses start with one of `with_every_course` (the glossary). A reader who opens
    search on a course page downloads one course's index, however big the catalogue; one saving
    a course for offline use stores that one. Indexes of courses no longer built are removed.

    `add` takes entries a few courses at a time (a build's index, or each of several runs',
    builder/engine/runs.py), so a large language's index is never held in memory: each course's
    entries are written as they come, and `finish` closes every index with the shared entries,
    which may come in any run."""

    def __init__(
        self, site_dir: Path, courses: Collection[str], with_every_course: Sequence[str]
    ) -> None:
        self.site_dir = site_dir
        self.courses = set(courses)
        self.with_every_course = tuple(with_every_course)
        self.shared: list[Any] = []
        self.config: Any = None
        #: Courses whose index is open (written without its end), and whether it has entries.
        self.open: dict[str, bool] = {}
        folder = site_dir / COURSE_INDEXES
        if folder.is_dir():
            for old in folder.glob("*.json"):
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
        """Close every course's index with the shared entries (none at all without an index)."""
        if self.config is None:
            return
        shared = _entries(self.shared)
        for course in sorted(self.courses):
            self._write(course, [])
            comma = "," if self.open[course] and shared else ""
            with (self.site_dir / course_index(course)).open("a", encoding="utf-8") as index:
                index.write(f"{comma}{shared}]}}")

    def _write(self, course: str, docs: list[Any]) -> None:
        path = self.site_dir / course_index(course)
        if course not in self.open:
            start = json.dumps(
                {"config": self.config, "docs": []}, ensure_ascii=False, separators=(",", ":")
            )
            path.write_text(start.removesuffix("]}"), encoding="utf-8")
            self.open[course] = False
        if docs:
            with path.open("a", encoding="utf-8") as index:
                index.write(("," if self.open[course] else "") + _entries(docs))
            self.open[course] = True


def _entries(docs: list[Any]) -> str:
    """Search entries as they stand inside the index's list, compact."""
    return json.dumps(docs, ensure_ascii=False, separators=(",", ":"))[1:-1]


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


def set_aside_search_index(site_dir: Path) -> Path | None:
    """Move the index the runs before made out of the next run's way (it writes its own)."""
    index = site_dir / INDEX
    if not index.exists():
        return None
    kept = index.with_name(index.name + ".before")
    index.replace(kept)
    return kept


def append_search_index(site_dir: Path, kept: Path) -> dict[str, Any] | None:
    """After one of a language's several runs (builder/engine/runs.py), whose pages no run before
    it indexed: the index set aside (`set_aside_search_index`) with this run's entries after its
    own, written as `compact_search_index` writes it; returns this run's index. Only this run's
    entries are read: the index of a whole large language is not held in memory."""
    current = read_search_index(site_dir)
    if current is None:  # the run indexed nothing: the runs before keep theirs
        kept.replace(site_dir / INDEX)
        return None
    if list(current) != ["config", "docs"]:
        raise ValueError(f"{site_dir / INDEX} is not a search index the runs can add up")
    added = json.dumps(current["docs"], ensure_ascii=False, separators=(",", ":"))[1:-1]
    with kept.open("r+b") as index:
        index.seek(-3, 2)
        before_end = index.read(3)  # `[]}` when no run before indexed a page, else `}]}`
        if not before_end.endswith(b"]}"):
            raise ValueError(f"{kept} does not end as a compact search index")
        if added:
            index.seek(-2, 2)
            index.truncate()
            separator = b"" if before_end.startswith(b"[") else b","
            index.write(separator + added.encode("utf-8") + b"]}")
    kept.replace(site_dir / INDEX)
    return current
