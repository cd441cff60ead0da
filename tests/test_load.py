"""Unit tests of the loader: YAML bytes -> data that remembers where each value and key is."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.content import document as yaml_document
from builder.content.document import MAX_DEPTH, Document, parse_document
from builder.content.errors import Position

PATH = Path("courses/demo/01-first.yml")


def parse(text: str | bytes) -> Document:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_document(PATH, raw)


def only_error(document: Document) -> tuple[int, int, str, str]:
    """The one error of a document as (line, column, message, hint)."""
    assert len(document.errors) == 1, [error.format() for error in document.errors]
    error = document.errors[0]
    assert error.path == PATH
    return error.position.line, error.position.column, error.message, error.hint


MODULE = """\
id: first
title: First module
sections:
  - heading: Start
    body: Hello.
  - heading: Next
    body: |
      Line one.
"""


# --- Positions -----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(
        st.text(alphabet="abc XYZ Жңүқ![](){}#:-*'\"", min_size=0, max_size=12).map(str.strip),
        min_size=1,
        max_size=6,
    ).filter(lambda lines: bool(lines[0])),
    indent=st.integers(min_value=2, max_value=8),
    chomping=st.sampled_from(["", "-", "+"]),
)
def test_a_place_in_a_literal_block_is_found_in_the_file(
    lines: list[str], indent: int, chomping: str
) -> None:
    """Each line of a literal block (`body: |`) is a line of the file, indented: any character
    of the text is reported where it is in the file (images/ errors point at the picture)."""
    source = f"title: T\nsections:\n  - body: |{chomping} # a comment\n" + "".join(
        f"{' ' * (indent + 3)}{line}\n" if line else "\n" for line in lines
    )
    document = parse(source)
    assert not document.errors
    body = document.data["sections"][0]["body"]
    source_lines = source.split("\n")
    for offset, char in enumerate(body):
        if char == "\n":
            continue
        position = document.position_in_text(("sections", 0, "body"), offset)
        assert source_lines[position.line - 1][position.column - 1] == char


def test_a_place_in_other_texts_is_where_the_text_starts() -> None:
    """Folded (`>`) and quoted texts join or escape their lines, and a block with an explicit
    indentation (`|2`) may start with spaces: a place in them is reported at their start."""
    document = parse("a: >\n  folded\n  text\nb: 'quoted\n  text'\nc: |2\n    spaced\nd: plain\n")
    for key, where in (("a", Position(1, 4)), ("b", Position(4, 4)), ("c", Position(6, 4))):
        assert document.position_in_text((key,), 3) == where, key
    assert document.position_in_text(("d",), 2) == Position(8, 4)
    assert document.position_in_text(("missing",), 2) == Position(1, 1)


def test_values_and_keys_remember_their_line_and_column() -> None:
    document = parse(MODULE)

    assert document.errors == []
    assert document.value_positions[("id",)] == Position(1, 5)
    assert document.key_positions[("title",)] == Position(2, 1)
    assert document.value_positions[("title",)] == Position(2, 8)
    assert document.value_positions[("sections",)] == Position(4, 3)
    assert document.value_positions[("sections", 1)] == Position(6, 5)
    assert document.key_positions[("sections", 1, "body")] == Position(7, 5)
    assert document.value_positions[("sections", 1, "body")] == Position(7, 11)
    assert document.value_positions[()] == Position(1, 1)


def test_position_of_an_unknown_path_is_its_nearest_known_parent() -> None:
    document = parse(MODULE)

    assert document.position_of(("sections", 1, "callouts", 0)) == Position(6, 5)
    assert document.position_of(("sections", 1, "body"), key=True) == Position(7, 5)
    assert document.position_of(("nothing", "here")) == Position(1, 1)


def test_columns_count_letters_not_bytes() -> None:
    document = parse("title: Первый модуль\nobjectives: [Читать, Писать]\n")

    assert document.value_positions[("objectives", 1)] == Position(2, 22)


def test_byte_order_mark_is_accepted_and_not_counted() -> None:
    document = parse(b"\xef\xbb\xbfid: first\n")

    assert document.errors == []
    assert document.data == {"id": "first"}
    assert document.value_positions[("id",)] == Position(1, 5)


# --- Scalars -------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["yes", "no", "Yes", "NO", "on", "off", "y", "n"])
def test_yes_and_no_stay_text(word: str) -> None:
    assert parse(f"answer: {word}\n").data == {"answer": word}


@pytest.mark.parametrize(
    ("word", "value"), [("true", True), ("false", False), ("True", True), ("FALSE", False)]
)
def test_true_and_false_are_booleans(word: str, value: bool) -> None:
    assert parse(f"correct: {word}\n").data == {"correct": value}


@pytest.mark.parametrize(
    "text", ["2024-05-01", "2024-05-01 10:00:00", "2001-12-14t21:59:43.10-05:00"]
)
def test_dates_stay_text(text: str) -> None:
    assert parse(f"title: {text}\n").data == {"title": text}


@pytest.mark.parametrize("text", ["12:30", "1:30:00", "<<", "=", "0x_", "0b101", "0o17", "1_000"])
def test_what_yaml_1_1_reads_as_special_stays_text(text: str) -> None:
    # YAML 1.1 reads 12:30 as 750 (base 60), `<<` as a merge and 0b101 as 5.
    assert parse(f"title: {text}\n").data == {"title": text}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20", 20),
        ("-3", -3),
        ("+4", 4),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("0x1F", 31),
        ("~", None),
        ("", None),
    ],
)
def test_numbers_and_nothing(text: str, value: object) -> None:
    assert parse(f"value: {text}\n").data == {"value": value}


def test_quoted_numbers_are_text() -> None:
    assert parse("title: \"2024\"\nyear: '12:30'\n").data == {"title": "2024", "year": "12:30"}


# --- Shapes that are refused ---------------------------------------------------------------------


def test_duplicate_key_is_an_error_at_the_second_key() -> None:
    document = parse("id: first\ntitle: One\nsections: []\ntitle: Two\n")

    assert only_error(document) == (4, 1, "'title' is given twice", "keep only one of them")
    assert document.data == {"id": "first", "title": "One", "sections": []}


def test_duplicate_key_in_a_nested_mapping() -> None:
    document = parse("sections:\n  - heading: A\n    body: x\n    body: y\n")

    assert only_error(document)[:3] == (4, 5, "'body' is given twice")


def test_alias_is_refused_where_it_is_used() -> None:
    document = parse("title: &name First\nsections:\n  - heading: *name\n")

    assert only_error(document) == (
        3,
        14,
        "YAML aliases (*name) are not supported",
        "write the text out in full where it is needed",
    )
    assert document.data is None


def test_anchor_without_alias_is_harmless() -> None:
    assert parse("title: &name First\n").data == {"title": "First"}


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    started = time.perf_counter()

    document = parse("\n".join(lines) + "\n")

    assert time.perf_counter() - started < 1
    assert only_error(document)[:3] == (2, 8, "YAML aliases (*name) are not supported")


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 1
    document = parse("x: " + "[" * depth + "]" * depth + "\n")

    assert document.errors == []


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 10_000])
def test_nesting_past_the_limit_is_refused(depth: int) -> None:
    document = parse("x: " + "[" * depth + "]" * depth + "\n")

    line, column, message, hint = only_error(document)
    assert (line, message) == (1, f"the file nests deeper than {MAX_DEPTH} levels")
    assert column == MAX_DEPTH + 3
    assert hint == "a course file needs only a few levels: check the indentation"


def test_deep_block_nesting_is_refused() -> None:
    text = "".join(f"{'  ' * level}k{level}:\n" for level in range(MAX_DEPTH + 5))

    assert only_error(parse(text))[2] == f"the file nests deeper than {MAX_DEPTH} levels"


def test_file_over_the_size_limit_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        yaml_document, "SETTINGS", dataclasses.replace(yaml_document.SETTINGS, max_file_bytes=100)
    )

    assert parse(b"a: " + b"x" * 97).errors == []
    assert only_error(parse(b"a: " + b"x" * 98)) == (
        1,
        1,
        "this file is 101 bytes; the most Sabaq reads is 100",
        "split the module into several smaller modules",
    )


def test_real_size_limit_is_one_megabyte() -> None:
    document = parse(b"a: " + b"x" * yaml_document.SETTINGS.max_file_bytes)

    assert (
        only_error(document)[2] == "this file is 1,000,003 bytes; the most Sabaq reads is 1,000,000"
    )


def test_text_that_is_not_utf8_points_at_the_first_unreadable_letter() -> None:
    raw = "status: draft\ntitle: Первый\n".encode("cp1251")

    assert only_error(parse(raw)) == (
        2,
        8,
        "this file is not saved as UTF-8, so its text cannot be read from here on",
        "save the file as UTF-8 (in VS Code: click the encoding in the status bar, then "
        "'Save with Encoding' > 'UTF-8')",
    )


def test_not_utf8_column_counts_letters_after_a_byte_order_mark() -> None:
    raw = b"\xef\xbb\xbf" + "title: Да ".encode() + "Нет".encode("cp1251")

    assert only_error(parse(raw))[:2] == (1, 11)


def test_each_tab_indented_line_is_reported() -> None:
    document = parse("id: first\nsections:\n\t- heading: A\n  \t  body: B\n")

    assert [(e.position.line, e.position.column) for e in document.errors] == [(3, 1), (4, 3)]
    assert {e.message for e in document.errors} == {
        "a tab is used for indentation; YAML needs spaces"
    }


def test_tag_is_refused() -> None:
    assert only_error(parse("duration_minutes: !!int twenty\n")) == (
        1,
        19,
        "YAML tags such as '!!int' are not supported",
        "remove the tag; to keep a value as text, put it in quotes",
    )


def test_python_tag_is_refused_not_run() -> None:
    assert only_error(parse("title: !!python/object/apply:os.system [echo]\n"))[2] == (
        "YAML tags such as '!!python/object/apply:os.system' are not supported"
    )


def test_control_character_is_refused_where_it_is() -> None:
    assert only_error(parse("id: first\ntitle: Bad\x07bell\n")) == (
        2,
        11,
        "this file contains an invisible control character (U+0007) that YAML does not allow",
        "delete it; such characters often come with text copied from a PDF or a word processor",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1: one\n", "'1' cannot be a key: keys are words"),
        ("true: one\n", "'true' cannot be a key: keys are words"),
        ("~: one\n", "'~' cannot be a key: keys are words"),
        ("? [a, b]\n: one\n", "a list or a group of keys cannot be a key: keys are words"),
    ],
)
def test_keys_must_be_words(text: str, message: str) -> None:
    line, _, got, hint = only_error(parse(text))
    assert (line, got, hint) == (1, message, "write a name such as 'title:' here")


# --- Empty files and syntax errors ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "\xef\xbb\xbf"])
def test_empty_file_has_no_data_and_no_errors(text: str) -> None:
    document = parse(text.encode("latin-1"))

    assert (document.data, document.errors) == (None, [])


@pytest.mark.parametrize(
    ("text", "line", "column", "message", "hint"),
    [
        (
            "title: Step 1: stop\n",
            1,
            14,
            "YAML syntax error: this ':' is not expected here",
            "if the ':' is part of the text, put the whole text in quotes, "
            'e.g. title: "Step 1: stop"; otherwise check the indentation of this line',
        ),
        (
            "sections:\n  - heading: A\n   body: B\n",
            3,
            4,
            "YAML syntax error: this line's indentation does not match the lines above",
            "line it up with the keys it belongs with (spaces only); if a quote mark ends a text "
            'early, put the whole text in the other kind of quotes, e.g. title: "it\'s here"',
        ),
        (
            'title: "Unclosed\nsummary: x\n',
            1,
            8,
            "YAML syntax error: the quote that opens here is never closed",
            "add the closing quote; for a quote mark inside the text, "
            "put the text in the other kind of quotes",
        ),
        (
            "languages: [en, ru\nmodules: [first]\n",
            1,
            12,
            "YAML syntax error: the '[' here is not closed with ']'",
            "close it with ']' on the same line, with commas between the items",
        ),
        (
            "title: x\nbody |\n  text\n",
            2,
            1,
            "YAML syntax error: this line needs a ':' after its key",
            "write the key followed by ': ', e.g. 'body: |'; "
            "the lines of a text go below it, indented further",
        ),
        (
            "title: @sabaq\n",
            1,
            8,
            "YAML syntax error: a text cannot start with '@'",
            'put the whole text in quotes, e.g. title: "@..."',
        ),
        (
            "title: a\n---\ntitle: b\n",
            2,
            1,
            "YAML syntax error: a second document ('---') starts here",
            "a Sabaq file holds one document: remove the '---' line",
        ),
    ],
    ids=["colon", "indentation", "quote", "bracket", "no-colon", "at-sign", "two-documents"],
)
def test_syntax_errors_in_a_trainers_words(
    text: str, line: int, column: int, message: str, hint: str
) -> None:
    assert only_error(parse(text)) == (line, column, message, hint)
