"""Turn pydantic's validation errors into messages a trainer can act on, at path:line:column."""

from __future__ import annotations

import math
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from builder.content.document import DataPath, Document, short_text
from builder.content.errors import ContentError, did_you_mean, format_path
from builder.content.languages import LANGUAGE_CODES
from builder.content.model import QUESTION_TYPES, nested_models

ModelT = TypeVar("ModelT", bound=BaseModel)


def validate_document(
    model: type[ModelT], document: Document
) -> tuple[ModelT | None, list[ContentError]]:
    """The typed model of a loaded file, or None and every error in it."""
    if document.data is None:
        return None, [
            document.error(
                (), "the file is empty", f"start from 'sabaq new' or another {_noun(model)}"
            )
        ]
    try:
        return model.model_validate(document.data), []
    except ValidationError as failure:
        details = failure.errors()
        misspelt = _misspelt_keys(model, document.data, details)
        errors = [
            _describe(model, document, error)
            for error in details
            # A misspelt key is reported once, as an unknown key that suggests the right one.
            if not (
                error["type"] == "missing"
                and _data_path(document.data, tuple(error["loc"])) in misspelt
            )
        ]
        return None, errors


def _misspelt_keys(model: type[BaseModel], data: Any, details: list[Any]) -> set[DataPath]:
    """The paths of missing keys that an unknown key beside them looks like a misspelling of."""
    meant: set[DataPath] = set()
    for error in details:
        if error["type"] != "extra_forbidden":
            continue
        path = _data_path(data, tuple(error["loc"]))
        owner = model_at(model, data, path[:-1])
        suggestion = did_you_mean(str(path[-1]), owner.model_fields if owner else [])
        if suggestion:  # " (did you mean 'title'?)": the same suggestion the message shows
            meant.add((*path[:-1], suggestion.split("'")[1]))
    return meant


def _noun(model: type[BaseModel]) -> str:
    return {"Course": "course file", "Module": "module file", "QuizBank": "quiz file"}.get(
        model.__name__, "file"
    )


def _data_path(data: Any, loc: tuple[Any, ...]) -> DataPath:
    """pydantic's location without the tags it adds for discriminated unions."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and isinstance(part, str) and part not in current:
            if part in QUESTION_TYPES and current.get("type") == part:
                continue  # the union's tag, e.g. ('questions', 0, 'single', 'options')
        path.append(part)
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            current = current[part]
        else:
            current = None
    return tuple(path)


def _value_at(data: Any, path: DataPath) -> Any:
    current = data
    for part in path:
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            current = current[part]
        else:
            return None
    return current


def model_at(model: type[BaseModel], data: Any, path: DataPath) -> type[BaseModel] | None:
    """The model class that describes the mapping at `path` (following lists and unions)."""
    current: type[BaseModel] | None = model
    for depth, part in enumerate(path):
        if current is None or isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return None
        candidates = nested_models(field.annotation)
        if len(candidates) > 1:
            item = _value_at(
                data, path[: depth + 1] + ((path[depth + 1],) if depth + 1 < len(path) else ())
            )
            tag = item.get("type") if isinstance(item, dict) else None
            current = QUESTION_TYPES.get(tag) if isinstance(tag, str) else None
        else:
            current = candidates[0] if candidates else None
    return current


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a yes/no value)"
    if isinstance(value, float) and not math.isfinite(value):
        if math.isnan(value):
            return "'.nan' (not a number)"
        sign = "minus " if value < 0 else ""
        return f"{sign}infinity ('.inf', or a number too large to store)"
    if isinstance(value, (int, float)):
        return f"the number {short_text(str(value))}"
    if isinstance(value, dict):
        return "a group of keys"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{short_text(str(value))}'"


def _describe(model: type[BaseModel], document: Document, error: Any) -> ContentError:
    data = document.data
    path = _data_path(data, tuple(error["loc"]))
    kind: str = error["type"]
    value = error.get("input")
    context = error.get("ctx") or {}
    name = format_path(path)
    prefix = f"{name}: " if name else ""

    if kind == "missing":
        parent = path[:-1]
        parent_prefix = f"{format_path(parent)}: " if parent else ""
        return document.error(
            parent, f"{parent_prefix}'{path[-1]}' is missing", _missing_hint(model, data, path)
        )
    if kind == "extra_forbidden":
        owner = model_at(model, data, path[:-1])
        allowed = list(owner.model_fields) if owner else []
        return document.error(
            path,
            f"{prefix}unknown key{did_you_mean(str(path[-1]), allowed)}",
            f"the keys allowed here are: {', '.join(allowed)}" if allowed else "remove it",
            key=True,
        )
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        types_list = ", ".join(QUESTION_TYPES)
        if kind == "union_tag_not_found":
            return document.error(
                path, f"{prefix}'type' is missing", f"add 'type:' with one of: {types_list}"
            )
        tag = str(context.get("tag", ""))
        return document.error(
            (*path, "type"),
            f"{format_path((*path, 'type'))}: unknown question type '{short_text(tag)}'{did_you_mean(tag, QUESTION_TYPES)}",
            f"use one of: {types_list}",
        )
    if kind == "string_type":
        if value is None:
            hint = "write the text after the colon"
        elif isinstance(value, (dict, list)):
            hint = "write the text on the same line after the colon"
        else:
            example = str(value).lower() if isinstance(value, bool) else short_text(str(value))
            written = f"{path[-1]}: " if path and isinstance(path[-1], str) else "- "
            hint = f'put the text in quotes, e.g. {written}"{example}"'
        return document.error(path, f"{prefix}expected text, found {_describe_value(value)}", hint)
    if kind == "string_too_short":
        return document.error(path, f"{prefix}must not be empty", "write the text after the colon")
    if kind == "literal_error":
        expected = str(context.get("expected", ""))
        if path and (path[0] in ("languages", "source_language")):
            return document.error(
                path,
                f"{prefix}'{short_text(str(value))}' is not a supported language",
                f"use one of: {', '.join(LANGUAGE_CODES)}",
            )
        choices = [part.strip(" '") for part in expected.replace(" or ", ", ").split(",")]
        return document.error(
            path,
            f"{prefix}expected {expected} but found {_describe_value(value)}"
            + (did_you_mean(str(value), choices) if isinstance(value, str) else ""),
            f"use one of: {', '.join(choices)}",
        )
    if kind == "string_pattern_mismatch" and path and path[-1] == "url":
        return document.error(
            path,
            f"{prefix}'{short_text(str(value))}' is not a web address",
            "write the full address, starting with https:// (or http://)",
        )
    if kind == "string_pattern_mismatch":
        return document.error(
            path,
            f"{prefix}'{short_text(str(value))}' is not a valid id",
            "use lower-case letters, digits and single hyphens, such as 'lateral-reading'",
        )
    if kind == "too_short":
        if isinstance(value, str):
            return document.error(
                path, f"{prefix}must not be empty", "write the text after the colon"
            )
        minimum = context.get("min_length", 1)
        return document.error(
            path,
            f"{prefix}needs at least {minimum} item{'s' if minimum != 1 else ''}",
            "add items as lines starting with '- '",
        )
    if kind == "list_type":
        return document.error(
            path,
            f"{prefix}expected a list, found {_describe_value(value)}",
            "write each item on its own line starting with '- '",
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return document.error(
            path,
            f"{prefix}expected a group of keys, found {_describe_value(value)}",
            "indent the keys that belong here under it",
        )
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return document.error(
            path,
            f"{prefix}expected a whole number, found {_describe_value(value)}",
            "write digits only, e.g. 20",
        )
    if kind == "finite_number":
        return document.error(
            path,
            f"{prefix}expected an ordinary number, found {_describe_value(value)}",
            _ORDINARY_NUMBER,
        )
    if kind in ("float_type", "float_parsing") and type(value) is int:
        return document.error(
            path,
            f"{prefix}expected an ordinary number, found one with {len(str(abs(value)))} digits",
            _ORDINARY_NUMBER,
        )
    if kind in ("float_type", "float_parsing"):
        return document.error(
            path,
            f"{prefix}expected a number, found {_describe_value(value)}",
            "write digits only, e.g. 57.1",
        )
    if kind in ("bool_type", "bool_parsing"):
        return document.error(
            path,
            f"{prefix}expected true or false, found {_describe_value(value)}",
            "write true or false",
        )
    if kind in _LIMITS:
        words, key = _LIMITS[kind]
        limit = context.get(key)
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)  # "at least 0", not "at least 0.0"
        return document.error(
            path,
            f"{prefix}must be {words} {limit}, found {_describe_value(value)}",
            "change the number",
        )
    if kind == "string_too_long":
        maximum = context.get("max_length", 0)
        length = f" ({len(value):,})" if isinstance(value, str) else ""
        return document.error(
            path,
            f"{prefix}has more characters{length} than the limit of {maximum:,}",
            "shorten it; the limits, and why each is there, are in docs/authoring.md",
        )
    if kind == "too_long":
        maximum = context.get("max_length", 0)
        actual = context.get("actual_length")
        items = f"{actual:,} items" if isinstance(actual, int) else "too many items"
        return document.error(
            path,
            f"{prefix}has {items}, more than the limit of {maximum:,}",
            _TOO_MANY.get(str(path[-1]) if path else "", "remove some")
            + "; the limits, and why each is there, are in docs/authoring.md",
        )
    return document.error(
        path, f"{prefix}{error['msg']}", "check this value against the format in the README"
    )


_ORDINARY_NUMBER = (
    "write an ordinary number, e.g. 57.1: a reader's answer cannot be compared with infinity, "
    "'.nan' or a number of hundreds of digits"
)
#: What to do when a list is longer than its limit, by the list's key.
_TOO_MANY = {
    "modules": "split the course into two courses",
    "sections": "split the module into two modules",
    "questions": "split the bank into two banks",
    "options": "keep the options a reader can weigh; split the question in two",
    "steps": "split the question into two shorter sequences",
    "pairs": "split the question into two matching questions",
}


#: pydantic's error type -> (the words for it, the key of the limit in the error's context)
_LIMITS = {
    "greater_than": ("more than", "gt"),
    "greater_than_equal": ("at least", "ge"),
    "less_than": ("less than", "lt"),
    "less_than_equal": ("at most", "le"),
}


def _missing_hint(model: type[BaseModel], data: Any, path: DataPath) -> str:
    owner = model_at(model, data, path[:-1])
    field = str(path[-1])
    if owner is not None and field in owner.model_fields:
        description = owner.model_fields[field].description
        if description:
            return f"add '{field}:' here: {description[0].lower()}{description[1:]}"
    return f"add '{field}:' here"
