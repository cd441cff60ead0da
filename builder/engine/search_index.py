"""The search index, stored as plain UTF-8.

MkDocs' search plugin writes `search/search_index.json` with Python's default `ensure_ascii`, so
every Cyrillic letter becomes a six-byte `\\u0430` escape: the Russian index of the example course
is 81 KB instead of 32 KB (9.2 KB instead of 8.2 KB gzipped). Readers on slow, metered connections
download it on every first visit, so the engine rewrites it after each build.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

INDEX = Path("search") / "search_index.json"
#: mkdocs-material's `offline` plugin copies the index into a script for file:// use.
INDEX_SCRIPT = Path("search") / "search_index.js"


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


def append_search_index(site_dir: Path, kept: Path) -> None:
    """After one of a language's several runs (builder/engine/runs.py), whose pages no run before
    it indexed: the index set aside (`set_aside_search_index`) with this run's entries after its
    own, written as `compact_search_index` writes it. Only this run's entries are read: the index
    of a whole large language is not held in memory."""
    current = read_search_index(site_dir)
    if current is None or list(current) != ["config", "docs"]:
        kept.unlink()
        return
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
