"""Where a rebuild after one edit spends its time, in a process that builds again and again.

The preview (`sabaq serve`) rebuilds in one long-running process; this does the same without the
server: it builds the project once, then edits one module's translation and rebuilds, N times,
timing each rebuild and the stages inside it (timers wrapped around the functions
`builder/build/pipeline.py`, the engine and the offline step call; nothing in `builder/` is changed on
disk). Stages nest (`build_sites` holds the MkDocs build and the packages), so their shares do
not add up to 100%.

    .venv/bin/python bench/rebuilds.py --project bench/work/small/sabaq --site-dir /tmp/s
    .venv/bin/python bench/rebuilds.py --project bench/work/small/sabaq --site-dir /tmp/s \\
        --profile /tmp/rebuilds.txt      # the same, under pyinstrument
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import time
from pathlib import Path

from stages import timed

#: (module, function name): what a rebuild calls, outermost first.
TIMED = (
    ("builder.build.pipeline", "project_keys"),
    ("builder.build.pipeline", "load_project"),
    ("builder.build.pipeline", "validate_project"),
    ("builder.build.pipeline", "prepare_images"),
    ("builder.build.pipeline", "render_language"),
    ("builder.build.pipeline", "build_sites"),
    ("builder.build.pipeline", "replace_site"),
    ("mkdocs.commands.build", "build"),  # shown as MkDocs: build
    ("mkdocs.config", "load_config"),  # shown as MkDocs: load_config
    ("builder.features.offline.web_app", "copy_built_site"),
    ("builder.features.offline.web_app", "write_packages"),
    ("builder.features.offline.web_app", "finish_language_site"),
    ("builder.engine.run", "merge_search_index"),
    ("builder.engine.run", "compact_search_index"),
)
#: Methods of the build cache, timed the same way.
CACHE_METHODS = ("is_finished", "published_as_kept", "restore", "keep")
MARKER = "Sabaq rebuild"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, required=True, help="a Sabaq project")
    parser.add_argument("--site-dir", type=Path, required=True)
    parser.add_argument("--lang", default="ru", help="the translation edited (default: ru)")
    parser.add_argument("--runs", type=int, default=30, help="rebuilds timed (default: 30)")
    parser.add_argument("--profile", type=Path, help="profile the rebuilds; call tree here")
    args = parser.parse_args(argv)

    import importlib

    from builder.build.cache import documents, store
    from builder.build.pipeline import build_project
    from builder.engine.run import import_engine

    wall: dict[str, float] = collections.defaultdict(float)
    cpu: dict[str, float] = collections.defaultdict(float)
    for module_name, name in TIMED:
        module = importlib.import_module(module_name)
        label = f"MkDocs: {name}" if module_name.startswith("mkdocs") else name
        setattr(module, name, timed(label, getattr(module, name), wall, cpu))
    for name in CACHE_METHODS:
        setattr(store.BuildCache, name, timed(name, getattr(store.BuildCache, name), wall, cpu))

    edited = sorted(args.project.glob(f"courses/*/*.{args.lang}.yml"))
    edited = [path for path in edited if not path.name.startswith("course.")][:1]
    if not edited:
        parser.error(f"no module translated into '{args.lang}' in {args.project}")
    path = edited[0]
    original = path.read_text(encoding="utf-8")
    if "body: |\n" not in original:
        parser.error(f"{path} has no 'body: |' to add a sentence to")
    recent = documents.RecentDocuments()

    def build() -> float:
        started = time.perf_counter()
        report = build_project(
            args.project, args.site_dir, progress=lambda _: None, recent_documents=recent
        )
        if not report.ok:
            sys.exit("\n".join(str(error) for error in report.errors))
        return time.perf_counter() - started

    profiler = None
    try:
        build()  # whatever the cache lacks, and MkDocs' imports: as the preview's first build
        import_engine()
        seconds = []
        for run in range(args.runs + 3):
            if run == 3:  # the first rebuilds fill the in-process memos, as a preview's do
                wall.clear()
                cpu.clear()
                if args.profile:
                    from pyinstrument import Profiler

                    profiler = Profiler(interval=0.0005)
                    profiler.start()
            text = original.replace("body: |\n", f"body: |\n    {MARKER} {run}.\n", 1)
            path.write_text(text, encoding="utf-8")
            seconds.append(build())
    finally:
        path.write_text(original, encoding="utf-8")
        if profiler is not None:
            profiler.stop()
            args.profile.write_text(profiler.output_text(color=False), encoding="utf-8")
    timed_runs = seconds[3:]
    print(
        f"{len(timed_runs)} rebuilds after editing {path.name}: median "
        f"{statistics.median(timed_runs) * 1000:.0f} ms "
        f"(range {min(timed_runs) * 1000:.0f}–{max(timed_runs) * 1000:.0f})"
    )
    print("| stage | ms per rebuild, wall | CPU |")
    print("| --- | ---: | ---: |")
    for name, total in sorted(wall.items(), key=lambda item: -item[1]):
        print(
            f"| `{name}` | {total / len(timed_runs) * 1000:.1f} | {cpu[name] / len(timed_runs) * 1000:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
