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

from builder.images import MAX_PIXELS

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


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


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
            f"courses/demo/images/{name}": _png(40, 30, "GIF" if name.endswith(".gif") else "PNG"),
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
