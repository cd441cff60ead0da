"""The pipeline: load -> validate -> render -> engine -> write.

Each stage lives in its own module; this one only runs them in order and decides when to stop.
Nothing is written to the site folder until every language has built.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .engine import EngineJob, EngineResult, build_sites, engine_pool
from .errors import ContentError, Position
from .images import prepare_images
from .languages import LANGUAGE_CODES
from .load import load_document, load_project
from .offline import add_offline_features, finish_offline_features
from .packaging import package_jobs
from .render import render_language, render_language_chooser, render_not_found_page
from .validate import Project, validate_project
from .write import discard, replace_site, staging_dir

log = logging.getLogger(__name__)


class UsageError(Exception):
    """A mistake in how Sabaq was called (exit code 2), not in the course files."""


@dataclass
class BuildReport:
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors


def check_project(project_dir: Path) -> tuple[Project, list[ContentError]]:
    """Load and validate everything; build nothing."""
    project, errors = validate_project(load_project(project_dir))
    _, config_errors = load_base_config(project_dir)
    return project, sorted(errors + config_errors, key=ContentError.sort_key)


def load_base_config(project_dir: Path) -> tuple[dict[str, Any], list[ContentError]]:
    """The project's own mkdocs.yml, if it has one: the base every language build starts from."""
    path = project_dir / "mkdocs.yml"
    if not path.exists():
        return {}, []
    document = load_document(path)
    if document.errors:
        return {}, document.errors
    if document.data is None:
        return {}, []
    if not isinstance(document.data, dict):
        return {}, [
            document.error(
                (), "mkdocs.yml must hold keys such as 'site_url:'", "see the MkDocs documentation"
            )
        ]
    return document.data, []


def select(
    project: Project, languages: list[str] | None, courses: list[str] | None
) -> tuple[Project, list[str]]:
    """The project limited to the languages and courses asked for on the command line."""
    known_courses = [c.course.id for c in project.courses]
    for course_id in courses or []:
        if course_id not in known_courses:
            raise UsageError(
                f"there is no course '{course_id}' (courses: {', '.join(known_courses) or 'none'})"
            )
    chosen = [c for c in project.courses if not courses or c.course.id in courses]
    all_languages: list[str] = sorted(
        {code for c in chosen for code in c.course.languages}, key=LANGUAGE_CODES.index
    )
    for language in languages or []:
        if language not in all_languages:
            raise UsageError(
                f"'{language}' is not a language of the chosen courses (languages: {', '.join(all_languages)})"
            )
    built = [code for code in all_languages if not languages or code in languages]
    return replace(project, courses=chosen), built


def _merge_warnings(results: list[EngineResult]) -> list[str]:
    """MkDocs' warnings (such as a link to a missing page), once each, naming the languages."""
    languages_by_warning: dict[str, list[str]] = {}
    for result in results:
        for warning in result.warnings:
            languages_by_warning.setdefault(warning, []).append(result.language)
    return [f"{warning} ({', '.join(langs)})" for warning, langs in languages_by_warning.items()]


def build_project(
    project_dir: Path,
    site_dir: Path,
    *,
    languages: list[str] | None = None,
    courses: list[str] | None = None,
    workers: int | None = None,
    with_packages: bool = True,
    progress: Callable[[str], None] = log.info,
) -> BuildReport:
    """Build the site into `site_dir`, replacing it only if everything built. Without packages
    the downloadable file:// packages are left out (the preview does not need them, and they are
    about half the work)."""
    started = time.perf_counter()
    with engine_pool(workers) as pool:
        report = _build(project_dir, site_dir, languages, courses, with_packages, progress, pool)
    report.seconds = time.perf_counter() - started
    return report


def _build(
    project_dir: Path,
    site_dir: Path,
    languages: list[str] | None,
    courses: list[str] | None,
    with_packages: bool,
    progress: Callable[[str], None],
    pool: ProcessPoolExecutor | None,
) -> BuildReport:
    report = BuildReport()
    progress("Checking course files")
    project, errors = validate_project(load_project(project_dir))
    base_config, config_errors = load_base_config(project_dir)
    report.errors = sorted(errors + config_errors, key=ContentError.sort_key)
    if report.errors:
        return report
    project, built_languages = select(project, languages, courses)
    report.languages = built_languages

    nonce = secrets.token_hex(12)
    staging = staging_dir(site_dir)
    work = Path(tempfile.mkdtemp(prefix="sabaq-work-"))
    try:
        chosen = {course.course.id for course in project.courses}
        images = prepare_images(
            {k: v for k, v in project.images.items() if k in chosen}, work / "images"
        )
        jobs = []
        for language in built_languages:
            rendered = render_language(project, language, base_config, nonce, images.sizes)
            add_offline_features(rendered, project, nonce)
            report.pages += len(rendered.pages)
            jobs.append(
                EngineJob(
                    language,
                    rendered.config,
                    rendered.pages,
                    work / language,
                    staging / language,
                    images.files,
                )
            )
        progress(
            f"Building {len(jobs)} language{'s' if len(jobs) != 1 else ''}: {', '.join(built_languages)}"
        )
        # The downloadable packages (one per course and language) build in the same pool; their
        # warnings repeat the web site's, so only their failures are reported.
        packages = (
            package_jobs(project, built_languages, base_config, nonce, work, images)
            if with_packages
            else []
        )
        results = build_sites(jobs + [package.job for package in packages], pool)
        report.warnings = _merge_warnings(results[: len(jobs)])
        for result in results:
            if not result.ok:
                report.errors.append(
                    ContentError(
                        project_dir / "mkdocs.yml",
                        Position(),
                        f"the '{result.language}' site failed to build: {result.error}",
                        "the previous site was left as it was; fix the problem above and build again",
                    )
                )
        if report.errors:
            discard(staging)
            return report
        finish_offline_features(staging, project, built_languages, packages)
        (staging / "index.html").write_text(
            render_language_chooser(built_languages), encoding="utf-8"
        )
        not_found = render_not_found_page(built_languages, base_config.get("site_url"))
        (staging / "404.html").write_text(not_found, encoding="utf-8")
        # GitHub Pages would otherwise run Jekyll over the site and drop folders starting with "_".
        (staging / ".nojekyll").write_text("", encoding="utf-8")
        replace_site(staging, site_dir)
    except BaseException:
        discard(staging)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report
