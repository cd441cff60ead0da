"""The pipeline: load -> validate -> render -> engine -> write.

Each stage lives in its own module; this one only runs them in order and decides when to stop.
Nothing is written to the site folder until every language has built.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.build.cache.documents import ParsedFiles, RecentDocuments
from builder.build.cache.keys import Keys, config_digest, project_keys
from builder.build.cache.store import BuildCache, LanguageState, open_cache
from builder.build.folders import check_site_dir
from builder.build.write import discard, replace_site, staging_dir
from builder.content.errors import ContentError, Position, UsageError
from builder.content.languages import LANGUAGE_CODES
from builder.content.load import load_project
from builder.content.pictures import PictureError
from builder.content.project import Project
from builder.content.validate import validate_project
from builder.engine.run import (
    EngineJob,
    EngineResult,
    build_sites,
    config_problems,
    engine_pool,
    write_pages,
)
from builder.features.offline.packaging import DOWNLOADS_DIR, plan_packages
from builder.features.offline.web_app import add_offline_features, finish_language
from builder.fingerprint import sabaq_fingerprint
from builder.render.images import PreparedImages, prepare_images
from builder.render.pages import render_language, render_language_chooser, render_not_found_page
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
) -> BuildReport:
    """Build the site into `site_dir`, replacing it only if everything built. Without packages
    the downloadable file:// packages are left out (`sabaq build --no-packages`). With the
    cache (`<project>/.sabaq-cache/`, builder/build/cache.py), languages made from the same files as last
    time are taken from it, and a changed language builds only its changed pages when it can; a
    build of chosen courses (`courses`) does not use it. A process that builds again and again
    (`sabaq serve`) passes `recent_documents` to keep what it read in memory, and a lock as
    `publishing`, held while the new site takes the old one's place (a server that holds it while
    it looks a file up never finds the site half replaced). With `trust_project_code`
    (`sabaq build --trust-project-code`), the settings of mkdocs.yml that run the project's own
    code are used; the cache is not, as it would not see a change to that code."""
    started = time.perf_counter()
    use_cache = use_cache and not trust_project_code
    # Before anything is written: a folder the build must not replace is refused.
    check_site_dir(project_dir, site_dir)
    warnings: list[str] = []
    with contextlib.ExitStack() as stack:
        cache = (
            stack.enter_context(open_cache(project_dir, warnings.append))
            if use_cache and not courses
            else None
        )
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sabaq-work-")))
        # Compiled templates, shared by the language builds (and by later builds, with a cache).
        template_cache = (cache.root if cache is not None else work) / "template-cache"
        keys, finished = Keys({}, {}), frozenset[str]()
        if cache is not None:
            keys = project_keys(project_dir, LANGUAGE_CODES, {"packages": with_packages})
            finished = frozenset(
                code for code in LANGUAGE_CODES if cache.is_finished(code, keys.languages[code])
            )
            built_before = [code for code in LANGUAGE_CODES if cache.state(code) is not None]
            if finished and len(set(languages or built_before) - finished) <= 1:
                # One language changed since the last build (the usual edit): it builds in
                # this process, which then holds little else, sooner than workers could start.
                workers = 1
        pool = stack.enter_context(engine_pool(workers, template_cache))
        run = _Run(
            pool,
            work,
            template_cache,
            cache,
            keys,
            finished,
            recent_documents,
            publishing or contextlib.nullcontext(),
            warnings,
            trust_project_code,
        )
        report = _build(project_dir, site_dir, languages, courses, with_packages, progress, run)
    report.seconds = time.perf_counter() - started
    return report


@dataclass(frozen=True)
class _Run:
    """What one build works with, besides the project."""

    pool: ProcessPoolExecutor | None
    work: Path
    template_cache: Path
    cache: BuildCache | None
    keys: Keys
    #: Languages the cache holds as they would be built now.
    finished: frozenset[str]
    recent_documents: RecentDocuments | None
    #: Held while the new site replaces the old one.
    publishing: contextlib.AbstractContextManager[object]
    #: About the build cache (damaged, or not usable), said before MkDocs' warnings.
    warnings: list[str]
    #: Use the settings of mkdocs.yml that run the project's own code (--trust-project-code).
    trust_project_code: bool = False


def _build(
    project_dir: Path,
    site_dir: Path,
    languages: list[str] | None,
    courses: list[str] | None,
    with_packages: bool,
    progress: Callable[[str], None],
    run: _Run,
) -> BuildReport:
    report = BuildReport(warnings=run.warnings)
    progress("Checking course files")
    cache, finished, work = run.cache, run.finished, run.work
    # Translations into languages the cache holds were valid when it was made, with the same
    # source files: they need not be read again.
    parsed = ParsedFiles(cache.root, run.recent_documents, cache) if cache is not None else None
    loaded = load_project(
        project_dir, skip_languages=finished, read=parsed.read if parsed is not None else None
    )
    if parsed is not None:
        parsed.save(read_everything=not finished)
    project, errors = validate_project(loaded)
    del loaded  # positions of every value: only validation needs them
    config_document, config_errors = read_base_config(
        project_dir, trust_project_code=run.trust_project_code
    )
    base_config = config_document.data if config_document is not None else {}
    if run.trust_project_code:
        base_config = with_project_paths(base_config, project_dir)
    report.errors = sorted(errors + config_errors, key=ContentError.sort_key)
    if report.errors:
        return report
    project, built_languages = select(project, languages, courses)
    report.languages = built_languages
    to_build = [language for language in built_languages if language not in finished]
    report.unchanged = [language for language in built_languages if language in finished]

    nonce = cache.nonce() if cache is not None else secrets.token_hex(12)
    staging = staging_dir(site_dir)
    try:
        chosen = {course.course.id for course in project.courses}
        try:
            images = (
                prepare_images(
                    {k: v for k, v in project.images.items() if k in chosen},
                    cache.root / "images" if cache is not None else work / "images",
                    version=sabaq_fingerprint() if cache is not None else "",
                )
                if to_build
                else PreparedImages({}, {})
            )
        except PictureError as error:
            # Validation found every such picture; this one changed since (or broke on disk).
            report.errors = [
                ContentError(error.path or project_dir, Position(), error.message, error.hint)
            ]
            discard(staging)
            return report
        downloads = staging / DOWNLOADS_DIR
        # The downloadable packages (one per course and language) are cut from the built sites.
        packages = plan_packages(project, to_build) if with_packages else []
        course_ids = [course.course.id for course in project.courses]
        states: dict[str, LanguageState] = {}
        kept_warnings: dict[str, list[str]] = {}
        carry_over: list[str] = []

        def prepared_jobs() -> Iterator[EngineJob]:
            """Render each language, write its pages, and hand its job to the engine; the
            rendered text is dropped once on disk, so only one language's is held at a time."""
            for language in to_build:
                prepared = _prepare_language(
                    language, project, base_config, nonce, images, work, staging, cache, run.keys
                )
                report.pages += prepared.pages
                if prepared.state is not None:
                    states[language] = prepared.state
                    kept_warnings[language] = prepared.kept_warnings
                # Finishing the language (its packages, the service worker) happens in the
                # worker that built it, in parallel with the other languages.
                finish = functools.partial(
                    finish_language,
                    prepared.built_site,
                    staging / language,
                    language,
                    course_ids,
                    [package for package in packages if package.language == language],
                    downloads,
                    None if cache is None else cache.language_dir(language) / "downloads",
                    prepared.rebuilt_courses if prepared.dirty else None,
                )
                yield EngineJob(
                    language,
                    prepared.config,
                    prepared.work_dir,
                    prepared.built_site,
                    run.template_cache,
                    images.files,
                    prepared.dirty,
                    finish,
                    project_dir if run.trust_project_code else None,
                )
            # Unchanged languages come from the cache while the workers build the others: moved
            # over from the published site at the end if it holds the cache's very files,
            # linked from the cache otherwise.
            if cache is not None:
                for language in report.unchanged:
                    published = cache.published_as_kept(language, site_dir)
                    if published is not None:
                        carry_over.extend(published)
                    else:
                        cache.restore(language, staging / language, downloads)

        if to_build:
            progress(
                f"Building {len(to_build)} language{'s' if len(to_build) != 1 else ''}: {', '.join(to_build)}"
            )
        if report.unchanged:
            progress(f"Unchanged since the last build: {', '.join(report.unchanged)}")
        results = build_sites(prepared_jobs(), run.pool)
        for result in results:
            # A dirty build warns only of the pages it built; the others' warnings still hold.
            kept = kept_warnings.get(result.language, [])
            result.warnings = kept + [w for w in result.warnings if w not in kept]
        from_cache = [
            EngineResult(language, True, state.warnings)
            for language in report.unchanged
            if cache is not None and (state := cache.state(language)) is not None
        ]
        report.warnings = run.warnings + _merge_warnings(results + from_cache)
        failed = [result for result in results if not result.ok]
        if failed:
            # Most often a setting in mkdocs.yml: MkDocs names it, and it is reported there.
            named = (
                engine_problems(config_document, config_problems(base_config))
                if config_document is not None
                else []
            )
            report.errors += named or [
                ContentError(
                    project_dir / "mkdocs.yml",
                    Position(),
                    f"the '{result.language}' site failed to build: {result.error}",
                    "the previous site was left as it was; fix the problem above and build again",
                )
                for result in failed
            ]
        if report.errors:
            discard(staging)
            return report
        (staging / "index.html").write_text(
            render_language_chooser(built_languages), encoding="utf-8"
        )
        not_found = render_not_found_page(built_languages, base_config.get("site_url"))
        (staging / "404.html").write_text(not_found, encoding="utf-8")
        # GitHub Pages would otherwise run Jekyll over the site and drop folders starting with "_".
        (staging / ".nojekyll").write_text("", encoding="utf-8")
        if cache is not None:
            for result in results:
                language = result.language
                zips = [downloads / p.file_name for p in packages if p.language == language]
                state = replace(states[language], warnings=result.warnings)
                cache.keep(language, state, staging / language, zips)
        with run.publishing:
            replace_site(staging, site_dir, carry_over)
    except BaseException:
        discard(staging)
        raise
    return report


@dataclass
class _PreparedLanguage:
    config: dict[str, Any]
    #: How many pages were rendered.
    pages: int
    work_dir: Path
    built_site: Path
    dirty: bool = False
    #: With the cache: what the language is made from, kept once it has built.
    state: LanguageState | None = None
    #: With a dirty build: the previous build's warnings about pages not built again.
    kept_warnings: list[str] = field(default_factory=list)
    #: With a dirty build: the courses whose pages were rendered again.
    rebuilt_courses: list[str] = field(default_factory=list)


def _prepare_language(
    language: str,
    project: Project,
    base_config: dict[str, Any],
    nonce: str,
    images: PreparedImages,
    work: Path,
    staging: Path,
    cache: BuildCache | None,
    keys: Keys,
) -> _PreparedLanguage:
    """Render a language's pages and write them where its MkDocs build reads them. With the
    cache, if the navigation and configuration are as last time and nobody changed the cached
    files, only the courses made from changed files are rendered, over last time's pages, for a
    dirty build; otherwise, and without the cache, the whole language."""
    if cache is None:
        rendered = render_language(project, language, base_config, nonce, images.sizes)
        add_offline_features(rendered, project, nonce)
        write_pages(work / language, rendered.pages)
        return _PreparedLanguage(
            rendered.config, len(rendered.pages), work / language, staging / language
        )
    work_dir = cache.language_dir(language)
    built_site = work_dir / "site"
    rendered = render_language(project, language, base_config, nonce, images.sizes, courses=())
    add_offline_features(rendered, project, nonce)
    state = LanguageState(
        keys.languages[language], config_digest(rendered.config), keys.courses[language]
    )
    previous = cache.state(language)
    intact = previous is not None and cache.can_build_over(language)
    cache.forget(language)
    if previous is not None and previous.config == state.config and intact and built_site.is_dir():
        changed = [c for c, key in state.courses.items() if previous.courses.get(c) != key]
    else:
        previous = None
        changed = list(state.courses)
        for folder in ("docs", "site"):
            shutil.rmtree(work_dir / folder, ignore_errors=True)
    if changed:
        rendered = render_language(
            project, language, base_config, nonce, images.sizes, courses=changed
        )
        add_offline_features(rendered, project, nonce)
    # In a dirty build, the pages of unchanged courses stay as they are on disk.
    rewritten = write_pages(work_dir, rendered.pages, keep_others=previous is not None)
    kept = (
        [w for w in previous.warnings if not any(f"'{page}'" in w for page in rewritten)]
        if previous is not None
        else []
    )
    return _PreparedLanguage(
        rendered.config,
        len(rendered.pages),
        work_dir,
        built_site,
        previous is not None,
        state,
        kept,
        changed,
    )
