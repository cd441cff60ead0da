"""The pages at the top of the site, outside every language: the language chooser and the 404 page."""

from __future__ import annotations

import base64
import hashlib
import html
import json
from urllib.parse import urlsplit

from builder.content.languages import LANGUAGES
from builder.render.i18n import messages

_CHOOSER_SCRIPT = """
var codes = %s;
if (!/[?&]choose\\b/.test(location.search)) {
  var wanted = (navigator.languages || [navigator.language || ""]).map(function (tag) {
    return String(tag).toLowerCase().split("-")[0];
  });
  for (var i = 0; i < wanted.length; i++) {
    if (codes.indexOf(wanted[i]) >= 0) { location.replace(wanted[i] + "/"); break; }
  }
}
"""


_CHOOSER_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5}ul{list-style:none;padding:0}li{margin:.5rem 0}"
    "a{display:block;padding:.75rem 1rem;border:1px solid #888;border-radius:.4rem;"
    "color:inherit;font-size:1.2rem}a:focus{outline:3px solid #4051b5}"
)


def render_language_chooser(languages: list[str]) -> str:
    """`site/index.html`: sends a reader to their browser's language, and lists every language
    as plain links for readers without JavaScript (or with another language set)."""
    script = _CHOOSER_SCRIPT % json.dumps(languages)
    heading, items = _language_links(languages, "")
    head = f"<title>Sabaq</title>\n<style>{_CHOOSER_STYLE}</style>\n<script>{script}</script>\n"
    body = f"<h1>{heading}</h1>\n<ul>\n{items}\n</ul>\n</main>\n"
    return _root_page(script, head, body)


def _language_links(languages: list[str], base: str) -> tuple[str, str]:
    """ "Choose your language" in every language, and a link to each language's site."""
    heading = " · ".join(html.escape(messages(code).text("choose_language")) for code in languages)
    items = "\n".join(
        f'<li><a href="{html.escape(base)}{code}/" hreflang="{code}" lang="{code}">'
        f"{html.escape(LANGUAGES[code].native_name)}</a></li>"
        for code in languages
    )
    return heading, items


def _root_page(script: str, head: str, body: str) -> str:
    """A page at the site's root, outside every language: its one inline script is allowed by
    its hash, its one style likewise."""
    policy = (
        "default-src 'self'; "
        f"script-src '{_csp_hash(script)}'; style-src '{_csp_hash(_CHOOSER_STYLE)}'"
    )
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        f"{head}</head>\n<body>\n<main>\n{body}</body>\n</html>\n"
    )


_NOT_FOUND_SCRIPT = """
var codes = %s, base = %s;
var path = location.pathname.indexOf(base) === 0 ? location.pathname.slice(base.length) : "";
var chosen = codes.indexOf(path.split("/")[0]) >= 0 ? path.split("/")[0] : null;
var wanted = (navigator.languages || [navigator.language || ""]).map(function (tag) {
  return String(tag).toLowerCase().split("-")[0];
});
for (var i = 0; !chosen && i < wanted.length; i++) {
  if (codes.indexOf(wanted[i]) >= 0) chosen = wanted[i];
}
if (chosen) {
  document.documentElement.lang = chosen;
  document.querySelectorAll("[data-sabaq-not-found]").forEach(function (section) {
    section.hidden = section.getAttribute("data-sabaq-not-found") !== chosen;
  });
}
"""


def render_not_found_page(languages: list[str], site_url: str | None) -> str:
    """`site/404.html`, which GitHub Pages shows for any address it does not have. Its text is in
    every language, each marked with its `lang`; a small script shows only the language of the
    address (`/ru/...`) or of the browser. It can be shown at any depth, so its links start from
    the site's root: the path of `site_url`, or "/"."""
    base = urlsplit(site_url).path if site_url else "/"
    base = base if base.endswith("/") else base + "/"
    script = _NOT_FOUND_SCRIPT % (json.dumps(languages), json.dumps(base))
    sections = "\n".join(
        f'<section lang="{code}" data-sabaq-not-found="{code}">\n'
        f"<h2>{html.escape(messages(code).text('not_found_heading'))}</h2>\n"
        f"<p>{html.escape(messages(code).text('not_found_text'))}</p>\n"
        f'<p><a href="{html.escape(base)}{code}/" hreflang="{code}">'
        f"{html.escape(messages(code).text('not_found_home'))}</a></p>\n</section>"
        for code in languages
    )
    heading, items = _language_links(languages, base)
    head = f"<title>404 · Sabaq</title>\n<style>{_CHOOSER_STYLE}</style>\n"
    body = (
        f"<h1>404</h1>\n{sections}\n<h2>{heading}</h2>\n<ul>\n{items}\n</ul>\n</main>\n"
        f"<script>{script}</script>\n"
    )
    return _root_page(script, head, body)


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
