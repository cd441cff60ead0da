"""Where a `sabaq build` spends its time: the pipeline's stages, each engine job, and a profile.

Runs one build in this process through `builder.build.pipeline.build_project`, with timers wrapped around
the stage functions `builder/build/pipeline.py` calls and around `builder.engine.run.build_one` (which also runs
in the worker processes: they are forked after the wrapper is in place, so they time themselves
and write one JSON line per job). Nothing in `builder/` is changed on disk.

With `--profile FILE`, the whole build runs under pyinstrument; FILE gets the text call tree and
the JSON output gets time per library and per key function. Profile one language with `--jobs 1`
so that every engine job runs in this process, where the profiler sees it.

    .venv/bin/python bench/stages.py --project bench/work/small/sabaq --site-dir /tmp/s
    .venv/bin/python bench/stages.py --project bench/work/small/sabaq --site-dir /tmp/s \
        --lang en --jobs 1 --profile bench/work/profile-small-en.txt
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

#: The functions `builder/build/pipeline.py` calls, in pipeline order, as names in its namespace.
STAGES = (
    "load_project",
    "validate_project",
    "read_base_config",
    "prepare_images",
    "render_language",
    "add_offline_features",
    "plan_packages",
    "build_sites",
    "write_root_pages",
    "replace_site",
)

#: Key functions for the profile: (label, file path fragment, function name); the time of the
#: outermost call on each stack, so recursion is not counted twice.
KEY_FUNCTIONS = (
    (
        "load: YAML with positions (builder/content/load.py)",
        "builder/content/load.py",
        "load_project",
    ),
    (
        "validate: model + translations (builder/content/validate.py)",
        "builder/content/validate.py",
        "validate_project",
    ),
    (
        "render Markdown per language (builder/render/pages.py)",
        "builder/render/pages.py",
        "render_language",
    ),
    ("quiz HTML (builder/features/quiz/quiz.py)", "builder/features/quiz/quiz.py", "render_quiz"),
    ("MkDocs: one whole build (mkdocs.commands.build.build)", "mkdocs/commands/build.py", "build"),
    ("MkDocs: load_config", "mkdocs/config/base.py", "load_config"),
    ("MkDocs: plugin/theme start-up (on_config, on_startup)", "mkdocs/plugins.py", "on_config"),
    (
        "MkDocs: read + Markdown to HTML (_populate_page)",
        "mkdocs/commands/build.py",
        "_populate_page",
    ),
    ("MkDocs: templates to HTML (_build_page)", "mkdocs/commands/build.py", "_build_page"),
    ("MkDocs: copy static files (theme assets)", "mkdocs/structure/files.py", "copy_static_files"),
    (
        "MkDocs: list and filter the theme's files (add_files_from_theme)",
        "mkdocs/structure/files.py",
        "add_files_from_theme",
    ),
    ("MkDocs: gather files (get_files)", "mkdocs/structure/files.py", "get_files"),
    ("MkDocs: search index (search on_post_build)", "search/plugin.py", "on_post_build"),
    ("MkDocs: offline plugin (packages)", "offline/plugin.py", "on_post_build"),
    ("Python-Markdown: convert", "markdown/core.py", "convert"),
    (
        "Python-Markdown: new Markdown() instances (Markdown.__init__)",
        "markdown/core.py",
        "__init__",
    ),
    (
        "builder: quiz texts, one markdown.markdown() call each (render_fragment)",
        "builder/render/markdown_ext.py",
        "render_fragment",
    ),
    ("Jinja2: load and compile templates (get_template)", "jinja2/environment.py", "get_template"),
    ("Jinja2: template render", "jinja2/environment.py", "render"),
    (
        "engine: write pages + assets (builder/engine/site_files.py)",
        "builder/engine/site_files.py",
        "copy_assets",
    ),
    (
        "search index compaction (builder/engine/search_index.py)",
        "builder/engine/search_index.py",
        "compact_search_index",
    ),
    (
        "offline: zip packages, service worker (builder/features/offline/web_app.py)",
        "builder/features/offline/web_app.py",
        "finish_language",
    ),
    (
        "packages: zip (builder/features/offline/packaging.py)",
        "builder/features/offline/packaging.py",
        "write_package",
    ),
    ("mkdocs-quiz: quizzes to HTML (on_page_content)", "mkdocs_quiz/plugin.py", "on_page_content"),
    (
        "mkdocs-static-i18n: per-language file lists (on_files)",
        "mkdocs_static_i18n/plugin.py",
        "on_files",
    ),
)


def resident_mb() -> float:
    """This process's resident set now (VmRSS), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


#: The main process's resident set after the last call of each stage.
RSS_AFTER: dict[str, float] = {}


def timed(
    name: str, function: Callable[..., Any], wall: dict[str, float], cpu: dict[str, float]
) -> Callable[..., Any]:
    """`function`, adding its wall time and this process's CPU time to the totals under `name`.
    CPU time does not stretch when other programs load the machine, so it is the steadier number."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            wall[name] += time.perf_counter() - started
            cpu[name] += time.process_time() - started_cpu
            RSS_AFTER[name] = resident_mb()

    return wrapper


def install_job_timer(engine: Any, log_path: Path) -> None:
    """Replace `builder.engine.run.build_one` by a wrapper that logs each job's time and the peak
    memory of the process running it. The wrapper keeps the original's name, so the process pool
    pickles it by reference and the forked workers find the wrapper under that name."""
    original = engine.build_one

    @functools.wraps(original)
    def build_one(job: Any) -> Any:
        started, started_cpu, started_at = time.perf_counter(), time.process_time(), time.time()
        result = original(job)
        record = {
            "job": job.language,
            "started_at": started_at,
            "pages": sum(1 for _ in (job.work_dir / "docs").rglob("*.md")),
            "seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - started_cpu,
            "pid": os.getpid(),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
        with log_path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")
        return result

    engine.build_one = build_one


# --- What if: a part of the work left out, in memory ---------------------------------------------


def _no_packages(build: Any, engine: Any) -> None:
    """No offline packages: what the web sites alone cost (as `sabaq serve` builds)."""
    build.plan_packages = lambda *args, **kwargs: []


def _no_search_index(build: Any, engine: Any) -> None:
    """Pages not indexed for search (the index stays empty): what indexing still costs, now that
    Sabaq cuts the sections itself (builder/engine/search_parser.py)."""
    from material.plugins.search import plugin

    plugin.SearchPlugin.on_page_context = lambda self, context, **kwargs: None  # type: ignore[method-assign]


WHAT_IF: dict[str, Callable[[Any, Any], None]] = {
    "no-search-index": _no_search_index,
    "no-packages": _no_packages,
}


def yaml_parsers(project: Path) -> dict[str, float]:
    """CPU seconds to read every YAML file of the project: Sabaq's loader, PyYAML's pure-Python
    composer (which Sabaq's loader extends), and libyaml's C composer (whose nodes carry the same
    line and column marks), alone and after a pass over its events."""
    import yaml

    from builder.content.document import parse_document

    files = sorted(project.rglob("*.yml"))
    data = [(path, path.read_bytes()) for path in files]
    timings = {}
    for label, read in (
        ("sabaq_loader", lambda path, raw: parse_document(path, raw)),
        ("pyyaml_python_compose", lambda path, raw: yaml.compose(raw, Loader=yaml.SafeLoader)),
        ("libyaml_c_compose", lambda path, raw: yaml.compose(raw, Loader=yaml.CSafeLoader)),
        (
            "libyaml_events_then_compose",
            lambda path, raw: (
                list(yaml.parse(raw, Loader=yaml.CSafeLoader)),
                yaml.compose(raw, Loader=yaml.CSafeLoader),
            ),
        ),
    ):
        started = time.process_time()
        for path, raw in data:
            read(path, raw)
        timings[label] = time.process_time() - started
    timings["files"] = len(files)
    return timings


def _walk(frame: Any) -> Iterator[Any]:
    yield frame
    for child in frame.children:
        yield from _walk(child)


def _self_time(frame: Any) -> float:
    return max(0.0, frame.time - sum(child.time for child in frame.children))


def _is_builtin(frame: Any) -> bool:
    return not frame.file_path or frame.file_path.startswith("<")


def library_of(path: str | None) -> str:
    """'mkdocs', 'material', 'builder', 'stdlib: zipfile', ... for a frame's file."""
    if not path:
        return "(native / unknown)"
    path = path.replace("\\", "/")
    if "/site-packages/" in path:
        return path.split("/site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if "/builder/" in path:
        return "builder (Sabaq)"
    if "/bench/" in path:
        return "bench harness"
    name = path.rsplit("/lib/python3", 1)[-1].split("/", 1)[-1] if "/lib/python3" in path else path
    return "stdlib: " + name.split("/", 1)[0].removesuffix(".py")


def summarise_profile(session: Any) -> dict[str, Any]:
    """Time per library and per function (own time), and inclusive time of KEY_FUNCTIONS."""
    root = session.root_frame()
    total, cpu_seconds = root.time, session.cpu_time
    by_library: dict[str, float] = defaultdict(float)
    by_function: dict[str, float] = defaultdict(float)
    for frame in _walk(root):
        own = _self_time(frame)
        if own <= 0:
            continue
        # pyinstrument puts a function's own time in a synthetic "[self]" child: charge the parent.
        owner = frame.parent if frame.is_synthetic and frame.parent is not None else frame
        # Time in a built-in (str.join, zlib, file writes) belongs to the library that called it.
        caller = owner
        while caller.parent is not None and _is_builtin(caller):
            caller = caller.parent
        by_library[library_of(caller.file_path)] += own
        name = f"{owner.function} ({owner.file_path_short}:{owner.line_no})"
        if caller is not owner:
            name = f"{owner.function}, called from {caller.function} ({caller.file_path_short}:{caller.line_no})"
        by_function[name] += own

    def inclusive(frame: Any, path_part: str, function: str) -> float:
        if frame.function == function and path_part in (frame.file_path or "").replace("\\", "/"):
            return float(frame.time)
        return sum(inclusive(child, path_part, function) for child in frame.children)

    return {
        "total_seconds": total,
        "cpu_seconds": cpu_seconds,
        "by_library": sorted(by_library.items(), key=lambda item: -item[1]),
        "top_self": sorted(by_function.items(), key=lambda item: -item[1])[:25],
        "key_functions": [
            (label, inclusive(root, part, name)) for label, part, name in KEY_FUNCTIONS
        ],
    }


def profile_mkdocs(
    config_file: Path, site_dir: Path, profile: Path | None, json_path: Path | None
) -> int:
    """Profile one plain `mkdocs build`, as `mkdocs build --quiet` runs it."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from pyinstrument import Profiler

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    profiler = Profiler(interval=0.001)
    profiler.start()
    started = time.perf_counter()
    build(load_config(config_file=str(config_file), site_dir=str(site_dir.resolve())))
    wall = time.perf_counter() - started
    profiler.stop()
    if profile is not None:
        profile.parent.mkdir(parents=True, exist_ok=True)
        profile.write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
    result = {"wall_seconds": wall, "profile": summarise_profile(profiler.last_session)}
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if json_path:
        json_path.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--project", type=Path, help="a Sabaq project: time (or profile) `sabaq build`"
    )
    target.add_argument(
        "--mkdocs-config",
        type=Path,
        help="instead, profile a plain `mkdocs build` of this mkdocs.yml",
    )
    parser.add_argument("--site-dir", required=True, type=Path)
    parser.add_argument("--lang", action="append", help="only this language (repeatable)")
    parser.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
    parser.add_argument(
        "--profile", type=Path, help="profile with pyinstrument; the call tree goes here"
    )
    parser.add_argument(
        "--json", type=Path, help="write the timings here (default: standard output)"
    )
    parser.add_argument(
        "--what-if",
        action="append",
        default=[],
        choices=sorted(WHAT_IF),
        help="leave a part of the work out, in memory (repeatable)",
    )
    parser.add_argument(
        "--keep-cache",
        action="store_true",
        help="keep the project's build cache: time a rebuild instead of a build from scratch",
    )
    parser.add_argument(
        "--yaml-parsers", action="store_true", help="also time reading the YAML three ways"
    )
    args = parser.parse_args(argv)

    if args.mkdocs_config:
        return profile_mkdocs(args.mkdocs_config, args.site_dir, args.profile, args.json)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from builder.build import pipeline as build
    from builder.build.folders import CACHE_DIR_NAME
    from builder.engine import run as engine

    totals: dict[str, float] = defaultdict(float)
    cpu_totals: dict[str, float] = defaultdict(float)
    for name in STAGES:
        setattr(build, name, timed(name, getattr(build, name), totals, cpu_totals))
    for name in args.what_if:
        WHAT_IF[name](build, engine)
    job_log = Path(tempfile.mkstemp(prefix="sabaq-bench-jobs-", suffix=".jsonl")[1])
    install_job_timer(engine, job_log)

    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
    if not args.keep_cache:
        # A full build from scratch, as `bench/measure.py` times it: without the build cache.
        shutil.rmtree(args.project / CACHE_DIR_NAME, ignore_errors=True)
    started = time.perf_counter()
    result_started_at = time.time()
    report = build.build_project(
        args.project.resolve(),
        args.site_dir.resolve(),
        languages=args.lang,
        workers=args.jobs,
        progress=lambda _: None,
    )
    wall = time.perf_counter() - started
    result: dict[str, Any] = {
        "ok": report.ok,
        "errors": [str(error) for error in report.errors],
        "pages": report.pages,
        "wall_seconds": wall,
        "started_at": result_started_at,
        "main_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "stages": {name: totals[name] for name in STAGES if name in totals},
        "stages_cpu": {name: cpu_totals[name] for name in STAGES if name in cpu_totals},
        "rss_after_mb": RSS_AFTER,
        "jobs": [json.loads(line) for line in job_log.read_text(encoding="utf-8").splitlines()],
    }
    job_log.unlink()
    result["what_if"] = args.what_if
    if args.yaml_parsers:
        result["yaml_parsers"] = yaml_parsers(args.project)
    if profiler is not None:
        profiler.stop()
        session = profiler.last_session
        args.profile.parent.mkdir(parents=True, exist_ok=True)
        args.profile.write_text(
            profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8"
        )
        result["profile"] = summarise_profile(session)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
