"""The pipeline: load -> validate -> render -> engine -> write.

Each stage lives in its own module; this one only runs them in order and decides when to stop.
Nothing is written to the site folder until every language has built.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.build.cache.documents import RecentDocuments
from builder.build.cache.store import open_cache
from builder.build.folders import check_site_dir
from builder.build.incremental import BuildPolicy, CachedBuild, FreshBuild, PreparedLanguage
from builder.build.parts import PART_MARKER, part_marker
from builder.build.write import discard, replace_site, staging_dir, write_root_pages
from builder.content.document import Document
from builder.content.errors import ContentError, Position, UsageError
from builder.content.languages import LANGUAGE_CODES
from builder.content.load import load_project
from builder.content.pictures import PictureError
from builder.content.project import Project
from builder.content.validate import validate_project
from builder.engine.pool import build_sites, engine_pool
from builder.engine.run import EngineJob, EngineResult, config_problems
from builder.engine.site_files import PageWriter
from builder.features.offline.packaging import DOWNLOADS_DIR, Package, plan_packages
from builder.features.offline.single_file import single_file_name
from builder.features.offline.web_app import LanguageFinish, add_offline_features, finish_language
from builder.features.print.book import PrintBook, plan_books, write_book_assets
from builder.features.print.pdf import check_print_engine
from builder.features.print.publish import book_files
from builder.render.images import PreparedImages, prepare_images
from builder.render.language import RenderedLanguage, render_language
from builder.render.site_config import engine_problems, read_base_config
from builder.render.site_settings import with_project_paths

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    #: Languages taken from the cache, unchanged since the last build.
    unchanged: list[str] = field(default_factory=list)
    #: Pages rendered (languages taken from the cache not counted).
    pages: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors


def check_project(
    project_dir: Path, *, trust_project_code: bool = False
) -> tuple[Project, list[ContentError]]:
    """Load and validate everything, mkdocs.yml with MkDocs' own checks too; build nothing, and
    run none of the project's code: with `trust_project_code`, the settings that would run it
    are accepted, not checked."""
    project, errors = validate_project(load_project(project_dir))
    document, config_errors = read_base_config(project_dir, trust_project_code=trust_project_code)
    if document is not None:
        config_errors = engine_problems(document, config_problems(document.data))
    return project, sorted(errors + config_errors, key=ContentError.sort_key)


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
    use_cache: bool = True,
    progress: Callable[[str], None] = log.info,
    recent_documents: RecentDocuments | None = None,
    publishing: contextlib.AbstractContextManager[object] | None = None,
    trust_project_code: bool = False,
    with_print: bool = False,
    trainer: bool = False,
    part: bool = False,
) -> BuildReport:
    """Build the site into `site_dir`, replacing it only if everything built. Without packages
    the downloadable file:// packages are left out (`sabaq build --no-packages`). With the
    cache (`<project>/.sabaq-cache/`, builder/build/incremental.py), languages made from the same
    files as last time are taken from it, and a changed language builds only its changed pages
    when it can; a build of chosen courses (`courses`) does not use it. A process that builds
    again and again (`sabaq serve`) passes `recent_documents` to keep what it read in memory, and
    a lock as `publishing`, held while the new site takes the old one's place (a server that
    holds it while it looks a file up never finds the site half replaced). With
    `trust_project_code` (`sabaq build --trust-project-code`), the settings of mkdocs.yml that
    run the project's own code are used; the cache is not, as it would not see a change to that
    code. With `with_print` (`sabaq build --print`), each course is also printed, as a page and
    a PDF in `downloads/` (builder/features/print/). With `trainer` (`--edition trainer`), the
    trainer edition: module pages with trainer notes and answer keys, and a workshop plan per
    course (builder/features/trainer/); it is always built afresh, never from the cache the
    trainees' site uses. With `part` (`sabaq build --part`), the site is a part for `sabaq
    assemble` (builder/build/parts.py)."""
    started = time.perf_counter()
    # Before anything is written: a folder the build must not replace is refused.
    check_site_dir(project_dir, site_dir)
    if with_print:
        check_print_engine()
    request = BuildRequest(
        languages,
        courses,
        with_packages,
        trust_project_code,
        publishing or contextlib.nullcontext(),
        with_print,
        trainer,
        part,
    )
    warnings: list[str] = []
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sabaq-work-")))
        cache = (
            stack.enter_context(open_cache(project_dir, warnings.append))
            if use_cache and not trust_project_code and not courses and not trainer
            else None
        )
        policy: BuildPolicy = (
            CachedBuild(
                cache,
                project_dir,
                {"packages": with_packages, "print": with_print},
                recent_documents,
            )
            if cache is not None
            else FreshBuild(work)
        )
        pool = stack.enter_context(
            engine_pool(policy.workers(workers, languages), policy.template_cache)
        )
        report = _build(project_dir, site_dir, request, policy, pool, warnings, progress)
    report.seconds = time.perf_counter() - started
    return report


@dataclass(frozen=True)
class BuildRequest:
    """What the command line asked for."""

    languages: list[str] | None
    courses: list[str] | None
    with_packages: bool
    #: Use the settings of mkdocs.yml that run the project's own code (--trust-project-code).
    trust_project_code: bool
    #: Held while the new site replaces the old one.
    publishing: contextlib.AbstractContextManager[object]
    #: Print every course to a page and a PDF (--print).
    with_print: bool = False
    #: The trainer edition (--edition trainer).
    trainer: bool = False
    #: A part for `sabaq assemble` (--part).
    part: bool = False

    def options(self) -> dict[str, Any]:
        """What besides the project's files decides what a build makes."""
        return {
            "packages": self.with_packages,
            "print": self.with_print,
            "trainer": self.trainer,
            "trust": self.trust_project_code,
            "courses": self.courses,
        }


def _build(
    project_dir: Path,
    site_dir: Path,
    request: BuildRequest,
    policy: BuildPolicy,
    pool: ProcessPoolExecutor | None,
    warnings: list[str],
    progress: Callable[[str], None],
) -> BuildReport:
    """Load and validate, render and build every language that changed, then publish."""
    report = BuildReport(warnings=warnings)
    progress("Checking course files")
    project, config, report.errors = _validated_project(project_dir, policy, request)
    if report.errors:
        return report
    project_languages = select(project, None, request.courses)[1]
    project, report.languages = select(project, request.languages, request.courses)
    to_build = [language for language in report.languages if language not in policy.finished]
    report.unchanged = [language for language in report.languages if language in policy.finished]
    staging = staging_dir(site_dir)
    try:
        try:
            images = _prepared_images(project, policy) if to_build else PreparedImages({}, {})
        except PictureError as error:
            # Validation found every such picture; this one changed since (or broke on disk).
            report.errors = [
                ContentError(error.path or project_dir, Position(), error.message, error.hint)
            ]
            discard(staging)
            return report
        jobs = LanguageJobs(
            project_dir, project, config, images, policy, request, site_dir, staging, to_build
        )
        if to_build:
            plural = "s" if len(to_build) != 1 else ""
            progress(f"Building {len(to_build)} language{plural}: {', '.join(to_build)}")
        if report.unchanged:
            progress(f"Unchanged since the last build: {', '.join(report.unchanged)}")
        if request.with_print:
            write_book_assets(jobs.downloads)
            if to_build:
                progress(f"Printing the courses of {len(to_build)} language{plural} to PDF")
        results = build_sites(jobs.engine_jobs(report.unchanged), pool)
        report.pages = sum(prepared.pages for prepared in jobs.prepared.values())
        report.warnings = warnings + _language_warnings(results, jobs, policy, report.unchanged)
        report.errors = _engine_errors(results, project_dir, config)
        if report.errors:
            discard(staging)
            return report
        write_root_pages(staging, report.languages, config.data.get("site_url"))
        if request.part:
            marker = part_marker(
                project_dir,
                report.languages,
                project_languages,
                request.options(),
                config.data.get("site_url"),
            )
            (staging / PART_MARKER).write_text(marker, encoding="utf-8")
        for result in results:
            packages = jobs.packages_of(result.language)
            zips = [jobs.downloads / p.file_name for p in packages]
            zips += [jobs.downloads / single_file_name(p.course_id, p.language) for p in packages]
            zips += book_files(jobs.books_of(result.language), jobs.downloads)
            prepared = jobs.prepared[result.language]
            policy.keep(result.language, prepared, result.warnings, staging / result.language, zips)
        with request.publishing:
            replace_site(staging, site_dir, jobs.carry_over)
    except BaseException:
        discard(staging)
        raise
    return report


@dataclass
class _BaseConfig:
    """The project's mkdocs.yml, as read and checked."""

    document: Document | None
    data: dict[str, Any]


def _validated_project(
    project_dir: Path, policy: BuildPolicy, request: BuildRequest
) -> tuple[Project, _BaseConfig, list[ContentError]]:
    # Translations into languages not built are not read: `--lang ru` (a translator's build, a
    # part of the matrix workflow) reads and checks the sources and Russian only.
    not_built = set(LANGUAGE_CODES) - set(request.languages) if request.languages else set()
    skipped = policy.finished | not_built
    loaded = load_project(project_dir, skip_languages=skipped, read=policy.read)
    # Validation reads the files, course by course.
    project, errors = validate_project(loaded)
    del loaded  # positions of every value: only validation needs them
    policy.loaded(read_everything=not skipped)
    document, config_errors = read_base_config(
        project_dir, trust_project_code=request.trust_project_code
    )
    data = document.data if document is not None else {}
    if request.trust_project_code:
        data = with_project_paths(data, project_dir)
    return (
        project,
        _BaseConfig(document, data),
        sorted(errors + config_errors, key=ContentError.sort_key),
    )


def _prepared_images(project: Project, policy: BuildPolicy) -> PreparedImages:
    chosen = {course.course.id for course in project.courses}
    pictures = {course: files for course, files in project.images.items() if course in chosen}
    return prepare_images(pictures, policy.images_dir, version=policy.images_version)


@dataclass
class LanguageJobs:
    """Hands the engine each language's job as soon as its pages are written, so the workers
    build one language while the next is rendered; what each language was prepared from is kept
    for when it has built. The rendered text is dropped once on disk, so only one language's is
    held at a time."""

    project_dir: Path
    project: Project
    config: _BaseConfig
    images: PreparedImages
    policy: BuildPolicy
    request: BuildRequest
    site_dir: Path
    staging: Path
    to_build: list[str]
    prepared: dict[str, PreparedLanguage] = field(default_factory=dict)
    #: Files of unchanged languages to move over from the published site (builder/build/write.py).
    carry_over: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.downloads = self.staging / DOWNLOADS_DIR
        languages = [
            language for language in LANGUAGE_CODES if language not in self.policy.finished
        ]
        # The downloadable packages (one per course and language) are cut from the built sites.
        self.packages = plan_packages(self.project, languages) if self.request.with_packages else []
        # The printed courses, read from the built sites too (--print).
        edition = "trainer" if self.request.trainer else ""
        self.books = (
            plan_books(self.project, self.to_build, edition=edition)
            if self.request.with_print
            else []
        )

    def packages_of(self, language: str) -> list[Package]:
        return [package for package in self.packages if package.language == language]

    def books_of(self, language: str) -> list[PrintBook]:
        return [book for book in self.books if book.language == language]

    def engine_jobs(self, unchanged: list[str]) -> Iterator[EngineJob]:
        for language in self.to_build:
            prepared = self.policy.prepare(language, self._render, self.staging)
            self.prepared[language] = prepared
            yield self._engine_job(language, prepared)
        # Unchanged languages come from the cache while the workers build the others.
        self.carry_over = self.policy.take_unchanged(
            unchanged, self.site_dir, self.staging, self.downloads
        )

    def _render(
        self, language: str, courses: Collection[str] | None, writer: PageWriter
    ) -> RenderedLanguage:
        nonce = self.policy.nonce
        rendered = render_language(
            self.project,
            language,
            self.config.data,
            nonce,
            self.images.sizes,
            courses=courses,
            trainer=self.request.trainer,
            write=writer,
        )
        add_offline_features(rendered, self.project, nonce, self.books_of(language))
        return rendered

    def _engine_job(self, language: str, prepared: PreparedLanguage) -> EngineJob:
        # Finishing the language (its packages, the service worker) happens in the worker that
        # built it, in parallel with the other languages.
        finish = LanguageFinish(
            prepared.built_site,
            self.staging / language,
            language,
            [course.course.id for course in self.project.courses],
            self.packages_of(language),
            self.downloads,
            self.policy.previous_downloads(language),
            prepared.rebuilt_courses,
            tuple(self.books_of(language)),
            self.config.data.get("site_url"),
        )
        return EngineJob(
            language,
            prepared.config,
            prepared.work_dir,
            prepared.built_site,
            self.policy.template_cache,
            self.images.files,
            prepared.dirty,
            functools.partial(finish_language, finish),
            self.project_dir if self.request.trust_project_code else None,
        )


def _language_warnings(
    results: list[EngineResult], jobs: LanguageJobs, policy: BuildPolicy, unchanged: list[str]
) -> list[str]:
    for result in results:
        # A dirty build warns only of the pages it built; the others' warnings still hold.
        kept = jobs.prepared[result.language].kept_warnings
        result.warnings = kept + [w for w in result.warnings if w not in kept]
    from_cache = [
        EngineResult(language, True, language_warnings)
        for language, language_warnings in policy.unchanged_warnings(unchanged).items()
    ]
    return _merge_warnings(results + from_cache)


def _engine_errors(
    results: list[EngineResult], project_dir: Path, config: _BaseConfig
) -> list[ContentError]:
    failed = [result for result in results if not result.ok]
    if not failed:
        return []
    # Most often a setting in mkdocs.yml: MkDocs names it, and it is reported there.
    if config.document is not None:
        named = engine_problems(config.document, config_problems(config.data))
        if named:
            return named
    return [
        ContentError(
            project_dir / "mkdocs.yml",
            Position(),
            f"the '{result.language}' site failed to build: {result.error}",
            "the previous site was left as it was; fix the problem above and build again",
        )
        for result in failed
    ]
