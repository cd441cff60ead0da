"""Sabaq's own interface strings, in every language, with CLDR plural rules.

The strings live in `builder/locales/<language>.yml`. Plural messages are keyed by CLDR plural
category (one, few, many, other); which category a number takes comes from Babel's CLDR data,
because Babel's gettext plural table lacks Uzbek, Kazakh, Kyrgyz and Tajik (it would fall back to
English's rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from babel import Locale

LOCALES_DIR = Path(__file__).parents[1] / "locales"


@dataclass(frozen=True)
class Messages:
    language: str
    strings: dict[str, Any]

    def text(self, key: str, **values: object) -> str:
        template = self.strings[key]
        if not isinstance(template, str):
            raise TypeError(f"{key} is a plural message; use plural()")
        return template.format(**values) if values else template

    def plural(self, key: str, count: int, **values: object) -> str:
        forms = self.strings[key]
        category = plural_category(self.language, count)
        template = forms.get(category, forms["other"])
        return str(template).format(count=count, **values)

    def duration(self, minutes: int) -> str:
        """'45 minutes', '1 hour', '2 hours 30 minutes', in the language's plural forms."""
        hours, rest = divmod(minutes, 60)
        parts = []
        if hours:
            parts.append(self.plural("hours", hours))
        if rest or not hours:
            parts.append(self.plural("minutes", rest))
        return " ".join(parts)

    def subset(self, prefix: str) -> dict[str, str]:
        """The plain strings whose keys start with `prefix`, e.g. the quiz engine's."""
        return {
            k: v for k, v in self.strings.items() if k.startswith(prefix) and isinstance(v, str)
        }


def plural_category(language: str, count: int) -> str:
    return str(Locale.parse(language).plural_form(count))


@cache
def messages(language: str) -> Messages:
    path = LOCALES_DIR / f"{language}.yml"
    with path.open(encoding="utf-8") as file:
        # libyaml where it is there: the same result, several times faster.
        return Messages(
            language, yaml.load(file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        )
