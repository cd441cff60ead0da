"""The class names of mkdocs-material's styles that Sabaq's own HTML borrows, so that its buttons
and tables look like the theme's: the one place outside the theme that names them."""

from __future__ import annotations

BUTTON = "md-button"
PRIMARY_BUTTON = "md-button md-button--primary"
#: The same, as a Markdown attribute list gives it.
PRIMARY_BUTTON_ATTRIBUTES = ".md-button .md-button--primary"


#: The two boxes Material's script puts around a Markdown table, outer first.
TABLE_WRAPPERS = ("md-typeset__scrollwrap", "md-typeset__table")


def scrolling_table(table: str) -> str:
    """A table in the wrappers Material's script puts around Markdown tables (so that it scrolls
    sideways on a narrow screen), written before the script runs."""
    outer, inner = TABLE_WRAPPERS
    return f'<div class="{outer}"><div class="{inner}">{table}</div></div>'
