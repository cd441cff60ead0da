"""`sabaq i18n export` and `import`: a project's texts as a PO or XLIFF 2.0 file, and back.

Translation tools (Poedit, Weblate, Crowdin) open these files. Each entry carries its
context, `<source file>:<text path>`, the source file as a reference, and a translator note (the
field's description from builder/content/model.py). A stale text is exported as its current
original with the old translation marked fuzzy (PO) or `state="initial"` (XLIFF); a fuzzy entry
is not imported, as gettext's tools do not use one.

The formats are written and read by their libraries: polib for PO (it keeps each entry's line,
for errors), translate-toolkit for XLIFF 2.0 (lxml keeps each element's line). Importing writes the
translations through `stub.stub_text`, into the translation files of the project's own source
files only: a context naming any other file is an error.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib
from lxml import etree
from translate.storage.xliff2 import Xliff2File

from builder.content.document import DataPath, Document, parse_document
from builder.content.errors import (
    ContentError,
    Position,
    UsageError,
    format_path,
    sorted_errors,
)
from builder.content.languages import LANGUAGE_CODES
from builder.content.project import Project
from builder.content.translate import (
    SOURCE_KEY,
    Found,
    apply_translation,
    fingerprint,
    parse_path,
    text_at,
)
from builder.features.translators.files import TextFile, text_files
from builder.features.translators.stub import stub_text

#: Larger files are refused: no project's texts come near it.
MAX_EXCHANGE_BYTES = 20_000_000
MARKDOWN_NOTE = (
    "Markdown: keep the link targets in (...), the **, _ and list marks, and 'glossary:' links "
    "as they are; translate only the words."
)
LIST_NOTE = "One accepted answer per line; give every spelling a reader may type."
STALE_NOTE = (
    "The original changed since this was translated: update the translation, then mark it as "
    "done (remove 'fuzzy' / 'needs work')."
)


# --- Export --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    source_file: str
    path: DataPath
    original: str
    translation: str
    stale: bool
    notes: list[str]


def _entries(text_file: TextFile) -> Iterator[_Entry]:
    found = text_file.held()
    for path in text_file.translated.texts:
        original = text_file.source_text(path)
        held = found.get(path)
        notes = [note for note in [_description(text_file, path)] if note]
        if isinstance(original, list):
            notes.append(LIST_NOTE)
        elif "Markdown" in (notes[0] if notes else ""):
            notes.append(MARKDOWN_NOTE)
        stale = held is not None and text_file.is_stale(held, path)
        if stale:
            notes.append(STALE_NOTE)
        yield _Entry(
            text_file.relative(text_file.root),
            path,
            _joined(original),
            _joined(held.text) if held is not None else "",
            stale,
            notes,
        )


def _joined(text: str | list[str]) -> str:
    return "\n".join(text) if isinstance(text, list) else text


def _description(text_file: TextFile, path: DataPath) -> str:
    """The field's description: what the text is, for the translator."""
    field_path = path[:-1] if isinstance(path[-1], int) else path
    owner = text_at(text_file.source, field_path[:-1])
    field = type(owner).model_fields.get(str(field_path[-1])) if owner is not None else None
    return (field.description or "") if field is not None else ""


def export_file(files: Sequence[TextFile], kind: str, language: str, root: Path) -> bytes:
    """The texts of `files` in `kind` ('po' or 'xliff') format."""
    if kind == "po":
        return _export_po(files, language, root)
    return _export_xliff(files, language)


def _export_po(files: Sequence[TextFile], language: str, root: Path) -> bytes:
    po = polib.POFile(wrapwidth=0)
    po.header = (
        f"Texts of {root.name} to translate into {language}, from 'sabaq i18n export'.\n"
        f"Bring it back with 'sabaq i18n import FILE'; fuzzy entries are not imported."
    )
    po.metadata = {
        "Project-Id-Version": root.name,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "Sabaq (sabaq i18n export)",
    }
    for text_file in files:
        for entry in _entries(text_file):
            po.append(
                polib.POEntry(
                    msgctxt=f"{entry.source_file}:{format_path(entry.path)}",
                    msgid=entry.original,
                    msgstr=entry.translation,
                    comment="\n".join(entry.notes),
                    occurrences=[(entry.source_file, "")],
                    flags=["fuzzy"] if entry.stale else [],
                )
            )
    return str(po).encode("utf-8")


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _unit_id(path: DataPath) -> str:
    # XLIFF ids are XML name tokens, without brackets: sections[0].body -> sections.0.body.
    return ".".join(str(part) for part in path)


def _export_xliff(files: Sequence[TextFile], language: str) -> bytes:
    source_languages = sorted({f.source_language for f in files}) or ["en"]
    if len(source_languages) > 1:
        # An XLIFF file has one source language (srcLang); a PO file names none.
        raise UsageError(
            f"these files are written in {len(source_languages)} languages "
            f"({', '.join(source_languages)}), and an XLIFF file holds one: export each course "
            "with --course, or use --format po"
        )
    store = Xliff2File(sourcelanguage=source_languages[0], targetlanguage=language)
    for number, text_file in enumerate(files, start=1):
        if number > 1:
            node = store.createfilenode(f"f{number}")
            store.document.getroot().append(node)
            store.body = node
        store.body.set("original", text_file.relative(text_file.root))
        # Each unit is one text of a file: a tool may not split it into sentences.
        store.body.set("canResegment", "no")
        for entry in _entries(text_file):
            unit = store.UnitClass(entry.original)
            store.addunit(unit)
            unit.setid(_unit_id(entry.path))
            element = unit.getunitelement()
            element.set("name", format_path(entry.path))
            if entry.translation:
                unit.target = entry.translation
                unit.markfuzzy(entry.stale)
            # The XLIFF 2.0 schema (xliff_core_2.0.xsd) allows notes and xml:space on the unit,
            # not on its segment, where translate-toolkit 3.20's `addnote` and units put them.
            segment = unit.xmlelement
            element.set(_XML_SPACE, segment.attrib.pop(_XML_SPACE, "preserve"))
            notes = etree.Element(store.namespaced("notes"))
            for text in entry.notes:
                etree.SubElement(notes, store.namespaced("note")).text = text
            element.insert(0, notes)
    return bytes(store)


# --- Import --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Imported:
    source_file: str
    path: DataPath | None
    original: str
    translation: str
    position: Position


def import_file(
    project: Project, exchange_path: Path
) -> tuple[list[tuple[TextFile, str]], list[ContentError]]:
    """The translation files to write (each with its new text) from a PO or XLIFF file, or every
    error in it, at the file's lines. Nothing is written here."""
    errors: list[ContentError] = []

    def error(position: Position, message: str, hint: str = "") -> ContentError:
        return ContentError(exchange_path, position, message, hint)

    try:
        raw = exchange_path.read_bytes()
    except OSError as problem:
        return [], [error(Position(), f"cannot read this file: {problem.strerror}")]
    if len(raw) > MAX_EXCHANGE_BYTES:
        return [], [error(Position(), "this file is larger than 20 MB, so Sabaq does not read it")]
    if raw.lstrip().startswith(b"<"):
        language, imported = _read_xliff(raw, error, errors)
    else:
        language, imported = _read_po(raw, error, errors)
    if errors:
        return [], errors
    if language not in LANGUAGE_CODES:
        what = "no language" if not language else f"the language '{language}'"
        return [], [
            error(
                Position(),
                f"this file names {what}, so Sabaq cannot tell which translation files to write",
                f"export it again with 'sabaq i18n export LANG', LANG one of: {', '.join(LANGUAGE_CODES)}",
            )
        ]
    files = {f.relative(f.root): f for f in text_files(project, language)}
    changes: dict[str, dict[DataPath, tuple[Found, Position]]] = {}
    for entry in imported:
        text_file = files.get(entry.source_file)
        if text_file is None:
            errors.append(
                error(
                    entry.position,
                    f"'{entry.source_file}' is not a source file translated into '{language}' in "
                    "this project",
                    "import the file into the project it was exported from; a course must list "
                    f"'{language}' in its languages",
                )
            )
            continue
        if entry.path is None or entry.path not in text_file.translated.texts:
            where = format_path(entry.path) if entry.path else "?"
            errors.append(
                error(
                    entry.position,
                    f"{entry.source_file} has no text '{where}' (it may have been removed or "
                    "moved since the export)",
                    "export the file again and copy this translation to its new entry",
                )
            )
            continue
        original = text_file.source_text(entry.path)
        value: str | list[str] = entry.translation
        if isinstance(original, list):
            value = [line.strip() for line in entry.translation.split("\n") if line.strip()]
        found = Found(value, entry.path, fingerprint(entry.original))
        changes.setdefault(entry.source_file, {})[entry.path] = (found, entry.position)
    updates: list[tuple[TextFile, str]] = []
    for source_file, by_path in changes.items():
        text_file = files[source_file]
        held = text_file.held()
        held.update({path: found for path, (found, _) in by_path.items()})
        positions = {path: position for path, (_, position) in by_path.items()}
        file_errors = _check(text_file, held, positions, exchange_path)
        if file_errors:
            errors.extend(file_errors)
            continue
        updates.append((text_file, stub_text(text_file, held)))
    return updates, sorted_errors(errors)


def _check(
    text_file: TextFile,
    held: dict[DataPath, Found],
    positions: dict[DataPath, Position],
    exchange_path: Path,
) -> list[ContentError]:
    """The errors the new translation file would have, at the imported entries' lines: the
    file is written, read and applied in memory as `sabaq check` would."""
    text = stub_text(text_file, held)
    document = parse_document(text_file.translation_path, text.encode("utf-8"))
    problems = list(document.errors)
    if not problems:
        problems = apply_translation(text_file.source, document, text_file.source_path.name)[2]
    return [_at_entry(problem, document, positions, exchange_path) for problem in problems]


def _at_entry(
    problem: ContentError,
    document: Document,
    positions: dict[DataPath, Position],
    exchange_path: Path,
) -> ContentError:
    """An error in the would-be translation file, moved to the line of the entry it is in."""
    place: DataPath | None = None
    for path, position in document.value_positions.items():
        if position <= problem.position and path and path[0] != SOURCE_KEY:
            if place is None or document.value_positions[place] < position:
                place = path
    while place and place not in positions:
        place = place[:-1]
    position = positions.get(place, Position()) if place else Position()
    return ContentError(exchange_path, position, problem.message, problem.hint)


def _read_po(raw: bytes, error: Any, errors: list[ContentError]) -> tuple[str, list[_Imported]]:
    try:
        po = polib.pofile(raw.decode("utf-8"))
    except UnicodeDecodeError:
        errors.append(error(Position(), "this file is not UTF-8 text", "save it as UTF-8"))
        return "", []
    except (OSError, ValueError) as problem:
        line = _line_in(str(problem))
        errors.append(
            error(
                Position(line, 1),
                f"this is not a PO file Sabaq can read: {problem}",
                "open it in Poedit and save it again",
            )
        )
        return "", []
    imported = []
    for entry in po:
        if entry.obsolete or entry.fuzzy or not entry.msgstr.strip():
            continue
        source_file, _, where = (entry.msgctxt or "").rpartition(":")
        imported.append(
            _Imported(
                source_file,
                parse_path(where),
                entry.msgid,
                entry.msgstr,
                Position(entry.linenum or 1, 1),
            )
        )
    return str(po.metadata.get("Language", "")).strip(), imported


def _line_in(message: str) -> int:
    words = message.replace("(", " ").replace(")", " ").split()
    for before, word in zip(words, words[1:], strict=False):
        if before == "line" and word.isdigit():
            return int(word)
    return 1


def _read_xliff(raw: bytes, error: Any, errors: list[ContentError]) -> tuple[str, list[_Imported]]:
    try:
        store = Xliff2File.parsestring(raw)
    except etree.XMLSyntaxError as problem:
        errors.append(
            error(
                Position(problem.lineno or 1, problem.offset or 1),
                f"this is not an XML file Sabaq can read: {problem.msg}",
                "open it in your translation tool and save it again",
            )
        )
        return "", []
    except (ValueError, AssertionError) as problem:
        version_1 = "XLIFF 1" in str(problem)
        errors.append(
            error(
                Position(),
                "this is an XLIFF 1 file; Sabaq reads XLIFF 2.0"
                if version_1
                else 'this is not an XLIFF 2.0 file (its root is not <xliff version="2.0">)',
                "save it as XLIFF 2.0 in your translation tool, or export the texts again with "
                "'sabaq i18n export LANG --format xliff' (or --format po)",
            )
        )
        return "", []
    # A tool may split a unit's text into several segments (sentences); they are joined again,
    # with the spaces between them (`<ignorable>`), as XLIFF 2.0 defines.
    by_unit: dict[Any, list[Any]] = {}
    for unit in store.units:
        by_unit.setdefault(unit.xmlelement.getparent(), []).append(unit)
    imported = []
    for element, segments in by_unit.items():
        if any(unit.isfuzzy() for unit in segments):
            continue
        source, target = _joined_parts(element, store)
        if not target.strip() or not all(unit.target for unit in segments):
            continue
        file_node = element
        while file_node is not None and etree.QName(file_node).localname != "file":
            file_node = file_node.getparent()
        source_file = file_node.get("original", "") if file_node is not None else ""
        unit_id = element.get("id", "") if element is not None else ""
        path = tuple(int(p) if p.isdigit() else p for p in unit_id.split(".")) or None
        first = segments[0].xmlelement.find(store.namespaced("target"))
        line = first.sourceline if first is not None else element.sourceline
        imported.append(_Imported(source_file, path, source, target, Position(line or 1, 1)))
    return str(store.gettargetlanguage() or ""), imported


def _joined_parts(unit_element: Any, store: Xliff2File) -> tuple[str, str]:
    """A unit's source and target text: its segments and the spaces between them, in order."""
    sources, targets = [], []
    for part in unit_element:
        if etree.QName(part).localname not in ("segment", "ignorable"):
            continue
        source = part.find(store.namespaced("source"))
        target = part.find(store.namespaced("target"))
        source_text = "".join(source.itertext()) if source is not None else ""
        sources.append(source_text)
        if target is not None:
            targets.append("".join(target.itertext()))
        elif etree.QName(part).localname == "ignorable":
            targets.append(source_text)
    return "".join(sources), "".join(targets)
