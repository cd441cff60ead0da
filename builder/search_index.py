"""The search index, stored as plain UTF-8.

MkDocs' search plugin writes `search/search_index.json` with Python's default `ensure_ascii`, so
every Cyrillic letter becomes a six-byte `\\u0430` escape: the Russian index of the example course
is 81 KB instead of 32 KB (9.2 KB instead of 8.2 KB gzipped). Readers on slow, metered connections
download it on every first visit, so the engine rewrites it after each build.
"""

from __future__ import annotations

import json
from pathlib import Path

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
