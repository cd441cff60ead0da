"""What a project's mkdocs.yml may set: an allowlist of settings, each value checked.

A course project is often a colleague's repository, cloned and built without reading it. MkDocs'
settings can run Python (`hooks:`, `plugins:`, Markdown extensions and some of their options),
read files anywhere on the computer (`pymdownx.snippets`, `theme.custom_dir`), load from other
sites (`theme.logo`, `extra_javascript`) or put HTML into every page (MkDocs' templates print
`copyright` and the other texts as they are). So a project may set only what is listed here, and
anything else is an error at its key. The texts it may set are escaped by the engine
(builder/engine/run.py); addresses and names are checked here.

Settings that run the project's own code are refused unless the person building says on the
command line that they trust it (`--trust-project-code`): never in the repository, which a
stranger may have written. Even then `sabaq check` runs none of it (`harmless_settings`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.content.document import DataPath, Document, short_text
from builder.content.errors import ContentError, did_you_mean, format_path
from builder.content.languages import LANGUAGE_CODES

TRUST_OPTION = "--trust-project-code"
SETTINGS_HELP = "MkDocs' settings are described at https://www.mkdocs.org/user-guide/configuration/"
_ANYTHING = "that could do anything on this computer"
_TRUST = (
    f"if you wrote or checked this project's code yourself, build with 'sabaq build {TRUST_OPTION}'"
)

#: A check of one value: the errors it finds (none if the value may be used).
Check = Callable[[Document, DataPath, Any], list[ContentError]]


@dataclass(frozen=True)
class Setting:
    check: Check
    #: Listed among the settings a project may use (not for those always refused).
    usable: bool = True
    #: Runs the project's own code: accepted, unchecked, with --trust-project-code.
    runs_code: bool = False


def settings_errors(document: Document, *, trust_project_code: bool = False) -> list[ContentError]:
    """Every setting of the project's mkdocs.yml that it may not use, or whose value it may not
    have. With `trust_project_code`, settings that run the project's code are accepted."""
    return _table(_top_level(trust_project_code), "", trust_project_code)(
        document, (), document.data
    )


def harmless_settings(data: dict[str, Any]) -> dict[str, Any]:
    """Of settings `settings_errors` accepted, those that cannot run any of the project's code,
    which MkDocs may check in `sabaq check` (checking a setting, MkDocs imports the Markdown
    extensions and loads the hooks and plugins it names): no hooks or plugins, and only the
    Markdown extensions of Sabaq's list with the options it allows."""
    usable = {name for name, setting in _top_level(False).items() if setting.usable}
    # An empty `hooks:` loads nothing, and MkDocs' verdict on it is the build's.
    settings = {k: v for k, v in data.items() if k in usable or (k in RUN_CODE and v is None)}
    extensions = settings.get("markdown_extensions")
    if isinstance(extensions, list):
        settings["markdown_extensions"] = [e for e in extensions if _is_listed_extension(e)]
    return settings


def with_project_paths(data: dict[str, Any], project_dir: Path) -> dict[str, Any]:
    """The settings with the hooks' file names made absolute: MkDocs reads them relative to the
    configuration it is given, which Sabaq writes elsewhere (only with --trust-project-code)."""
    hooks = data.get("hooks")
    if not isinstance(hooks, list):
        return data
    return {**data, "hooks": [str(project_dir / str(hook)) for hook in hooks]}


# --- Kinds of values ------------------------------------------------------------------------------

#: Characters an address may not hold: they could end the HTML attribute it is printed in.
_UNSAFE_IN_ADDRESS = re.compile(r"[\s\"'<>`\\{}|^\x00-\x1f\x7f]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: mkdocs-material's icon names, e.g. `material/library`, `fontawesome/brands/github`.
_ICON = re.compile(r"[a-z0-9\-]+(/[a-z0-9\-]+)+")
#: mkdocs-material's feature names, e.g. `navigation.footer`.
_FEATURE = re.compile(r"[a-z0-9_\-]+(\.[a-z0-9_\-]+)*")
#: Palette values: colour names, `slate`, `(prefers-color-scheme: dark)`, a toggle's label.
_PALETTE_TEXT = re.compile(r"[\w ()\-:.,/]*")
_HEADING_LEVELS = re.compile(r"[1-6](-[1-6])?")
_ADDRESS_HINT = (
    "write the full address, starting with https:// (or http://), without spaces or quotes"
)


def _text(document: Document, path: DataPath, value: Any) -> list[ContentError]:
    if not isinstance(value, str):
        return [document.error(path, f"{format_path(path)}: expected a text", SETTINGS_HELP)]
    if _CONTROL.search(value):
        return [
            document.error(
                path,
                f"{format_path(path)}: the text holds an invisible control character",
                "type the text again; a page cannot show control characters",
            )
        ]
    return []


def _text_per_language(document: Document, path: DataPath, value: Any) -> list[ContentError]:
    """A text, or one text per language (`en: ...`, `ru: ...`)."""
    if not isinstance(value, dict):
        return _text(document, path, value)
    errors = []
    for language, text in value.items():
        if language not in LANGUAGE_CODES:
            errors.append(
                document.error(
                    (*path, language),
                    f"{format_path(path)}: '{language}' is not a language Sabaq builds",
                    f"use one of {', '.join(LANGUAGE_CODES)}, or one text for every language",
                    key=True,
                )
            )
        else:
            errors += _text(document, (*path, language), text)
    return errors


def _boolean(document: Document, path: DataPath, value: Any) -> list[ContentError]:
    if isinstance(value, bool):
        return []
    return [document.error(path, f"{format_path(path)}: expected true or false", SETTINGS_HELP)]


def _one_of(*choices: str) -> Check:
    def check(document: Document, path: DataPath, value: Any) -> list[ContentError]:
        if value in choices:
            return []
        return [
            document.error(
                path,
                f"{format_path(path)}: expected one of {', '.join(choices)}, "
                f"not '{short_text(str(value))}'",
                SETTINGS_HELP,
            )
        ]

    return check


def _address(*schemes: str, relative: bool = False) -> Check:
    """An address with one of `schemes`, or (with `relative`) a path within the site. Without a
    scheme and not `relative`, MkDocs says what is missing (site_url, repo_url)."""

    def check(document: Document, path: DataPath, value: Any) -> list[ContentError]:
        if not isinstance(value, str):
            return [
                document.error(path, f"{format_path(path)}: expected an address", SETTINGS_HELP)
            ]
        # A browser reads `&#106;avascript:` in an attribute as `javascript:`.
        decoded = html.unescape(value)
        scheme = _SCHEME.match(decoded)
        if (
            _UNSAFE_IN_ADDRESS.search(decoded)
            or decoded.startswith("//")
            or (scheme is not None and scheme.group(1).lower() not in schemes)
        ):
            return [
                document.error(
                    path,
                    f"{format_path(path)}: '{short_text(value)}' is not a web address "
                    "Sabaq can put on its pages",
                    f"{_ADDRESS_HINT}, or a path within the site" if relative else _ADDRESS_HINT,
                )
            ]
        return []

    return check


def _matching(pattern: re.Pattern[str], what: str) -> Check:
    """Every text in the value (in nested lists and mappings too) made only of what `pattern`
    allows: names the theme prints into its HTML as they are."""

    def check(document: Document, path: DataPath, value: Any) -> list[ContentError]:
        if isinstance(value, dict):
            return [e for key, item in value.items() for e in check(document, (*path, key), item)]
        if isinstance(value, list):
            return [e for i, item in enumerate(value) for e in check(document, (*path, i), item)]
        if isinstance(value, str) and not pattern.fullmatch(value):
            return [
                document.error(
                    path,
                    f"{format_path(path)}: '{short_text(value)}' is not {what}",
                    "use the names of mkdocs-material's documentation: letters, digits, hyphens",
                )
            ]
        return []

    return check


def _heading_levels(document: Document, path: DataPath, value: Any) -> list[ContentError]:
    if (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 6) or (
        isinstance(value, str) and _HEADING_LEVELS.fullmatch(value)
    ):
        return []
    return [
        document.error(
            path,
            f"{format_path(path)}: expected a heading level such as 3, or levels such as 2-4",
            SETTINGS_HELP,
        )
    ]


def _text_or_boolean(document: Document, path: DataPath, value: Any) -> list[ContentError]:
    return [] if isinstance(value, bool) else _text(document, path, value)


def _refusal(message: str, hint: str) -> Check:
    def check(document: Document, path: DataPath, value: Any) -> list[ContentError]:
        return [document.error(path, f"{format_path(path)}: {message}", hint, key=True)]

    return check


def _refused(message: str, hint: str = "remove it") -> Setting:
    return Setting(_refusal(message, hint), usable=False)


def _table(settings: dict[str, Setting], where: str, trust_project_code: bool = False) -> Check:
    """A mapping of `settings`: every key must be one of them, and its value pass its check."""
    usable = [name for name, setting in settings.items() if setting.usable]

    def check(document: Document, path: DataPath, value: Any) -> list[ContentError]:
        if not isinstance(value, dict):
            return [document.error(path, f"{format_path(path)}: expected keys", SETTINGS_HELP)]
        errors = []
        for key, item in value.items():
            setting = settings.get(str(key))
            if setting is None:
                errors.append(
                    document.error(
                        (*path, key),
                        f"{format_path((*path, key))}: not a setting a course project can use"
                        f"{did_you_mean(str(key), usable)}",
                        f"remove it; {where or 'mkdocs.yml'} may set: {', '.join(usable)}",
                        key=True,
                    )
                )
            elif item is not None and not (trust_project_code and setting.runs_code):
                # An empty setting (`copyright:`) is MkDocs' default, as if it were not there.
                errors += setting.check(document, (*path, key), item)
        return errors

    return check


# --- The settings ---------------------------------------------------------------------------------


def _theme(document: Document, path: DataPath, value: Any) -> list[ContentError]:
    if not isinstance(value, dict):
        return [
            document.error(
                path,
                "theme: expected keys such as 'palette:' and 'features:'",
                "Sabaq's sites are made with mkdocs-material: write its settings under 'theme:', "
                "one per line (see the comments in the bundled mkdocs.yml)",
            )
        ]
    return _table(THEME, "theme")(document, path, value)


def _theme_name(document: Document, path: DataPath, value: Any) -> list[ContentError]:
    if value is None or value == "material":
        return []
    return [
        document.error(
            path,
            f"theme.name: Sabaq's sites are made with mkdocs-material, not '{short_text(str(value))}'",
            "write 'name: material', or leave the name out",
        )
    ]


def _features(document: Document, path: DataPath, value: Any) -> list[ContentError]:
    if not (isinstance(value, list) and all(isinstance(f, str) for f in value)):
        return [
            document.error(
                path,
                "theme.features: expected a list of feature names",
                "write one name per line, e.g. '- navigation.footer'",
            )
        ]
    return _matching(_FEATURE, "a feature of mkdocs-material")(document, path, value)


def _site_url(document: Document, path: DataPath, value: Any) -> list[ContentError]:
    if not isinstance(value, str):
        return [
            document.error(
                path,
                "site_url: expected the address the site is published at, e.g. https://example.org/",
                SETTINGS_HELP,
            )
        ]
    return _address("http", "https")(document, path, value)


def _extra(document: Document, path: DataPath, value: Any) -> list[ContentError]:
    if not isinstance(value, dict):
        return [document.error(path, "extra: expected keys", SETTINGS_HELP)]
    return _table(EXTRA, "extra")(document, path, value)


def _social_links(document: Document, path: DataPath, value: Any) -> list[ContentError]:
    if not isinstance(value, list):
        return [
            document.error(
                path,
                "extra.social: expected a list of links, each with 'icon:' and 'link:'",
                "see 'social' in mkdocs-material's documentation",
            )
        ]
    link = _table(SOCIAL_LINK, "each link of extra.social")
    return [e for i, item in enumerate(value) for e in link(document, (*path, i), item)]


_ICON_NAME = _matching(_ICON, "the name of one of mkdocs-material's icons")
_PICTURE_FILE = "a project cannot add picture files of its own to the site"

THEME: dict[str, Setting] = {
    "name": Setting(_theme_name),
    "palette": Setting(_matching(_PALETTE_TEXT, "a colour, scheme or label mkdocs-material knows")),
    "features": Setting(_features),
    "icon": Setting(_ICON_NAME),
    "direction": Setting(_one_of("ltr", "rtl")),
    "language": _refused("Sabaq sets it for each language's site"),
    "font": _refused("Sabaq's pages use the reader's own fonts, never fonts from another site"),
    "custom_dir": _refused(
        "a project cannot add templates: they could read files anywhere and put anything on "
        "the pages; Sabaq's pages use Sabaq's templates",
        "remove 'custom_dir:'",
    ),
    "logo": _refused(
        _PICTURE_FILE,
        "remove it; 'icon:' with 'logo: material/school' chooses one of mkdocs-material's icons",
    ),
    "favicon": _refused(_PICTURE_FILE),
}

SOCIAL_LINK: dict[str, Setting] = {
    "icon": Setting(_ICON_NAME),
    "link": Setting(_address("http", "https", "mailto")),
    "name": Setting(_text),
}

EXTRA: dict[str, Setting] = {
    "social": Setting(_social_links),
    "homepage": Setting(_address("http", "https", relative=True)),
    "generator": Setting(_boolean),
    "analytics": _refused(
        "Sabaq's pages load nothing from other sites, and an analytics service would learn "
        "who reads which page",
        "remove 'analytics:' from 'extra:'; the courses' readers may be watched, and the "
        "pages' security policy would block it anyway",
    ),
    "consent": _refused(
        "a cookie consent banner is for analytics and other sites' content, which Sabaq's "
        "pages do not have",
        "remove 'consent:' from 'extra:'",
    ),
}

#: The Markdown extensions a project may add, with the options each may have. All come with
#: Python-Markdown or pymdown-extensions and only change how text becomes HTML. Left out: options
#: that put HTML on the page as it is (footnotes' BACKLINK_TEXT, smarty's substitutions, toc's
#: title), read files (pymdownx.snippets, pymdownx.b64) or name Python functions (slugify,
#: custom_fences), and extensions that let Markdown make any HTML element (md_in_html,
#: pymdownx.blocks.html) or load from other sites (pymdownx.emoji).
MARKDOWN_EXTENSIONS: dict[str, dict[str, Check]] = {
    "abbr": {},
    "admonition": {},
    "attr_list": {},
    "def_list": {},
    "footnotes": {},
    "sane_lists": {},
    "smarty": {
        name: _boolean
        for name in ("smart_dashes", "smart_quotes", "smart_angled_quotes", "smart_ellipses")
    },
    "tables": {"use_align_attribute": _boolean},
    "toc": {"permalink": _text_or_boolean, "permalink_title": _text, "toc_depth": _heading_levels},
    "pymdownx.betterem": {"smart_enable": _one_of("all", "asterisk", "underscore", "none")},
    "pymdownx.caret": {name: _boolean for name in ("smart_insert", "insert", "superscript")},
    "pymdownx.critic": {"mode": _one_of("view", "accept", "reject")},
    "pymdownx.details": {},
    "pymdownx.highlight": {
        name: _boolean
        for name in ("use_pygments", "linenums", "anchor_linenums", "auto_title", "guess_lang")
    },
    "pymdownx.inlinehilite": {},
    "pymdownx.keys": {},
    "pymdownx.mark": {"smart_mark": _boolean},
    "pymdownx.saneheaders": {},
    "pymdownx.smartsymbols": {
        name: _boolean
        for name in "trademark copyright registered care_of plusminus arrows notequal fractions "
        "ordinal_numbers".split()
    },
    "pymdownx.superfences": {
        name: _boolean for name in ("disable_indented_code_blocks", "preserve_tabs")
    },
    "pymdownx.tabbed": {name: _boolean for name in ("alternate_style", "combine_header_slug")},
    "pymdownx.tasklist": {name: _boolean for name in ("custom_checkbox", "clickable_checkbox")},
    "pymdownx.tilde": {name: _boolean for name in ("smart_delete", "delete", "subscript")},
}
#: Why some well-known extensions are not on the list.
_REFUSED_EXTENSIONS = {
    "pymdownx.snippets": "it copies files into the pages, from anywhere on this computer",
    "pymdownx.b64": "it copies pictures into the pages, from anywhere on this computer",
    "md_in_html": "it lets Markdown carry HTML, which Sabaq's pages show as text",
    "pymdownx.emoji": "its pictures load from another site",
}
#: Sabaq's own extensions, which every build has (builder/render/pages.py).
_ADDED_BY_SABAQ = ("builder.features.embeds.embeds", "builder.render.markdown_ext")


def _extension_parts(entry: Any) -> tuple[str, Any] | None:
    """(name, options) of a `markdown_extensions` entry: `- toc` or `- toc: {permalink: true}`."""
    if isinstance(entry, str):
        return entry, {}
    if isinstance(entry, dict) and len(entry) == 1:
        name, options = next(iter(entry.items()))
        return str(name), options if options is not None else {}
    return None


def _is_listed_extension(entry: Any) -> bool:
    parts = _extension_parts(entry)
    if parts is None or parts[0] not in MARKDOWN_EXTENSIONS:
        return False
    name, options = parts
    return isinstance(options, dict) and set(options) <= set(MARKDOWN_EXTENSIONS[name])


def _markdown_extensions(trust_project_code: bool) -> Check:
    def check(document: Document, path: DataPath, value: Any) -> list[ContentError]:
        if not isinstance(value, list):
            return [
                document.error(
                    path, "markdown_extensions: expected a list of extension names", SETTINGS_HELP
                )
            ]
        return [
            error
            for index, entry in enumerate(value)
            for error in _extension_errors(document, (*path, index), entry, trust_project_code)
        ]

    return check


def _extension_errors(
    document: Document, path: DataPath, entry: Any, trust_project_code: bool
) -> list[ContentError]:
    parts = _extension_parts(entry)
    if parts is None:
        return [
            document.error(
                path,
                f"{format_path(path)}: expected an extension's name, or its name and options",
                "write '- toc', or '- toc:' with its options indented below it",
            )
        ]
    name, options = parts
    if name in _ADDED_BY_SABAQ:
        return [
            document.error(path, f"{format_path(path)}: Sabaq adds '{name}' itself", "remove it")
        ]
    listed = MARKDOWN_EXTENSIONS.get(name)
    if trust_project_code and not _is_listed_extension(entry):
        return []  # the maintainer vouches for it; it runs in `sabaq build` only
    if name in _REFUSED_EXTENSIONS:
        return [
            document.error(
                path,
                f"{format_path(path)}: '{name}' cannot be used: {_REFUSED_EXTENSIONS[name]}",
                f"remove it; or, {_TRUST}",
            )
        ]
    if listed is None:
        return [
            document.error(
                path,
                f"{format_path(path)}: '{short_text(name)}' is not one of the Markdown extensions "
                f"Sabaq allows{did_you_mean(name, MARKDOWN_EXTENSIONS)}; others are Python code "
                f"{_ANYTHING}",
                f"use one of: {', '.join(MARKDOWN_EXTENSIONS)}; or, {_TRUST}",
            )
        ]
    options_path = (*path, name)
    if not isinstance(options, dict):
        return [
            document.error(
                options_path, f"{format_path(options_path)}: expected options", SETTINGS_HELP
            )
        ]
    errors = []
    for option, option_value in options.items():
        option_check = listed.get(str(option))
        if option_check is None:
            errors.append(
                document.error(
                    (*options_path, option),
                    f"{format_path((*options_path, option))}: not an option Sabaq allows; some "
                    "options run code, read files or put HTML on the pages as it is",
                    f"remove it (Sabaq allows for {name}: {', '.join(listed) or 'no options'}); "
                    f"or, {_TRUST}",
                    key=True,
                )
            )
        else:
            errors += option_check(document, (*options_path, option), option_value)
    return errors


#: Settings that run the project's code.
RUN_CODE = ("hooks", "plugins")
_NEEDS_TRUST = f"remove it; {_TRUST}"


def _top_level(trust_project_code: bool) -> dict[str, Setting]:
    return {
        "site_name": Setting(_text),
        "site_url": Setting(_site_url),
        "site_description": Setting(_text),
        "site_author": Setting(_text),
        "copyright": Setting(_text_per_language),
        "repo_url": Setting(_address("http", "https")),
        "repo_name": Setting(_text),
        "theme": Setting(_theme),
        "extra": Setting(_extra),
        "markdown_extensions": Setting(_markdown_extensions(trust_project_code)),
        "hooks": Setting(
            _refusal(
                f"runs the project's own Python files, code {_ANYTHING}; Sabaq runs a project's "
                "code only when told to trust it",
                _NEEDS_TRUST,
            ),
            usable=False,
            runs_code=True,
        ),
        "plugins": Setting(
            _refusal(
                f"runs Python code {_ANYTHING}; Sabaq runs it only when told to trust the "
                "project (the plugins its sites need, Sabaq sets itself)",
                _NEEDS_TRUST,
            ),
            usable=False,
            runs_code=True,
        ),
        **{
            key: _refused("Sabaq sets it itself")
            for key in ("nav", "docs_dir", "site_dir", "use_directory_urls")
        },
        **{
            key: _refused(
                "a project cannot add scripts, styles or templates to the pages",
                "remove it; Sabaq's pages carry only Sabaq's own",
            )
            for key in ("extra_css", "extra_javascript", "extra_templates")
        },
    }
