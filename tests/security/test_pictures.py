"""Pictures that are no pictures, damaged, or decompression bombs: `sabaq check` finds each one
the build would fail on, both end with one clear error at the line that shows it (exit code 1, no
traceback), and the site built before stays exactly as it was."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sabaq_testing import MINIMAL_PROJECT, run_sabaq, write_files

from builder.content.pictures import MAX_PIXELS

MODULE_SHOWING = """
    id: first
    title: First module
    duration_minutes: 20
    sections:
      - heading: Start
        body: |
          Look:

          ![A picture](images/{name})
    quiz:
      bank: basics
    """
UNREADABLE = "this file is not a picture Sabaq can read (a JPEG, PNG, GIF or WebP picture whose file is whole)"
UNREADABLE_HINT = (
    "    hint: open it in an image editor and save it again; if it does not open, take it again "
    "from where it came (a download may have stopped half way)"
)
SMALLER_HINT = (
    "    hint: make it smaller in an image editor: pages show it at most 1200 pixels wide"
)


def _png(width: int, height: int, kind: str = "PNG") -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(output, format=kind)
    return output.getvalue()


def _jpeg() -> bytes:
    output = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(output, format="JPEG")
    return output.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _bomb() -> bytes:
    """A 200-byte PNG that says it is 100,000 × 100,000 pixels (30 GB to decode)."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 10_000)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def _over_the_limit() -> bytes:
    """A real picture, small on disk, just over Sabaq's limit (and under Pillow's own)."""
    output = io.BytesIO()
    Image.new("1", (10_000, MAX_PIXELS // 10_000 + 1)).save(output, format="PNG")
    return output.getvalue()


def _starting_picture(name: str) -> bytes:
    """A good picture of the kind the name says, for the first build."""
    if name.endswith(".svg"):
        return b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect/></svg>'
    return _png(40, 30, "GIF" if name.endswith(".gif") else "PNG")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


SVG_HINT = "    hint: export it again from your drawing program as plain SVG, or save it as PNG"
#: "Billion laughs": ten entities of ten, nine deep, a gigabyte of text once expanded.
ENTITY_BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a0 "laugh">\n'
    + "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">\n' for n in range(1, 10))
    + ']>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&a9;</text></svg>\n'
).encode()

CASES = {
    "garbage named .png": (
        "broken.png",
        b"\x00not a picture at all" * 50,
        UNREADABLE,
        UNREADABLE_HINT,
    ),
    "truncated PNG": ("cut.png", _png(300, 200)[:-120], UNREADABLE, UNREADABLE_HINT),
    "truncated JPEG": ("cut.jpg", _jpeg()[:4000], UNREADABLE, UNREADABLE_HINT),
    "HTML named .gif": (
        "page.gif",
        b"<html><script>alert(1)</script></html>",
        "this file is not a picture Sabaq can read (a GIF whose file is whole)",
        UNREADABLE_HINT,
    ),
    "SVG that is no drawing": (
        "broken.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect',
        "this is not an SVG drawing Sabaq can read",
        SVG_HINT,
    ),
    "SVG entity bomb": (
        "laughs.svg",
        ENTITY_BOMB,
        "this is not an SVG drawing Sabaq can read",
        SVG_HINT,
    ),
    "decompression bomb": (
        "bomb.png",
        _bomb(),
        "this picture has more pixels than the 50,000,000 Sabaq reads at most",
        SMALLER_HINT,
    ),
    "over Sabaq's pixel limit": (
        "huge.png",
        _over_the_limit(),
        "this picture is 10,000 × 5,001 pixels; the most Sabaq reads is 50,000,000 pixels",
        SMALLER_HINT,
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_picture_the_build_cannot_publish_is_one_error_where_it_is_shown(
    tmp_path: Path, case: str
) -> None:
    name, content, message, hint = CASES[case]
    project = write_files(
        tmp_path / "project",
        {
            **MINIMAL_PROJECT,
            "courses/demo/01-first.yml": MODULE_SHOWING.format(name=name),
            f"courses/demo/images/{name}": _starting_picture(name),
        },
    )
    built = run_sabaq("build", "--lang", "en", cwd=project)
    assert built.code == 0, built.stderr
    site_before = _snapshot(project / "site")

    (project / "courses/demo/images" / name).write_bytes(content)
    expected = "\n".join(
        [
            f"courses/demo/01-first.yml:9:20: sections[0].body: the image 'images/{name}': "
            f"{message}",
            hint,
            "",
            "1 error in 1 file; nothing was built.",
        ]
    )
    for command in ("check", "build"):
        run = (
            run_sabaq(command, "--lang", "en", cwd=project)
            if command == "build"
            else (run_sabaq(command, cwd=project))
        )
        assert run.code == 1, run.stdout + run.stderr
        assert "Traceback" not in run.stderr
        assert expected in run.stderr, run.stderr
    assert _snapshot(project / "site") == site_before


def test_a_broken_picture_no_module_shows_is_an_error_at_the_picture(tmp_path: Path) -> None:
    """Every picture in images/ is published, shown or not."""
    project = write_files(
        tmp_path / "project",
        {**MINIMAL_PROJECT, "courses/demo/images/unused.png": b"\x89PNG garbage"},
    )
    for command in ("check", "build"):
        run = run_sabaq(command, cwd=project)
        assert run.code == 1, run.stdout + run.stderr
        assert "Traceback" not in run.stderr
        assert f"courses/demo/images/unused.png:1:1: {UNREADABLE}\n{UNREADABLE_HINT}" in run.stderr
    assert not (project / "site").exists()


def test_only_pictures_are_published_from_images(tmp_path: Path) -> None:
    """Pages, scripts and documents that a browser would run or show as a page of the site never
    leave images/ (a guard: Sabaq published only picture types before this suite too)."""
    active = {
        "page.html": "<script>localStorage.ran = 1</script>",
        "page.htm": "<script>localStorage.ran = 1</script>",
        "feed.xml": "<x/>",
        "doc.xhtml": "<html xmlns='http://www.w3.org/1999/xhtml'><script>1</script></html>",
        "doc.pdf": "%PDF-1.4",
        "code.js": "localStorage.ran = 1",
        "drawing.svgz": "compressed",
    }
    project = write_files(
        tmp_path / "project",
        {
            **MINIMAL_PROJECT,
            **{f"courses/demo/images/{name}": text for name, text in active.items()},
            "courses/demo/images/ok.png": _png(20, 20),
        },
    )
    run = run_sabaq("build", "--lang", "en", cwd=project)
    assert run.code == 0, run.stderr
    published = {path.name for path in (project / "site").rglob("*")}
    assert "ok.png" in published
    assert not published & set(active)
