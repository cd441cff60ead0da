"""Apply a translation file to its source model.

A translation can only supply text: the keys marked translatable in `builder/content/model.py`, nested as
in the source, with lists matched by position. What it leaves out falls back to the source text and
is recorded, so the page can say it is not yet translated and `sabaq i18n status` can count it.

A translation may also say which source text each of its texts translates: `_source:` maps a
text's path to the fingerprint of the source text (`fingerprint`), as `sabaq i18n stub` and
`sabaq i18n import` write it. A text whose source has changed since is stale: it falls back to
the new source text, like a missing one, and is reported as a warning. The fingerprints are also a
stable key for list items: an item of a translation that fits another item of the source (a
section was inserted or moved) is shown on that item, never on the one now at its position.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from builder.content.document import DataPath, Document
from builder.content.errors import ContentError, did_you_mean, format_path
from builder.content.limits import LIMITS
from builder.content.model import field_kinds, is_translatable, is_whole_list, nested_models
from builder.content.schema_errors import validate_document

ModelT = TypeVar("ModelT", bound=BaseModel)

#: The key of a translation file that records which source text each text translates.
SOURCE_KEY = "_source"
_FINGERPRINT = re.compile(r"^[0-9a-f]{8}$")
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*)*")
_PATH_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def fingerprint(text: str | list[str]) -> str:
    """A short fingerprint of a source text: 8 hex digits of its SHA-256. Spaces and line breaks
    are folded, so re-wrapping a paragraph in the source does not make its translations stale."""
    joined = "\n".join(text) if isinstance(text, list) else text
    return hashlib.sha256(" ".join(joined.split()).encode("utf-8")).hexdigest()[:8]


def parse_path(text: str) -> DataPath | None:
    """'sections[2].body' -> ('sections', 2, 'body'); None if it is not such a path."""
    if not _PATH.fullmatch(text):
        return None
    return tuple(int(index) if index else name for name, index in _PATH_PART.findall(text))


@dataclass(frozen=True, slots=True)
class Found:
    """A text a translation file holds, current or stale."""

    text: str | list[str]
    #: Its path in the translation file (differs from the source's when items were moved).
    place: DataPath
    #: The fingerprint of the source text it translates, if the file records one.
    recorded: str | None


@dataclass
class Translated:
    """The result of applying one translation: counts for status, paths that fell back."""

    #: Every text in the source, as data paths.
    texts: list[DataPath] = field(default_factory=list)
    #: The texts the translation supplied, current ones only.
    supplied: set[DataPath] = field(default_factory=set)
    #: The texts translated from an older source text: they fall back to the source.
    stale: set[DataPath] = field(default_factory=set)
    #: Source path -> the stale translation the file holds, for the translators' tools (a
    #: current one is in the merged model; only stale ones are kept, as a large project has
    #: hundreds of thousands of texts).
    stale_texts: dict[DataPath, Found] = field(default_factory=dict)
    #: Stale texts and moved items, at the translation's places.
    warnings: list[ContentError] = field(default_factory=list)
    #: The source file, for `sabaq i18n status --verbose`.
    source: Path | None = None

    @property
    def missing(self) -> list[DataPath]:
        """Every text shown in the source language: not translated, or stale."""
        return [path for path in self.texts if path not in self.supplied]

    @property
    def untranslated(self) -> list[DataPath]:
        """The texts the file has no translation for at all (stale ones not counted)."""
        return [path for path in self.texts if path not in self.supplied and path not in self.stale]


def text_paths(model: BaseModel, prefix: DataPath = ()) -> list[DataPath]:
    """The data paths of every non-empty text in a source model. A source's translations are
    applied one after another, so a model's paths are kept for the next ones (one list for all:
    nobody changes it), rather than made again for each language."""
    if prefix:
        return _text_paths(model, prefix)
    known = _RECENT_TEXT_PATHS.get(id(model))
    if known is not None and known[0] is model:
        return known[1]
    paths = _text_paths(model, ())
    if len(_RECENT_TEXT_PATHS) >= 64:
        _RECENT_TEXT_PATHS.pop(next(iter(_RECENT_TEXT_PATHS)))
    # With the model itself: while it is kept, its id names no other.
    _RECENT_TEXT_PATHS[id(model)] = (model, paths)
    return paths


_RECENT_TEXT_PATHS: dict[int, tuple[BaseModel, list[DataPath]]] = {}


def _text_paths(model: BaseModel, prefix: DataPath) -> list[DataPath]:
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
            paths.extend(_text_paths(value, path))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    paths.extend(_text_paths(item, (*path, index)))
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


def text_at(model: Any, path: DataPath) -> Any:
    """The value at a data path of a model (or of plain data); None if there is none."""
    value = model
    for part in path:
        if isinstance(part, int):
            value = value[part] if isinstance(value, list) and 0 <= part < len(value) else None
        elif isinstance(value, BaseModel):
            value = getattr(value, part, None)
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


@dataclass
class _Context:
    document: Document
    source_name: str
    result: Translated
    errors: list[ContentError]
    #: The file's `_source:` record: translation path -> fingerprint.
    recorded: dict[DataPath, str]
    language: str


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
    recorded = _recorded(data.pop(SOURCE_KEY, None), document, errors)
    name_parts = document.path.name.split(".")
    language = name_parts[-2] if len(name_parts) > 2 else "LANG"
    context = _Context(document, source_name, result, errors, recorded, language)
    merged = _merge(source, data, (), (), context)
    if merged is not source and not errors and _may_exceed_limits(data):
        # The translated texts have the same limits as the source's (builder/content/limits.py), and
        # `model_copy` checks none: the merged model is checked again, at the translation's places.
        again = Document(
            document.path, merged.model_dump(), document.value_positions, document.key_positions
        )
        errors.extend(validate_document(type(merged), again)[1])
    return merged, result, errors


def _recorded(value: Any, document: Document, errors: list[ContentError]) -> dict[DataPath, str]:
    """The `_source:` record, checked: each entry a text path and a fingerprint."""
    if value is None:
        return {}
    hint = (
        f"'{SOURCE_KEY}:' holds lines such as 'sections[0].heading: 1a2b3c4d' that 'sabaq i18n "
        "stub' writes; delete a line you are not sure of"
    )
    if not isinstance(value, dict):
        errors.append(document.error((SOURCE_KEY,), f"{SOURCE_KEY}: expected text paths", hint))
        return {}
    recorded: dict[DataPath, str] = {}
    for key, print_ in value.items():
        path = parse_path(key) if isinstance(key, str) else None
        if path is None:
            errors.append(
                document.error(
                    (SOURCE_KEY, key), f"{SOURCE_KEY}: '{key}' is not a text path", hint, key=True
                )
            )
        elif not isinstance(print_, str) or not _FINGERPRINT.match(print_):
            quoted = "" if isinstance(print_, str) else ", in quotes"
            errors.append(
                document.error(
                    (SOURCE_KEY, key),
                    f"{SOURCE_KEY}.{key}: '{print_}' is not a fingerprint (8 digits and letters "
                    f"a-f{quoted})",
                    hint,
                )
            )
        else:
            recorded[path] = print_
    return recorded


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
    source: ModelT, data: dict[str, Any], path: DataPath, place: DataPath, context: _Context
) -> ModelT:
    """`path` is where a value is in the source, `place` where it is in the translation: they
    differ inside an item matched to another position by its fingerprints."""
    model = type(source)
    document, source_name, errors = context.document, context.source_name, context.errors
    updates: dict[str, Any] = {}
    for key, value in data.items():
        key_place = (*place, key)
        where = format_path(key_place)
        if key not in field_kinds(model):
            errors.append(
                document.error(
                    key_place,
                    f"{where}: this key is not in the source{did_you_mean(key, translatable_keys(model))}",
                    f"a translation can only hold text; the text keys here are: {', '.join(translatable_keys(model))}",
                    key=True,
                )
            )
            continue
        if not _holds_text(model, key):
            errors.append(
                document.error(
                    key_place,
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
                    key_place,
                    f"{where}: this key is not in the source",
                    f"add '{key}' to the source file {source_name} first, or remove it here",
                    key=True,
                )
            )
            continue
        merged = _merge_value(source, key, source_value, value, (*path, key), key_place, context)
        if merged is not None:
            updates[key] = merged
    return source.model_copy(update=updates) if updates else source


def _current(
    text: str | list[str], source_text: str | list[str], path: DataPath, place: DataPath,
    context: _Context,
) -> bool:  # fmt: skip
    """Record a text the translation holds; whether it translates the current source text."""
    recorded = context.recorded.get(place)
    if recorded is None or recorded == fingerprint(source_text):
        context.result.supplied.add(path)
        return True
    context.result.stale.add(path)
    context.result.stale_texts[path] = Found(text, place, recorded)
    where = format_path(place)
    context.result.warnings.append(
        context.document.error(
            place,
            f"{where}: source changed since this was translated",
            f"update the translation to the source's new text, then change its line under "
            f"'{SOURCE_KEY}:' to '{where}: \"{fingerprint(source_text)}\"'; until then the page "
            f"shows the source text ('sabaq i18n stub {context.language}' writes it beside "
            "the translation)",
        )
    )
    return False


def _merge_value(
    owner: BaseModel,
    key: str,
    source_value: Any,
    value: Any,
    path: DataPath,
    place: DataPath,
    context: _Context,
) -> Any:
    document, errors = context.document, context.errors
    where = format_path(place)
    if value is None:
        return None  # an empty key: not translated yet
    if isinstance(source_value, str):
        if not isinstance(value, str):
            errors.append(
                document.error(place, f"{where}: expected text", "put the text in quotes")
            )
            return None
        if not value.strip():
            return None
        return value if _current(value, source_value, path, place, context) else None
    if not isinstance(value, list):
        kind = "a list" if isinstance(source_value, list) else "a group of keys"
        if isinstance(source_value, BaseModel):
            if isinstance(value, dict):
                return _merge(source_value, value, path, place, context)
        errors.append(
            document.error(
                place,
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
                    place, f"{where}: every item must be text", "put each answer in quotes"
                )
            )
            return None
        if texts and _current(texts, source_value, path, place, context):
            return texts
        return None
    homes = _homes(source_value, value, place, context)
    beyond = [
        index for index, home in enumerate(homes) if home is not None and home >= len(source_value)
    ]
    if beyond:
        errors.append(
            document.error(
                (*place, beyond[0]),
                f"{where}: the source has {len(source_value)} item{'s' if len(source_value) != 1 else ''}, "
                f"this translation has {len(value)}",
                f"items are matched by position; add the item to {context.source_name} first, or remove it here",
            )
        )
        return None
    merged_items = list(source_value)
    for index, item in enumerate(value):
        home = homes[index]
        item_place = (*place, index)
        if home is None:
            context.result.warnings.append(
                document.error(
                    item_place,
                    f"{format_path(item_place)}: this item's place in the source is taken by "
                    "an item moved there, so it is not shown",
                    f"run 'sabaq i18n stub {context.language}' to put the items in the source's order",
                )
            )
            continue
        item_path = (*path, home)
        if home != index:
            context.result.warnings.append(
                document.error(
                    item_place,
                    f"{format_path(item_place)}: this translates the source's "
                    f"{format_path(item_path)} (items were inserted, removed or moved in the "
                    "source), and is shown there",
                    f"run 'sabaq i18n stub {context.language}' to put the items in the source's order",
                )
            )
        source_item = source_value[home]
        if isinstance(source_item, BaseModel):
            if item is None:
                continue
            if not isinstance(item, dict):
                errors.append(
                    document.error(
                        item_place,
                        f"{format_path(item_place)}: expected a group of keys, as in the source",
                        "copy the shape of the source file",
                    )
                )
                continue
            merged_items[home] = _merge(source_item, item, item_path, item_place, context)
        else:
            if item is None or (isinstance(item, str) and not item.strip()):
                continue
            if not isinstance(item, str):
                errors.append(
                    document.error(
                        item_place,
                        f"{format_path(item_place)}: expected text",
                        "put the text in quotes",
                    )
                )
                continue
            if _current(item, source_item, item_path, item_place, context):
                merged_items[home] = item
    return merged_items


def _homes(
    source_items: list[Any], items: list[Any], place: DataPath, context: _Context
) -> list[int | None]:
    """Which source item each translation item translates: the one whose texts its recorded
    fingerprints match (at its own position first), else the one at its position. None for an
    item whose position is taken by another item that was matched there."""
    if not context.recorded:
        return list(range(len(items)))
    depth = len(place) + 1
    wanted: dict[int, dict[DataPath, str]] = {}
    for recorded_place, print_ in context.recorded.items():
        if recorded_place[: len(place)] == place and len(recorded_place) >= depth:
            index = recorded_place[len(place)]
            if isinstance(index, int) and index < len(items):
                wanted.setdefault(index, {})[recorded_place[depth:]] = print_
    if not wanted:
        return list(range(len(items)))
    prints = [_item_prints(item) for item in source_items]

    def fits(index: int, home: int) -> bool:
        return any(prints[home].get(rest) == print_ for rest, print_ in wanted[index].items())

    fitted: dict[int, int] = {}
    for index in wanted:
        if index < len(source_items) and fits(index, index):
            fitted[index] = index
        else:
            fitting = [home for home in range(len(source_items)) if fits(index, home)]
            if len(fitting) == 1:
                fitted[index] = fitting[0]
    homes: list[int | None] = [None] * len(items)
    taken: set[int] = set()
    # Items that fit their own position first, then moved ones, then the rest by position.
    for index in sorted(fitted, key=lambda i: (fitted[i] != i, i)):
        if fitted[index] not in taken:
            homes[index] = fitted[index]
            taken.add(fitted[index])
    for index in range(len(items)):
        if homes[index] is None and index not in taken:
            homes[index] = index
            taken.add(index)
    return homes


def _item_prints(item: Any) -> dict[DataPath, str]:
    """The fingerprints of a source list item's texts, by their path inside the item."""
    if isinstance(item, BaseModel):
        return {path: fingerprint(text_at(item, path)) for path in text_paths(item)}
    return {(): fingerprint(item)} if isinstance(item, str) else {}
