"""The downloadable course package: one course in one language, readable from `file://`.

`sabaq build` writes `site/downloads/<course>-<language>.zip` for every course and language. A
trainer can hand it over on a USB stick or a messenger; the reader unpacks it and opens
`index.html`, with no server and no connection. The package is a second MkDocs build of the
course (an extra engine job) with plain `.html` addresses (`use_directory_urls: false`) and
mkdocs-material's `offline` plugin, which makes search work from `file://` through a small shim
that runs the search worker in a hidden iframe. The shim is shipped in the package
(`assets/vendor/iframe-worker/`) instead of loaded from unpkg.com.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .engine import ASSETS_DIR, EngineJob
from .i18n import messages
from .images import PreparedImages
from .languages import LANGUAGES
from .render import ASSET_DIR, render_language
from .validate import Project

VENDOR_DIR = ASSETS_DIR / "vendor" / "iframe-worker"
#: Where the shim goes in the package, relative to the language root.
SHIM_PATH = f"{ASSET_DIR}/vendor/iframe-worker/shim.js"
DOWNLOADS_DIR = "downloads"
#: A fixed time stamp for every file in the package, so that the same course gives the same bytes.
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Package:
    course_id: str
    course_title: str
    language: str
    job: EngineJob

    @property
    def file_name(self) -> str:
        return package_name(self.course_id, self.language)


def package_name(course_id: str, language: str) -> str:
    """`<course>-<language>.zip`, the package's name under `site/downloads/`."""
    return f"{course_id}-{language}.zip"


def package_jobs(
    project: Project,
    languages: list[str],
    base_config: dict[str, Any],
    nonce: str,
    work: Path,
    images: PreparedImages,
) -> list[Package]:
    """One engine job per course and language: the file:// variant of the course."""
    packages = []
    for course_project in project.courses:
        for language in languages:
            edition = course_project.editions.get(language)
            if edition is None:
                continue
            course_id = course_project.course.id
            rendered = render_language(
                replace(project, courses=[course_project]),
                language,
                base_config,
                nonce,
                images.sizes,
            )
            pages = dict(rendered.pages)
            # Static files travel as "pages" too: MkDocs copies whatever is not Markdown.
            pages[SHIM_PATH] = (VENDOR_DIR / "shim.js").read_text(encoding="utf-8")
            pages[f"{ASSET_DIR}/vendor/iframe-worker/LICENSE"] = (VENDOR_DIR / "LICENSE").read_text(
                encoding="utf-8"
            )
            name = package_name(course_id, language)
            job = EngineJob(
                f"{language}, {name}",
                file_variant_config(rendered.config),
                pages,
                work / f"package-{course_id}-{language}",
                work / f"package-{course_id}-{language}-site",
                images.of_course(course_id),
            )
            packages.append(Package(course_id, edition.course.title, language, job))
    return packages


def file_variant_config(config: dict[str, Any]) -> dict[str, Any]:
    """A language's MkDocs configuration, changed for reading from `file://`."""
    config = dict(config)
    config["use_directory_urls"] = False
    config["plugins"] = [*config.get("plugins", []), "offline"]
    theme = dict(config["theme"])
    # Instant navigation loads pages with XMLHttpRequest, which browsers refuse from file://.
    theme["features"] = [
        f for f in theme.get("features") or [] if not f.startswith("navigation.instant")
    ]
    config["theme"] = theme
    # Browsers refuse ES modules from file:// (a CORS error). Sabaq's scripts import nothing, so
    # they run as deferred classic scripts there, in the same order and at the same time.
    config["extra_javascript"] = [
        {"path": script["path"], "defer": True}
        if isinstance(script, dict) and script.get("type") == "module"
        else script
        for script in config.get("extra_javascript") or []
    ]
    extra = dict(config.get("extra") or {})
    # The offline plugin adds unpkg.com's copy of the shim unless a polyfill already names it.
    extra["polyfills"] = [SHIM_PATH]
    extra.pop("sabaq_web_app", None)
    config["extra"] = extra
    return config


# --- After the build ------------------------------------------------------------------------------


def write_package(package: Package, downloads: Path) -> Path:
    """Finish the built variant and zip it into `downloads/`; returns the zip's path."""
    site = package.job.site_dir
    search_language = LANGUAGES[package.language].search_language
    allow_shim_script(site)
    downloads.mkdir(parents=True, exist_ok=True)
    target = downloads / package.file_name
    folder = package.file_name.removesuffix(".zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        _add(archive, f"{folder}/README.txt", readme(package).encode("utf-8"))
        for path in sorted(site.rglob("*")):
            relative = path.relative_to(site).as_posix()
            if path.is_file() and _belongs_in_package(relative, search_language):
                _add(archive, f"{folder}/{relative}", path.read_bytes())
    return target


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, _ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _belongs_in_package(relative: str, search_language: str) -> bool:
    """Leave out what a reader offline never loads: source maps, the sitemap, the JSON copy of
    the search index (file:// uses the script copy) and other languages' search stemmers
    (wordcut.js alone is 660 KB)."""
    if relative.endswith(".map") or relative.startswith("sitemap.xml"):
        return False
    if relative == "search/search_index.json":
        return False
    if relative.startswith("assets/javascripts/lunr/"):
        name = relative.rsplit("/", 1)[-1]
        wanted = {
            f"lunr.{search_language}.min.js",
            "lunr.stemmer.support.min.js",
            "lunr.multi.min.js",
        }
        return name in wanted
    return True


def readme(package: Package) -> str:
    """README.txt at the top of the package: what it is and how to open it."""
    strings = messages(package.language)
    lines = [package.course_title, "", strings.text("offline_download_note")]
    if package.language != "en":
        lines += ["", messages("en").text("offline_download_note")]
    return "\r\n".join(lines) + "\r\n"


# The shim writes one inline script into its hidden iframe, which inherits the page's
# Content-Security-Policy. Its text depends on the search worker's address as the page gives it,
# so each page's policy gets the hash of its own version.
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
_POLICY = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")')


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


def allow_shim_script(site: Path) -> None:
    """Add the hash of the shim's iframe script to each page's Content-Security-Policy."""
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        config = _CONFIG.search(text)
        if config is None:
            continue
        worker = json.loads(config.group(1))["search"]
        digest = hashlib.sha256(shim_inline_script(worker).encode("utf-8")).digest()
        source = f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
        policy = _POLICY.search(text)
        if policy is not None:
            allowed = policy.group(2).replace("script-src 'self'", f"script-src 'self' {source}", 1)
            text = text[: policy.start(2)] + allowed + text[policy.end(2) :]
        page.write_text(text, encoding="utf-8")
