"""`sabaq progress read`: a trainer's table of trainees' progress files, with CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builder.build.pipeline import UsageError, check_project
from builder.cli.output import EXIT_CONTENT_ERRORS, EXIT_OK
from builder.content.errors import printable


def run_progress_read(args: argparse.Namespace, project: Path) -> int:
    """Exit 0 when every file was read, 1 when any was refused (the others are still shown)."""
    from builder.features.progress.read import (
        RefusedFileError,
        progress_csv,
        progress_table,
        read_progress_file,
    )

    versions = _course_versions(project) if (project / "courses").is_dir() else None
    rows, refused = [], 0
    for name in args.files:
        try:
            rows.append(read_progress_file(Path(name), versions))
        except RefusedFileError as problem:
            refused += 1
            print(f"{printable(name)}: {problem}; not read", file=sys.stderr)
    if rows:
        sys.stdout.write(progress_table(rows))
    if args.csv:
        Path(args.csv).write_text(progress_csv(rows), encoding="utf-8")
    print(
        "\nA progress file states what the trainee's browser recorded: a statement by the "
        "trainee, not proof.",
        file=sys.stderr,
    )
    return EXIT_CONTENT_ERRORS if refused else EXIT_OK


def _course_versions(project: Path) -> dict[str, tuple[str, int]] | None:
    from builder.features.progress.version import course_version

    checked, errors = check_project(project)
    if errors:
        raise UsageError(
            f"the project in {project} has errors, so its courses' versions are unknown; "
            "run 'sabaq check', or read the files from another folder"
        )
    return {
        c.course.id: (course_version(c, checked), len(c.course.modules)) for c in checked.courses
    }
