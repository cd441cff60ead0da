"""The project's `mkdocs.yml`: the base every language's MkDocs configuration starts from.

Sabaq lays its own settings over it (builder/render/pages.py), so what a maintainer writes there is
checked twice, with the same `path:line:column` errors as the course files:

- `read_base_config` (every build): only the settings a project may use, with values Sabaq can
  put on its pages (builder/render/site_settings.py): nothing that runs the project's code or reads
  files outside it, nothing that sends readers to another site, and the shape Sabaq's own code
  relies on (a `theme: readthedocs` would otherwise stop the build with a traceback);
- `engine_problems` (`sabaq check`, and a build whose MkDocs run failed): MkDocs' own verdict on
  each setting that cannot run code (a site address without `https://`), placed at the setting
  it names.
"""

from __future__ import annotations

from pathlib import Path

from builder.content.document import Document, load_document, short_text
from builder.content.errors import ContentError, Position
from builder.render.site_settings import SETTINGS_HELP, settings_errors

FILE_NAME = "mkdocs.yml"


def read_base_config(
    project_dir: Path, *, trust_project_code: bool = False
) -> tuple[Document | None, list[ContentError]]:
    """The project's mkdocs.yml, if it has one and sets only what a project may set
    (builder/render/site_settings.py), else None and what is wrong. With `trust_project_code`, settings
    that run the project's code are accepted."""
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
    errors = settings_errors(document, trust_project_code=trust_project_code)
    return (None if errors else document), errors


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
                f"fix the setting in mkdocs.yml; {SETTINGS_HELP}",
            )
        )
    return errors
