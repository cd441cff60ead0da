"""Gate 1, HTML validity: the W3C Nu HTML Checker (npm vnu-jar) finds no error on any page of
the bundled site (every language, the language chooser, the 404 pages) or of the hostile fixture
site, whose texts are full of markup that must arrive as text.

Only findings in markup that mkdocs-material writes from its own templates, where Sabaq's
overrides (builder/engine/theme/) cannot reach, may be left out, and only through THEME_FINDINGS below:
each entry names the exact message, the markup it is about, and why it stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from sabaq_gates import BuiltSite, VnuReport, html_pages


@dataclass(frozen=True)
class ThemeFinding:
    #: The checker's message, matched in full.
    message: re.Pattern[str]
    #: The markup the message is about (the report's "extract"), searched for.
    extract: re.Pattern[str]
    #: Why it cannot be fixed in our overrides.
    reason: str


THEME_FINDINGS = [
    ThemeFinding(
        message=re.compile(
            r"Attribute “autocomplete” is only allowed when the input type is “color”, “date”, "
            r"“datetime-local”, “email”, “hidden”, “month”, “number”, “password”, “range”, "
            r"“search”, “tel”, “text”, “time”, “url”, or “week”\."
        ),
        extract=re.compile(
            r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" '
            r'id="__(drawer|search)" autocomplete="off">'
        ),
        reason="Material's base.html writes these two toggles outside any block, so no override "
        "reaches them, and sets autocomplete=off on purpose: Firefox would otherwise restore an "
        "open drawer or search on Back.",
    ),
]

ERROR_TYPES = ("error", "non-document-error")


def _matches(finding: ThemeFinding, message: dict[str, Any]) -> bool:
    return bool(
        finding.message.fullmatch(message.get("message", ""))
        and finding.extract.search(message.get("extract", ""))
    )


def _page(message: dict[str, Any]) -> Path | None:
    url = message.get("url")
    return Path(unquote(urlsplit(url).path)) if url else None


def _errors(report: VnuReport, site: BuiltSite) -> list[dict[str, Any]]:
    """The errors (and documents the checker could not read) in `site`, theme findings left
    out."""
    errors = []
    for message in report.messages:
        page = _page(message)
        if message["type"] not in ERROR_TYPES:
            continue
        if page is not None and not page.is_relative_to(site.root):
            continue
        if any(_matches(finding, message) for finding in THEME_FINDINGS):
            continue
        errors.append(message)
    return errors


def _describe(errors: list[dict[str, Any]], site: BuiltSite, limit: int = 40) -> str:
    lines = []
    for error in errors[:limit]:
        page = _page(error)
        where = page.relative_to(site.root) if page else "(no page)"
        extract = " ".join(error.get("extract", "").split())
        lines.append(f"{where}:{error.get('lastLine', '?')}: {error['message']}\n    {extract}")
    if len(errors) > limit:
        lines.append(f"... and {len(errors) - limit} more")
    return "\n".join(lines)


@pytest.mark.parametrize("site_name", ["bundled_site", "hostile_site"])
def test_no_html_errors(
    request: pytest.FixtureRequest, vnu_report: VnuReport, site_name: str
) -> None:
    site: BuiltSite = request.getfixturevalue(site_name)
    errors = _errors(vnu_report, site)
    assert not errors, f"the Nu HTML Checker found {len(errors)} error(s):\n" + _describe(
        errors, site
    )


@pytest.mark.parametrize("site_name", ["bundled_site", "hostile_site"])
def test_the_checker_read_every_page(
    request: pytest.FixtureRequest, vnu_report: VnuReport, site_name: str
) -> None:
    """A run that read nothing would report nothing, and pass."""
    site: BuiltSite = request.getfixturevalue(site_name)
    pages = set(html_pages(site.root))
    assert len(pages) >= 6, f"only {len(pages)} pages were built into {site.root}"
    unread = sorted(str(page.relative_to(site.root)) for page in pages - vnu_report.checked)
    assert not unread, f"the Nu HTML Checker did not read {unread}"


def test_theme_findings_are_still_needed(vnu_report: VnuReport) -> None:
    """Every entry of THEME_FINDINGS still matches something: once Material fixes its markup,
    the entry goes, so that it cannot hide a new error of ours with the same message."""
    unused = [
        finding.reason
        for finding in THEME_FINDINGS
        if not any(_matches(finding, message) for message in vnu_report.messages)
    ]
    assert not unused, f"these THEME_FINDINGS no longer match anything; remove them: {unused}"
