"""Sabaq's interface strings: every language has every message, in its own plural forms, with the
same placeholders as English; and mkdocs-material's strings exist for the languages it lacks."""

from __future__ import annotations

import string
import typing
from pathlib import Path
from typing import Any

import jinja2
import material
import pytest
import yaml
from babel import Locale
from sabaq_testing import REPO

from builder.content.languages import LANGUAGE_CODES, LANGUAGES
from builder.content.model import LanguageCode
from builder.render.i18n import LOCALES_DIR, messages, plural_category

TRANSLATIONS = [code for code in LANGUAGE_CODES if code != "en"]
THEME_LANGUAGES = REPO / "builder" / "engine" / "theme" / "partials" / "languages"
MATERIAL_LANGUAGES = Path(material.__file__).parent / "templates" / "partials" / "languages"


def load_locale(code: str) -> dict[str, Any]:
    data = yaml.safe_load((LOCALES_DIR / f"{code}.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def cldr_categories(code: str) -> set[str]:
    return set(Locale.parse(code).plural_form.tags) | {"other"}


ENGLISH = load_locale("en")
PLURAL_KEYS = [key for key, value in ENGLISH.items() if isinstance(value, dict)]


def test_every_language_has_a_locale_file_and_only_those() -> None:
    assert sorted(p.stem for p in LOCALES_DIR.glob("*.yml")) == sorted(LANGUAGE_CODES)
    # The model accepts exactly the languages Sabaq has strings for.
    assert set(typing.get_args(LanguageCode)) == set(LANGUAGE_CODES)


def test_english_plural_messages_use_english_categories() -> None:
    assert PLURAL_KEYS, "en.yml has no plural messages"
    for key in PLURAL_KEYS:
        assert set(ENGLISH[key]) == cldr_categories("en"), key


@pytest.mark.parametrize("code", TRANSLATIONS)
def test_locale_has_exactly_the_english_keys_in_order(code: str) -> None:
    assert list(load_locale(code)) == list(ENGLISH)


@pytest.mark.parametrize("code", TRANSLATIONS)
def test_plural_messages_have_the_languages_cldr_categories(code: str) -> None:
    data = load_locale(code)
    for key in PLURAL_KEYS:
        assert isinstance(data[key], dict), f"{code}.yml: {key} must be keyed by plural category"
        assert set(data[key]) == cldr_categories(code), f"{code}.yml: {key}"


@pytest.mark.parametrize("code", TRANSLATIONS)
def test_placeholders_are_the_english_ones(code: str) -> None:
    data = load_locale(code)
    for key, english in ENGLISH.items():
        if key == "status":
            continue
        if isinstance(english, dict):
            wanted = placeholders(english["other"])
            for category, template in data[key].items():
                assert isinstance(template, str) and template.strip(), (
                    f"{code}.yml: {key}.{category}"
                )
                assert placeholders(template) == wanted, (
                    f"{code}.yml: {key}.{category}: {template!r}"
                )
        else:
            assert isinstance(data[key], str) and data[key].strip(), f"{code}.yml: {key}"
            assert placeholders(data[key]) == placeholders(english), (
                f"{code}.yml: {key}: {data[key]!r}"
            )


@pytest.mark.parametrize("code", TRANSLATIONS)
def test_translation_starts_with_its_status(code: str) -> None:
    first_key, status = next(iter(load_locale(code).items()))
    assert (first_key, status in ("draft", "reviewed")) == ("status", True), (first_key, status)
    lines = [
        line for line in (LOCALES_DIR / f"{code}.yml").read_text(encoding="utf-8").splitlines()
    ]
    first_line = next(line for line in lines if line.strip() and not line.startswith("#"))
    assert first_line in ("status: draft", "status: reviewed")


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (1, "1 минута"),
        (2, "2 минуты"),
        (5, "5 минут"),
        (21, "21 минута"),
        (22, "22 минуты"),
        (11, "11 минут"),
        (60, "1 час"),
        (70, "1 час 10 минут"),
        (125, "2 часа 5 минут"),
        (300, "5 часов"),
    ],
)
def test_russian_durations(minutes: int, expected: str) -> None:
    assert messages("ru").duration(minutes) == expected


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (1, "1 minute"),
        (45, "45 minutes"),
        (60, "1 hour"),
        (61, "1 hour 1 minute"),
        (150, "2 hours 30 minutes"),
    ],
)
def test_english_durations(minutes: int, expected: str) -> None:
    assert messages("en").duration(minutes) == expected


def test_plural_categories_come_from_cldr_not_gettext() -> None:
    # Babel's gettext table lacks these languages and would give English's rule.
    assert [plural_category("uz", n) for n in (1, 2)] == ["one", "other"]
    assert [plural_category("kk", n) for n in (1, 2)] == ["one", "other"]
    # CLDR 47: Tajik's "one" is 0 and 1 (before, Tajik had "other" only).
    assert [plural_category("tg", n) for n in (0, 1, 2)] == ["one", "one", "other"]
    assert [plural_category("ru", n) for n in (1, 3, 5, 21, 111)] == [
        "one",
        "few",
        "many",
        "one",
        "many",
    ]


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_every_count_shows_its_number(code: str) -> None:
    strings = messages(code)
    for key in PLURAL_KEYS:
        for count in range(0, 200):
            assert str(count) in strings.plural(key, count), (key, count)


# --- mkdocs-material's interface strings ---------------------------------------------------------


def material_strings(template: Path, keys: list[str]) -> dict[str, str]:
    """The strings a languages/<code>.html template gives, read the way the theme reads them:
    by calling its `t` macro."""
    module = jinja2.Environment().from_string(template.read_text(encoding="utf-8")).module
    return {key: str(module.t(key)) for key in keys}  # type: ignore[attr-defined]


def material_keys() -> list[str]:
    source = (MATERIAL_LANGUAGES / "en.html").read_text(encoding="utf-8")
    body = source[source.index("{{ {") + 4 : source.index("}[key]")]
    return [line.split('"')[1] for line in body.splitlines() if line.strip().startswith('"')]


def test_material_english_strings_are_found() -> None:
    keys = material_keys()
    assert {"language", "direction", "search.placeholder", "footer.next"} <= set(keys)


NO_MATERIAL_STRINGS = [
    code for code, language in LANGUAGES.items() if not language.material_has_strings
]


def test_languages_without_material_strings_are_really_missing_from_material() -> None:
    assert NO_MATERIAL_STRINGS  # kk, ky, tg when this was written
    for code, language in LANGUAGES.items():
        assert (MATERIAL_LANGUAGES / f"{code}.html").exists() == language.material_has_strings, code


@pytest.mark.parametrize("code", NO_MATERIAL_STRINGS)
def test_sabaq_ships_every_material_string(code: str) -> None:
    ours = THEME_LANGUAGES / f"{code}.html"
    assert ours.is_file()
    keys = material_keys()
    strings = material_strings(ours, keys)
    english = material_strings(MATERIAL_LANGUAGES / "en.html", keys)
    missing = [key for key in keys if not strings[key].strip()]
    assert missing == [], f"{ours.name} lacks {missing}"
    assert strings["language"] == code
    assert strings["direction"] == "ltr"
    # Translated, not copied: most strings differ from English (numbers and names may not).
    same = [key for key in keys if strings[key] == english[key] and key not in ("direction",)]
    assert len(same) < len(keys) // 4, same


@pytest.mark.parametrize("code", NO_MATERIAL_STRINGS)
def test_sabaq_material_strings_say_their_status(code: str) -> None:
    header = (THEME_LANGUAGES / f"{code}.html").read_text(encoding="utf-8").split("-#}")[0]
    assert "status: draft" in header or "status: reviewed" in header
