"""Which files belong to a project: the one rule every stage that reads course files follows.

A cloned repository can hold symbolic links. One that leads out of the project (to a home
folder, `/etc`, `/dev/zero`) would publish or read a file its author never had, so Sabaq reads
nothing a link leads to outside the project folder. Links that stay inside are allowed: a picture
two courses share, or a module kept once, are honest uses, and everything they lead to is the
repository's own. Hidden folders (`.git/`, `.sabaq-cache/`) count as outside: they hold what git
and Sabaq wrote on this computer (a remote's address with its password, say), never course files.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

LINK_OUTSIDE_HINT = (
    "copy the file into the project instead of linking to it: Sabaq reads nothing outside the "
    "project folder, so that a shared project cannot publish files from your computer"
)


def stays_inside(path: Path, project: Path) -> bool:
    """Whether `path`, with every link on the way followed, is inside `project` and outside its
    hidden folders. A broken or looping link stays where it is (and is then no file to read)."""
    real = Path(os.path.realpath(path))
    try:
        parts = real.relative_to(os.path.realpath(project)).parts
    except ValueError:
        return False
    return not any(part.startswith(".") for part in parts)


def files_under(folder: Path, project: Path) -> Iterator[tuple[Path, bool]]:
    """Every file under `folder` as (path, True), in sorted order, following the links that stay
    inside `project` (each real folder once, so a link to a parent folder cannot loop), and
    every link that leads out as (path, False), not followed: the stage that reads the files
    reports those (builder/content/load.py). `folder` itself may be such a link."""
    if not stays_inside(folder, project):
        if folder.is_symlink():
            yield folder, False
        return
    seen: set[str] = set()

    def walk(directory: Path) -> Iterator[tuple[Path, bool]]:
        real = os.path.realpath(directory)
        if real in seen:
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            return
        for entry in entries:
            path = Path(entry.path)
            # Only a link can lead elsewhere: other entries of a folder inside are inside, unless
            # hidden (a stat per file is what a large project's rebuild can afford).
            if entry.is_symlink():
                if not stays_inside(path, project):
                    yield path, False
                    continue
            elif entry.name.startswith("."):
                continue
            if entry.is_dir():
                yield from walk(path)
            elif entry.is_file():
                yield path, True

    if folder.is_dir():
        yield from walk(folder)
