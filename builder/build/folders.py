"""The folders Sabaq makes, and the only ones it deletes or replaces.

A cloned course repository can name any folder as the site (`--site-dir`), or ship a link named
`.sabaq-cache` or `site` that points at the trainer's own files. So Sabaq writes a marker file
(`MARKER`) into every folder it makes to replace or delete later (the site, its temporary build
folders, the build cache), and before it deletes or replaces one it checks that the folder is a
real folder (never a link: deleting through one deletes what it points to), carries the marker,
and is neither the project, nor a folder that holds it, nor one Sabaq reads course files from.
Anything else is refused with a `UsageError` before anything is written.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import re
import secrets
import shutil
from pathlib import Path

from builder.content.errors import UsageError
from builder.content.languages import LANGUAGE_CODES

MARKER = ".sabaq-made"
#: The build cache's folder in the project (builder/build/cache.py).
CACHE_DIR_NAME = ".sabaq-cache"
_HEADER = "Made by Sabaq"
SITE, CACHE = "site", "build cache"
#: Where a build's temporary folders go, beside the site folder `name` (builder/build/write.py).
BUILD_PREFIX, OLD_PREFIX = "{name}-build-", "{name}-old-"
#: What a site built before the marker existed holds at its top (build.py writes them all).
_OLD_SITE_NAMES = frozenset({"index.html", "404.html", ".nojekyll", "downloads", *LANGUAGE_CODES})


def mark(folder: Path, kind: str) -> None:
    """Mark `folder` as made by Sabaq as its `kind` (SITE or CACHE). A cache's marker also names
    the folder itself (device and inode), signed with this computer's key: a cache copied or
    cloned from elsewhere is not trusted (`made_here`), since what it holds (compiled templates,
    parsed files) is loaded as code, and a repository cannot forge the signature."""
    identity = ""
    if kind == CACHE:
        identity = f"folder {_folder_identity(folder)} {_signature(folder)}\n"
    text = f"{_HEADER} as its {kind}: Sabaq may delete or replace this folder.\n{identity}"
    (folder / MARKER).write_text(text, encoding="utf-8")


def _folder_identity(folder: Path) -> str:
    status = os.stat(folder, follow_symlinks=False)
    return f"{status.st_dev}:{status.st_ino}"


def _signature(folder: Path) -> str:
    """What only this computer's user can write for this folder: an HMAC of where it is, with a
    key kept outside every project (an inode number alone could be guessed)."""
    message = f"{_folder_identity(folder)} {folder.resolve()}".encode()
    return hmac.new(_machine_key(), message, hashlib.sha256).hexdigest()


def _key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sabaq" / "cache-key"


@functools.cache
def _machine_key() -> bytes:
    """This user's key for cache markers, made at first use. Without a place to keep it, a
    fresh key each run: every cache is then started afresh, which is slow but safe."""
    path = _key_file()
    with contextlib.suppress(OSError, ValueError):
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(key) == 32:
            return key
    key = secrets.token_bytes(32)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(key.hex())
        return key
    # Another process made it meanwhile: theirs is the key.
    with contextlib.suppress(OSError, ValueError):
        stored = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(stored) == 32:
            return stored
    return key


def _marker_text(folder: Path) -> str:
    path = folder / MARKER
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > 1000:
            return ""
        return path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return ""


def is_marked(folder: Path, kind: str) -> bool:
    """Whether `folder` is a real folder (not a link) that Sabaq marked as its `kind`."""
    return is_real_folder(folder) and _marker_text(folder).startswith(f"{_HEADER} as its {kind}:")


def made_here(folder: Path) -> bool:
    """Whether a marked cache is the very folder Sabaq marked on this computer (not a copy or a
    clone of it, nor a marker someone wrote to look like one)."""
    found = re.search(r"^folder (\d+:\d+) ([0-9a-f]{64})$", _marker_text(folder), re.MULTILINE)
    return (
        found is not None
        and found.group(1) == _folder_identity(folder)
        and hmac.compare_digest(found.group(2), _signature(folder))
    )


def is_real_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def first_link(folder: Path) -> Path | None:
    """The first link (symbolic link) anywhere under `folder`, if any. Sabaq makes none in its
    own folders, so one there means someone else put it there, and writing or deleting through
    it would reach outside."""
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    return Path(entry.path)
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
    return None


def empty_folder(folder: Path, keep: frozenset[str] = frozenset()) -> None:
    """Delete everything in `folder`, a real folder Sabaq marked, but the names in `keep`.
    Links inside are removed, never followed."""
    for child in folder.iterdir():
        if child.name in keep:
            continue
        if is_real_folder(child):
            shutil.rmtree(child)
        else:
            child.unlink()


def _real(path: Path) -> Path:
    """`path` with every link in the folders above it resolved, but not `path` itself."""
    return path.parent.resolve() / path.name


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_site_dir(project_dir: Path, site_dir: Path) -> None:
    """Refuse (`UsageError`) a site folder a build must not replace: a link, a file, the project
    or a folder holding it, a folder inside its course files or cache, or a folder with files in
    it that Sabaq did not make. A site built before the marker existed (the files every Sabaq
    build writes, and nothing else) is Sabaq's: `is_old_site`."""
    project, site = project_dir.resolve(), _real(site_dir)
    if site.is_symlink():
        raise UsageError(
            f"the site folder {site_dir} is a link to {os.readlink(site)}: a build replaces the "
            "whole site folder, and through a link it would replace what the link points to. "
            "Give the real folder with --site-dir, or remove the link"
        )
    if _inside(project, site):
        raise UsageError(
            f"the site folder {site_dir} is the project folder or holds it: building there would "
            f"replace your course files. Choose a folder of its own, such as {project / 'site'}, "
            "with --site-dir"
        )
    for name in ("courses", "quizzes", CACHE_DIR_NAME):
        folder = project / name
        # Course folders also where they really are, if links (the cache is refused as a link).
        real = folder if name == CACHE_DIR_NAME else folder.resolve()
        if _inside(site, folder) or _inside(site, real):
            raise UsageError(
                f"the site folder {site_dir} is inside {folder}, which Sabaq reads or "
                "keeps for itself: choose a folder outside it with --site-dir"
            )
    if not os.path.lexists(site):
        return
    if not site.is_dir():
        raise UsageError(
            f"the site folder {site_dir} is a file, not a folder: choose another folder with "
            "--site-dir, or move the file away"
        )
    if is_marked(site, SITE) or is_old_site(site) or not any(site.iterdir()):
        return
    raise UsageError(
        f"the site folder {site_dir} holds files Sabaq did not make, and a build replaces the "
        "whole folder: choose a new or empty folder with --site-dir (or, if it is an old site "
        "you no longer need, delete it yourself)"
    )


def is_old_site(site: Path) -> bool:
    """A site Sabaq built before it marked its folders: the language chooser, `.nojekyll` and at
    least one language folder at the top, and nothing there but what a build writes. A folder
    holding anything else (someone's own files) is not one."""
    names = {child.name for child in site.iterdir()}
    languages = names & set(LANGUAGE_CODES)
    return (
        names <= _OLD_SITE_NAMES
        and {"index.html", ".nojekyll"} <= names
        and bool(languages)
        and all(is_real_folder(site / code) for code in languages)
    )


def remove_leftovers(site_dir: Path, keep: Path | None = None) -> None:
    """Delete the temporary folders beside `site_dir` that a build stopped half-way (killed, or
    the computer switched off) left behind: only real folders carrying the site's marker."""
    patterns = [p.format(name=f".{site_dir.name}") for p in (BUILD_PREFIX, OLD_PREFIX)]
    for child in site_dir.parent.iterdir():
        if child != keep and child.name.startswith(tuple(patterns)) and is_marked(child, SITE):
            shutil.rmtree(child, ignore_errors=True)
