"""Pictures in courses: checked, made light, and lazy.

Trainers keep a course's pictures in `courses/<course>/images/` and link them from Markdown as
`![what it shows](images/photo.jpg)`. Validation refuses pictures that are missing or that would
load from another site (a request to a third party on every page view). The build resizes them to
at most `MAX_WIDTH` pixels, strips their metadata (a photo's EXIF can carry the GPS position of
whoever took it) and gives every `<img>` its width, height and `loading="lazy"`, so pages do not
jump while they load and pictures below the fold cost nothing until the reader scrolls.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_WIDTH = 1200
JPEG_QUALITY = 80

#: `![alt](src)` or `![alt](src "title")`, optionally already followed by `{ attributes }`.
_IMAGE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?P<title>\s+\"[^\"]*\")?\s*\)(?P<attrs>\{[^}]*\})?"
)
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|//)")


def image_references(markdown: str) -> Iterator[str]:
    """The `src` of every Markdown image in a text."""
    for match in _IMAGE.finditer(markdown):
        yield match.group("src")


def image_problem(src: str, available: Mapping[str, object]) -> tuple[str, str] | None:
    """(message, hint) if an image reference cannot be used, else None."""
    if _EXTERNAL.match(src):
        return (
            f"the image '{src}' would be loaded from another site each time the page is read",
            "save it into the course's images/ folder (if its licence allows) and link it as "
            "images/<name>",
        )
    normalised = posixpath.normpath(src)
    if normalised not in available:
        known = ", ".join(sorted(available)) or "none yet"
        return (
            f"there is no image '{src}' in the course's folder",
            f"put the file in the course's images/ folder; the images there are: {known}",
        )
    return None


def with_image_attributes(markdown: str, sizes: Mapping[str, tuple[int, int]]) -> str:
    """Add width, height and lazy loading to every image whose size is known."""

    def add(match: re.Match[str]) -> str:
        if match.group("attrs"):
            return match.group(0)
        size = sizes.get(posixpath.normpath(match.group("src")))
        attributes = 'loading="lazy" decoding="async"'
        if size:
            attributes = f'width="{size[0]}" height="{size[1]}" {attributes}'
        return f"{match.group(0)}{{ {attributes} }}"

    return _IMAGE.sub(add, markdown)


# --- At build time (I/O) -------------------------------------------------------------------------


@dataclass
class PreparedImages:
    """The course pictures as the build wrote them: docs-relative path -> file, and sizes."""

    files: dict[str, Path] = field(default_factory=dict)
    #: course id -> {"images/photo.jpg": (width, height)}
    sizes: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)

    def of_course(self, course_id: str) -> dict[str, Path]:
        return {k: v for k, v in self.files.items() if k.startswith(f"{course_id}/")}


def prepare_images(
    images_by_course: Mapping[str, Mapping[str, Path]], out_dir: Path
) -> PreparedImages:
    """Resize and strip every course picture once; every language's build then copies them."""
    prepared = PreparedImages()
    for course_id, images in images_by_course.items():
        prepared.sizes[course_id] = optimise_images(images, out_dir / course_id)
        prepared.files.update(
            {f"{course_id}/{relative}": out_dir / course_id / relative for relative in images}
        )
    return prepared


def optimise_images(images: Mapping[str, Path], out_dir: Path) -> dict[str, tuple[int, int]]:
    """Write every image into `out_dir` (same relative names), resized and without metadata;
    return the size of each raster image."""
    from PIL import Image, ImageOps

    sizes: dict[str, tuple[int, int]] = {}
    for relative, source in images.items():
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix.lower() in (".svg", ".gif"):
            shutil.copyfile(source, target)  # vector art, or animation Pillow would flatten
            continue
        with Image.open(source) as opened:
            few_colours = opened.getcolors(256) is not None  # a diagram, a screenshot of text
            picture = ImageOps.exif_transpose(opened)
            if picture.width > MAX_WIDTH:
                height = round(picture.height * MAX_WIDTH / picture.width)
                picture = picture.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
                if few_colours and source.suffix.lower() == ".png":
                    # Resizing smooths edges into many new colours; a palette keeps it small.
                    picture = picture.quantize(colors=256)
            options: dict[str, Any] = {"optimize": True}
            if source.suffix.lower() in (".jpg", ".jpeg"):
                picture = picture.convert("RGB")
                options.update(quality=JPEG_QUALITY, progressive=True)
            # Saving without `exif=` leaves the metadata (camera, GPS position) behind.
            picture.save(target, **options)
            sizes[relative] = (picture.width, picture.height)
    return sizes
