"""The languages Sabaq builds sites in, and what the theme knows about each.

One table, so that adding a language is one edit here plus its interface strings
(`builder/locales/<code>.yml`) and, where mkdocs-material has none, its theme strings
(`builder/engine/theme/partials/languages/<code>.html`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    #: The language's name in itself, as the language switcher shows it.
    native_name: str
    #: Whether mkdocs-material ships its own interface strings for this language. Where it
    #: does not, Sabaq ships draft translations as theme overrides (see `builder/engine/theme/`).
    material_has_strings: bool
    #: The lunr language the theme's search uses. lunr-languages has no stemmer for Uzbek,
    #: Kazakh, Kyrgyz or Tajik; Material maps Uzbek to Turkish itself, and we follow it for the
    #: Latin script. For Cyrillic-script languages we do the same with Russian: its tokenizer keeps
    #: Cyrillic words whole, which is what matters for finding a word on a page.
    search_language: str


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("en", "English", True, "en"),
        Language("ru", "Русский", True, "ru"),
        Language("uz", "Oʻzbekcha", True, "tr"),
        Language("kk", "Қазақша", False, "ru"),
        Language("ky", "Кыргызча", False, "ru"),
        Language("tg", "Тоҷикӣ", False, "ru"),
    )
}

LANGUAGE_CODES: tuple[str, ...] = tuple(LANGUAGES)
