"""Sabaq's own knobs, in one place: sizes, widths, cache limits, the preview's defaults and the
names of the folders Sabaq writes in a site.

These are decisions of Sabaq's, not of a course project: a trainer cannot change them (what a
project may set is in its `mkdocs.yml`, checked by `builder/render/site_settings.py`). The limits
on what a course file may hold are part of the course format and live with it, in
`builder/content/limits.py`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    # --- Reading course files -----------------------------------------------------------------
    max_file_bytes: int = 1_000_000
    """Larger course files are refused: nobody writes a module that long, and it keeps a run's
    memory bounded."""

    max_yaml_depth: int = 40
    """Deeper nesting is refused before the YAML parser recurses into it."""

    # --- Pictures -----------------------------------------------------------------------------
    image_max_width: int = 1200
    """Pictures wider than this are scaled down: no page shows more pixels across."""

    jpeg_quality: int = 80
    """Quality of the JPEG pictures Sabaq writes."""

    one_file_picture_width: int = 640
    """Pictures in the one-file course (`downloads/<course>-<language>.html`) are scaled
    down to this width: it is read on phones, and every picture travels inside the file."""

    image_max_pixels: int = 50_000_000
    """Larger pictures are refused before they are decoded: a small file can declare a huge
    picture (a "decompression bomb"). 50 megapixels holds a 48-megapixel phone photo."""

    image_max_file_bytes: int = 100_000_000
    """Larger picture files are refused before they are read."""

    # --- The published site -------------------------------------------------------------------
    asset_dir: str = "assets/sabaq"
    """Where Sabaq's scripts, styles and icons go in each language's site."""

    downloads_dir: str = "downloads"
    """Where the downloadable course packages go in each language's site."""

    theme_color: str = "#4051b5"
    """The web app's colour: mkdocs-material's indigo, the default palette."""

    icon_sizes: tuple[int, ...] = (192, 512)
    """The web app's icons, in pixels (square), as shipped in builder/assets/."""

    favicon_size: int = 32
    """The pages' icon, builder/assets/favicon.png: the app icon drawn small (a few hundred bytes
    where Material's is 2 KB, on every first visit)."""

    pages_per_engine_run: int = 400
    """A language with more pages is built by several MkDocs runs over the same navigation, each
    rendering a few courses' pages: MkDocs holds every page of a run in memory, which at 2,700
    pages a language took a worker past half a gigabyte."""

    zip_level: int = 6
    """Deflate level of each course's own files in a package: zlib's default is within 1 % of 9
    on these files and several times faster. Files every package shares are compressed at 9."""

    print_browser: str = "/usr/bin/chromium"
    """The Chromium that prints the courses' PDFs (`sabaq build --print`): Debian's, never a
    browser downloaded by Playwright."""

    # --- A catalogue -----------------------------------------------------------------------------
    courses_held_whole: int = 20
    """A project with more courses keeps each validated course and quiz bank compressed
    (`StoredEditions`), reading one back at a time: a course in six languages held whole takes
    about 3.5 MB, and compressing it costs about 15 ms a build, which a rebuild of a small
    project would pay for nothing."""

    # --- Pages ---------------------------------------------------------------------------------
    nav_every_course_up_to: int = 12
    """A language with more courses lists only a page's own course in its navigation (and the
    home page lists them all): a phone's drawer shows about a dozen titles in two screens, and
    every title is on every page."""

    # --- Memory a long-running process keeps between builds (`sabaq serve`) --------------------
    packaged_files_bytes: int = 8 * 1024 * 1024
    """Course files as packaged, compressed, kept to make a package again after one edit."""

    recent_documents: int = 2000
    """Parsed course files kept in memory between the preview's builds."""

    # --- The build server ------------------------------------------------------------------------
    build_server_idle_seconds: float = 30 * 60
    """How long a build server (builder/cli/build_server.py) waits for the next `sabaq build`
    before it stops: a trainer's session of editing and building, not the whole day."""

    # --- The preview --------------------------------------------------------------------------
    preview_port: int = 8000
    """The port `sabaq serve` listens on unless told otherwise."""

    preview_poll_seconds: float = 0.5
    """How often the preview compares the project's files when the system reports no change."""

    preview_settle_seconds: float = 0.02
    """After a reported change, how long to wait for the editor's other writes (a save can be a
    write to a temporary file and a rename) before comparing the files."""


SETTINGS = Settings()
