"""What a language's site and each of its courses are made from, as hashes: the keys the cache
compares (see the package's docstring)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.content.load import READ_BY_EVERY_LANGUAGE, file_language, root_file_paths
from builder.content.project_files import files_under, stays_inside
from builder.fingerprint import sabaq_fingerprint


@dataclass(frozen=True)
class Keys:
    #: language -> the key of everything the language's site is made from.
    languages: dict[str, str]
    #: language -> course folder -> the key of what the course's pages are made from: the
    #: course's folder, the quizzes, and what every page shares (Sabaq, mkdocs.yml, file names).
    courses: dict[str, dict[str, str]]


def project_keys(project_dir: Path, languages: Iterable[str], options: dict[str, Any]) -> Keys:
    """The key of each language, and of each course in each language (see above)."""
    base = hashlib.sha256()
    base.update(sabaq_fingerprint().encode("ascii"))
    base.update(json.dumps(options, sort_keys=True).encode("utf-8"))
    config = project_dir / "mkdocs.yml"
    base.update(config.read_bytes() if config.is_file() else b"")
    # Digests of files by where they belong: (course folder or "" for quizzes, language or "").
    digests: dict[tuple[str, str], hashlib._Hash] = {}
    for relative, path in _project_files(project_dir):
        base.update(relative.encode("utf-8") + b"\0")
        parts = relative.split("/")
        folder = parts[1] if parts[0] == "courses" and len(parts) > 2 else ""
        language = file_language(path) or ""
        if relative.partition(".")[0] in READ_BY_EVERY_LANGUAGE:
            language = ""
        digest = digests.setdefault((folder, language), hashlib.sha256())
        digest.update(relative.encode("utf-8") + b"\0" + _file_digest(path))
    common = base.hexdigest()

    def combined(*parts: tuple[str, str]) -> str:
        total = hashlib.sha256(common.encode("ascii"))
        for part in parts:
            total.update(f"|{part[0]}/{part[1]}:".encode())
            if part in digests:
                total.update(digests[part].hexdigest().encode("ascii"))
        return total.hexdigest()

    folders = sorted({folder for folder, _ in digests if folder})
    sources = [(folder, "") for folder in ["", *folders]]
    language_keys = {}
    course_keys = {}
    for language in languages:
        own = [(folder, language) for folder in ["", *folders]]
        language_keys[language] = combined(*sources, *own)
        course_keys[language] = {
            folder: combined(("", ""), ("", language), (folder, ""), (folder, language))
            for folder in folders
        }
    return Keys(language_keys, course_keys)


def _project_files(project_dir: Path) -> Iterator[tuple[str, Path]]:
    """The files the build reads, as builder/content/load.py finds them. A link out of the project is
    never read (it could lead to /dev/zero): validation refuses it, so no key is used with it."""
    courses = project_dir / "courses"
    # Each course on its own, as builder/content/load.py reads them: a folder two courses link to counts
    # in both.
    folders = sorted(courses.iterdir()) if courses.is_dir() else []
    for folder in [*folders, project_dir / "quizzes"]:
        for path, inside in files_under(folder, project_dir):
            if inside:
                yield path.relative_to(project_dir).as_posix(), path
    # The glossary counts with the quizzes: every course's pages may link to it.
    for path in root_file_paths(project_dir):
        if stays_inside(path, project_dir):
            yield path.name, path


def _file_digest(path: Path) -> bytes:
    with path.open("rb") as file:  # in pieces: a picture may be large
        return hashlib.file_digest(file, "sha256").digest()


def config_digest(config: dict[str, Any]) -> str:
    """A hash of a language's MkDocs configuration, its navigation included, and of Sabaq itself
    (its theme shapes every page): if it changes, no built page can be kept."""
    text = json.dumps(config, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{sabaq_fingerprint()}\n{text}".encode()).hexdigest()
