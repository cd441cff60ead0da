"""Apply a translation file to its source model.

A translation can only supply text: the keys marked translatable in `builder/content/model.py`, nested as
in the source, with lists matched by position. What it leaves out falls back to the source text and
is recorded, so the page can say it is not yet translated and `sabaq i18n status` can count it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from builder.content.document import DataPath, Document
from builder.content.errors import ContentError, did_you_mean, format_path
from builder.content.limits import LIMITS
from builder.content.model import field_kinds, is_translatable, is_whole_list, nested_models
from builder.content.schema_errors import validate_document

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass
class Translated:
    """The result of applying one translation: counts for status, paths that fell back."""

    #: Every text in the source, as data paths.
    texts: list[DataPath] = field(default_factory=list)
    #: The texts the translation supplied.
    supplied: set[DataPath] = field(default_factory=set)

    @property
    def missing(self) -> list[DataPath]:
        return [path for path in self.texts if path not in self.supplied]


def text_paths(model: BaseModel, prefix: DataPath = ()) -> list[DataPath]:
    """The data paths of every non-empty text in a source model."""
    paths: list[DataPath] = []
    for name, (translatable, whole_list) in field_kinds(type(model)).items():
        value = getattr(model, name)
        path = (*prefix, name)
        if translatable:
            if whole_list or isinstance(value, str):
                if value:
                    paths.append(path)
            elif isinstance(value, list):
                paths.extend((*path, index) for index, item in enumerate(value) if item)
        elif isinstance(value, BaseModel):
            paths.extend(text_paths(value, path))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    paths.extend(text_paths(item, (*path, index)))
    return paths


def translatable_keys(model: type[BaseModel]) -> list[str]:
    """The keys a translation may use at this level: texts and groups that contain texts."""
    return [name for name in model.model_fields if _holds_text(model, name)]


@functools.cache
def _holds_text(model: type[BaseModel], name: str, seen: frozenset[type] = frozenset()) -> bool:
    if is_translatable(model, name):
        return True
    for inner in nested_models(model.model_fields[name].annotation):
        if inner not in seen and any(
            _holds_text(inner, n, seen | {model}) for n in inner.model_fields
        ):
            return True
    return False


def apply_translation(
    source: ModelT, document: Document, source_name: str
) -> tuple[ModelT, Translated, list[ContentError]]:
    """The source model with the translation's texts in place, plus what was supplied and errors."""
    result = Translated(texts=text_paths(source))
    errors: list[ContentError] = []
    data = dict(document.data) if isinstance(document.data, dict) else None
    if data is None:
        errors.append(
            document.error(
                (),
                "expected keys such as 'status:' and 'title:'",
                "see the source file for the keys",
            )
        )
        return source, result, errors
    data.pop("status", None)
    merged = _merge(source, data, (), document, source_name, result, errors)
    if merged is not source and not errors and _may_exceed_limits(data):
        # The translated texts have the same limits as the source's (builder/content/limits.py), and
        # `model_copy` checks none: the merged model is checked again, at the translation's places.
        again = Document(
            document.path, merged.model_dump(), document.value_positions, document.key_positions
        )
        errors.extend(validate_document(type(merged), again)[1])
    return merged, result, errors


def _may_exceed_limits(data: Any) -> bool:
    """Whether a translation's data holds a text longer than the shortest text limit or a list
    longer than the shortest list limit: only then can the merged model break a limit. Nearly
    every translation is far below them, and checking the merged model again is costly."""
    if isinstance(data, str):
        return len(data) > LIMITS.title_length
    if isinstance(data, dict):
        return any(_may_exceed_limits(value) for value in data.values())
    if isinstance(data, list):
        return len(data) > LIMITS.shortest_list or any(_may_exceed_limits(i) for i in data)
    return False


def _merge(
    source: ModelT,
    data: dict[str, Any],
    path: DataPath,
    document: Document,
    source_name: str,
    result: Translated,
    errors: list[ContentError],
) -> ModelT:
    model = type(source)
    updates: dict[str, Any] = {}
    for key, value in data.items():
        key_path = (*path, key)
        where = format_path(key_path)
        if key not in field_kinds(model):
            errors.append(
                document.error(
                    key_path,
                    f"{where}: this key is not in the source{did_you_mean(key, translatable_keys(model))}",
                    f"a translation can only hold text; the text keys here are: {', '.join(translatable_keys(model))}",
                    key=True,
                )
            )
            continue
        if not _holds_text(model, key):
            errors.append(
                document.error(
                    key_path,
                    f"{where}: this is not text, so only the source file can set it",
                    f"change it in the source file {source_name}, and remove it here",
                    key=True,
                )
            )
            continue
        source_value = getattr(source, key)
        if source_value is None or source_value == [] or source_value == "":
            errors.append(
                document.error(
                    key_path,
                    f"{where}: this key is not in the source",
                    f"add '{key}' to the source file {source_name} first, or remove it here",
                    key=True,
                )
            )
            continue
        merged = _merge_value(
            source, key, source_value, value, key_path, document, source_name, result, errors
        )
        if merged is not None:
            updates[key] = merged
    return source.model_copy(update=updates) if updates else source


def _merge_value(
    owner: BaseModel,
    key: str,
    source_value: Any,
    value: Any,
    path: DataPath,
    document: Document,
    source_name: str,
    result: Translated,
    errors: list[ContentError],
) -> Any:
    where = format_path(path)
    if value is None:
        return None  # an empty key: not translated yet
    if isinstance(source_value, str):
        if not isinstance(value, str):
            errors.append(document.error(path, f"{where}: expected text", "put the text in quotes"))
            return None
        if not value.strip():
            return None
        result.supplied.add(path)
        return value
    if not isinstance(value, list):
        kind = "a list" if isinstance(source_value, list) else "a group of keys"
        if isinstance(source_value, BaseModel):
            if isinstance(value, dict):
                return _merge(source_value, value, path, document, source_name, result, errors)
        errors.append(
            document.error(
                path,
                f"{where}: expected {kind}, as in the source",
                "copy the shape of the source file",
            )
        )
        return None
    if is_whole_list(type(owner), key):
        texts = [item for item in value if isinstance(item, str) and item.strip()]
        if len(texts) != len(value):
            errors.append(
                document.error(
                    path, f"{where}: every item must be text", "put each answer in quotes"
                )
            )
            return None
        if texts:
            result.supplied.add(path)
            return texts
        return None
    if len(value) > len(source_value):
        errors.append(
            document.error(
                (*path, len(source_value)),
                f"{where}: the source has {len(source_value)} item{'s' if len(source_value) != 1 else ''}, "
                f"this translation has {len(value)}",
                f"items are matched by position; add the item to {source_name} first, or remove it here",
            )
        )
        return None
    merged_items = list(source_value)
    for index, item in enumerate(value):
        item_path = (*path, index)
        source_item = source_value[index]
        if isinstance(source_item, BaseModel):
            if item is None:
                continue
            if not isinstance(item, dict):
                errors.append(
                    document.error(
                        item_path,
                        f"{format_path(item_path)}: expected a group of keys, as in the source",
                        "copy the shape of the source file",
                    )
                )
                continue
            merged_items[index] = _merge(
                source_item, item, item_path, document, source_name, result, errors
            )
        else:
            if item is None or (isinstance(item, str) and not item.strip()):
                continue
            if not isinstance(item, str):
                errors.append(
                    document.error(
                        item_path,
                        f"{format_path(item_path)}: expected text",
                        "put the text in quotes",
                    )
                )
                continue
            result.supplied.add(item_path)
            merged_items[index] = item
    return merged_items
