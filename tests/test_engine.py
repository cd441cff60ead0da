"""The engine boundary's own shortcuts into MkDocs (builder/engine/run.py)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import material

from builder.engine.run import THEME_DIR, ListingWithoutDotFolders

THEME_DIRS = [str(THEME_DIR), str(Path(material.__file__).parent / "templates")]


def test_the_quick_theme_listing_is_what_mkdocs_keeps_of_the_full_one():
    full = jinja2.FileSystemLoader(THEME_DIRS).list_templates()
    quick = ListingWithoutDotFolders(THEME_DIRS).list_templates()

    # MkDocs drops every path with a part starting with a dot (`.*`, `*/.*` in
    # Files.add_files_from_theme); everything else must be listed, in the same order.
    assert quick == [name for name in full if not any(p.startswith(".") for p in name.split("/"))]
    assert any(name.startswith("assets/stylesheets/") for name in quick)
    # The point of it: mkdocs-material's icons (.icons/) are most of the theme's files.
    assert len(full) > 10 * len(quick)


def test_templates_in_dot_folders_still_load():
    env = jinja2.Environment(loader=ListingWithoutDotFolders(THEME_DIRS))
    assert "<svg" in env.get_template(".icons/material/book-open-page-variant.svg").render()


def test_no_worker_processes_are_forked_while_other_threads_run(tmp_path: Path) -> None:
    """Forking copies only the calling thread, and a lock another thread holds stays locked in
    the worker for ever: the preview (a web server and a file watcher running) builds in its own
    process. A process without other threads (a new one: the test run has servers running) gets
    its workers."""
    import subprocess
    import sys
    import threading

    from builder.engine.pool import engine_pool

    alone = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from builder.engine.pool import engine_pool\n"
            "with engine_pool(2, Path(sys.argv[1])) as pool: print(pool is not None)",
            str(tmp_path / "templates"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert alone.stdout == "True\n"
    other = threading.Event()
    thread = threading.Thread(target=other.wait)
    thread.start()
    try:
        with engine_pool(2, tmp_path / "templates") as pool:
            assert pool is None
    finally:
        other.set()
        thread.join()
