"""The project's `mkdocs.yml`: the base every language's MkDocs configuration starts from.

Sabaq lays its own settings over it (builder/render.py), so what a maintainer writes there is
checked twice, with the same `path:line:column` errors as the course files:

- `read_base_config` (every build): the shape Sabaq's own code relies on, e.g. that `theme:` holds
  keys (a `theme: readthedocs` would otherwise stop the build with a traceback), and no setting
  that would send readers to another site (mkdocs-material's analytics and cookie consent);
- `engine_problems` (`sabaq check`, and a build whose MkDocs run failed): MkDocs' own verdict on
  each setting (a site address without `https://`, a Markdown extension that is not installed),
  placed at the setting it names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import ContentError, Position
from .load import Document, load_document, short_text

FILE_NAME = "mkdocs.yml"
_SETTINGS_HELP = (
    "MkDocs' settings are described at https://www.mkdocs.org/user-guide/configuration/"
)


def read_base_config(project_dir: Path) -> tuple[Document | None, list[ContentError]]:
    """The project's mkdocs.yml, if it has one and it has the shape Sabaq needs (else None and
    what is wrong)."""
    path = project_dir / FILE_NAME
    if not path.exists():
        return None, []
    document = load_document(path)
    if document.errors:
        return None, document.errors
    if document.data is None:
        return None, []
    if not isinstance(document.data, dict):
        return None, [
            document.error(
                (), "mkdocs.yml must hold keys such as 'site_url:'", "see the MkDocs documentation"
            )
        ]
    errors = _shape_errors(document)
    return (None if errors else document), errors


def _shape_errors(document: Document) -> list[ContentError]:
    data: dict[str, Any] = document.data
    errors = []
    for key, kind, example in (
        ("theme", dict, "keys such as 'palette:' and 'features:'"),
        ("extra", dict, "keys"),
        ("markdown_extensions", list, "a list of extension names"),
        ("site_url", str, "the address the site is published at, e.g. https://example.org/"),
    ):
        value = data.get(key)
        if value is not None and not isinstance(value, kind):
            errors.append(document.error((key,), f"{key}: expected {example}", _hint_for(key)))
    extra = data.get("extra")
    if isinstance(extra, dict):
        if extra.get("analytics") is not None:
            errors.append(
                document.error(
                    ("extra", "analytics"),
                    "extra.analytics: Sabaq's pages load nothing from other sites, and an "
                    "analytics service would learn who reads which page",
                    "remove 'analytics:' from 'extra:'; the courses' readers may be watched, "
                    "and the pages' security policy would block it anyway",
                    key=True,
                )
            )
        if extra.get("consent") is not None:
            errors.append(
                document.error(
                    ("extra", "consent"),
                    "extra.consent: a cookie consent banner is for analytics and other "
                    "sites' content, which Sabaq's pages do not have",
                    "remove 'consent:' from 'extra:'",
                    key=True,
                )
            )
    theme = data.get("theme")
    if isinstance(theme, dict):
        name = theme.get("name")
        if name is not None and name != "material":
            errors.append(
                document.error(
                    ("theme", "name"),
                    f"theme.name: Sabaq's sites are made with mkdocs-material, not '{name}'",
                    "write 'name: material', or leave the name out",
                )
            )
        features = theme.get("features")
        if features is not None and not (
            isinstance(features, list) and all(isinstance(f, str) for f in features)
        ):
            errors.append(
                document.error(
                    ("theme", "features"),
                    "theme.features: expected a list of feature names",
                    "write one name per line, e.g. '- navigation.footer'",
                )
            )
    return errors


def _hint_for(key: str) -> str:
    if key == "theme":
        return (
            "Sabaq's sites are made with mkdocs-material: write its settings under 'theme:', "
            "one per line (see the comments in the bundled mkdocs.yml)"
        )
    return _SETTINGS_HELP


def engine_problems(document: Document, problems: list[tuple[str, str]]) -> list[ContentError]:
    """MkDocs' objections (`engine.config_problems`: setting, message) as errors at the setting
    in mkdocs.yml, or at its start for a setting the file does not name."""
    errors = []
    for setting, message in problems:
        path = tuple(setting.split(".")) if setting else ()
        position = document.position_of(path) if setting in document.data else Position()
        label = f"{setting}: " if setting else ""
        errors.append(
            ContentError(
                document.path,
                position,
                short_text(f"{label}{message}", 500),
                f"fix the setting in mkdocs.yml; {_SETTINGS_HELP}",
            )
        )
    return errors
