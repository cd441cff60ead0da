"""One project's cache folder: its lock, its marker, its format, and each language's finished
site and packages (see the package's docstring for what it holds)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from builder.build.folders import (
    CACHE,
    CACHE_DIR_NAME,
    MARKER,
    empty_folder,
    first_link,
    is_marked,
    is_real_folder,
    made_here,
    mark,
)
from builder.content.errors import UsageError
from builder.content.languages import LANGUAGE_CODES
from builder.files import link_file, link_tree

#: Bumped when the layout of the cache changes, so that an old cache is not misread.
CACHE_FORMAT = "4"
#: A language's finished site and packages, and what a dirty build of it starts from.
_FINISHED, _WORK = ("final", "downloads"), ("docs", "site")


@dataclass(frozen=True)
class LanguageState:
    #: What the language was made from (`Keys.languages`).
    key: str
    #: Its MkDocs configuration and navigation (`config_digest`).
    config: str
    #: What each course's pages were made from (`Keys.courses`), by course.
    courses: dict[str, str] = field(default_factory=dict)
    #: MkDocs' warnings when the language was built, repeated when it is taken from the cache.
    warnings: list[str] = field(default_factory=list)


class BuildCache:
    """One project's cache folder. Use it inside `open_cache`, which holds its lock."""

    def __init__(self, root: Path, warn: Callable[[str], None] = lambda _: None) -> None:
        self.root = root
        #: Says that a part of the cache was damaged, and is built afresh.
        self.warn = warn
        self._damaged: set[str] = set()

    def language_dir(self, language: str) -> Path:
        return self.root / language

    def nonce(self) -> str:
        """The marker of Sabaq's own HTML in the Markdown (builder/render/markdown_ext.py). Pages are
        compared as text between builds, so it stays the same for as long as the cache lives;
        it is private to this machine (the cache is never committed)."""
        path = self.root / "nonce"
        if not path.exists():
            path.write_text(secrets.token_hex(12), encoding="utf-8")
        return path.read_text(encoding="utf-8").strip()

    def state(self, language: str) -> LanguageState | None:
        path = self.language_dir(language) / "state.json"
        if not os.path.lexists(path):
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return LanguageState(
                data["key"], data["config"], dict(data["courses"]), list(data["warnings"])
            )
        except (OSError, ValueError, KeyError, TypeError):
            self.damaged(path, f"damaged; building '{language}' afresh")
            return None

    def damaged(self, path: Path, problem: str) -> None:
        """Say (once) what is wrong with a file or folder of the cache, and what the build does
        instead."""
        if str(path) not in self._damaged:
            self._damaged.add(str(path))
            self.warn(f"the build cache's {path}: {problem}")

    def is_finished(self, language: str, key: str) -> bool:
        """Whether the language's finished site was made from exactly what `key` stands for, and
        is as it was left (`is_intact`)."""
        state = self.state(language)
        if state is None or state.key != key:
            return False
        return self.is_intact(language)

    def is_intact(self, language: str) -> bool:
        """Whether the language's finished site and packages are as the last build left them.
        Their files are hard links shared with the published site (and the theme's static files
        with the built site a dirty build starts from, `copy_built_site`): if someone changed
        one of those in place, the language is built again from scratch rather than copied back
        or built over."""
        return self._unchanged(language, _FINISHED, "files")

    def can_build_over(self, language: str) -> bool:
        """Whether a dirty build may start from the language's Markdown and built site: they
        and its finished site are as the last build left them (a page cut short in the built
        site would otherwise be published as it is)."""
        return self.is_intact(language) and self._unchanged(language, _WORK, "work")

    def _unchanged(self, language: str, parts: tuple[str, ...], name: str) -> bool:
        folder = self.language_dir(language)
        if not (folder / "final").is_dir():
            return False
        try:
            stored = json.loads((folder / "state.json").read_text(encoding="utf-8"))[name]
        except (OSError, ValueError, KeyError, TypeError):
            return False
        if stored == _files_digest(folder, parts):
            return True
        self.damaged(
            folder,
            "a file in it changed since the last build (perhaps through the published site, "
            f"which shares its files); building '{language}' afresh",
        )
        return False

    def forget(self, language: str) -> None:
        """Mark the language as not built, before building it: if the build stops half-way,
        the next one starts the language from scratch."""
        path = self.language_dir(language) / "state.json"
        if is_real_folder(path):  # damaged: a folder where the file belongs
            shutil.rmtree(path)
        path.unlink(missing_ok=True)

    def restore(self, language: str, language_site: Path, downloads: Path) -> None:
        """Put the cached finished site of `language` and its packages into a new site."""
        folder = self.language_dir(language)
        link_tree(folder / "final", language_site)
        if (folder / "downloads").is_dir():
            link_tree(folder / "downloads", downloads)

    def published_as_kept(self, language: str, site_dir: Path) -> list[str] | None:
        """If `site_dir` holds the cached finished site of `language` and its packages as the
        very same files (the hard links `restore` and `keep` made: same inodes, nothing added or
        removed), the paths under `site_dir` that are the language's; otherwise None.

        Those can be moved into the next site as they are (`write.replace_site`) instead of being
        linked again file by file and the old ones deleted: a tenth of a rebuild after one edit,
        with five languages unchanged."""
        folder = self.language_dir(language)
        published = site_dir / language
        kept = _inodes(folder / "final")
        if not kept or kept != _inodes(published):
            return None
        packages = (
            sorted(os.listdir(folder / "downloads")) if (folder / "downloads").is_dir() else []
        )
        for name in packages:
            try:
                if not os.path.samefile(folder / "downloads" / name, site_dir / "downloads" / name):
                    return None
            except OSError:
                return None
        return [language] + [f"downloads/{name}" for name in packages]

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
        record = {
            "key": state.key,
            "config": state.config,
            "courses": state.courses,
            "warnings": state.warnings,
            "files": _files_digest(folder, _FINISHED),
            "work": _files_digest(folder, _WORK),
        }
        (folder / "state.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def _files_digest(folder: Path, parts: tuple[str, ...]) -> str:
    """A hash of the name, size and modification time of every file in the `parts` of a
    language's folder: any change to one of them changes it."""
    digest = hashlib.sha256()
    for part in parts:
        for directory, _, names in sorted(os.walk(folder / part)):
            for name in sorted(names):
                path = os.path.join(directory, name)
                status = os.stat(path)
                digest.update(f"{path}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _inodes(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` (relative path) and its device and inode; empty if none."""
    found: dict[str, tuple[int, int]] = {}
    pending = [(str(folder), "")]
    while pending:
        directory, prefix = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, f"{prefix}{entry.name}/"))
            else:
                status = entry.stat(follow_symlinks=False)
                found[prefix + entry.name] = (status.st_dev, status.st_ino)
    return found


@contextmanager
def open_cache(project_dir: Path, warn: Callable[[str], None]) -> Iterator[BuildCache | None]:
    """The project's cache, locked for this build: a second `sabaq` on the same project (a build
    while `sabaq serve` runs) waits instead of mixing its files in. None if `.sabaq-cache` is a
    file: not Sabaq's, so it is left alone and the build goes without the cache (`warn` says so).

    Only a folder Sabaq made is used or emptied (builder/build/folders.py): a link, or a folder with
    files Sabaq did not make, is refused (`UsageError`). A cache that is damaged, or was copied
    or cloned from elsewhere, is emptied and the build starts afresh, and `warn` says so."""
    # Absolute: MkDocs reads the paths in a configuration relative to the configuration file.
    # Not resolved: a link is refused, never followed.
    root = project_dir.absolute() / CACHE_DIR_NAME
    if not _usable_cache_folder(root, warn):
        yield None
        return
    if os.path.lexists(root / "lock") and not (root / "lock").is_file():
        _start_afresh(root, warn, f"{root / 'lock'} is not a file")
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            _check_format(root, warn)
            cache = BuildCache(root, warn)
            cache.nonce()  # now, before anything else reads the cache: a damaged one starts afresh
            yield cache
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


#: What a cache made before Sabaq marked its folders holds: a folder with only these is one.
_OLD_CACHE_NAMES = frozenset(
    {"format", "lock", "nonce", "template-cache", "images", *LANGUAGE_CODES}
    | {f"documents.sqlite{end}" for end in ("", "-journal", "-wal", "-shm")}
)


#: Cache folders this process found no link in.
_LOOKED_THROUGH: set[Path] = set()


def _usable_cache_folder(root: Path, warn: Callable[[str], None]) -> bool:
    """Whether `root` is a cache folder Sabaq may use, made (or emptied and marked) now if need
    be; False for a file, which is left alone. Refuses what is not Sabaq's (`UsageError`)."""
    if root.is_symlink():
        raise UsageError(
            f"{root} is a link to {os.readlink(root)}, not Sabaq's build cache: Sabaq keeps its "
            "cache in a folder of its own and never touches what a link points to. Delete the "
            "link (only the link) and build again, or build with --no-cache"
        )
    if os.path.lexists(root) and not root.is_dir():
        warn(
            f"{root} is a file, not Sabaq's build cache: building without the cache (delete or "
            "move the file away to use the cache again)"
        )
        return False
    with contextlib.suppress(FileExistsError):  # made by another build at this very moment
        root.mkdir()
        mark(root, CACHE)
        return True
    marked = is_marked(root, CACHE)
    names = {child.name for child in root.iterdir()}
    # A cache made before the marker existed: the names it holds, and its `format` file.
    old = not marked and "format" in names and names <= _OLD_CACHE_NAMES
    if not (marked or old or not names):
        raise UsageError(
            f"{root} is not Sabaq's build cache (it has no {MARKER} file), so Sabaq will neither "
            "use nor delete it: move it away or delete it yourself, or build with --no-cache"
        )
    # Once per process: the preview rebuilds again and again in the same cache, which only it
    # writes to meanwhile (looking through a large cache is a few per cent of a rebuild).
    link = None if root in _LOOKED_THROUGH else first_link(root)
    if link is not None:
        raise UsageError(
            f"{link} is a link, and Sabaq makes none in its build cache: this cache is not "
            f"Sabaq's, so Sabaq will neither use nor delete it. Delete {root} yourself (after "
            "checking what the link points to), or build with --no-cache"
        )
    _LOOKED_THROUGH.add(root)
    if marked and not made_here(root):
        # What the cache holds is loaded as code (compiled templates, parsed files), so a cache
        # that came with a cloned repository must not be used: it is emptied, like a damaged one.
        _start_afresh(root, warn, "it was made in another folder or on another computer")
        mark(root, CACHE)
    elif not marked:
        empty_folder(root)
        mark(root, CACHE)
    return True


def _start_afresh(
    root: Path, warn: Callable[[str], None], reason: str, keep: frozenset[str] = frozenset()
) -> None:
    warn(f"the build cache {root} cannot be used ({reason}): building everything afresh")
    empty_folder(root, keep=keep | {MARKER})


def _check_format(root: Path, warn: Callable[[str], None]) -> None:
    """Empty a cache of another layout (an older Sabaq's), or whose `format` or `nonce` file is
    damaged, before anything reads it."""
    version = root / "format"
    try:
        found: bytes | None = version.read_bytes()
    except FileNotFoundError:
        found = None
    except OSError:
        found = b"?"
    nonce = root / "nonce"
    damaged = found is not None and not found.isdigit()
    try:
        damaged = damaged or (
            os.path.lexists(nonce) and re.fullmatch(rb"[0-9a-f]{24}", nonce.read_bytes()) is None
        )
    except OSError:
        damaged = True
    if damaged:
        # The lock stays: this build holds it.
        reason = f"its {version.name} or {nonce.name} file is damaged"
        _start_afresh(root, warn, reason, keep=frozenset({"lock"}))
    elif found != CACHE_FORMAT.encode():
        empty_folder(root, keep=frozenset({MARKER, "lock"}))
    if damaged or found != CACHE_FORMAT.encode():
        version.write_text(CACHE_FORMAT, encoding="utf-8")


# --- Parsed files -----------------------------------------------------------------------------
