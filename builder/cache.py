"""The build cache in `<project>/.sabaq-cache/`: what does not change is not built again.

A trainer edits one module in one language and builds again. Most of the site is the same as last
time, so the cache keeps, per language:

- `docs/`: the Markdown MkDocs read last time. A page is written again only when its text changed,
  so its file is newer than its built page and MkDocs' `dirty` build renders only it (when the
  navigation and configuration are the same; otherwise the language is built in full);
- `site/`: what MkDocs built, which a dirty build updates in place;
- `final/` and `downloads/`: the finished language site and its packages, taken as they are when
  nothing the language is made from has changed;
- `state.json`: the key of what the language was made from, written only after a whole build
  succeeded. A language without it is built from scratch.

A language's key is a hash of everything its pages are made from: Sabaq's own code and the versions
of MkDocs and mkdocs-material, `mkdocs.yml`, the names of all course and quiz files, the content of
every file that is not a translation (the English source, pictures, quizzes), and the content of
the language's own translations. Editing `01-first.ru.yml` changes only the Russian key; editing
`01-first.yml` changes them all. Keys compare content, not modification times, so a checkout or a
copy does not rebuild anything.

Deleting the folder is always safe: the next build is a full one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

CACHE_DIR_NAME = ".sabaq-cache"
#: Bumped when the layout of the cache changes, so that an old cache is not misread.
_FORMAT = "1"
_BUILDER_DIR = Path(__file__).parent


@dataclass(frozen=True)
class LanguageState:
    key: str
    config: str


class BuildCache:
    """One project's cache folder. Use it inside `open_cache`, which holds its lock."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def language_dir(self, language: str) -> Path:
        return self.root / language

    def nonce(self) -> str:
        """The marker of Sabaq's own HTML in the Markdown (builder/markdown_ext.py). Pages are
        compared as text between builds, so it stays the same for as long as the cache lives;
        it is private to this machine (the cache is never committed)."""
        path = self.root / "nonce"
        if not path.exists():
            path.write_text(secrets.token_hex(12), encoding="utf-8")
        return path.read_text(encoding="utf-8").strip()

    def state(self, language: str) -> LanguageState | None:
        path = self.language_dir(language) / "state.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return LanguageState(data["key"], data["config"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def is_finished(self, language: str, key: str) -> bool:
        """Whether the language's finished site was made from exactly what `key` stands for."""
        state = self.state(language)
        return (
            state is not None
            and state.key == key
            and (self.language_dir(language) / "final").is_dir()
        )

    def forget(self, language: str) -> None:
        """Mark the language as not built, before building it: if the build stops half-way,
        the next one starts the language from scratch."""
        (self.language_dir(language) / "state.json").unlink(missing_ok=True)

    def restore(self, language: str, language_site: Path, downloads: Path) -> None:
        """Put the cached finished site of `language` and its packages into a new site."""
        folder = self.language_dir(language)
        link_tree(folder / "final", language_site)
        if (folder / "downloads").is_dir():
            link_tree(folder / "downloads", downloads)

    def keep(
        self,
        language: str,
        state: LanguageState,
        language_site: Path,
        packages: Iterable[Path],
    ) -> None:
        """Remember a finished language site and its packages, made from `state.key`."""
        folder = self.language_dir(language)
        for name in ("final", "downloads"):
            shutil.rmtree(folder / name, ignore_errors=True)
        link_tree(language_site, folder / "final")
        (folder / "downloads").mkdir(parents=True)
        for package in packages:
            link_file(package, folder / "downloads" / package.name)
        (folder / "state.json").write_text(
            json.dumps({"key": state.key, "config": state.config}), encoding="utf-8"
        )


@contextmanager
def open_cache(project_dir: Path) -> Iterator[BuildCache]:
    """The project's cache, locked for this build: a second `sabaq` on the same project (a build
    while `sabaq serve` runs) waits instead of mixing its files in."""
    root = project_dir / CACHE_DIR_NAME
    root.mkdir(exist_ok=True)
    version = root / "format"
    if not version.exists() or version.read_text(encoding="utf-8") != _FORMAT:
        for child in root.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
        version.write_text(_FORMAT, encoding="utf-8")
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield BuildCache(root)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# --- Keys -------------------------------------------------------------------------------------


def language_keys(
    project_dir: Path, languages: Iterable[str], options: dict[str, Any]
) -> dict[str, str]:
    """The key of each language: a hash of everything its pages are made from (see above)."""
    shared = hashlib.sha256()
    shared.update(sabaq_fingerprint().encode("ascii"))
    shared.update(json.dumps(options, sort_keys=True).encode("utf-8"))
    config = project_dir / "mkdocs.yml"
    shared.update(config.read_bytes() if config.is_file() else b"")
    own: dict[str, hashlib._Hash] = {language: hashlib.sha256() for language in languages}
    for relative, path in _project_files(project_dir):
        shared.update(relative.encode("utf-8") + b"\0")
        language = _translation_language(path)
        if language is None:
            shared.update(_file_digest(path))
        elif language in own:
            own[language].update(relative.encode("utf-8") + b"\0" + _file_digest(path))
    base = shared.hexdigest()
    return {
        language: hashlib.sha256(f"{base}:{language}:{digest.hexdigest()}".encode()).hexdigest()
        for language, digest in own.items()
    }


def _project_files(project_dir: Path) -> Iterator[tuple[str, Path]]:
    for folder in ("courses", "quizzes"):
        root = project_dir / folder
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    yield path.relative_to(project_dir).as_posix(), path


def _translation_language(path: Path) -> str | None:
    """`ru` for `01-first.ru.yml`, None for a source file or a picture (as builder/load.py reads
    file names)."""
    if path.suffix not in (".yml", ".yaml"):
        return None
    _, _, language = path.stem.partition(".")
    return language or None


def _file_digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


_fingerprint: str | None = None


def sabaq_fingerprint() -> str:
    """A hash of Sabaq's code, theme, assets and strings, and of the engine's versions: a new
    Sabaq or mkdocs-material builds everything again."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256(_FORMAT.encode())
        for distribution in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions"):
            digest.update(f"{distribution}={metadata.version(distribution)};".encode())
        for path in sorted(_BUILDER_DIR.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(_BUILDER_DIR).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
        _fingerprint = digest.hexdigest()
    return _fingerprint


def config_digest(config: dict[str, Any]) -> str:
    """A hash of a language's MkDocs configuration, its navigation included."""
    text = json.dumps(config, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- Files ------------------------------------------------------------------------------------


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` unless the file already holds exactly it (keeping its modification time, so
    that a dirty MkDocs build leaves its page alone); True if it wrote."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def link_file(source: Path, target: Path) -> None:
    """A hard link where the file system allows it (no copying), a copy elsewhere. Only for files
    nobody changes in place: the cache's finished sites and packages."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def link_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, copy_function=_link_or_copy, dirs_exist_ok=True)


def _link_or_copy(source: str, target: str) -> None:
    link_file(Path(source), Path(target))
