"""One YAML file as plain data that remembers where each value came from (`Document`).

It never raises for bad content: a file that cannot be read comes back with its errors, so one run
reports every broken file. Which files make a project is `load.py`'s business.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from builder.content.errors import ContentError, Position, printable
from builder.settings import SETTINGS

MAX_DEPTH = SETTINGS.max_yaml_depth

DataPath = tuple[str | int, ...]


@dataclass
class Document:
    """One loaded YAML file: its data and the position of every value and key in it."""

    path: Path
    data: Any = None
    value_positions: dict[DataPath, Position] = field(default_factory=dict)
    key_positions: dict[DataPath, Position] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    #: Literal block texts (`body: |`): where their first line is in the file (1-based) and how
    #: far their lines are indented, so that a place inside the text can be found in the file.
    literal_blocks: dict[DataPath, tuple[int, int]] = field(default_factory=dict)

    def position_in_text(self, data_path: DataPath, offset: int) -> Position:
        """Where the character at `offset` of the text at `data_path` is in the file: exact in a
        literal block (each line of the text is a line of the file, indented), else where the
        text starts."""
        layout = self.literal_blocks.get(tuple(data_path))
        if layout is None:
            return self.position_of(data_path)
        first_line, indent = layout
        text = self._value_at(tuple(data_path))
        if not isinstance(text, str) or not 0 <= offset <= len(text):
            return self.position_of(data_path)
        line = text.count("\n", 0, offset)
        column = offset - (text.rfind("\n", 0, offset) + 1)
        return Position(first_line + line, indent + column + 1)

    def _value_at(self, data_path: DataPath) -> Any:
        value = self.data
        for part in data_path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        return value

    def position_of(self, data_path: DataPath, *, key: bool = False) -> Position:
        """Where a value (or, with key=True, its key) is; the nearest enclosing one if unknown."""
        path = tuple(data_path)
        while path:
            table = self.key_positions if key else self.value_positions
            if path in table:
                return table[path]
            if not key and path in self.key_positions:
                return self.key_positions[path]
            path = path[:-1]
            key = False
        return self.value_positions.get((), Position(1, 1))

    def error(
        self, data_path: DataPath, message: str, hint: str = "", *, key: bool = False
    ) -> ContentError:
        # Messages quote keys and values; each error must still print as one line.
        return ContentError(
            self.path,
            self.position_of(data_path, key=key),
            short_text(message, 500),
            short_text(hint, 500),
        )


def short_text(text: str, limit: int = 60) -> str:
    """Text as it can be quoted in a one-line message: line breaks shown as ⏎, control
    characters as escapes (`errors.printable`), long text cut."""
    flat = printable(_LINE_BREAK.sub("⏎", text))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


#: What YAML counts as the end of a line, so that line numbers agree with the parser's.
_YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
#: Half of a UTF-16 pair, which YAML's "\ud83d" escape can produce but no file can store.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _SabaqLoader(yaml.SafeLoader):
    """PyYAML's safe loader with trainer-friendly scalars and no aliases.

    - `yes`, `no`, `on`, `off` stay text (YAML 1.1 would turn a Norwegian `no` into false);
      only true/false are booleans.
    - Dates stay text.
    - Aliases (`*name`) are refused: trainers do not need them, and expanding them is how a
      "billion laughs" file exhausts memory.
    - Tags (`!!int`, `!name`) are refused: PyYAML's constructors for them raise on bad values.
    - Numbers are read as YAML 1.2 reads them: `12:30` stays text (YAML 1.1 reads it as 750, in
      base 60), and so do `<<` and `=`.
    """

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _AliasRefusedError(event.start_mark)
        tag = getattr(self.peek_event(), "tag", None)
        if tag not in (None, "!"):
            raise _TagRefusedError(self.peek_event().start_mark, tag)
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeepError(self.peek_event().start_mark)
            return super().compose_node(parent, index)  # type: ignore[no-any-return, return-value]
        finally:
            self._depth -= 1


_SabaqLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag.rpartition(":")[2] not in ("timestamp", "bool", "int", "float", "merge", "value")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SabaqLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_SabaqLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_SabaqLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _AliasRefusedError(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _TooDeepError(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _TagRefusedError(Exception):
    def __init__(self, mark: yaml.Mark, tag: str) -> None:
        self.mark = mark
        self.tag = tag.replace("tag:yaml.org,2002:", "!!")


def _position(mark: yaml.Mark | None) -> Position:
    return _shared_position(mark.line + 1, mark.column + 1) if mark is not None else Position(1, 1)


@functools.lru_cache(maxsize=1 << 16)
def _shared_position(line: int, column: int) -> Position:
    """One object for each place, however many files have a value there: a catalogue's documents
    hold millions of positions, and only a few thousand different ones."""
    return Position(line, column)


def load_document(path: Path) -> Document:
    """Read and parse one YAML file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return failed_document(path, Position(), f"cannot read this file: {error.strerror}", "")
    return parse_document(path, raw)


def parse_document(path: Path, raw: bytes) -> Document:
    """Parse YAML bytes that came from `path`; pure, so tests and fuzzers can feed it directly."""
    if len(raw) > SETTINGS.max_file_bytes:
        return failed_document(
            path,
            Position(),
            f"this file is {len(raw):,} bytes; the most Sabaq reads is {SETTINGS.max_file_bytes:,}",
            "split the module into several smaller modules",
        )
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # error.start counts from after the byte order mark, if there is one.
        before = raw.removeprefix(codecs.BOM_UTF8)[: error.start].decode("utf-8")
        return failed_document(
            path,
            _offset_position(before, len(before)),
            "this file is not saved as UTF-8, so its text cannot be read from here on",
            "save the file as UTF-8 (in VS Code: click the encoding in the status bar, then "
            "'Save with Encoding' > 'UTF-8')",
        )

    tab_errors = [
        ContentError(
            path,
            Position(number, match.start("tab") + 1),
            "a tab is used for indentation; YAML needs spaces",
            "replace the tab with spaces (in VS Code: 'Convert Indentation to Spaces')",
        )
        for number, line_text in enumerate(_YAML_LINE_BREAK.split(source), start=1)
        if (match := re.match(r"[ ]*(?P<tab>\t)", line_text))
    ]
    if tab_errors:
        return Document(path, errors=tab_errors)

    fast = _compose_with_libyaml(source)
    if fast is not None:
        document = Document(path)
        root, fast_loader = fast
        if root is not None:
            document.data = _to_data(root, (), document, fast_loader)
        _locate_literal_blocks(document, source)
        _check_invisible_characters(document, source)
        return document

    try:
        loader = _SabaqLoader(source)  # checks for control characters
    except yaml.reader.ReaderError as error:
        return failed_document(
            path,
            _offset_position(source, error.position),
            f"this file contains an invisible control character (U+{error.character:04X}) that "
            "YAML does not allow",
            "delete it; such characters often come with text copied from a PDF or a word processor",
        )
    try:
        root = loader.get_single_node()
    except _AliasRefusedError as refused:
        return failed_document(
            path,
            _position(refused.mark),
            "YAML aliases (*name) are not supported",
            "write the text out in full where it is needed",
        )
    except _TagRefusedError as refused:
        return failed_document(
            path,
            _position(refused.mark),
            f"YAML tags such as '{refused.tag}' are not supported",
            "remove the tag; to keep a value as text, put it in quotes",
        )
    except _TooDeepError as deep:
        return failed_document(
            path,
            _position(deep.mark),
            f"the file nests deeper than {MAX_DEPTH} levels",
            "a course file needs only a few levels: check the indentation",
        )
    except yaml.MarkedYAMLError as error:
        mark, message, hint = _describe_yaml_error(error)
        return failed_document(path, _position(mark), f"YAML syntax error: {message}", hint)
    except yaml.YAMLError as error:
        return failed_document(path, Position(), f"this is not valid YAML: {error}", _YAML_HINT)
    finally:
        loader.dispose()

    document = Document(path)
    if root is None:
        return document
    document.data = _to_data(root, (), document, loader)
    _locate_literal_blocks(document, source)
    _check_invisible_characters(document, source)
    return document


#: Control characters (all of C0 and C1 but tab and line feed, and DEL) and the bidirectional
#: embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). YAML refuses most of them
#: written as they are, but its double-quoted escapes ("\e", "\0", "\x9b") write any of them, and
#: it allows the bidirectional ones. In a terminal they recolour or rewrite what is shown; on a page
#: they hide or reorder text ("Trojan Source"). None has a place in a course: refused, not removed,
#: so that the trainer sees what was pasted.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: What in a file can produce one: an escape, a raw bidirectional character, a NEL.
_MAY_HOLD_INVISIBLE = re.compile("[\\\\\x85\u202a-\u202e\u2066-\u2069]")


def _check_invisible_characters(document: Document, source: str) -> None:
    if not _MAY_HOLD_INVISIBLE.search(source):
        return  # nearly every file: nothing to look for
    for data_path, text, is_key in _texts(document.data, ()):
        match = _INVISIBLE.search(text)
        if match is None:
            continue
        code = ord(match.group(0))
        if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            message = (
                f"this text contains U+{code:04X}, an invisible character that changes the "
                "direction of the text around it"
            )
            hint = (
                "delete it: right-to-left words show in the right order without it, and it can "
                "make a text read differently from what it says"
            )
        else:
            message = f"this text contains an invisible control character (U+{code:04X})"
            hint = (
                "delete it; in double quotes, escapes such as \\e, \\0 or \\x1b write one "
                "(write \\\\ for a backslash, or use single quotes)"
            )
        where = (
            document.position_of(data_path, key=True)
            if is_key
            else document.position_in_text(data_path, match.start())
        )
        document.errors.append(ContentError(document.path, where, message, hint))


def _texts(data: Any, data_path: DataPath) -> Iterator[tuple[DataPath, str, bool]]:
    """Every text in loaded data, keys included: its path, and whether it is a key."""
    if isinstance(data, str):
        yield data_path, data, False
    elif isinstance(data, dict):
        for key, value in data.items():
            yield (*data_path, key), key, True
            yield from _texts(value, (*data_path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _texts(item, (*data_path, index))


def _locate_literal_blocks(document: Document, source: str) -> None:
    """Turn the indicator positions `_to_data` noted for literal blocks into the line their text
    starts on and its indentation. A block with an explicit indentation (`|2`) or no text is
    left out: a place in it is reported where it starts."""
    if not document.literal_blocks:
        return
    lines = _YAML_LINE_BREAK.split(source)
    for data_path, (line, column) in list(document.literal_blocks.items()):
        del document.literal_blocks[data_path]
        header = lines[line][column:].split("#", 1)[0].strip() if line < len(lines) else ""
        if any(char.isdigit() for char in header):
            continue
        first = next((i for i in range(line + 1, len(lines)) if lines[i].strip()), None)
        if first is not None:
            indent = len(lines[first]) - len(lines[first].lstrip(" "))
            document.literal_blocks[data_path] = (line + 2, indent)


if yaml.__with_libyaml__:

    class _FastLoader(yaml.cyaml.CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):  # type: ignore[misc, name-defined]
        """libyaml's C parser with the same scalar rules as `_SabaqLoader`."""

        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)  # type: ignore[attr-defined]
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _FastLoader.yaml_implicit_resolvers = _SabaqLoader.yaml_implicit_resolvers


def _compose_with_libyaml(source: str) -> tuple[Node | None, Any] | None:
    """The file's nodes read by libyaml, about twenty times faster than PyYAML's Python parser,
    or None whenever anything is unusual (no libyaml, a control character, an alias, a tag, deep
    nesting, a syntax error): the Python parser then reads the file and explains the problem."""
    if not yaml.__with_libyaml__ or yaml.reader.Reader.NON_PRINTABLE.search(source):
        return None
    try:
        depth = 0
        for event in yaml.parse(source, Loader=_FastLoader):
            if isinstance(event, AliasEvent) or getattr(event, "tag", None) not in (None, "!"):
                return None
            if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                depth += 1
                if depth >= MAX_DEPTH:
                    return None
            elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                depth -= 1
        loader = _FastLoader(source)
        try:
            return loader.get_single_node(), loader
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return None


_YAML_HINT = (
    "check the indentation, and put text that contains ': ' or starts with a special character "
    "(such as * & ! % @ ` or a quote) in quotes"
)


def _describe_yaml_error(error: yaml.MarkedYAMLError) -> tuple[yaml.Mark | None, str, str]:
    """Where, what and how to fix it, in a trainer's words rather than the parser's terms."""
    problem, context = error.problem or "", error.context or ""
    here, start = error.problem_mark, error.context_mark or error.problem_mark
    if "mapping values are not allowed" in problem:
        return (
            here,
            "this ':' is not expected here",
            "if the ':' is part of the text, put the whole text in quotes, "
            'e.g. title: "Step 1: stop"; otherwise check the indentation of this line',
        )
    if "while scanning a simple key" in context:
        return (
            start,
            "this line needs a ':' after its key",
            "write the key followed by ': ', e.g. 'body: |'; "
            "the lines of a text go below it, indented further",
        )
    if "quoted scalar" in context and "end of stream" in problem:
        return (
            start,
            "the quote that opens here is never closed",
            "add the closing quote; for a quote mark inside the text, "
            "put the text in the other kind of quotes",
        )
    if "flow sequence" in context or "flow mapping" in context:
        opening, closing = ("[", "]") if "sequence" in context else ("{", "}")
        return (
            start,
            f"the '{opening}' here is not closed with '{closing}'",
            f"close it with '{closing}' on the same line, with commas between the items",
        )
    if "cannot start any token" in problem:
        character = problem.split("'")[1] if problem.count("'") >= 2 else "?"
        if character == "\\t":
            return here, "a tab is used here; YAML needs spaces", "replace the tab with spaces"
        return (
            here,
            f"a text cannot start with '{character}'",
            f'put the whole text in quotes, e.g. title: "{character}..."',
        )
    if "expected a single document" in context:
        return (
            here,
            "a second document ('---') starts here",
            "a Sabaq file holds one document: remove the '---' line",
        )
    if "unknown escape character" in problem:
        return (
            here,
            "a backslash in double quotes starts an unknown escape",
            "put the text in single quotes instead, or write the backslash twice",
        )
    if problem.startswith("expected <block end>"):
        return (
            here,
            "this line's indentation does not match the lines above",
            "line it up with the keys it belongs with (spaces only); if a quote mark ends a text "
            'early, put the whole text in the other kind of quotes, e.g. title: "it\'s here"',
        )
    return here, problem or "this is not valid YAML", _YAML_HINT


def _offset_position(source: str, offset: int) -> Position:
    """The line and column of a character, counting lines as the YAML parser does."""
    breaks = list(_YAML_LINE_BREAK.finditer(source, 0, offset))
    line_start = breaks[-1].end() if breaks else 0
    return Position(len(breaks) + 1, offset - line_start + 1)


def failed_document(path: Path, position: Position, message: str, hint: str) -> Document:
    return Document(path, errors=[ContentError(path, position, message, hint)])


def _to_data(node: Node, data_path: DataPath, document: Document, loader: _SabaqLoader) -> Any:
    document.value_positions[data_path] = _position(node.start_mark)
    if isinstance(node, ScalarNode) and node.style == "|":
        # Where its indicator is, for now: `_locate_literal_blocks` finds the text's lines.
        document.literal_blocks[data_path] = (node.start_mark.line, node.start_mark.column)
    if isinstance(node, MappingNode):
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = (
                _construct(loader, key_node, document) if isinstance(key_node, ScalarNode) else None
            )
            if not isinstance(key, str):
                document.errors.append(
                    ContentError(
                        document.path,
                        _position(key_node.start_mark),
                        f"'{short_text(key_node.value)}' cannot be a key: keys are words"
                        if isinstance(key_node, ScalarNode)
                        else "a list or a group of keys cannot be a key: keys are words",
                        "write a name such as 'title:' here",
                    )
                )
                continue
            child_path = (*data_path, key)
            if key in mapping:
                document.errors.append(
                    ContentError(
                        document.path,
                        _position(key_node.start_mark),
                        f"'{short_text(key)}' is given twice",
                        "keep only one of them",
                    )
                )
                continue
            document.key_positions[child_path] = _position(key_node.start_mark)
            mapping[key] = _to_data(value_node, child_path, document, loader)
        return mapping
    if isinstance(node, SequenceNode):
        return [
            _to_data(item, (*data_path, index), document, loader)
            for index, item in enumerate(node.value)
        ]
    return _construct(loader, node, document)


def _construct(loader: _SabaqLoader, node: Node, document: Document) -> Any:
    try:
        value = loader.construct_object(node)
    except (yaml.YAMLError, ValueError, OverflowError):
        value = node.value  # looks like a number but is not one, such as `0x_`: text
    if isinstance(value, str) and _LONE_SURROGATE.search(value):
        document.errors.append(
            ContentError(
                document.path,
                _position(node.start_mark),
                "a '\\u' escape here is only half of a character",
                "write the character itself instead of the escape",
            )
        )
        value = _LONE_SURROGATE.sub("\ufffd", value)
    return value
