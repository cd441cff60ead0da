"""The scaffolds' placeholder texts (`sabaq new`), found where a trainer left them.

A scaffold is valid as written, so that `sabaq check` passes at once; its placeholders ("Your
name", "https://example.org") would then be published as they are. `sabaq check` warns at each.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from builder.content.document import DataPath, Document
from builder.content.errors import ContentError, format_path

#: Texts the scaffolds (builder/cli/scaffold.py) write for the trainer to replace, as a whole value.
PLACEHOLDER_VALUES = frozenset(
    {
        "Your name",
        "One or two sentences: what the course teaches, and for whom.",
        "One sentence shown in the course overview.",
        "Explain ...",
        "Check ...",
        "First heading",
        "A practical tip.",
        "Title of the source",
        "Who published it",
        "Write the question here.",
        "Why the right answer is right (readers see it once they answer).",
        "Another option",
        "A right option",
        "A wrong option",
        "A claim to rate",
        "Who made the claim",
        "First step",
        "Second step",
        "Third step",
        "Left item",
        "Right item",
        "Another left item",
        "Another right item",
        "the word readers type",
        "A quiz title",
    }
)
#: Placeholders that may sit inside a longer text (a body, an address).
PLACEHOLDER_PARTS = ("Write the text here", "example.org", "A list item")


def placeholder_warnings(document: Document) -> list[ContentError]:
    """A warning at every scaffold placeholder left in a source file."""
    warnings = []
    for data_path, text in _texts(document.data, ()):
        if text.strip() in PLACEHOLDER_VALUES:
            found, position = text.strip(), document.position_of(data_path)
        elif part := next((part for part in PLACEHOLDER_PARTS if part in text), None):
            found, position = part, document.position_in_text(data_path, text.index(part))
        else:
            continue
        warnings.append(
            ContentError(
                document.path,
                position,
                f"{format_path(data_path)}: this is the scaffold's placeholder '{found}', "
                "not your text",
                "replace it with your own words (or delete the line) before you publish",
            )
        )
    return warnings


def _texts(data: Any, data_path: DataPath) -> Iterator[tuple[DataPath, str]]:
    if isinstance(data, str):
        yield data_path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, (*data_path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, (*data_path, index))
