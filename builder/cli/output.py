"""What the command line prints about a run: every content error or warning, then a count; and
the exit codes. Shared by the commands in builder/cli/."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from builder.content.errors import ContentError

EXIT_OK, EXIT_CONTENT_ERRORS, EXIT_USAGE = 0, 1, 2

log = logging.getLogger("sabaq")


def report_errors(errors: list[ContentError], outcome: str = "nothing was built.") -> int:
    """Print every error, then a count and `outcome`; the exit code for them."""
    cwd = Path.cwd()
    for error in errors:
        print(error.format(relative_to=cwd), file=sys.stderr)
    files = len({error.path for error in errors})
    print(
        f"\n{len(errors)} error{'s' if len(errors) != 1 else ''} in {files} file{'s' if files != 1 else ''}; "
        f"{outcome}",
        file=sys.stderr,
    )
    return EXIT_CONTENT_ERRORS


def report_warnings(warnings: list[ContentError]) -> None:
    """Print every warning (a stale translation), then a count."""
    cwd = Path.cwd()
    for warning in warnings:
        print(warning.format(relative_to=cwd, label="warning"), file=sys.stderr)
    if warnings:
        count = len(warnings)
        print(f"\n{count} warning{'s' if count != 1 else ''}.\n", file=sys.stderr)
