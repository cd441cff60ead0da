"""The build cache in `<project>/.sabaq-cache/`: what does not change is not built again.

A trainer edits one module in one language and builds again. Most of the site is the same as last
time, so the cache keeps, per language:

- `docs/`: the Markdown MkDocs read last time. Only the pages of courses made from changed files
  are rendered again, and a page is written again only when its text changed, so its file is newer
  than its built page and MkDocs' `dirty` build renders only it. That is exact when the navigation,
  the configuration and Sabaq itself are the same as last time (`config_digest`); otherwise the
  language is built in full;
- `site/`: what MkDocs built, which a dirty build updates in place (the search index is merged:
  a dirty build indexes only the pages it built);
- `final/` and `downloads/`: the finished language site and its packages, taken as they are when
  nothing the language is made from has changed. A package carries the hash of what it was made
  from as its zip comment, so an unchanged course's package is not zipped again either;
- `state.json`: the keys the language and each of its courses were made from, written only after
  a whole build succeeded. A language without it is built from scratch.

Besides: `documents.sqlite`, every YAML file as parsed (by path and content); `template-cache/`,
mkdocs-material's templates compiled; `images/`, the course pictures as prepared, by the hash of
their source (builder/render/images.py); `nonce`, the marker of Sabaq's own HTML in the Markdown.

A language's key is a hash of everything its pages are made from: Sabaq's own code and the versions
of MkDocs and mkdocs-material, `mkdocs.yml`, the names of all course and quiz files, the content of
every file that is not a translation (the English source, pictures, quizzes), and the content of
the language's own translations. Editing `01-first.ru.yml` changes only the Russian key; editing
`01-first.yml` changes them all. A course's key in a language covers what its pages are made from:
the shared part, the quizzes and the course's own folder. Keys compare content, not modification
times, so a checkout or a copy does not rebuild anything. Nothing in the cache is trusted that a
key does not cover: tests/test_cache.py checks that rebuilt sites equal sites built from scratch.

Deleting the folder is always safe: the next build is a full one.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import hashlib
import json
import os
import pickle
import re
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Generic, TypeVar

from builder.build.folders import (
    CACHE,
    CACHE_DIR_NAME,
    MARKER,
    copy_tree,
    empty_folder,
    first_link,
    is_marked,
    is_real_folder,
    made_here,
    mark,
)
from builder.content.errors import UsageError
from builder.content.languages import LANGUAGE_CODES
from builder.content.load import (
    READ_BY_EVERY_LANGUAGE,
    Document,
    load_document,
    parse_document,
    root_file_paths,
)
from builder.content.project_files import files_under, stays_inside
from builder.settings import SETTINGS

#: Bumped when the layout of the cache changes, so that an old cache is not misread.
_FORMAT = "4"
_BUILDER_DIR = Path(__file__).parents[1]
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


@dataclass(frozen=True)
class Keys:
    #: language -> the key of everything the language's site is made from.
    languages: dict[str, str]
    #: language -> course folder -> the key of what the course's pages are made from: the
    #: course's folder, the quizzes, and what every page shares (Sabaq, mkdocs.yml, file names).
    courses: dict[str, dict[str, str]]


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
    elif found != _FORMAT.encode():
        empty_folder(root, keep=frozenset({MARKER, "lock"}))
    if damaged or found != _FORMAT.encode():
        version.write_text(_FORMAT, encoding="utf-8")


# --- Parsed files -----------------------------------------------------------------------------


class ParsedFiles:
    """YAML files as parsed before, by path and content, in `documents.sqlite`: reading a large
    project's YAML with positions is a third of a rebuild, and an edit changes one file. SQLite
    finds one document without reading the others, and holds none of them in memory."""

    def __init__(
        self, root: Path, recent: RecentDocuments | None = None, cache: BuildCache | None = None
    ) -> None:
        self.recent = recent
        self.path = root / "documents.sqlite"
        self.cache = cache
        self.used: set[str] = set()
        self.database = self._connect()

    def _connect(self) -> sqlite3.Connection:
        try:
            database = sqlite3.connect(self.path)
        except sqlite3.DatabaseError:  # e.g. a folder where the file belongs
            return self._start_afresh()
        try:
            database.execute(
                "CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, document BLOB)"
            )
            return database
        except sqlite3.DatabaseError:
            database.close()
            return self._start_afresh()

    def _start_afresh(self) -> sqlite3.Connection:
        """A damaged file (garbage, cut short) is replaced by an empty one: every YAML file is
        parsed again."""
        if self.cache is not None:
            self.cache.damaged(self.path, "damaged; reading every course file afresh")
        with contextlib.suppress(AttributeError, sqlite3.Error):
            self.database.close()
        if is_real_folder(self.path):
            shutil.rmtree(self.path)
        self.path.unlink(missing_ok=True)
        database = sqlite3.connect(self.path)
        database.execute("CREATE TABLE documents (name TEXT PRIMARY KEY, document BLOB)")
        return database

    def read(self, path: Path) -> Document:
        """What `load_document(path)` gives, from the cache if the file is as it was."""
        try:
            raw = path.read_bytes()
        except OSError:
            return load_document(path)
        # With Sabaq's fingerprint: what the loader checks changes with Sabaq (builder/content/load.py),
        # so a file parsed by another version is parsed again.
        key = f"{sabaq_fingerprint()}\0{path}\0".encode()
        name = hashlib.sha256(key + raw).hexdigest()
        self.used.add(name)
        if self.recent is not None and (remembered := self.recent.get(name)) is not None:
            return remembered
        try:
            row = self.database.execute(
                "SELECT document FROM documents WHERE name = ?", (name,)
            ).fetchone()
        except sqlite3.DatabaseError:
            self.database, row = self._start_afresh(), None
        if row is not None:
            try:
                document = pickle.loads(row[0])
                if isinstance(document, Document):
                    if self.recent is not None:
                        self.recent.put(name, document)
                    return document
            except Exception:  # noqa: BLE001 - a damaged entry (any error unpickling) is parsed again
                pass
        document = parse_document(path, raw)
        if not document.errors:  # errors are always found afresh, with today's wording
            try:
                self.database.execute(
                    "INSERT OR REPLACE INTO documents VALUES (?, ?)",
                    (name, pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)),
                )
            except sqlite3.DatabaseError:
                self.database = self._start_afresh()
            if self.recent is not None:
                self.recent.put(name, document)
        return document

    def save(self, *, read_everything: bool) -> None:
        """Keep what was parsed for the next build. After reading every file of the project,
        documents of files that changed or went away are dropped."""
        try:
            if read_everything:
                self.database.execute("CREATE TEMP TABLE used (name TEXT PRIMARY KEY)")
                self.database.executemany("INSERT INTO used VALUES (?)", ((n,) for n in self.used))
                self.database.execute(
                    "DELETE FROM documents WHERE name NOT IN (SELECT name FROM used)"
                )
            self.database.commit()
        except sqlite3.DatabaseError:
            self.database = self._start_afresh()
        self.database.close()


K = TypeVar("K")
V = TypeVar("V")


class RecentlyUsed(Generic[K, V]):
    """Values by key, the most recently used kept while their total `weight` (1 each unless
    given) is at most `limit`: what a long-running process (`sabaq serve`) keeps between builds."""

    def __init__(self, limit: int, weight: Callable[[V], int] = lambda _: 1) -> None:
        self.limit = limit
        self.weight = weight
        self.total = 0
        self.entries: collections.OrderedDict[K, V] = collections.OrderedDict()

    def get(self, key: K) -> V | None:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> V:
        if key in self.entries:
            self.total -= self.weight(self.entries.pop(key))
        self.entries[key] = value
        self.total += self.weight(value)
        while self.total > self.limit:
            _, dropped = self.entries.popitem(last=False)
            self.total -= self.weight(dropped)
        return value


class RecentDocuments(RecentlyUsed[str, Document]):
    """The documents the preview read in its last builds, in memory, up to `limit` of them:
    taking them from `documents.sqlite` again was a tenth of a rebuild after one edit, and the
    edit changes one file. Nothing changes a document once it is parsed (validation reads it),
    so one object can serve every build."""

    def __init__(self, limit: int = SETTINGS.recent_documents) -> None:
        super().__init__(limit)


# --- Keys -------------------------------------------------------------------------------------


def project_keys(project_dir: Path, languages: Iterable[str], options: dict[str, Any]) -> Keys:
    """The key of each language, and of each course in each language (see above)."""
    base = hashlib.sha256()
    base.update(sabaq_fingerprint().encode("ascii"))
    base.update(json.dumps(options, sort_keys=True).encode("utf-8"))
    config = project_dir / "mkdocs.yml"
    base.update(config.read_bytes() if config.is_file() else b"")
    # Digests of files by where they belong: (course folder or "" for quizzes, language or "").
    digests: dict[tuple[str, str], hashlib._Hash] = {}
    for relative, path in _project_files(project_dir):
        base.update(relative.encode("utf-8") + b"\0")
        parts = relative.split("/")
        folder = parts[1] if parts[0] == "courses" and len(parts) > 2 else ""
        language = _translation_language(path) or ""
        if relative.partition(".")[0] in READ_BY_EVERY_LANGUAGE:
            language = ""
        digest = digests.setdefault((folder, language), hashlib.sha256())
        digest.update(relative.encode("utf-8") + b"\0" + _file_digest(path))
    common = base.hexdigest()

    def combined(*parts: tuple[str, str]) -> str:
        total = hashlib.sha256(common.encode("ascii"))
        for part in parts:
            total.update(f"|{part[0]}/{part[1]}:".encode())
            if part in digests:
                total.update(digests[part].hexdigest().encode("ascii"))
        return total.hexdigest()

    folders = sorted({folder for folder, _ in digests if folder})
    sources = [(folder, "") for folder in ["", *folders]]
    language_keys = {}
    course_keys = {}
    for language in languages:
        own = [(folder, language) for folder in ["", *folders]]
        language_keys[language] = combined(*sources, *own)
        course_keys[language] = {
            folder: combined(("", ""), ("", language), (folder, ""), (folder, language))
            for folder in folders
        }
    return Keys(language_keys, course_keys)


def _project_files(project_dir: Path) -> Iterator[tuple[str, Path]]:
    """The files the build reads, as builder/content/load.py finds them. A link out of the project is
    never read (it could lead to /dev/zero): validation refuses it, so no key is used with it."""
    courses = project_dir / "courses"
    # Each course on its own, as builder/content/load.py reads them: a folder two courses link to counts
    # in both.
    folders = sorted(courses.iterdir()) if courses.is_dir() else []
    for folder in [*folders, project_dir / "quizzes"]:
        for path, inside in files_under(folder, project_dir):
            if inside:
                yield path.relative_to(project_dir).as_posix(), path
    # The glossary counts with the quizzes: every course's pages may link to it.
    for path in root_file_paths(project_dir):
        if stays_inside(path, project_dir):
            yield path.name, path


def _translation_language(path: Path) -> str | None:
    """`ru` for `01-first.ru.yml`, None for a source file or a picture (as builder/content/load.py reads
    file names)."""
    if path.suffix not in (".yml", ".yaml"):
        return None
    _, _, language = path.stem.partition(".")
    return language or None


def _file_digest(path: Path) -> bytes:
    with path.open("rb") as file:  # in pieces: a picture may be large
        return hashlib.file_digest(file, "sha256").digest()


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
    """A hash of a language's MkDocs configuration, its navigation included, and of Sabaq itself
    (its theme shapes every page): if it changes, no built page can be kept."""
    text = json.dumps(config, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{sabaq_fingerprint()}\n{text}".encode()).hexdigest()


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


def copy_built_site(built_site: Path, target: Path) -> None:
    """Copy the site a cached MkDocs build made (`<language>/site`, beside its `docs/`) to
    `target`, hard-linking the theme's own static files instead of copying them.

    The cache's built site is updated in place by the next dirty build, so what that build may
    write again is copied: the pages, the search index, and every file that comes from `docs/`
    (Sabaq's assets, pictures). The theme's static files under `assets/` (four megabytes of
    scripts, styles and search languages, most of the bytes) are never written again by a dirty
    build: MkDocs copies a static file only when its source is newer than the built one, and
    a new theme or Sabaq changes the configuration's digest, which starts the language afresh
    in an empty folder (`build._prepare_language`)."""
    docs_dir = built_site.parent / "docs"

    def link_theme_assets(source: str, destination: str) -> None:
        relative = os.path.relpath(source, built_site)
        if relative.startswith("assets/") and not (docs_dir / relative).exists():
            link_file(Path(source), Path(destination))
        else:
            shutil.copy2(source, destination)

    copy_tree(built_site, target, link_theme_assets)


def link_tree(source: Path, target: Path) -> None:
    copy_tree(source, target, _link_or_copy, dirs_exist_ok=True)


def _link_or_copy(source: str, target: str) -> None:
    link_file(Path(source), Path(target))
