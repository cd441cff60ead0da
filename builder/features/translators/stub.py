"""`sabaq i18n stub LANG`: translation files with every text of the source, in its order.

Each text's original is written as a comment above it, so a translator sees both in one file;
texts not yet translated are empty keys; a text whose original changed since it was translated
keeps its translation and gets a comment that says so. What a file already translates is kept
exactly (comments and layout of the old file are not). The file ends with the `_source:` record
of which original each text translates (builder/content/translate.py).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import yaml
from pydantic import BaseModel

from builder.content.document import DataPath
from builder.content.errors import UsageError, format_path, printable
from builder.content.languages import LANGUAGES
from builder.content.model import field_kinds
from builder.content.project_files import stays_inside
from builder.content.translate import SOURCE_KEY, Found, fingerprint, translatable_keys
from builder.features.translators.files import TextFile

#: Characters YAML reads as line breaks besides \n: a text holding one is written quoted.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
#: Characters a YAML file may not hold anywhere, comments included.
_NOT_IN_YAML = yaml.reader.Reader.NON_PRINTABLE


def stub_text(text_file: TextFile, held: Mapping[DataPath, Found] | None = None) -> str:
    """The translation file's new text. `held`: what it translates, by source path (default:
    what the file holds now)."""
    held = text_file.held() if held is None else held
    writer = _Writer(text_file, held)
    lines = [
        f"# yaml-language-server: $schema={_schema_path(text_file)}",
        f"# {LANGUAGES[text_file.language].native_name} ({text_file.language}) translation of "
        f"{text_file.source_path.name}. Above each text: its original "
        f"({text_file.source_language}).",
        f"# Fill in the empty keys; 'sabaq i18n stub {text_file.language}' keeps every "
        "translation when it runs again.",
        f"status: {text_file.status}",
    ]
    writer.mapping(text_file.source, (), "", lines)
    if writer.record:
        lines += [
            "",
            "# Which original each text translates: 'sabaq check' warns when the original changes.",
            "# Written by 'sabaq i18n stub' and 'sabaq i18n import'; change a line only when a "
            "comment above says so.",
            f"{SOURCE_KEY}:",
        ]
        # Quoted: a fingerprint of digits only (or '8e123456') would otherwise read as a number.
        lines += [f'  {_scalar(key)}: "{print_}"' for key, print_ in writer.record]
    return "\n".join(lines) + "\n"


def _schema_path(text_file: TextFile) -> str:
    # The schemas folder is beside courses/ (`sabaq schema`).
    ups = len(text_file.translation_path.relative_to(text_file.root).parts) - 1
    return "../" * ups + f"schemas/{text_file.kind}-translation.schema.json"


class _Writer:
    def __init__(self, text_file: TextFile, held: Mapping[DataPath, Found]) -> None:
        self.file, self.held = text_file, held
        self.record: list[tuple[str, str]] = []
        self.texts = set(text_file.translated.texts)

    def mapping(self, model: BaseModel, path: DataPath, indent: str, lines: list[str]) -> None:
        for key in translatable_keys(type(model)):
            value = getattr(model, key)
            if value is None or value == "" or value == []:
                continue
            key_path = (*path, key)
            translatable, whole_list = field_kinds(type(model))[key]
            if translatable and (whole_list or isinstance(value, str)):
                self.text(key_path, f"{indent}{key}:", indent, lines)
            elif isinstance(value, BaseModel):
                lines.append(f"{indent}{key}:")
                self.mapping(value, key_path, indent + "  ", lines)
            elif isinstance(value, list):
                lines.append(f"{indent}{key}:")
                for index, item in enumerate(value):
                    item_path = (*key_path, index)
                    if isinstance(item, BaseModel):
                        item_lines: list[str] = []
                        self.mapping(item, item_path, indent + "    ", item_lines)
                        lines += _as_list_item(item_lines, indent + "  ")
                    elif item_path in self.texts:
                        self.text(item_path, f"{indent}  -", indent + "  ", lines)
                    else:
                        lines.append(f"{indent}  -")

    def text(self, path: DataPath, lead: str, indent: str, lines: list[str]) -> None:
        """A text's comments, then `lead` with the translation (or nothing) after it."""
        original = self.file.source_text(path)
        lines += _comment(f"{self.file.source_language}:", original, indent)
        found = self.held.get(path)
        if found is None:
            lines.append(lead)
            return
        where = format_path(path)
        current = fingerprint(original)
        if found.recorded is not None and found.recorded != current:
            lines.append(
                f"{indent}# CHANGED: the original was edited since this was translated. Update "
                f"the text, then set '{where}: \"{current}\"' under '{SOURCE_KEY}:'."
            )
        self.record.append((where, found.recorded or current))
        lines += _value(lead, found.text, indent)


def _as_list_item(lines: list[str], indent: str) -> list[str]:
    """A mapping's lines (indented by `indent` + 2) as an item of a list: '- ' before its first
    key, the comments above that key moved out to the dash."""
    inner = indent + "  "
    for index, line in enumerate(lines):
        if not line.lstrip().startswith("#"):
            head = [indent + c[len(inner) :] for c in lines[:index]]
            return [*head, f"{indent}- {line[len(inner) :]}", *lines[index + 1 :]]
    return [*lines, f"{indent}- {{}}"]


def _comment(label: str, text: str | list[str], indent: str) -> list[str]:
    if isinstance(text, list):
        text = "\n".join(text)
    for other in _OTHER_BREAKS:
        text = text.replace(other, " ")
    # Escaped as in messages: a control character is not allowed in a YAML file, even in a comment.
    rows = [
        _NOT_IN_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", printable(row))
        for row in text.rstrip("\n").split("\n")
    ]
    pad = " " * (len(label) + 1)
    return [
        f"{indent}# {label} {rows[0]}".rstrip(),
        *(f"{indent}# {pad}{row}".rstrip() for row in rows[1:]),
    ]


def _value(lead: str, text: str | list[str], indent: str) -> list[str]:
    if isinstance(text, list):
        return [lead, *(f"{indent}  - {_scalar(item)}" for item in text)]
    block = _literal_block(text)
    if block is None:
        return [f"{lead} {_scalar(text)}"]
    header, rows = block
    return [f"{lead} {header}", *(f"{indent}  {row}" if row else "" for row in rows)]


def _literal_block(text: str) -> tuple[str, list[str]] | None:
    """A multi-line text as a literal block (`|`, its lines as they are), or None where YAML
    would not read the block back as the same text."""
    if "\n" not in text or any(b in text for b in _OTHER_BREAKS):
        return None
    trailing = len(text) - len(text.rstrip("\n"))
    header = "|" + {0: "-", 1: ""}.get(trailing, "+")
    rows = text[: len(text) - trailing].split("\n") + [""] * max(trailing - 1, 0)
    candidate = "\n".join([f"k: {header}", *(f"  {row}" if row else "" for row in rows)]) + "\n"
    try:
        same = yaml.safe_load(candidate) == {"k": text}
    except yaml.YAMLError:
        same = False
    return (header, rows) if same else None


def _scalar(text: str) -> str:
    """One text as a YAML scalar on one line: plain where YAML reads it back as the same text,
    else double-quoted, with YAML's escapes for line breaks and invisible characters."""
    dumped = yaml.safe_dump({"k": text}, allow_unicode=True, width=1 << 30)
    line = dumped[3:].rstrip("\n")
    if "\n" not in line and yaml.safe_load(f"k: {line}") == {"k": text}:
        return line
    quoted = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=1 << 30)
    return quoted.rstrip("\n").removesuffix("\n...").rstrip("\n")


def write_translation(root: Path, text_file: TextFile, text: str) -> bool:
    """Write a translation file inside the project, atomically; False if it already had this
    text. Never through a link, and never outside the project's courses and quiz banks."""
    path = text_file.translation_path
    if not stays_inside(path.parent, root) or path.is_symlink():
        raise UsageError(f"{path} is a link; Sabaq writes translation files only as plain files")
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
