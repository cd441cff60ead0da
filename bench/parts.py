"""A site built in parts against one build: `sabaq build --lang L --part` for each language (run
one after another here; on GitHub Actions each is a job of its own, at the same time), then
`sabaq assemble`, set against one `sabaq build` of every language, from scratch. Checks that the
two sites are the same byte for byte, and prints the times as a Markdown table.

    .venv/bin/python bench/parts.py [--size small]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from measure import BENCH, PYTHON, Measurement, checked, run, sabaq_build

LANGUAGES = ("en", "ru", "uz", "kk", "ky", "tg")
WORK = BENCH / "work" / "parts"


def _files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=["small", "large"])
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "--size", args.size, "--out", str(WORK)],
        check=True,
        capture_output=True,
    )
    project = WORK / "sabaq"
    whole = checked(run([*sabaq_build(project, WORK / "whole"), "--no-cache"]), "the whole build")
    parts: list[Measurement] = []
    for language in LANGUAGES:
        command = [*sabaq_build(project, WORK / f"part-{language}"), "--no-cache"]
        command += ["--lang", language, "--part"]
        parts.append(checked(run(command), f"the {language} part"))
    assemble = [str(PYTHON), "-m", "builder", "assemble", "--project", str(project)]
    assemble += [str(WORK / f"part-{language}") for language in LANGUAGES]
    assembled = checked(run([*assemble, "--site-dir", str(WORK / "site")]), "assemble")
    one, other = _files(WORK / "whole"), _files(WORK / "site")
    same = one.keys() == other.keys() and all(one[name] == other[name] for name in one)
    slowest = max(parts, key=lambda m: m.seconds)
    print("| build | wall s | largest process MB |")
    print("| --- | ---: | ---: |")
    print(
        f"| one `sabaq build`, six languages | {whole.seconds:.1f} | {whole.largest_rss_mb:.0f} |"
    )
    print(
        f"| six parts one after another (`--lang L --part`) | "
        f"{sum(p.seconds for p in parts):.1f} | {max(p.largest_rss_mb for p in parts):.0f} |"
    )
    print(
        f"| the slowest part alone (a matrix job) | {slowest.seconds:.1f} | {slowest.largest_rss_mb:.0f} |"
    )
    print(f"| `sabaq assemble` | {assembled.seconds:.1f} | {assembled.largest_rss_mb:.0f} |")
    print(
        f"\nThe assembled site and the single build's: {len(one)} files, "
        f"{'the same byte for byte' if same else 'DIFFERENT'}."
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
