"""The glossary: one page per language of the field's terms, which modules link to.

Trainers write `glossary.yml` beside `courses/` (translated as `glossary.<lang>.yml`) and link a
term from a module's Markdown as `[lateral reading](glossary:lateral-reading)`. Validation
(builder/content/validate.py) checks the ids; rendering turns each such link into a link to the term's
anchor on the language's glossary page, `<lang>/glossary/#lateral-reading`, which has the same
address in every language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

#: The glossary page's folder under each language, and so a name no course may take.
GLOSSARY_PAGE = "glossary/index.md"
LINK_SCHEME = "glossary:"

#: `](glossary:id)` or `](<glossary:id>)`, with an optional title: the target of a Markdown link.
_GLOSSARY_LINK = re.compile(r"\]\(\s*<?glossary:(?P<id>[^)\s>\"]*)>?(?P<title>\s+\"[^\"]*\")?\s*\)")


def glossary_links(markdown: str) -> Iterator[tuple[int, str]]:
    """Where the id of every glossary link in a text starts, and the id."""
    for match in _GLOSSARY_LINK.finditer(markdown):
        yield match.start("id"), match.group("id")


def link_glossary_terms(markdown: str, page: str) -> str:
    """Glossary links as links to the glossary page from `page` (a docs-relative Markdown path
    such as `course/module.md`): MkDocs resolves them, checks them and writes the address."""
    up = "../" * page.count("/")

    def link(match: re.Match[str]) -> str:
        return f"]({up}{GLOSSARY_PAGE}#{quote(match.group('id'))}{match.group('title') or ''})"

    return _GLOSSARY_LINK.sub(link, markdown)


def sort_key(term: str) -> str:
    """Alphabetical order in every language: case-folded Unicode order. Cyrillic and Latin each
    come out in their alphabet's order except for letters added to the basic alphabet (Kazakh
    ә, Tajik ӣ...), which sort after it; a full collation (ICU) is a large dependency for that."""
    return " ".join(term.casefold().split())
