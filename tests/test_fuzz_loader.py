"""Property tests: whatever bytes a trainer's editor saves, load and validate answer with errors that
point into the file, quickly, and never with an exception.

Inputs are random bytes and text, valid course files with one value or key changed (random
Unicode, very long text, deep nesting, wrong types), valid files with text spliced in, and alias
bombs. The project is assembled in memory, so each example costs only the parse and validation.
"""

from __future__ import annotations

import re
import textwrap
import time
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sabaq_testing import MINIMAL_PROJECT, run_sabaq, write_files

from builder.content.document import MAX_DEPTH, parse_document
from builder.content.errors import ContentError
from builder.content.load import LoadedProject, ProjectFile
from builder.content.validate import validate_project

FUZZ = settings(
    max_examples=150,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ROOT = Path("/fuzz-project")
MODULE = "courses/demo/01-first.yml"
MODULE_RU = "courses/demo/01-first.ru.yml"
COURSE = "courses/demo/course.yml"
BANK = "quizzes/basics.yml"
BANK_RU = "quizzes/basics.ru.yml"

SEEDS: dict[str, str] = {
    **{
        name: textwrap.dedent(text).lstrip("\n")
        for name, text in MINIMAL_PROJECT.items()
        if isinstance(text, str)
    },
    MODULE: textwrap.dedent(
        """\
        id: first
        title: First module
        duration_minutes: 20
        summary: What the module is about.
        objectives:
          - Read laterally.
          - Trace a claim to its source.
        sections:
          - heading: Start
            body: |
              Hello, **reader**.
            callouts:
              - kind: tip
                title: A tip
                body: Open a new tab.
          - heading: More
            body: Text.
        sources:
          - title: A guide
            url: https://example.org/guide
            publisher: Example
            year: 2020
        quiz:
          bank: basics
          questions: [q1, q2]
        """
    ),
    MODULE_RU: textwrap.dedent(
        """\
        status: draft
        title: Первый модуль
        objectives:
          - Читать латерально.
        sections:
          - heading: Начало
            body: Привет.
            callouts:
              - title: Совет
                body: Откройте новую вкладку.
        sources:
          - title: Руководство
        """
    ),
    BANK: textwrap.dedent(
        """\
        id: basics
        title: Basics
        questions:
          - id: q1
            type: single
            prompt: Which?
            options:
              - id: a
                text: A
                correct: true
                feedback: Right.
              - id: b
                text: B
          - id: q2
            type: fill_blank
            prompt: Name it.
            accepted: [lateral reading]
          - id: q3
            type: matching
            prompt: Match.
            pairs:
              - left: ".kz"
                right: Kazakhstan
              - left: ".uz"
                right: Uzbekistan
          - id: q4
            type: numeric
            prompt: How many?
            answer: 57.1
            tolerance: 0.5
        """
    ),
    BANK_RU: textwrap.dedent(
        """\
        status: reviewed
        title: Основы
        questions:
          - prompt: Какой?
            options:
              - text: А
              - text: Б
          - accepted: [латеральное чтение, чтение вбок]
        """
    ),
}


# --- The project in memory -----------------------------------------------------------------------


def project_file(relative: str, raw: bytes) -> ProjectFile:
    """What `load_project` makes of a file at `relative`, without touching the disk."""
    path = ROOT / relative
    parts = relative.split("/")
    course_folder = parts[1] if parts[0] == "courses" else ""
    stem, _, language = path.stem.partition(".")
    kind = ("course" if stem == "course" else "module") if course_folder else "quiz"
    return ProjectFile.read_already(
        kind, course_folder, stem, language or None, parse_document(path, raw)
    )


def validate_with(relative: str, raw: bytes) -> list[ContentError]:
    """Validate the seed project with one file's bytes replaced; check every error on the way."""
    files = {name: text.encode() for name, text in SEEDS.items()}
    files[relative] = raw
    loaded = LoadedProject(
        ROOT, [project_file(name, content) for name, content in sorted(files.items())], []
    )
    _, errors = validate_project(loaded)
    for error in errors:
        assert_well_formed(error, files)
    return errors


_YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def lines_in(raw: bytes) -> int:
    """How many lines the YAML parser sees in a file (it also breaks lines at \\r, NEL, LS, PS)."""
    return len(_YAML_LINE_BREAK.split(raw.decode("utf-8-sig", errors="replace")))


def assert_well_formed(error: ContentError, files: dict[str, bytes] | None = None) -> None:
    assert isinstance(error, ContentError)
    assert isinstance(error.path, Path) and error.path.name
    assert error.position.line >= 1 and error.position.column >= 1, error
    assert error.message.strip(), error
    formatted = error.format()
    formatted.encode("utf-8")  # printable: no half characters
    first, *rest = formatted.split("\n")
    assert first.startswith(
        f"{error.path.as_posix()}:{error.position.line}:{error.position.column}: "
    )
    assert rest == ([f"    hint: {error.hint}"] if error.hint else []), (
        "an error prints as one line and a hint"
    )
    if files is not None and error.path.is_relative_to(ROOT):
        raw = files.get(error.path.relative_to(ROOT).as_posix())
        if raw is not None:
            assert error.position.line <= lines_in(raw), (error, lines_in(raw))


def parsed(raw: bytes, name: str = MODULE) -> Any:
    document = parse_document(ROOT / name, raw)
    for error in document.errors:
        assert error.path == ROOT / name
        assert_well_formed(error, {name: raw})
    return document


# --- Strategies ----------------------------------------------------------------------------------

# fmt: off
YAML_PIECES = [
    ":", ": ", "- ", "\t", "'", '"', "&a ", "*a", "!!int ", "!x ", "{", "}", "[", "]", ",", "\n", "  ",
    "#", "|", ">-", "? ", "---\n", "...\n", "%YAML 1.1\n", "@", "`", "\x00", "\x07", "\ufeff", "\u2028",
    "\x85", "\r", "\\", '"\\ud83d"', "yes", "no", "~", "null", "12:30", "0x_", "<<: ", "=", ".inf",
    "2024-01-01", "true", "1e999", "\U0001f600", "ʻ", "ё",
]
# fmt: on

piece = st.sampled_from(YAML_PIECES)
splice_text = st.lists(st.one_of(piece, st.text(max_size=8)), max_size=6).map("".join)

scalar = st.one_of(
    st.text(max_size=40),
    st.sampled_from(YAML_PIECES),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
#: Text of 1 to ~200 KB once written (one printable character repeated, so generating it costs
#: nothing; control characters would be written as 4-byte escapes).
huge_text = st.builds(
    lambda char, size: char * (size // len(char.encode())),
    st.characters(categories=["L", "M", "N", "P", "S", "Zs"]),
    st.integers(1_000, 200_000),
)


def nest(depth: int, as_mapping: bool) -> Any:
    value: Any = "leaf"
    for level in range(depth):
        value = {f"k{level}": value} if as_mapping else [value]
    return value


deep = st.builds(nest, st.integers(1, 4 * MAX_DEPTH), st.booleans())
shapes = st.recursive(
    scalar,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
replacement = st.one_of(scalar, shapes, huge_text, deep)


def all_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            paths += all_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            paths += all_paths(value, (*prefix, index))
    return paths


def mutate(data: Any, path: tuple[Any, ...], action: str, value: Any, new_key: str) -> Any:
    """A copy of `data` with the value at `path` replaced or deleted, or a key added or renamed."""
    if not path:
        return value if action == "replace" else data
    *parents, last = path
    copy = yaml.safe_load(yaml.safe_dump(data))
    container = copy
    for part in parents:
        container = container[part]
    if action == "replace":
        container[last] = value
    elif action == "delete":
        del container[last]
    elif action == "add" and isinstance(container, dict):
        container[new_key] = value
    elif action == "rename" and isinstance(container, dict):
        container[new_key] = container.pop(last)
    return copy


@st.composite
def mutated_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """One seed file with one value or key changed, written out as YAML."""
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = yaml.safe_load(SEEDS[name])
    path = draw(st.sampled_from(all_paths(data)))
    action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add", "rename"]))
    value = draw(replacement)
    new_key = draw(
        st.one_of(
            st.text(max_size=12), st.sampled_from(["titel", "bodi", "id", "type", "status", "<<"])
        )
    )
    text = yaml.safe_dump(
        mutate(data, path, action, value, new_key), allow_unicode=True, sort_keys=False
    )
    return name, text.encode("utf-8", "surrogatepass")


@st.composite
def spliced_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """One seed file with a few characters replaced by YAML punctuation or random text."""
    name = draw(st.sampled_from(sorted(SEEDS)))
    text = SEEDS[name]
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 10)))
        text = text[:start] + draw(splice_text) + text[end:]
    return name, text.encode("utf-8", "surrogatepass")


def billion_laughs(levels: int, width: int) -> str:
    lines = ['l0: &l0 "' + "lol" * 10 + '"']
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


# --- Properties ----------------------------------------------------------------------------------


def test_seed_project_is_valid() -> None:
    assert validate_with(MODULE, SEEDS[MODULE].encode()) == []


@FUZZ
@given(st.binary(max_size=4_000))
def test_random_bytes_never_raise(raw: bytes) -> None:
    parsed(raw)
    validate_with(MODULE, raw)


@FUZZ
@given(st.text(max_size=2_000))
def test_random_text_never_raises(text: str) -> None:
    raw = text.encode("utf-8")
    parsed(raw)
    validate_with(BANK, raw)


@FUZZ
@given(mutated_file())
def test_a_changed_value_or_key_gives_errors_that_point_into_the_file(
    changed: tuple[str, bytes],
) -> None:
    name, raw = changed
    parsed(raw, name)
    validate_with(name, raw)


@FUZZ
@given(spliced_file())
def test_spliced_yaml_gives_errors_that_point_into_the_file(changed: tuple[str, bytes]) -> None:
    name, raw = changed
    parsed(raw, name)
    validate_with(name, raw)


@FUZZ
@given(st.integers(1, 12), st.integers(2, 12), st.sampled_from(sorted(SEEDS)))
def test_alias_bombs_are_refused(levels: int, width: int, name: str) -> None:
    raw = (SEEDS[name] + billion_laughs(levels, width)).encode()

    document = parsed(raw, name)

    assert [error.message for error in document.errors] == [
        "YAML aliases (*name) are not supported"
    ]
    validate_with(name, raw)


def test_billion_laughs_through_check_is_a_clean_error_and_quick(tmp_path: Path) -> None:
    project = write_files(
        tmp_path / "project",
        {**MINIMAL_PROJECT, "courses/demo/02-second.yml": billion_laughs(levels=30, width=10)},
    )
    started = time.perf_counter()

    run = run_sabaq("check", cwd=project)

    assert time.perf_counter() - started < 20
    assert run.code == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert run.stderr.startswith(
        "courses/demo/02-second.yml:2:10: YAML aliases (*name) are not supported\n"
        "    hint: write the text out in full where it is needed\n"
    )
    assert run.stderr.endswith("\n1 error in 1 file; nothing was built.\n")
