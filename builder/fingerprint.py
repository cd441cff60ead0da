"""A hash of Sabaq itself: its code, theme, assets and strings, and the versions of the engine it
builds with. What was made by another Sabaq or another mkdocs-material is made again."""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

_BUILDER_DIR = Path(__file__).parent
_ENGINE_DISTRIBUTIONS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")


@functools.cache
def sabaq_fingerprint() -> str:
    digest = hashlib.sha256()
    for distribution in _ENGINE_DISTRIBUTIONS:
        digest.update(f"{distribution}={metadata.version(distribution)};".encode())
    for path in sorted(_BUILDER_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_BUILDER_DIR).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()
