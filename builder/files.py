"""Writing, linking and copying files: the helpers every stage that writes uses.

Hard links stand in for copies wherever the file system allows, and only for files nobody changes in
place; an error of the disk (full, read-only, not allowed) stops a copy at once and is raised as it
is, so that the command line can say what to do.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

#: Errors of the disk, not of the project (full, read-only, not allowed): the command line reports
#: them, naming the file and what to do (builder/cli/main.py), rather than as a failed build.
DISK_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})


def is_disk_error(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in DISK_ERRORS


class _DiskError(Exception):
    """Carries an error of the disk out of `shutil.copytree`, which would otherwise note it for
    each file, go on, and raise them all as text without their error numbers."""

    def __init__(self, error: OSError) -> None:
        self.error = error


def copy_tree(
    source: Path, target: Path, copy: Callable[[str, str], object], *, dirs_exist_ok: bool = False
) -> None:
    """`shutil.copytree`, stopping at the first error of the disk and raising it as it is."""

    def copy_or_stop(from_path: str, to_path: str) -> None:
        try:
            copy(from_path, to_path)
        except OSError as error:
            if is_disk_error(error):
                raise _DiskError(error) from error
            raise

    try:
        shutil.copytree(source, target, copy_function=copy_or_stop, dirs_exist_ok=dirs_exist_ok)
    except _DiskError as stop:
        raise stop.error from None


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
    copy_tree(source, target, _link_or_copy, dirs_exist_ok=True)


def _link_or_copy(source: str, target: str) -> None:
    link_file(Path(source), Path(target))
