"""The zip format of the downloadable packages, written by hand from already compressed files (see
`write_zip` for why), with fixed time stamps so that the same course gives the same bytes."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

#: A fixed time stamp for every file in the package, so that the same course gives the same bytes.
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Deflated:
    """A file's content compressed once, for every zip that holds it."""

    data: bytes
    crc: int
    size: int


def deflate(content: bytes, level: int = 9) -> Deflated:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)  # raw deflate, as zip stores it
    return Deflated(
        compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content)
    )


def write_zip(target: Path, folder: str, files: list[tuple[str, Deflated]], comment: str) -> None:
    """A zip of already compressed files under `folder`. Python's zipfile takes only data to
    compress, and compressing again the files every package of a language shares costs about 25 ms
    a package (bench/results.md); so this writes the simple, documented format itself: a local
    header and the data for each file, then the central directory, every file with the same fixed
    time stamp and permissions."""
    time, date = 0, ((ZIP_TIME[0] - 1980) << 9) | (ZIP_TIME[1] << 5) | ZIP_TIME[2]
    utf8_names = 0x0800
    deflate = 8
    central = bytearray()
    with target.open("wb") as out:
        for name, entry in files:
            if max(len(entry.data), entry.size) >= 0xFFFFFFFF:
                raise ValueError(f"{name} is too large for a zip without ZIP64")
            encoded = f"{folder}/{name}".encode()
            offset = out.tell()
            sizes = (entry.crc, len(entry.data), entry.size, len(encoded))
            out.write(
                struct.pack(
                    "<IHHHHHIIIHH", 0x04034B50, 20, utf8_names, deflate, time, date, *sizes, 0
                )
            )
            out.write(encoded)
            out.write(entry.data)
            central += struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                (3 << 8) | 20,  # made on Unix, so that the permissions below apply
                20,
                utf8_names,
                deflate,
                time,
                date,
                *sizes,
                0,  # extra field length
                0,  # file comment length
                0,  # disk number
                0,  # internal attributes
                0o644 << 16,
                offset,
            )
            central += encoded
        start = out.tell()
        out.write(central)
        note = comment.encode("ascii")
        out.write(
            struct.pack(
                "<IHHHHIIH",
                0x06054B50,
                0,
                0,
                len(files),
                len(files),
                len(central),
                start,
                len(note),
            )
        )
        out.write(note)
