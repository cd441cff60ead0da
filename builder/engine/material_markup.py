"""Material's markup and file layout, as a built page shows them: what the offline package
changes in a page for `file://`, and which of the theme's files search needs.

Every regular expression here matches markup that mkdocs-material or Sabaq's theme overrides
(`engine/theme/`) write, in exactly that form; the offline tests fail if a new Material changes it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import posixpath
import re

from builder.engine.site_files import ASSETS_DIR
from builder.settings import SETTINGS

VENDOR_DIR = ASSETS_DIR / "vendor" / "iframe-worker"
#: Where the shim goes in the package, relative to the language root.
SHIM_PATH = f"{SETTINGS.asset_dir}/vendor/iframe-worker/shim.js"
#: The theme's search: its worker, and lunr's stemmers (one per language, several hundred KB).
SEARCH_WORKERS_DIR = "assets/javascripts/workers/"
#: Material's bundle, which pages load when the reader first needs it (theme_assets/material-lazy.js).
MATERIAL_BUNDLE_PREFIX = "assets/javascripts/bundle."
#: Material's favicon, in place of which Sabaq's pages link their own (builder/assets/favicon.png).
MATERIAL_IMAGES_DIR = "assets/images/"
SEARCH_STEMMERS_DIR = "assets/javascripts/lunr/"


def is_search_stemmer(name: str) -> bool:
    return name.startswith(SEARCH_STEMMERS_DIR)


def search_stemmers(search_language: str) -> set[str]:
    """The stemmer files the search of a language loads, as paths in the language site."""
    names = (f"lunr.{search_language}.min.js", "lunr.stemmer.support.min.js", "lunr.multi.min.js")
    return {f"{SEARCH_STEMMERS_DIR}min/{name}" for name in names}


# Each of these is markup Sabaq or the theme writes itself, in exactly this form.
_WEB_ONLY = [
    re.compile(r'<link rel="manifest" href="[^"]*">\s*'),
    re.compile(r'<meta name="theme-color" content="[^"]*">\s*'),
    re.compile(r'<link rel="stylesheet" href="[^"]*assets/sabaq/offline\.css">\s*'),
    re.compile(r'<script src="[^"]*assets/sabaq/offline\.js"[^>]*></script>\s*'),
    # The "save" and "download" tools on the course page (builder/features/offline/web_app.py): no nested <div>.
    re.compile(r'<div class="sabaq-offline".*?</div>\s*', re.S),
    # The language switcher (theme/partials/alternate.html): the package has one language.
    re.compile(r"<!--sabaq:languages-->.*?<!--/sabaq:languages-->\s*", re.S),
    # Other courses, pruned to one link each (navigation.prune): they are not in the package.
    re.compile(
        r'<li class="md-nav__item md-nav__item--pruned md-nav__item--nested">.*?</li>\s*', re.S
    ),
]
_URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_MODULE_SCRIPT = re.compile(r'(<script src="[^"]*") type="module"')
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
_POLICY = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")')


def file_variant_page(page: str, path: str, shared_folders: tuple[str, ...] = ()) -> str:
    """A built web page at `path` (`<course>/<module>/index.html` in the language site) changed
    for file://; links into `shared_folders` (the glossary) are kept as links into the course's."""
    for pattern in _WEB_ONLY:
        page = pattern.sub("", page)
    page = _URL_ATTRIBUTE.sub(lambda m: f'{m.group(1)}="{file_url(m.group(2))}"', page)
    page = _leave_course_footer_links_out(page, path)
    page = _unlink_other_courses(page, path, shared_folders)
    page = _MODULE_SCRIPT.sub(r"\1 defer", page)
    config_match = _CONFIG.search(page)
    if config_match is None:
        return page
    config = json.loads(config_match.group(2))
    features = config.get("features") or []
    if any(f.startswith("navigation.instant") for f in features):
        config["features"] = [f for f in features if not f.startswith("navigation.instant")]
        # As Jinja's `tojson` writes it: no "<", ">", "&" or "'" that could end the script.
        text = json.dumps(config)
        for char, escape in (
            ("<", "\\u003c"),
            (">", "\\u003e"),
            ("&", "\\u0026"),
            ("'", "\\u0027"),
        ):
            text = text.replace(char, escape)
        page = page[: config_match.start(2)] + text + page[config_match.end(2) :]
    prefix = "../" * path.count("/")
    shim_tag = f'<script src="{prefix}{SHIM_PATH}"></script>\n'
    page = page.replace(config_match.group(1), shim_tag + config_match.group(1), 1)
    return allow_shim_script(page, config["search"])


_FOOTER_LINK = re.compile(
    r'<a href="([^"]*)" class="md-footer__link md-footer__link--\w+".*?</a>\s*', re.S
)


def _leave_course_footer_links_out(page: str, path: str) -> str:
    """The footer's "previous" and "next" links follow the site's navigation, from a course's
    first page to the home page and from its last to the next course: not in the package."""
    course = path.split("/", 1)[0] + "/"
    folder = posixpath.dirname(path)

    def keep_inside(link: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(folder, link.group(1)))
        return link.group(0) if target.startswith(course) else ""

    return _FOOTER_LINK.sub(keep_inside, page)


_LINK = re.compile(r'<a\b([^>]*?) href="([^"]*)"([^>]*)>')


def _unlink_other_courses(page: str, path: str, shared_folders: tuple[str, ...]) -> str:
    """Links to other courses' pages that are still there (the navigation of a project that
    turns on `navigation.tabs` or `navigation.sections` lists them) lose their address: their
    text stays, as in the web site, but nothing leads out of the package."""
    course = path.split("/", 1)[0] + "/"
    folder = posixpath.dirname(path)

    def unlink_outside(link: re.Match[str]) -> str:
        address = link.group(2).split("#", 1)[0].split("?", 1)[0]
        if not address or address.startswith("/") or _SCHEME.match(address):
            return link.group(0)
        target = posixpath.normpath(posixpath.join(folder, address))
        if (
            not target.endswith(".html")
            or target == "index.html"
            or target.startswith((course, *(f"{folder}/" for folder in shared_folders)))
        ):
            return link.group(0)
        return f"<a{link.group(1)}{link.group(3)}>"

    return _LINK.sub(unlink_outside, page)


def file_url(url: str) -> str:
    """A relative link to a folder (`../sift/`, `..`, `./#top`) as a link to its `index.html`;
    anything else as it is."""
    if not url or url.startswith(("#", "/")) or _SCHEME.match(url):
        return url
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    if path.endswith("/"):
        return f"{path}index.html{rest}"
    if path in (".", "..") or path.endswith(("/.", "/..")):
        return f"{path}/index.html{rest}"
    return url


# The shim writes one inline script into its hidden iframe, which inherits the page's
# Content-Security-Policy. Its text depends on the search worker's address as the page gives it,
# so each page's policy gets the hash of its own version.


@functools.lru_cache(maxsize=8)
def shim_inline_script(worker_url: str) -> str:
    """The inline script the shim writes into its iframe for a worker at `worker_url`."""
    source = (VENDOR_DIR / "shim.js").read_text(encoding="utf-8")
    functions = {name: _function_source(source, name) for name in ("c", "d")}
    return (
        f"postMessage={functions['c']};importScripts={functions['d']};"
        'addEventListener("error",({error})=>{parent.dispatchEvent(new ErrorEvent("error",'
        f'{{filename:"{worker_url}",error}}))}})'
    )


def _function_source(source: str, name: str) -> str:
    """The text of `function <name>(...){...}` in the shim, as the browser's toString gives it."""
    start = source.index(f"function {name}(")
    depth = 0
    for position in range(source.index("{", start), len(source)):
        depth += {"{": 1, "}": -1}.get(source[position], 0)
        if depth == 0:
            return source[start : position + 1]
    raise ValueError(f"function {name} not found in the iframe-worker shim")


def allow_shim_script(page: str, worker_url: str) -> str:
    """Add the hash of the shim's iframe script to the page's Content-Security-Policy."""
    digest = hashlib.sha256(shim_inline_script(worker_url).encode("utf-8")).digest()
    source = f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
    policy = _POLICY.search(page)
    if policy is None:
        return page
    allowed = policy.group(2).replace("script-src 'self'", f"script-src 'self' {source}", 1)
    return page[: policy.start(2)] + allowed + page[policy.end(2) :]


_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


def page_article(page_html: str) -> str | None:
    """The content of a built page, without Material's header, navigation and footer."""
    match = _ARTICLE.search(page_html)
    return match.group(1) if match else None
