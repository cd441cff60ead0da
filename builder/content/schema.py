"""JSON Schemas for editors, generated from the model the builder validates with.

VS Code's YAML extension reads the `# yaml-language-server: $schema=...` line at the top of each
course file and then completes keys, shows the field descriptions and flags mistakes as a trainer
types. The schemas are generated, never written by hand; `sabaq schema` rewrites them and a test
checks that the committed ones are current.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from builder.content.model import SOURCE_MODELS, TranslationHeader, is_translatable, nested_models
from builder.content.translate import SOURCE_KEY, translatable_keys

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def source_schema(kind: str) -> dict[str, Any]:
    model = SOURCE_MODELS[kind]
    schema = model.model_json_schema()
    return {"$schema": SCHEMA_DIALECT, "$id": f"{kind}.schema.json", **schema}


def translation_schema(kind: str) -> dict[str, Any]:
    """The schema of `<name>.<lang>.yml`: only the texts of the source, all optional, plus status."""
    model = SOURCE_MODELS[kind]
    schema = _translation_object(model)
    header = TranslationHeader.model_json_schema()["properties"]
    schema["properties"] = {
        "status": header["status"],
        **schema["properties"],
        SOURCE_KEY: header[SOURCE_KEY],
    }
    schema["required"] = ["status"]
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{kind}-translation.schema.json",
        "title": f"{model.__name__} translation",
        "description": "A translation holds only text; ids, order, answers and links stay in the "
        "source file. Lists are matched to the source by position, or by the fingerprints "
        f"under '{SOURCE_KEY}:'.",
        **schema,
    }


def _translation_object(model: type[BaseModel]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for name in translatable_keys(model):
        field = model.model_fields[name]
        description = field.description or ""
        if is_translatable(model, name):
            is_list = typing.get_origin(field.annotation) is list
            properties[name] = (
                {"type": "array", "items": {"type": "string"}, "description": description}
                if is_list
                else {"type": "string", "description": description}
            )
            continue
        inner = [_translation_object(m) for m in nested_models(field.annotation)]
        item = inner[0] if len(inner) == 1 else {"anyOf": inner}
        is_list = typing.get_origin(field.annotation) is list
        properties[name] = (
            {"type": "array", "items": item, "description": description}
            if is_list
            else {**item, "description": description}
        )
    return {"type": "object", "properties": properties, "additionalProperties": False}


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema, for every kind of file a trainer writes."""
    schemas: dict[str, dict[str, Any]] = {}
    for kind in SOURCE_MODELS:
        schemas[f"{kind}.schema.json"] = source_schema(kind)
        schemas[f"{kind}-translation.schema.json"] = translation_schema(kind)
    return schemas


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in all_schemas().items():
        path = out / name
        path.write_text(schema_text(schema), encoding="utf-8")
        written.append(path)
    return written
