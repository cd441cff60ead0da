"""The only code that replaces a published site folder, atomically.

A build goes into a temporary folder beside the site; only when every language has built does it
take the site's place, by renames on the same file system. A failed build leaves the previous site
exactly as it was.

Every folder made here carries Sabaq's marker (builder/build/folders.py), so that only Sabaq's own
folders are ever replaced, and the leftovers of a build that was killed half-way are recognised
and removed by the next one.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from builder.build.folders import BUILD_PREFIX, OLD_PREFIX, SITE, is_marked, mark, remove_leftovers
from builder.render.root_pages import render_language_chooser, render_not_found_page


def staging_dir(site_dir: Path) -> Path:
    """A fresh folder beside `site_dir` (so the final rename stays on one file system)."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    prefix = BUILD_PREFIX.format(name=f".{site_dir.name}")
    try:
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=site_dir.parent))
    except OSError as error:  # named after the folder, not the random name it was to have
        raise OSError(error.errno, error.strerror, str(site_dir.parent)) from error
    try:
        # mkdtemp makes the folder private (0700); a published site must be readable by the web
        # server.
        staging.chmod(0o755)
        mark(staging, SITE)
    except BaseException:
        discard(staging)
        raise
    return staging


def replace_site(new_site: Path, site_dir: Path, carry_over: Iterable[str] = ()) -> None:
    """Put `new_site` where `site_dir` is, keeping the old one until the new one is in place.

    `carry_over` names paths of the old site (relative, files or folders) that belong in the new
    one as they are, and are not in it yet: they are moved across, by rename, in the instant
    between the two renames, instead of being copied and the old ones deleted."""
    old = None
    moved: list[tuple[Path, Path]] = []
    if site_dir.exists():
        if not is_marked(site_dir, SITE):
            # A site built before the marker existed (builder/build/folders.py: is_old_site), or an
            # empty folder: marked before it moves aside, so that if the build is killed now,
            # the next one recognises the leftover as its own.
            mark(site_dir, SITE)
        old = site_dir.with_name(OLD_PREFIX.format(name=f".{site_dir.name}") + new_site.name)
        site_dir.rename(old)
    try:
        if old is not None:
            for relative in carry_over:
                source, target = old / relative, new_site / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                source.rename(target)
                moved.append((source, target))
        new_site.rename(site_dir)
    except OSError:
        for source, target in reversed(moved):
            target.rename(source)
        if old is not None:
            old.rename(site_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    remove_leftovers(site_dir)


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def write_root_pages(staging: Path, languages: list[str], site_url: str | None) -> None:
    """The site's own files above the language folders: the language chooser, the 404 page."""
    (staging / "index.html").write_text(render_language_chooser(languages), encoding="utf-8")
    not_found = render_not_found_page(languages, site_url)
    (staging / "404.html").write_text(not_found, encoding="utf-8")
    # GitHub Pages would otherwise run Jekyll over the site and drop folders starting with "_".
    (staging / ".nojekyll").write_text("", encoding="utf-8")
