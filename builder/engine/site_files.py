"""The files of an engine build: the Markdown pages it reads, Sabaq's scripts and styles it
publishes, and a built site copied to where the new site is assembled."""

from __future__ import annotations

import logging
import os
import shutil
from functools import cache
from pathlib import Path

from builder.files import copy_tree, link_file, write_if_changed

log = logging.getLogger(__name__)

ASSETS_DIR = Path(__file__).parents[1] / "assets"


FEATURES_DIR = Path(__file__).parents[1] / "features"
#: Scripts in place of mkdocs-material's inline ones, and around its markup.
THEME_ASSETS_DIR = Path(__file__).parent / "theme_assets"


class PageWriter:
    """Writes a job's Markdown pages into `work_dir/docs` as they are rendered (a catalogue's
    language is too large to hold before writing), then the rest with `finish`. Unchanged pages
    keep their files (and modification times, so that a dirty build leaves them alone)."""

    def __init__(self, work_dir: Path) -> None:
        self.docs_dir = work_dir / "docs"
        #: Every page given, written or unchanged.
        self.pages: set[str] = set()
        self.written: list[str] = []

    def __call__(self, relative: str, text: str) -> None:
        self.pages.add(relative)
        if write_if_changed(self.docs_dir / relative, text.encode("utf-8")):
            self.written.append(relative)

    def finish(self, pages: dict[str, str], *, keep_others: bool = False) -> list[str]:
        """Write `pages` too; remove the pages not given unless `keep_others`. Returns the pages
        written."""
        for relative, text in pages.items():
            self(relative, text)
        if self.docs_dir.is_dir() and not keep_others:
            for path in self.docs_dir.rglob("*.md"):
                if path.relative_to(self.docs_dir).as_posix() not in self.pages:
                    path.unlink()
        return self.written


def copy_assets(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for asset in asset_files():
        write_if_changed(target / asset.name, published(asset))


@cache
def published(asset: Path) -> bytes:
    """An asset as pages load it: scripts and styles without their comments and spacing (a
    module page's own scripts and styles are a third smaller compressed), kept readable in
    the repository. Licence comments (`/*! ... */`) stay."""
    data = asset.read_bytes()
    if asset.suffix == ".js" and not asset.name.endswith(".min.js"):
        import rjsmin

        return rjsmin.jsmin(data, keep_bang_comments=True)  # type: ignore[no-any-return]
    if asset.suffix == ".css" and not asset.name.endswith(".min.css"):
        import rcssmin

        return rcssmin.cssmin(data, keep_bang_comments=True)  # type: ignore[no-any-return]
    return data


def asset_files() -> list[Path]:
    """Sabaq's scripts and styles: builder/assets/, the scripts that stand in for Material's inline
    ones (engine/theme_assets/), and each feature folder's own (its pages decide whether to load
    them: theme/main.html)."""
    files = [asset for asset in ASSETS_DIR.iterdir() if asset.is_file()]
    files += sorted(THEME_ASSETS_DIR.iterdir())
    for folder in sorted(FEATURES_DIR.iterdir()):
        if folder.is_dir():
            files += sorted(p for p in folder.iterdir() if p.suffix in (".js", ".css"))
    return files


def copy_built_site(built_site: Path, target: Path) -> None:
    """Copy the site a cached MkDocs build made (`<language>/site`, beside its `docs/`) to
    `target`, hard-linking the theme's own static files instead of copying them.

    The cache's built site is updated in place by the next dirty build, so what that build may
    write again is copied: the pages, the search index, and every file that comes from `docs/`
    (Sabaq's assets, pictures). The theme's static files under `assets/` (four megabytes of
    scripts, styles and search languages, most of the bytes) are never written again by a dirty
    build: MkDocs copies a static file only when its source is newer than the built one, and
    a new theme or Sabaq changes the configuration's digest, which starts the language afresh
    in an empty folder (`CachedBuild.prepare`, builder/build/incremental.py)."""
    docs_dir = built_site.parent / "docs"

    def link_theme_assets(source: str, destination: str) -> None:
        relative = os.path.relpath(source, built_site)
        if relative.startswith("assets/") and not (docs_dir / relative).exists():
            link_file(Path(source), Path(destination))
        else:
            shutil.copy2(source, destination)

    copy_tree(built_site, target, link_theme_assets)
