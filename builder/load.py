"""Load YAML files into plain data that remembers where each value came from.

The only stage that reads course files. It never raises for bad content: a file that cannot be
read comes back with its errors, so one run reports every broken file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import ContentError, Position

#: Larger files are refused: nobody writes a module that long, and it keeps a run's memory bounded.
MAX_FILE_BYTES = 1_000_000
#: Deeper nesting is refused before the YAML parser recurses into it.
MAX_DEPTH = 40

DataPath = tuple[str | int, ...]


@dataclass
class Document:
    """One loaded YAML file: its data and the position of every value and key in it."""

    path: Path
    data: Any = None
    value_positions: dict[DataPath, Position] = field(default_factory=dict)
    key_positions: dict[DataPath, Position] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)

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

    def error(self, data_path: DataPath, message: str, hint: str = "", *, key: bool = False) -> ContentError:
        return ContentError(self.path, self.position_of(data_path, key=key), message, hint)


class _SabaqLoader(yaml.SafeLoader):
    """PyYAML's safe loader with trainer-friendly scalars and no aliases.

    - `yes`, `no`, `on`, `off` stay text (YAML 1.1 would turn a Norwegian `no` into false);
      only true/false are booleans.
    - Dates stay text.
    - Aliases (`*name`) are refused: trainers do not need them, and expanding them is how a
      "billion laughs" file exhausts memory.
    """

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _AliasRefusedError(event.start_mark)
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
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SabaqLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _AliasRefusedError(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _TooDeepError(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


def _position(mark: yaml.Mark | None) -> Position:
    return Position(mark.line + 1, mark.column + 1) if mark is not None else Position(1, 1)


def load_document(path: Path) -> Document:
    """Read and parse one YAML file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return _failed(path, Position(), f"cannot read this file: {error.strerror}", "")
    return parse_document(path, raw)


def parse_document(path: Path, raw: bytes) -> Document:
    """Parse YAML bytes that came from `path`; pure, so tests and fuzzers can feed it directly."""
    if len(raw) > MAX_FILE_BYTES:
        return _failed(
            path,
            Position(),
            f"this file is {len(raw):,} bytes; the most Sabaq reads is {MAX_FILE_BYTES:,}",
            "split the module into several smaller modules",
        )
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return _failed(
            path,
            Position(line, column),
            f"this file is not UTF-8 text (byte 0x{raw[error.start]:02x} cannot be read)",
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
        for number, line_text in enumerate(source.splitlines(), start=1)
        if (match := re.match(r"[ ]*(?P<tab>\t)", line_text))
    ]
    if tab_errors:
        return Document(path, errors=tab_errors)

    loader = _SabaqLoader(source)
    try:
        root = loader.get_single_node()
    except _AliasRefusedError as refused:
        return _failed(
            path,
            _position(refused.mark),
            "YAML aliases (*name) are not supported",
            "write the text out in full where it is needed",
        )
    except _TooDeepError as deep:
        return _failed(
            path,
            _position(deep.mark),
            f"the file nests deeper than {MAX_DEPTH} levels",
            "a course file needs only a few levels: check the indentation",
        )
    except yaml.MarkedYAMLError as error:
        return _failed(path, _position(error.problem_mark), _describe_yaml_error(error), _YAML_HINT)
    except yaml.YAMLError as error:
        return _failed(path, Position(), f"this is not valid YAML: {error}", _YAML_HINT)
    finally:
        loader.dispose()

    document = Document(path)
    if root is None:
        return document
    document.data = _to_data(root, (), document, loader)
    return document


_YAML_HINT = (
    "check the indentation, and put text that contains ': ' or starts with a special character "
    "(such as * & ! % @ ` or a quote) in quotes"
)


def _describe_yaml_error(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "this is not valid YAML"
    if error.context:
        return f"YAML syntax error: {problem} ({error.context})"
    return f"YAML syntax error: {problem}"


def _failed(path: Path, position: Position, message: str, hint: str) -> Document:
    return Document(path, errors=[ContentError(path, position, message, hint)])


def _to_data(node: Node, data_path: DataPath, document: Document, loader: _SabaqLoader) -> Any:
    document.value_positions[data_path] = _position(node.start_mark)
    if isinstance(node, MappingNode):
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                document.errors.append(
                    ContentError(
                        document.path,
                        _position(key_node.start_mark),
                        f"'{getattr(key_node, 'value', key)}' cannot be a key: keys are words",
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
                        f"'{key}' is given twice",
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
    return loader.construct_object(node)


# --- A whole project -----------------------------------------------------------------------------


@dataclass
class ProjectFile:
    """A YAML file of the project, with what its place and name say about it."""

    kind: str  # "course", "module" or "quiz"
    #: The course folder for course and module files; "" for quiz banks.
    course_folder: str
    #: The file name without language code and extension, e.g. "01-sift".
    stem: str
    #: The translation's language code as written in the file name; None for a source file.
    language: str | None
    document: Document

    @property
    def path(self) -> Path:
        return self.document.path


@dataclass
class LoadedProject:
    root: Path
    files: list[ProjectFile]
    #: Problems with the project's shape found while looking for files (e.g. `.yaml` files).
    errors: list[ContentError]


def load_project(root: Path) -> LoadedProject:
    """Find and load every course, module and quiz file under `root`."""
    files: list[ProjectFile] = []
    errors: list[ContentError] = []
    courses_dir, quizzes_dir = root / "courses", root / "quizzes"
    if not courses_dir.is_dir():
        errors.append(
            ContentError(
                courses_dir,
                Position(),
                "there is no 'courses' folder here",
                "run Sabaq in a course project (a folder with 'courses/' and 'quizzes/'), "
                "name one with --project DIR, or create a course with 'sabaq new course ID'",
            )
        )
        return LoadedProject(root, files, errors)
    for course_dir in sorted(p for p in courses_dir.iterdir() if p.is_dir()):
        for path in sorted(course_dir.iterdir()):
            _add_file(path, course_dir.name, files, errors)
    if quizzes_dir.is_dir():
        for path in sorted(quizzes_dir.iterdir()):
            _add_file(path, "", files, errors)
    return LoadedProject(root, files, errors)


def _add_file(path: Path, course_folder: str, files: list[ProjectFile], errors: list[ContentError]) -> None:
    if path.suffix == ".yaml":
        errors.append(
            ContentError(
                path,
                Position(),
                "Sabaq reads files ending in '.yml', not '.yaml'",
                f"rename the file to '{path.with_suffix('.yml').name}'",
            )
        )
        return
    if path.suffix != ".yml" or not path.is_file():
        return
    stem, _, language = path.stem.partition(".")
    if course_folder:
        kind = "course" if stem == "course" else "module"
    else:
        kind = "quiz"
    files.append(ProjectFile(kind, course_folder, stem, language or None, load_document(path)))
