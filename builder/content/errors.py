"""Content errors: what a trainer sees when a file is wrong.

Every stage returns these instead of raising, so that one run can report every mistake at once;
only the command line prints them and chooses the exit code.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class UsageError(Exception):
    """A mistake in how Sabaq was called, or in the folders it was given (exit code 2), not in
    the course files."""


@dataclass(frozen=True, order=True, slots=True)
class Position:
    """A place in a file, 1-based as editors count. With slots: a large project's documents
    hold some 200,000 of them, and an instance dictionary each tripled their memory."""

    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class ContentError:
    path: Path
    position: Position
    message: str
    hint: str = ""

    def format(self, relative_to: Path | None = None, label: str = "") -> str:
        """`path:line:column: message` and the hint below; `label` ("warning") before the
        message."""
        path = self.path
        if relative_to is not None:
            # The link itself, not where it leads: a file that links out of the project is
            # reported where it is in the project.
            for own, base in (
                (os.path.abspath(self.path), os.path.abspath(relative_to)),
                (self.path.resolve(), relative_to.resolve()),
            ):
                try:
                    path = Path(own).relative_to(base)
                    break
                except ValueError:
                    pass
        text = printable(
            f"{path.as_posix()}:{self.position.line}:{self.position.column}: "
            f"{label + ': ' if label else ''}{self.message}"
        )
        if self.hint:
            text += f"\n    hint: {printable(self.hint)}"
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path.as_posix(), self.position.line, self.position.column, self.message)


#: Characters that must not reach a terminal or a log as they are: C0 and C1 controls (ESC starts
#: the sequences that recolour, move the cursor or retitle a terminal), DEL, and the invisible
#: marks and overrides that reorder the text around them (U+202E shows "txt.exe" as "exe.txt").
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character written as an escape a trainer can read (\\x1b,
    \\u202e), so that quoting a value never lets it act on the terminal."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def sorted_errors(errors: Iterable[ContentError]) -> list[ContentError]:
    unique = {(e.path, e.position, e.message, e.hint): e for e in errors}
    return sorted(unique.values(), key=ContentError.sort_key)


def did_you_mean(wrong: str, choices: Iterable[str]) -> str:
    """' (did you mean 'title'?)' when a choice is close to what was typed, else ''."""
    matches = difflib.get_close_matches(wrong, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def format_path(parts: Iterable[str | int]) -> str:
    """('sections', 2, 'body') -> 'sections[2].body', the way trainers see nesting."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text
