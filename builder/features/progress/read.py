"""Reading trainees' progress files (`sabaq progress read`): a table for the trainer, and CSV.

A progress file is what a trainee's browser recorded, sent by the trainee: a statement, not proof
(anything a browser computes can be edited). This reads it as untrusted input: a file that is not
a progress file, or is malformed, is named and refused, never half read.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from builder.features.progress.dashboard import PROGRESS_FORMAT

FILE_VERSION = 1
MAX_FILE_BYTES = 200_000


@dataclass(frozen=True)
class ProgressRow:
    file: str
    name: str
    course: str
    version: str
    #: The course's version in this project: "" if the project has no such course.
    current_version: str
    modules_read: int
    modules_total: int
    #: "module: score/total" for each quiz answered.
    scores: str
    exported: str
    #: Whether the file was compared with a project's courses.
    checked: bool = True

    @property
    def note(self) -> str:
        if not self.checked:
            return ""
        if not self.current_version:
            return "not a course of this project"
        if self.version != self.current_version:
            return "another version of the course"
        return ""


class RefusedFileError(Exception):
    """A file that is not a readable progress file: what is wrong with it."""


def read_progress_file(path: Path, versions: dict[str, tuple[str, int]] | None) -> ProgressRow:
    """`versions`: course id -> (its current version, its number of modules) in the project, or
    None outside a project (nothing to compare with)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise RefusedFileError(f"larger than {MAX_FILE_BYTES:,} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RefusedFileError(f"cannot be read ({error.strerror})") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RefusedFileError("is not JSON") from error
    if not isinstance(data, dict) or data.get("format") != PROGRESS_FORMAT:
        raise RefusedFileError("is not a Sabaq progress file")
    if data.get("version") != FILE_VERSION:
        raise RefusedFileError(
            f"is a progress file of another format version ({data.get('version')!r})"
        )
    course, version = _text(data, "course"), _text(data, "course_version")
    modules, quizzes = data.get("modules"), data.get("quizzes", {})
    if not isinstance(modules, dict) or not isinstance(quizzes, dict):
        raise RefusedFileError("has no list of modules")
    read = 0
    for entry in modules.values():
        if not isinstance(entry, dict):
            raise RefusedFileError("has a module entry that is not a record")
        if entry.get("read") is not None:
            _date(entry["read"])
            read += 1
    scores = []
    for module, result in quizzes.items():
        if not isinstance(result, dict) or not all(
            isinstance(result.get(k), int | float) for k in ("score", "total")
        ):
            raise RefusedFileError(f"has a quiz entry that is not a score ({module!r})")
        scores.append(f"{module}: {result['score']:g}/{result['total']:g}")
    current, total = (versions or {}).get(course, ("", 0))
    return ProgressRow(
        path.name,
        _text(data, "name", required=False),
        course,
        version,
        current,
        read,
        total or len(modules),
        "; ".join(scores),
        _date(data.get("exported", "")) if data.get("exported") else "",
        versions is not None,
    )


def _text(data: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or len(value) > 200 or (required and not value):
        raise RefusedFileError(f"has no valid '{key}'")
    return value


def _date(value: Any) -> str:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date().isoformat()
    except ValueError as error:
        raise RefusedFileError(f"has a date that is not one ({str(value)[:40]!r})") from error


def progress_table(rows: list[ProgressRow]) -> str:
    """The rows as a plain text table for the terminal."""
    header = ["file", "name", "course", "version", "read", "quiz scores", "sent", "note"]
    body = [
        [r.file, r.name, r.course, r.version, f"{r.modules_read}/{r.modules_total}", r.scores,
         r.exported, r.note]
        for r in rows
    ]  # fmt: skip
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *body, strict=True)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in [header, *body]]  # fmt: skip
    return "\n".join(lines) + "\n"


def progress_csv(rows: list[ProgressRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["file", "name", "course", "course_version", "current_version", "modules_read",
         "modules_total", "quiz_scores", "sent", "note"]
    )  # fmt: skip
    for r in rows:
        writer.writerow(
            [r.file, r.name, r.course, r.version, r.current_version, r.modules_read,
             r.modules_total, r.scores, r.exported, r.note]
        )  # fmt: skip
    return out.getvalue()
