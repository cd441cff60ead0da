"""Golden files for the render stage: every page's Markdown and the MkDocs configuration of every
language of `tests/cases/basic`, compared with `tests/golden/render/<lang>/` as a folder.

    tests/golden/render/<lang>/mkdocs.yml        the configuration, as YAML
    tests/golden/render/<lang>/docs/<page>.md    each page, e.g. docs/newsroom-verification/sources.md

When a change to the output is intended, regenerate them and review the diff:

    SABAQ_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render_golden.py

Sabaq's own HTML travels through the Markdown as base64 marker lines (see
`builder.render.markdown_ext.trusted_html_marker`). The golden files show each marker decoded, between
`<!-- sabaq-html:golden -->` and `<!-- /sabaq-html -->`, so that a change to a notice or a quiz
reads as a change to HTML rather than to a line of base64. Decoding is one-to-one, so the
comparison stays exact.
"""

from __future__ import annotations

import base64
import difflib
import re
import shutil
from pathlib import Path

import pytest
import yaml
from sabaq_testing import CASES, GOLDEN, UPDATE_GOLDEN

from builder.content.load import load_project
from builder.content.project import Project
from builder.content.validate import validate_project
from builder.render.language import RenderedLanguage, render_language
from builder.render.site_config import read_base_config

PROJECT_DIR = CASES / "basic"
GOLDEN_DIR = GOLDEN / "render"
NONCE = "golden"
_MARKER = re.compile(rf"^sabaq-html:{NONCE}:([A-Za-z0-9+/=]+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def project() -> Project:
    checked, errors = validate_project(load_project(PROJECT_DIR))
    assert errors == [], [error.format() for error in errors]
    return checked


def readable(markdown: str) -> str:
    def decode(match: re.Match[str]) -> str:
        fragment = base64.b64decode(match.group(1)).decode("utf-8")
        return f"<!-- sabaq-html:{NONCE} -->\n{fragment}\n<!-- /sabaq-html -->"

    return _MARKER.sub(decode, markdown)


def golden_files(rendered: RenderedLanguage) -> dict[str, str]:
    """What the golden folder of one language holds: relative path -> text."""
    files = {
        "mkdocs.yml": yaml.safe_dump(
            rendered.config, allow_unicode=True, sort_keys=False, width=100
        )
    }
    files.update({f"docs/{path}": readable(text) for path, text in rendered.pages.items()})
    return files


def folder_diff(expected_dir: Path, actual: dict[str, str]) -> list[str]:
    """Unified diffs for every file that differs, is missing or is extra."""
    expected = (
        {
            path.relative_to(expected_dir).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(expected_dir.rglob("*"))
            if path.is_file()
        }
        if expected_dir.is_dir()
        else {}
    )
    problems = []
    for name in sorted(expected.keys() | actual.keys()):
        before, after = expected.get(name), actual.get(name)
        if before == after:
            continue
        diff = difflib.unified_diff(
            (before or "").splitlines(keepends=True),
            (after or "").splitlines(keepends=True),
            fromfile=f"golden/{name}" if before is not None else "/dev/null",
            tofile=f"rendered/{name}" if after is not None else "/dev/null",
        )
        problems.append("".join(diff))
    return problems


def rendered_files(project: Project, language: str) -> dict[str, str]:
    document, errors = read_base_config(PROJECT_DIR)
    assert errors == [] and document is not None
    return golden_files(render_language(project, language, document.data, NONCE))


def write_golden(language: str, files: dict[str, str]) -> None:
    folder = GOLDEN_DIR / language
    shutil.rmtree(folder, ignore_errors=True)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")


def test_golden_folder_has_one_folder_per_language(project: Project) -> None:
    if UPDATE_GOLDEN:
        for stale in [p for p in GOLDEN_DIR.glob("*") if p.name not in project.languages()]:
            shutil.rmtree(stale)
        for language in project.languages():
            write_golden(language, rendered_files(project, language))
    assert sorted(p.name for p in GOLDEN_DIR.iterdir()) == sorted(project.languages())


@pytest.mark.parametrize("language", ["en", "ru", "kk", "tg"])
def test_render_matches_golden_files(project: Project, language: str) -> None:
    assert language in project.languages()
    actual = rendered_files(project, language)
    if UPDATE_GOLDEN:
        write_golden(language, actual)
    expected_dir = GOLDEN_DIR / language
    problems = folder_diff(expected_dir, actual)
    if problems:
        pytest.fail(
            f"the rendered '{language}' site differs from tests/golden/render/{language}/; "
            "if the change is intended, regenerate with SABAQ_UPDATE_GOLDEN=1\n\n"
            + "\n".join(problems)
        )


def test_rendering_is_pure(project: Project) -> None:
    """The same input renders the same output twice (no clock, no randomness, no shared state)."""
    document, _ = read_base_config(PROJECT_DIR)
    base_config = document.data if document is not None else {}
    first = render_language(project, "kk", base_config, NONCE)
    second = render_language(project, "kk", base_config, NONCE)
    assert (first.pages, first.config) == (second.pages, second.config)
