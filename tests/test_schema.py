"""The JSON Schemas editors use: committed, current, and in agreement with the files we ship.

Checked with `jsonschema`, an implementation independent of pydantic (which generates them), so
a schema that pydantic writes but editors would read differently shows up here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jsonschema
import pytest
from sabaq_testing import CASES, REPO

from builder.content.document import load_document
from builder.content.schema import SCHEMA_DIALECT, all_schemas, schema_text

SCHEMAS = all_schemas()
COMMITTED = REPO / "schemas"
PROJECTS = [REPO, CASES / "basic"]


def schema_name(project: Path, path: Path) -> str:
    """Which schema a course file follows, from where it is and what it is called."""
    stem, _, language = path.stem.partition(".")
    if path.parent == project:
        kind = stem  # glossary.yml, rti.yml
    elif path.parent == project / "quizzes":
        kind = "quiz"
    else:
        kind = "course" if stem == "course" else "module"
    return f"{kind}-translation.schema.json" if language else f"{kind}.schema.json"


def course_files(project: Path) -> list[Path]:
    return sorted(
        [
            *(project / "courses").glob("*/*.yml"),
            *(project / "quizzes").glob("*.yml"),
            *project.glob("glossary*.yml"),
            *project.glob("rti*.yml"),
        ]
    )


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(SCHEMAS[name])


def test_committed_schemas_are_current() -> None:
    """Fails when the model changed and `sabaq schema` was not run."""
    committed = {path.name: path.read_text(encoding="utf-8") for path in COMMITTED.glob("*.json")}
    generated = {name: schema_text(schema) for name, schema in SCHEMAS.items()}
    assert sorted(committed) == sorted(generated)
    stale = [name for name in generated if committed[name] != generated[name]]
    assert stale == [], f"run 'sabaq schema' to update {stale}"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schemas_are_valid_json_schema(name: str) -> None:
    assert SCHEMAS[name]["$schema"] == SCHEMA_DIALECT
    jsonschema.Draft202012Validator.check_schema(SCHEMAS[name])


@pytest.mark.parametrize(
    "path",
    [path for project in PROJECTS for path in course_files(project)],
    ids=lambda path: path.relative_to(REPO).as_posix(),
)
def test_shipped_files_follow_their_schema(path: Path) -> None:
    project = next(
        p
        for p in PROJECTS
        if path.is_relative_to(p / "courses")
        or path.is_relative_to(p / "quizzes")
        or path.parent == p
    )
    document = load_document(path)
    assert document.errors == []
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator(schema_name(project, path)).iter_errors(document.data)
    ]
    assert errors == []


def test_every_kind_of_file_is_checked() -> None:
    used = {schema_name(project, path) for project in PROJECTS for path in course_files(project)}
    assert used == set(SCHEMAS)


MODULE = {
    "id": "sift",
    "title": "SIFT",
    "duration_minutes": 20,
    "sections": [{"heading": "Stop", "body": "Text."}],
}


@pytest.mark.parametrize(
    ("name", "data", "complaint"),
    [
        (
            "module.schema.json",
            {**MODULE, "titel": "Typo"},
            "Additional properties are not allowed ('titel'",
        ),
        (
            "module.schema.json",
            {**MODULE, "sections": [{"heading": "Stop", "body": "x", "colour": "red"}]},
            "'colour'",
        ),
        ("module.schema.json", {**MODULE, "id": "Not An Id"}, "does not match"),
        (
            "module.schema.json",
            {**MODULE, "duration_minutes": 0},
            "is less than or equal to the minimum of 0",
        ),
        (
            "module.schema.json",
            {k: v for k, v in MODULE.items() if k != "sections"},
            "'sections' is a required property",
        ),
        (
            "module-translation.schema.json",
            {"status": "draft", "id": "sift"},
            "Additional properties are not allowed ('id'",
        ),
        ("module-translation.schema.json", {"title": "SIFT"}, "'status' is a required property"),
        (
            "module-translation.schema.json",
            {"status": "done"},
            "'done' is not one of ['draft', 'reviewed']",
        ),
        (
            "course.schema.json",
            {
                "id": "c",
                "title": "C",
                "summary": "S",
                "level": "expert",
                "languages": ["en"],
                "modules": ["m"],
            },
            "'expert' is not one of",
        ),
        (
            "course.schema.json",
            {
                "id": "c",
                "title": "C",
                "summary": "S",
                "level": "beginner",
                "languages": ["fr"],
                "modules": ["m"],
            },
            "'fr' is not one of",
        ),
        (
            "quiz.schema.json",
            {
                "id": "q",
                "title": "Q",
                "questions": [{"id": "a", "type": "essay", "prompt": "Why?"}],
            },
            "",
        ),
        (
            "quiz-translation.schema.json",
            {"status": "draft", "questions": [{"prompt": "Why?", "answer": True}]},
            "",
        ),
    ],
    ids=[
        "unknown-key",
        "unknown-nested-key",
        "bad-id",
        "zero-duration",
        "missing-sections",
        "structure-in-translation",
        "translation-without-status",
        "unknown-status",
        "unknown-level",
        "unknown-language",
        "unknown-question-type",
        "answer-in-translation",
    ],
)
def test_broken_files_are_rejected(name: str, data: dict, complaint: str) -> None:
    messages = [error.message for error in validator(name).iter_errors(data)]
    assert messages, "the schema accepted it"
    assert any(complaint in message for message in messages), messages


def test_a_broken_file_on_disk_is_rejected(make_project) -> None:
    project = make_project(
        {
            "courses/demo/01-first.yml": """
                id: first
                title: First
                duration_minutes: 5
                sections:
                  - heading: Start
                    body: Hello.
                    callout: oops
                """
        }
    )
    path = project / "courses/demo/01-first.yml"
    errors = list(validator(schema_name(project, path)).iter_errors(load_document(path).data))
    assert [error.message for error in errors] == [
        "Additional properties are not allowed ('callout' was unexpected)"
    ]
