"""Pictures in courses, made light and lazy for the page.

The build resizes pictures to at most `MAX_WIDTH` pixels, strips their metadata (a photo's EXIF can
carry the GPS position of whoever took it) and gives every `<img>` its width, height and
`loading="lazy"`, so pages do not jump while they load and pictures below the fold cost nothing
until the reader scrolls. Which pictures may be used was checked before (`content/pictures.py`).
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.content.pictures import (
    IMAGE_REFERENCE,
    MAX_WIDTH,
    PictureError,
    open_raster,
    read_picture_bytes,
    safe_svg,
)
from builder.settings import SETTINGS

if TYPE_CHECKING:
    pass


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

    return IMAGE_REFERENCE.sub(add, markdown)


@dataclass
class PreparedImages:
    """The course pictures as the build wrote them: docs-relative path -> file, and sizes."""

    files: dict[str, Path] = field(default_factory=dict)
    #: course id -> {"images/photo.jpg": (width, height)}
    sizes: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)

    def of_course(self, course_id: str) -> dict[str, Path]:
        return {k: v for k, v in self.files.items() if k.startswith(f"{course_id}/")}


def prepare_images(
    images_by_course: Mapping[str, Mapping[str, Path]], out_dir: Path, *, version: str = ""
) -> PreparedImages:
    """Resize and strip every course picture once; every language's build then copies them.

    Each prepared picture is stored in `out_dir` under the hash of its source file, so `out_dir`
    may hold the pictures previous builds prepared (the build cache's folder, with `version`
    naming the Sabaq that prepared them): a picture whose file is the same as then is taken as
    it is. Preparing a 12-megapixel photo takes a quarter of a second, and a rebuild after
    editing a text would otherwise pay it for every picture of the project."""
    manifest_path = out_dir / "prepared.json"
    known = _previously_prepared(manifest_path, version)
    now: dict[str, tuple[int, int] | None] = {}
    prepared = PreparedImages()
    out_dir.mkdir(parents=True, exist_ok=True)
    for course_id, images in images_by_course.items():
        sizes: dict[str, tuple[int, int]] = {}
        for relative, source in images.items():
            with source.open("rb") as file:  # in pieces: a picture may be large
                digest = hashlib.file_digest(file, "sha256").hexdigest()
            stored = f"{digest}{source.suffix.lower()}"
            target = out_dir / stored
            # An SVG is made safe in every build, never taken from the cache: the cache is a
            # folder in the project, and a cloned project could bring one.
            if stored in known and target.is_file() and source.suffix.lower() != ".svg":
                size = known[stored]
            else:
                # Written beside and renamed: a file under a hash name is always whole.
                partial = out_dir / f"partial-{stored}"
                try:
                    size = optimise_image(source, partial)
                except PictureError as error:
                    partial.unlink(missing_ok=True)
                    error.path = source
                    raise
                partial.replace(target)
            now[stored] = size
            if size is not None:
                sizes[relative] = size
            prepared.files[f"{course_id}/{relative}"] = target
        prepared.sizes[course_id] = sizes
    for path in out_dir.iterdir():
        if path.name not in now and path != manifest_path:
            path.unlink(missing_ok=True)
    manifest = {"version": version, "images": {k: v and list(v) for k, v in now.items()}}
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return prepared


def _previously_prepared(manifest_path: Path, version: str) -> dict[str, tuple[int, int] | None]:
    """The pictures a previous build prepared and their sizes, if the same Sabaq prepared them
    (and the manifest is well formed: the cache folder is the user's to edit)."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict) or manifest.get("version") != version:
        return {}
    images = manifest.get("images")
    known: dict[str, tuple[int, int] | None] = {}
    for name, size in images.items() if isinstance(images, dict) else ():
        if size is None:
            known[name] = None
        elif isinstance(size, list) and len(size) == 2 and all(type(n) is int for n in size):
            known[name] = (size[0], size[1])
    return known


def optimise_image(source: Path, target: Path) -> tuple[int, int] | None:
    """Write the image at `target`, resized and without metadata; return its size if it is a
    raster image (None for SVG and GIF: an SVG is written made safe, a GIF copied as it is).
    Raises PictureError for a picture it cannot publish (see `picture_problem`)."""
    from PIL import Image, ImageOps

    target.parent.mkdir(parents=True, exist_ok=True)
    suffix = source.suffix.lower()
    if suffix == ".svg":
        target.write_bytes(safe_svg(read_picture_bytes(source)))
        return None
    with open_raster(source) as opened:
        if suffix == ".gif":
            shutil.copyfile(source, target)  # an animation Pillow would flatten
            return None
        few_colours = opened.getcolors(256) is not None  # a diagram, a screenshot of text
        picture = ImageOps.exif_transpose(opened)
        if picture.width > MAX_WIDTH:
            height = round(picture.height * MAX_WIDTH / picture.width)
            picture = picture.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
            if few_colours and suffix == ".png":
                # Resizing smooths edges into many new colours; a palette keeps it small.
                picture = picture.quantize(colors=256)
        options: dict[str, Any] = {"optimize": True}
        if suffix in (".jpg", ".jpeg"):
            picture = picture.convert("RGB")
            options.update(quality=SETTINGS.jpeg_quality, progressive=True)
        # Saving without `exif=` leaves the metadata (camera, GPS position) behind.
        picture.save(target, **options)
        return (picture.width, picture.height)


@dataclass(frozen=True)
class InlinePicture:
    """A picture made to travel inside a page: its bytes, type and size (None for SVG)."""

    data: bytes
    media_type: str
    size: tuple[int, int] | None

    def data_uri(self) -> str:
        import base64

        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


_MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml"}  # fmt: skip


def inline_picture(prepared: Path, max_width: int) -> InlinePicture | None:
    """A picture the build prepared (`optimise_image`: metadata stripped, SVG made safe), scaled
    down to `max_width` and encoded again, as the one-file course inlines it; None for a file
    that is not a picture Sabaq publishes."""
    from PIL import Image

    suffix = prepared.suffix.lower()
    media_type = _MEDIA_TYPES.get(suffix)
    if media_type is None:
        return None
    data = prepared.read_bytes()
    if suffix in (".svg", ".gif"):
        return InlinePicture(data, media_type, None)
    with Image.open(io.BytesIO(data)) as opened:
        opened.load()
        picture: Image.Image = opened
        if picture.width > max_width:
            height = round(picture.height * max_width / picture.width)
            few_colours = picture.getcolors(256) is not None
            picture = picture.resize((max_width, height), Image.Resampling.LANCZOS)
            if few_colours and suffix == ".png":
                picture = picture.quantize(colors=256)
            output = io.BytesIO()
            options: dict[str, Any] = {"optimize": True}
            if suffix in (".jpg", ".jpeg"):
                picture = picture.convert("RGB")
                options.update(quality=SETTINGS.jpeg_quality, progressive=True)
            picture.save(output, format=opened.format, **options)
            data = output.getvalue()
        return InlinePicture(data, media_type, (picture.width, picture.height))
