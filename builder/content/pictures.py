"""Pictures in courses: which references a page may use, and whether a picture's file can be
published.

Trainers keep a course's pictures in `courses/<course>/images/` and link them from Markdown as
`![what it shows](images/photo.jpg)`. Validation refuses pictures that are missing or that would
load from another site (a request to a third party on every page view); the build makes them light
(`render/images.py`).

A cloned project's pictures may be hostile. Validation decodes every one as the build will
(`picture_problem`), refusing files that are no picture, damaged ones and pictures over
`MAX_PIXELS` before decoding them, so `sabaq check` finds whatever the build would fail on. An
SVG is a document that can carry scripts: only the passive drawing left by `safe_svg` is
published.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import warnings
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from builder.content.document import short_text
from builder.content.project_files import LINK_OUTSIDE_HINT
from builder.render.markdown_ext import is_local_address
from builder.settings import SETTINGS

if TYPE_CHECKING:
    from PIL import Image

MAX_WIDTH = SETTINGS.image_max_width
MAX_PIXELS = SETTINGS.image_max_pixels
MAX_PICTURE_BYTES = SETTINGS.image_max_file_bytes
#: What Pillow may read pictures as (its JPEG reader also reads MPO, the JPEG of some phones). Naming the formats keeps
#: Pillow from trying its other readers (of formats no browser shows) on a file that is none of
#: these. A picture is written again in the format its name says, so a PNG named .jpg is fine;
#: a GIF is published as it is, so it must be one.
_RASTER_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")

#: `![alt](src)` or `![alt](src "title")`, optionally already followed by `{ attributes }`.
IMAGE_REFERENCE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?P<title>\s+\"[^\"]*\")?\s*\)(?P<attrs>\{[^}]*\})?"
)
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|//)")


def image_problem(
    src: str, available: Mapping[str, object], outside: Collection[str] = ()
) -> tuple[str, str] | None:
    """(message, hint) if an image reference cannot be used, else None. `outside` are the links
    in the course's images/ folder that lead out of the project (builder/content/project_files.py)."""
    if _EXTERNAL.match(src):
        return (
            f"the image '{src}' would be loaded from another site each time the page is read",
            "save it into the course's images/ folder (if its licence allows) and link it as "
            "images/<name>",
        )
    normalised = posixpath.normpath(src)
    if outside_link_named(normalised, outside) is not None:
        return (
            f"the image '{src}' is a link to a file outside the project, so Sabaq does not "
            "publish it",
            LINK_OUTSIDE_HINT,
        )
    if normalised not in available:
        known = ", ".join(sorted(available)) or "none yet"
        return (
            f"there is no image '{src}' in the course's folder",
            f"put the file in the course's images/ folder; the images there are: {known}",
        )
    return None


def outside_link_named(normalised_src: str, outside: Collection[str]) -> str | None:
    """The link out of the project that a picture's path leads through (the picture itself or
    a folder above it), if any."""
    parts = normalised_src.split("/")
    for end in range(len(parts), 0, -1):
        if (prefix := "/".join(parts[:end])) in outside:
            return prefix
    return None


def address_problem(element: str, attribute: str, address: str) -> tuple[str, str] | None:
    """(message, hint) if an address that Markdown makes the page load by itself (found by
    `markdown_ext.loaded_addresses`) is not in the site, else None."""
    if is_local_address(address):
        return None
    shown = short_text(address, 100)
    stripped = address.strip()
    if stripped.lower().startswith("data:"):
        return (
            f"the picture '{shown}' is written into the text ('data:'), which a page may not load",
            "save it as a file in the course's images/ folder and link it as images/<name>",
        )
    if stripped.lower().startswith(("javascript:", "vbscript:")):
        return (
            f"'{attribute}' holds a script ('{shown}'), which a page may not run",
            "remove it; a picture is linked as ![what it shows](images/<name>)",
        )
    if element == "img" and attribute == "src":
        return image_problem(short_text(stripped, 100), {})
    return (
        f"'{attribute}' makes the page load '{shown}', which is not in the course",
        "remove the attribute; a picture belongs in the course's images/ folder, linked as "
        "![what it shows](images/<name>)",
    )


# --- At build time (I/O) -------------------------------------------------------------------------


class PictureError(Exception):
    """A picture the build cannot publish: what is wrong and what to do, for a trainer."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        #: The picture's file, once known.
        self.path: Path | None = None


#: Pictures checked in this process, by file and its state on disk: the preview validates the
#: project at every saved edit, and a picture is seldom what changed.
_checked: dict[tuple[str, int, int, int, int], tuple[str, str] | None] = {}


def picture_problem(source: Path) -> tuple[str, str] | None:
    """(message, hint) if the build could not publish the picture, else None: validation asks
    this of every picture, so that `sabaq check` finds every picture the build would fail on.
    It decodes the picture as the build does (a truncated file is only found so), JPEG at an
    eighth of its size, which reads the whole file at a fraction of the cost."""
    try:
        status = source.stat()
    except OSError as error:
        return _unreadable_file(error).message, _unreadable_file(error).hint
    key = (
        os.path.realpath(source),
        status.st_ino,
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
    )
    if key not in _checked:
        if len(_checked) > 10_000:
            _checked.clear()
        _checked[key] = _decoding_problem(source)
    return _checked[key]


def _decoding_problem(source: Path) -> tuple[str, str] | None:
    try:
        if source.suffix.lower() == ".svg":
            safe_svg(read_picture_bytes(source))
        else:
            with open_raster(source, draft=True):
                pass
    except PictureError as error:
        return error.message, error.hint
    return None


def safe_svg(data: bytes) -> bytes:
    """The drawing without what can run or load anything: scripts, event attributes (onload),
    foreignObject (HTML inside the drawing), links and references to other files or sites. An
    SVG opened on its own runs its scripts as a page of the site, so no SVG is published as it
    came. svg-hush (Cloudflare's, through py-svg-hush) keeps only the elements, attributes and
    styles it knows are passive; anything it cannot read as SVG is refused."""
    from py_svg_hush import filter_svg

    try:
        return filter_svg(data)
    except ValueError as error:
        raise PictureError(
            "this is not an SVG drawing Sabaq can read",
            "export it again from your drawing program as plain SVG, or save it as PNG",
        ) from error


def read_picture_bytes(source: Path) -> bytes:
    _check_file_size(source)
    try:
        return source.read_bytes()
    except OSError as error:
        raise _unreadable_file(error) from error


def _check_file_size(source: Path) -> None:
    try:
        size = source.stat().st_size
    except OSError as error:
        raise _unreadable_file(error) from error
    if size > MAX_PICTURE_BYTES:
        raise _too_large_file(size)


def _unreadable_file(error: OSError) -> PictureError:
    return PictureError(
        f"cannot read this picture's file: {error.strerror or error}",
        "check that the file is there and that you may read it",
    )


def _too_large_file(size: int) -> PictureError:
    return PictureError(
        f"this picture's file is {size:,} bytes; the most Sabaq reads is {MAX_PICTURE_BYTES:,}",
        f"make it smaller in an image editor: pages show it at most {MAX_WIDTH} pixels wide",
    )


@contextlib.contextmanager
def open_raster(source: Path, *, draft: bool = False) -> Iterator[Image.Image]:
    """The picture, decoded, once its size is known to be within MAX_PIXELS; every way a file
    can fail to be a picture becomes a PictureError."""
    from PIL import (  # noqa: F401 - each registers its format, which `formats=` needs
        GifImagePlugin,
        Image,
        JpegImagePlugin,
        PngImagePlugin,
        UnidentifiedImageError,
        WebPImagePlugin,
    )

    _check_file_size(source)
    formats = ("GIF",) if source.suffix.lower() == ".gif" else _RASTER_FORMATS
    kinds = "a GIF" if formats == ("GIF",) else "a JPEG, PNG, GIF or WebP picture"
    unreadable = PictureError(
        f"this file is not a picture Sabaq can read ({kinds} whose file is whole)",
        "open it in an image editor and save it again; if it does not open, take it again from "
        "where it came (a download may have stopped half way)",
    )
    with warnings.catch_warnings():
        # Sabaq's own limit applies, below Pillow's; its warning would only repeat it.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            opened = Image.open(source, formats=formats)
        except Image.DecompressionBombError as error:
            raise _too_many_pixels(None) from error
        except UnidentifiedImageError as error:
            raise unreadable from error
        except OSError as error:  # Pillow raises it for a damaged file too, without errno
            raise (_unreadable_file(error) if error.errno else unreadable) from error
        # A crafted file can make a reader fail in any way (struct.error, IndexError...).
        except Exception as error:  # noqa: BLE001
            raise unreadable from error
    with opened:
        if opened.width * opened.height > MAX_PIXELS:
            raise _too_many_pixels(opened.size)
        try:
            if draft and opened.format in ("JPEG", "MPO"):
                opened.draft("RGB", (opened.width // 8, opened.height // 8))
            opened.load()
        except Exception as error:  # noqa: BLE001 - as above
            raise unreadable from error
        yield opened


def _too_many_pixels(size: tuple[int, int] | None) -> PictureError:
    return PictureError(
        f"this picture is {size[0]:,} × {size[1]:,} pixels; the most Sabaq reads is "
        f"{MAX_PIXELS:,} pixels"
        if size
        else f"this picture has more pixels than the {MAX_PIXELS:,} Sabaq reads at most",
        f"make it smaller in an image editor: pages show it at most {MAX_WIDTH} pixels wide",
    )
