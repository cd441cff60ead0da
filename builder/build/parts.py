"""A site built in parts: each language by its own `sabaq build --lang L --part` (on a machine of
its own, e.g. a job of a GitHub Actions matrix), then `sabaq assemble PART...` puts the parts
together into the site one `sabaq build` of all those languages makes, byte for byte.

A part is a site folder with a marker (`PART_MARKER`) that names its languages and what it was
made from: Sabaq itself and the project's files and settings (the build cache's keys). Parts made
from different files, settings or Sabaqs are refused, as is a folder that is not a part. A part
is read as untrusted input: only the files a build of its languages writes are taken from it
(its language folders and their files in `downloads/`), and no link is followed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.build.cache.keys import project_keys
from builder.build.folders import check_site_dir
from builder.build.write import discard, replace_site, staging_dir, write_root_pages
from builder.content.errors import ContentError, Position
from builder.content.languages import LANGUAGE_CODES
from builder.features.offline.packaging import DOWNLOADS_DIR
from builder.features.print.book import ASSETS_FOLDER as PRINT_ASSETS
from builder.fingerprint import sabaq_fingerprint

PART_MARKER = ".sabaq-part.json"
PART_FORMAT = "sabaq-part"
_BUILD_HINT = (
    "build each language with 'sabaq build --lang L --part --site-dir PART', from the same "
    "commit and with the same options, then assemble those folders"
)


def part_marker(
    project_dir: Path,
    languages: list[str],
    project_languages: list[str],
    options: dict[str, Any],
    site_url: str | None,
) -> str:
    """The marker's text for a part holding `languages` of a project whose languages are
    `project_languages`."""
    keys = project_keys(project_dir, project_languages, options).languages
    made_from = hashlib.sha256(json.dumps(keys, sort_keys=True).encode("ascii")).hexdigest()
    return json.dumps(
        {
            "format": PART_FORMAT,
            "sabaq": sabaq_fingerprint(),
            "made_from": made_from,
            "languages": languages,
            "site_url": site_url,
        },
        indent=1,
    )


@dataclass(frozen=True)
class Part:
    folder: Path
    languages: list[str]
    sabaq: str
    made_from: str
    site_url: str | None


def _read_part(folder: Path) -> Part | ContentError:
    marker = folder / PART_MARKER

    def refused(message: str) -> ContentError:
        return ContentError(folder, Position(), message, _BUILD_HINT)

    if folder.is_symlink() or not folder.is_dir():
        return refused("not a folder: a part is the folder 'sabaq build --part' wrote")
    if marker.is_symlink() or not marker.is_file():
        return refused(f"not a part made by 'sabaq build --part' (it has no {PART_MARKER})")
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return refused(f"{PART_MARKER} cannot be read: the part is damaged")
    languages = data.get("languages") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("format") != PART_FORMAT
        or not isinstance(languages, list)
        or not languages
        or not all(code in LANGUAGE_CODES for code in languages)
        or not all(isinstance(data.get(key), str) for key in ("sabaq", "made_from"))
        or not isinstance(data.get("site_url"), str | None)
    ):
        return refused(f"{PART_MARKER} is not a part's marker: the part is damaged")
    for code in languages:
        language_dir = folder / code
        if language_dir.is_symlink() or not language_dir.is_dir():
            return refused(f"the part names the language '{code}' but has no folder {code}/")
    return Part(folder, languages, data["sabaq"], data["made_from"], data["site_url"])


def read_parts(folders: list[Path]) -> tuple[list[Part], list[ContentError]]:
    """The parts, or every reason to refuse them."""
    parts, errors = [], []
    for folder in folders:
        read = _read_part(folder)
        if isinstance(read, ContentError):
            errors.append(read)
        else:
            parts.append(read)
    if not parts:
        return parts, errors
    first = parts[0]
    seen: dict[str, Path] = {}
    for part in parts:
        if part.sabaq != first.sabaq:
            errors.append(
                ContentError(
                    part.folder,
                    Position(),
                    f"made by another version of Sabaq (or mkdocs-material) than {first.folder}",
                    "build every part with the same Sabaq, then assemble them",
                )
            )
        elif part.made_from != first.made_from or part.site_url != first.site_url:
            errors.append(
                ContentError(
                    part.folder,
                    Position(),
                    f"made from other course files or settings than {first.folder}",
                    "build every part from the same commit and with the same options",
                )
            )
        for code in part.languages:
            if code in seen:
                errors.append(
                    ContentError(
                        part.folder,
                        Position(),
                        f"the language '{code}' is also in {seen[code]}",
                        "give each language's part once",
                    )
                )
            seen.setdefault(code, part.folder)
    return parts, errors


def assemble_site(project_dir: Path, folders: list[Path], site_dir: Path) -> list[ContentError]:
    """Put the parts in `folders` together into `site_dir`, replacing it only if all is well.
    Returns the errors (nothing is written then)."""
    check_site_dir(project_dir, site_dir)
    parts, errors = read_parts(folders)
    if errors:
        return errors
    languages = sorted(
        {code for part in parts for code in part.languages}, key=LANGUAGE_CODES.index
    )
    staging = staging_dir(site_dir)
    try:
        downloads = staging / DOWNLOADS_DIR
        for part in parts:
            for code in part.languages:
                _copy_folder(part.folder / code, staging / code)
            for name, path in _downloads_of(part):
                downloads.mkdir(exist_ok=True)
                if path.is_dir():
                    if not (downloads / name).exists():
                        _copy_folder(path, downloads / name)
                elif not (downloads / name).exists():
                    shutil.copy2(path, downloads / name)
        write_root_pages(staging, languages, parts[0].site_url)
        replace_site(staging, site_dir)
    except BaseException:
        discard(staging)
        raise
    return []


def _downloads_of(part: Part) -> Iterator[tuple[str, Path]]:
    """The part's files in `downloads/` that a build of its languages writes: each course's
    files in those languages (`<course>-<language>.<...>`), and the printed courses' shared
    stylesheet and fonts (`print/`)."""
    folder = part.folder / DOWNLOADS_DIR
    if folder.is_symlink() or not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.is_symlink():
            continue
        if path.is_dir():
            if path.name == PRINT_ASSETS:
                yield path.name, path
            continue
        stem = path.name.split(".")[0]
        language = stem.rsplit("-", 2)
        names_a_language = any(code in LANGUAGE_CODES for code in language[1:])
        if not names_a_language or any(code in part.languages for code in language[1:]):
            yield path.name, path


def _copy_folder(source: Path, target: Path) -> None:
    """Copy a language folder; a link in it is not followed (nor copied: builds write none)."""
    for root, folders, files in os.walk(source):
        relative = Path(root).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        folders[:] = [name for name in folders if not (Path(root) / name).is_symlink()]
        for name in files:
            path = Path(root) / name
            if not path.is_symlink():
                shutil.copy2(path, target / relative / name)
