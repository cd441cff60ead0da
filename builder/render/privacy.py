"""The Content-Security-Policy every page Sabaq builds carries.

Readers may be watched: a page that fetches anything from another host (a font, an analytics
script, a video thumbnail) tells that host who is reading what. Sabaq's pages load nothing from
elsewhere, and the policy makes the browser refuse it if something ever tries. It is delivered in a
`<meta>` tag (theme/main.html) because static hosts such as GitHub Pages cannot set headers.

There is no `'unsafe-inline'`: mkdocs-material's small inline start-up scripts are moved into files
(theme/partials/javascripts/), and the JSON it and the quiz keep in `<script type=...json>` is never
executed, so it needs no permission.
"""

from __future__ import annotations

from builder.features.embeds.embeds import PROVIDERS

#: Where each kind of resource may come from. `data:` images are the icons mkdocs-material draws
#: with CSS masks; `frame-src` is filled in per page (see `content_security_policy`).
_DIRECTIVES: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def content_security_policy(*, embeds: bool = False, extra_scripts: tuple[str, ...] = ()) -> str:
    """The policy of one page. With `embeds`, the page may frame the video players of the
    providers in `embeds.PROVIDERS`, which it does only after the reader presses a button.
    `extra_scripts` are further script sources, e.g. the hash of an inline script."""
    directives = dict(_DIRECTIVES)
    if extra_scripts:
        directives["script-src"] = " ".join([directives["script-src"], *extra_scripts])
    frames = sorted({provider.frame_origin for provider in PROVIDERS.values()})
    directives["frame-src"] = " ".join(frames) if embeds else "'none'"
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def policy_meta_tags() -> list[str]:
    """The `<meta>` tags theme/main.html writes, one per policy a page can have: the service
    worker serves a stored page only if it carries one (builder/features/offline/templates/sw.js)."""
    return [
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        for policy in theme_settings().values()
    ]


def theme_settings() -> dict[str, str]:
    """What the theme needs to write the policy (config `extra.sabaq_csp`)."""
    return {"plain": content_security_policy(), "embeds": content_security_policy(embeds=True)}
