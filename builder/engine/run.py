"""The engine boundary: the only module that calls MkDocs.

mkdocs-material reaches end of life on 5 May 2027, with Zensical (which reads mkdocs.yml) as its
successor. Everything Sabaq asks of the engine goes through `build_sites`, so swapping the engine is
a change to this file and the theme overrides, not to the pipeline.

One language is one MkDocs build (mkdocs-material's advice for multilingual sites); they run in
parallel worker processes.
"""

from __future__ import annotations

import copy
import gc
import io
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import markupsafe
import yaml

from builder.engine.material_patches import material_bundle, patched_theme_files
from builder.engine.search_index import (
    COURSE_INDEXES,
    CourseIndexes,
    compact_search_index,
    merge_search_index,
    read_search_index,
)
from builder.engine.site_files import copy_assets
from builder.files import is_disk_error, write_if_changed
from builder.render.site_settings import harmless_settings

if TYPE_CHECKING:
    # Imported when a pool starts (multiprocessing, 10 ms): a rebuild of one language has none.
    pass

log = logging.getLogger(__name__)
THEME_DIR = Path(__file__).parent / "theme"
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class EngineJob:
    language: str
    config: dict[str, Any]
    #: The folder of this build's sources: `docs/` (the Markdown pages, written by `PageWriter`)
    #: and the MkDocs configuration.
    work_dir: Path
    #: Where the built site goes.
    site_dir: Path
    #: Compiled templates, shared by the jobs of a build (and later builds, with the cache).
    template_cache: Path
    #: Files copied into the docs folder as they are (relative path -> source), e.g. pictures.
    files: dict[str, Path] = field(default_factory=dict)
    #: Build only the pages whose Markdown is newer than their built page, over the site MkDocs
    #: built last time (builder/build/cache.py). Only when the navigation and configuration are the same.
    dirty: bool = False
    #: What to do with the built site afterwards, in the same worker process (it must pickle: a
    #: module-level function or a functools.partial of one), e.g. cutting the offline packages.
    then: Callable[[], None] | None = None
    #: The project folder, from which the build may import the project's own Markdown extensions:
    #: only with `sabaq build --trust-project-code`.
    code_dir: Path | None = None


@dataclass
class EngineResult:
    language: str
    ok: bool
    warnings: list[str] = field(default_factory=list)
    error: str = ""


def import_engine() -> None:
    """Import MkDocs, the theme's search plugin and the Markdown extensions a build loads: paid
    once per process, e.g. by the preview while it waits for the first edit (a fifth of a
    second) rather than in the rebuild after it."""
    import mkdocs.commands.build  # noqa: F401
    import mkdocs.config  # noqa: F401
    import pymdownx.details  # noqa: F401
    import pymdownx.slugs  # noqa: F401
    import pymdownx.superfences  # noqa: F401
    import pymdownx.tabbed  # noqa: F401

    from builder.engine import search_parser  # noqa: F401 - and with it Material's search plugin


#: Settings Sabaq gives every language build itself, whatever mkdocs.yml says
#: (builder/render/pages.py, `build_one`): MkDocs is not asked about the project's values for them.
SET_BY_SABAQ = frozenset(
    {"nav", "plugins", "extra_css", "extra_javascript", "docs_dir", "site_dir"}
)


def config_problems(base_config: dict[str, Any]) -> list[tuple[str, str]]:
    """What MkDocs says is wrong with the settings of a project's mkdocs.yml, as (setting,
    message): it checks them as each language's build would, without building. Only the settings
    that cannot run the project's code are checked: to check a setting, MkDocs imports the
    Markdown extensions and runs the hooks and plugins it names."""
    from mkdocs.config.defaults import MkDocsConfig

    options = {
        key: value
        for key, value in harmless_settings(base_config).items()
        if key not in SET_BY_SABAQ
    }
    if isinstance(options.get("theme"), dict):
        options["theme"] = {**options["theme"], "name": "material"}
    if isinstance(options.get("copyright"), dict):
        # One text per language: Sabaq picks the language's before MkDocs sees it.
        options.pop("copyright")
    with tempfile.TemporaryDirectory(prefix="sabaq-check-") as folder:
        docs_dir = Path(folder) / "docs"
        docs_dir.mkdir()
        config = MkDocsConfig(config_file_path=str(Path(folder) / "mkdocs.yml"))
        config.load_dict(
            {
                "site_name": "Sabaq",
                **options,
                "docs_dir": str(docs_dir),
                "site_dir": str(Path(folder) / "site"),
            }
        )
        try:
            failed, _ = config.validate()
        except Exception as error:  # noqa: BLE001 - a setting MkDocs trips over is reported, not raised
            return [("", f"{type(error).__name__}: {error}")]
    return [(setting, " ".join(str(error).split())) for setting, error in failed]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_one(job: EngineJob) -> EngineResult:
    """One MkDocs build. Errors come back as data: a worker process must not raise."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from mkdocs.utils import clean_directory

    from builder.engine import search_parser
    from builder.engine.runs import page_runs, rendering_only
    from builder.engine.search_index import (
        INDEX_SCRIPT,
        append_search_index,
        set_aside_search_index,
    )
    from builder.settings import SETTINGS

    docs_dir = job.work_dir / "docs"
    copy_assets(docs_dir / "assets" / "sabaq")
    # A file in docs/ takes the place of the theme's file of the same name.
    for relative, data in patched_theme_files().items():
        write_if_changed(docs_dir / relative, data)
    for relative, source in job.files.items():
        write_if_changed(docs_dir / relative, source.read_bytes())

    config = dict(job.config)
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(job.site_dir)
    config["theme"] = {**config["theme"], "custom_dir": str(THEME_DIR)}
    config["extra"] = {
        **(config.get("extra") or {}),
        "sabaq_material_bundle": material_bundle(),
        "sabaq_course_indexes": COURSE_INDEXES.as_posix(),
    }
    job.template_cache.mkdir(parents=True, exist_ok=True)
    # The configuration the build ran with, for whoever looks into the work folder (libyaml's
    # emitter when PyYAML has it: the pure-Python one took 5% of a rebuild).
    config_file = job.work_dir / "mkdocs.yml"
    config_file.write_text(
        yaml.dump(config, Dumper=_YAML_DUMPER, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    # MkDocs is given the options as keyword arguments rather than that file, which it would
    # read with PyYAML's pure-Python loader. It drops keyword arguments that are None, so those
    # (and only those) go through a small YAML text. A deep copy: MkDocs empties the option
    # dicts it reads (`popitem`), and in-process builds (one worker) would otherwise share them
    # with the next job, e.g. through render.MARKDOWN_EXTENSIONS. The Markdown options carry
    # Python objects (the slug function), which no YAML file could.
    options = _texts_as_html(copy.deepcopy(config))
    options["markdown_extensions"] = _with_unicode_slugs(options["markdown_extensions"])
    unset = yaml.safe_dump({key: None for key, value in options.items() if value is None})
    # A large language in several runs (builder/engine/runs.py); not a dirty build, which renders
    # only the changed pages anyway, nor one with the project's own plugins, which may expect
    # every page in one build.
    runs: list[frozenset[str] | None] = [None]
    if not job.dirty and job.code_dir is None:
        runs = list(page_runs(docs_dir, SETTINGS.pages_per_engine_run)) or [None]
        if len(runs) == 1:
            runs = [None]

    previous_index = read_search_index(job.site_dir) if job.dirty else None
    collector = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collector)
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(_not_the_dirty_warning)
    search_path = list(sys.path)
    if job.code_dir is not None:
        sys.path.insert(0, str(job.code_dir))
    # Each course's search index, cut from the language's (after each run, when there are several).
    search = config["extra"].get("sabaq_search")
    course_indexes: CourseIndexes | None = None
    try:
        if len(runs) > 1:
            clean_directory(str(job.site_dir))
            if search:
                course_indexes = CourseIndexes(
                    job.site_dir, search["courses"], search["with_every_course"]
                )
        for number, pages in enumerate(runs):
            # Each run of several adds its pages' entries to the index of the runs before it.
            index_before = set_aside_search_index(job.site_dir) if number else None
            run_options = copy.deepcopy(options) if len(runs) > 1 else options
            mkdocs_config = load_config(
                io.StringIO(unset),
                config_file_path=str(config_file),
                **{key: value for key, value in run_options.items() if value is not None},
            )
            _prepare_theme(mkdocs_config.theme, job.template_cache)
            with search_parser.installed(), rendering_only(pages):
                build(mkdocs_config, dirty=job.dirty or pages is not None)
            del mkdocs_config
            run_index = None
            if index_before is not None:
                run_index = append_search_index(job.site_dir, index_before)
            elif len(runs) > 1:
                compact_search_index(job.site_dir)
                run_index = read_search_index(job.site_dir)
            if course_indexes is not None:
                course_indexes.add(run_index)
            if len(runs) > 1:
                # A run's pages and navigation hold one another: with the collector tuned for
                # speed (cli/main.py), they would outlive the next runs and languages.
                gc.collect()
        if len(runs) > 1:  # what MkDocs says of the whole site, each run said again
            collector.messages = list(dict.fromkeys(collector.messages))
    except MkDocsException as error:
        return EngineResult(job.language, False, collector.messages, str(error))
    except Exception as error:  # noqa: BLE001 - a worker reports, never raises (e.g. a TypeError from a bad theme option)
        if is_disk_error(error):  # not a failed build: the command line says what to do
            raise
        return EngineResult(
            job.language, False, collector.messages, f"{type(error).__name__}: {error}"
        )
    finally:
        sys.path[:] = search_path
        mkdocs_log.removeHandler(collector)
        build_log.removeFilter(_not_the_dirty_warning)
    if previous_index is not None:
        merge_search_index(job.site_dir, previous_index)
    if len(runs) == 1 or (job.site_dir / INDEX_SCRIPT).exists():
        compact_search_index(job.site_dir)  # several runs wrote it compact already
    if search:
        if course_indexes is None:
            course_indexes = CourseIndexes(
                job.site_dir, search["courses"], search["with_every_course"]
            )
            course_indexes.add(read_search_index(job.site_dir))
        course_indexes.finish()
    if job.then is not None:
        try:
            job.then()
        except Exception as error:  # noqa: BLE001 - a worker reports, never raises
            if is_disk_error(error):  # not a failed build: the command line says what to do
                raise
            return EngineResult(
                job.language, False, collector.messages, f"{type(error).__name__}: {error}"
            )
    return EngineResult(job.language, True, collector.messages)


#: Settings mkdocs-material prints into every page as they are (MkDocs' templates do not escape):
#: plain text in mkdocs.yml (builder/render/site_settings.py), escaped here once. As `Markup`, they stay
#: as they are where a template escapes them itself (`| e`), instead of being escaped twice.
_TEXTS_PRINTED_AS_HTML = ("site_name", "site_description", "site_author", "copyright", "repo_name")


def _texts_as_html(options: dict[str, Any]) -> dict[str, Any]:
    for key in _TEXTS_PRINTED_AS_HTML:
        if isinstance(options.get(key), str):
            options[key] = markupsafe.escape(options[key])
    return options


def _prepare_theme(theme: Any, template_cache: Path) -> None:
    """Make every Jinja environment the theme gives out (MkDocs' own, and the ones
    mkdocs-material's search plugin makes to read its translations) load compiled templates from
    `template_cache`, and list templates quickly (`ListingWithoutDotFolders`).

    Every language is its own MkDocs build, and each would compile mkdocs-material's templates
    again: compiling them is a sixth of a full build, and the search plugin's two translation
    lookups alone a tenth of a one-page rebuild. A bytecode cache shared by the builds (and by later
    builds, with the build cache) compiles each template once.

    MkDocs lists every file of the theme to find the static files it copies, then drops each
    path with a part starting with a dot (its patterns `.*` and `*/.*`). mkdocs-material's
    `.icons` folder holds 14,348 of its 14,509 files, so the listing took 50 ms per build (one
    build per language, and the warm-up) to find 43 files. Templates still load from `.icons`:
    only the listing skips it, and what MkDocs keeps of the listing is the same
    (tests/test_engine.py).

    The navigation's entries are rendered once per build where they look the same
    (`sabaq_nav_item`, builder/engine/navigation.py)."""
    from builder.engine.navigation import nav_item_renderer, nav_items_chooser

    make_env = theme.get_env
    bytecode_cache = jinja2.FileSystemBytecodeCache(str(template_cache))

    def get_env() -> Any:
        env = make_env()
        env.loader = ListingWithoutDotFolders(theme.dirs)
        env.bytecode_cache = bytecode_cache
        env.globals["sabaq_nav_item"] = nav_item_renderer()
        env.globals["sabaq_nav_items"] = nav_items_chooser()
        return env

    theme.get_env = get_env


class ListingWithoutDotFolders(jinja2.FileSystemLoader):
    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for search_path in self.searchpath:
            for folder, subfolders, names in os.walk(search_path, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                relative = Path(folder).relative_to(search_path).as_posix()
                prefix = "" if relative == "." else f"{relative}/"
                found.update(prefix + name for name in names if not name.startswith("."))
        return sorted(found)


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns of every dirty build that its navigation may be wrong; Sabaq builds dirty
    only when the navigation and configuration are the same as last time (builder/build/pipeline.py)."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _with_unicode_slugs(extensions: list[Any]) -> list[Any]:
    """Heading anchors keep Cyrillic and Uzbek letters (`#манба`), instead of MkDocs' default
    that drops every non-ASCII letter and numbers the headings `_1`, `_2`."""
    from pymdownx.slugs import slugify

    result: list[Any] = []
    for extension in extensions:
        if extension == "toc" or (isinstance(extension, dict) and "toc" in extension):
            options = dict(extension["toc"]) if isinstance(extension, dict) else {}
            options["slugify"] = slugify(case="lower")
            result.append({"toc": options})
        else:
            result.append(extension)
    return result
