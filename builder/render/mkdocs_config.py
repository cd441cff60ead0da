"""Each language's MkDocs configuration: the project's mkdocs.yml, with what Sabaq needs laid over
it (theme, navigation, search, Markdown extensions, scripts, the security policy)."""

from __future__ import annotations

from typing import Any

from builder.content.languages import LANGUAGES
from builder.content.project import Project
from builder.features.glossary.glossary import GLOSSARY_PAGE
from builder.render import privacy
from builder.render.i18n import Messages, messages
from builder.render.markdown_ext import MARKDOWN_EXTENSIONS
from builder.settings import SETTINGS

ASSET_DIR = SETTINGS.asset_dir


def render_config(
    project: Project, language: str, nav: list[Any], base_config: dict[str, Any], nonce: str
) -> dict[str, Any]:
    """The MkDocs configuration of one language: the project's base config, with what Sabaq
    needs laid over it."""
    strings = messages(language)
    config = _deep_merge(
        {
            "site_name": strings.text("site_name"),
            "use_directory_urls": True,
            "theme": {"name": "material", "features": ["navigation.footer", "navigation.indexes"]},
            "extra": {"generator": False},
        },
        base_config,
    )
    theme = dict(config.get("theme") or {})
    theme.update(
        {
            "name": "material",
            "custom_dir": "SABAQ_THEME_DIR",  # the engine puts the real path in
            "language": language,
            # Material would load Roboto from Google Fonts: a third-party request we never make.
            "font": False,
            "favicon": f"{SETTINGS.asset_dir}/favicon.png",
        }
    )
    # Each page's navigation shows the open course and one link per other course: a page's size
    # and build time then grow with its course, not with the whole site, and a course's pages can
    # be cut out of the site as its downloadable package (builder/features/offline/packaging.py).
    features = list(theme.get("features") or [])
    if "navigation.prune" not in features:
        features.append("navigation.prune")
    theme["features"] = features
    config["theme"] = theme
    config["nav"] = nav
    if config.get("site_url"):
        # Each language is its own MkDocs site, published under <site_url>/<language>/.
        config["site_url"] = f"{str(config['site_url']).rstrip('/')}/{language}/"
    # A project's own plugins come from mkdocs.yml only with --trust-project-code
    # (builder/render/site_settings.py); the search plugin is Sabaq's, set up for the language.
    config["plugins"] = [{"search": {"lang": [LANGUAGES[language].search_language]}}] + [
        plugin for plugin in base_config.get("plugins") or [] if _extension_name(plugin) != "search"
    ]
    extensions = [
        e
        for e in config.get("markdown_extensions") or []
        if _extension_name(e) != "builder.render.markdown_ext"
    ]
    names = {_extension_name(e) for e in extensions}
    extensions += [e for e in MARKDOWN_EXTENSIONS if _extension_name(e) not in names]
    # Video placeholders (builder/features/embeds/embeds.py); before the safety pass, which then checks them.
    extensions.append({"builder.features.embeds.embeds": {"language": language}})
    extensions.append({"builder.render.markdown_ext": {"nonce": nonce}})
    config["markdown_extensions"] = [_with_permalink_title(e, strings) for e in extensions]
    config["extra_css"] = [f"{ASSET_DIR}/sabaq.css", f"{ASSET_DIR}/quiz.css"]
    # Classic deferred scripts, not modules: Chromium refuses module scripts on file:// pages.
    config["extra_javascript"] = [
        {"path": f"{ASSET_DIR}/quiz.js", "defer": True},
        {"path": f"{ASSET_DIR}/scrolling.js", "defer": True},
        {"path": f"{ASSET_DIR}/wipe.js", "defer": True},
        {"path": f"{ASSET_DIR}/progress.js", "defer": True},
    ]
    extra = dict(config.get("extra") or {})
    copyright_by_language = config.get("copyright")
    if isinstance(copyright_by_language, dict):
        # A language without its own text shows another's, marked with that language.
        shown = language if language in copyright_by_language else _fallback(copyright_by_language)
        config["copyright"] = copyright_by_language[shown]
        if shown != language:
            extra["sabaq_copyright_lang"] = shown
    extra["alternate"] = [
        {"name": LANGUAGES[code].native_name, "link": f"../{code}/", "lang": code}
        for code in project.languages()
    ]
    # The footer's "erase everything" button (theme/partials/copyright.html).
    extra["sabaq_wipe"] = {
        key.removeprefix("wipe_"): value for key, value in strings.subset("wipe_").items()
    }
    # Search on a course's pages reads that course's index and the glossary's, cut from the
    # language's by the engine (builder/engine/search_index.py), and says so in its field.
    extra["sabaq_search"] = {
        "courses": [c.course.id for c in project.courses if language in c.course.languages],
        "with_every_course": [GLOSSARY_PAGE.removesuffix("index.md")],
        "placeholder": strings.text("search_course"),
    }
    # A catalogue's pages list only their own course in the navigation (theme/partials/nav.html):
    # every other course's title on every page grew each page with the catalogue (170 KB of
    # HTML per page at 300 courses), and the language's home page lists them all anyway.
    courses = sum(1 for c in project.courses if language in c.course.languages)
    extra["sabaq_nav_every_course"] = courses <= SETTINGS.nav_every_course_up_to
    # The Content-Security-Policy the theme writes into every page (builder/render/privacy.py).
    extra["sabaq_csp"] = privacy.theme_settings()
    config["extra"] = extra
    return config


def _fallback(texts: dict[str, Any]) -> str:
    return "en" if "en" in texts else next(iter(texts))


def _with_permalink_title(extension: Any, strings: Messages) -> Any:
    """The heading anchors' title ("Permanent link") in the page's language, unless the project
    set its own."""
    if _extension_name(extension) != "toc":
        return extension
    options = dict(extension["toc"]) if isinstance(extension, dict) else {}
    options.setdefault("permalink_title", strings.text("permalink_title"))
    return {"toc": options}


def _extension_name(extension: Any) -> str:
    return next(iter(extension)) if isinstance(extension, dict) else str(extension)


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
