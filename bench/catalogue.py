"""A catalogue ten times the benchmark's large project: 300 courses x 8 modules x 6 languages
(about 16,000 pages). One full `sabaq build` from scratch, its time per page set against the
large project's, and the peak memory of every process (main and workers), as bench/measure.py
measures them. A benchmark, not a test: it takes minutes.

    .venv/bin/python bench/catalogue.py [--courses 300] [--reference-courses 30]

Prints a Markdown table for bench/results.md (its notes keep it).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from measure import BENCH, ROOT, Measurement, checked, load_average, run, sabaq_build

WORK = BENCH / "work" / "catalogue"


def generate(courses: int, out: Path) -> int:
    """The project (bench/generate.py, seed 1); returns its number of pages."""
    if out.exists():
        shutil.rmtree(out)
    done = subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "--courses", str(courses), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    # It reports "N courses x M modules x L languages: P pages in ..." on stderr.
    return int(done.stderr.split(": ")[1].split()[0])


def full_build(project: Path, site: Path) -> Measurement:
    shutil.rmtree(project / ".sabaq-cache", ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    return checked(run(sabaq_build(project, site)), f"sabaq build of {project}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--courses", type=int, default=300)
    parser.add_argument("--reference-courses", type=int, default=30)
    args = parser.parse_args()
    rows = []
    for courses in (args.reference_courses, args.courses):
        folder = WORK / f"c{courses}"
        pages = generate(courses, folder)
        load = load_average()
        measured = full_build(folder / "sabaq", folder / "site")
        rows.append((courses, pages, measured, load))
        print(f"{courses} courses: {pages} pages in {measured.seconds:.1f} s", file=sys.stderr)
        shutil.rmtree(folder)
    reference = rows[0][2].seconds / rows[0][1]
    print("| courses | pages | wall s | CPU s | ms per page | vs 30 courses | main process MB | "
          "largest worker MB | load before |")  # fmt: skip
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for courses, pages, measured, load in rows:
        per_page = measured.seconds / pages
        print(
            f"| {courses} | {pages} | {measured.seconds:.1f} | {measured.cpu_seconds:.1f} | "
            f"{1000 * per_page:.1f} | {per_page / reference:.2f}x | {measured.main_rss_mb:.0f} | "
            f"{measured.worker_rss_mb:.0f} | {load:.1f} |"
        )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    print(f"\nSabaq at {commit}: reproduce with `.venv/bin/python bench/catalogue.py`.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
