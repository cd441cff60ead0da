"""The build benchmark: Sabaq against the do-it-yourself MkDocs stack, on synthetic projects.

Run it through `bench/run` (see bench/README.md). For each size it generates the project
(`bench/generate.py`), checks it with `sabaq check`, then measures, interleaving the two stacks so
that a change in the machine's load hits both alike:

- full builds: `sabaq build` from scratch (no site, no `.sabaq-cache/`) and `mkdocs build`
  (static-i18n + mkdocs-quiz), N times each;
- the incremental case: edit one module in one language, run `sabaq build` again (same site
  folder, with the cache); and, for comparison, `sabaq build --lang ru --no-cache` alone into a
  scratch folder;
- where the time goes: `bench/stages.py` on a full build (stage and job timings) and a
  pyinstrument profile of one language.

Memory: every command runs as a child of this process and is reaped with `os.wait4`, whose
`ru_maxrss` for a child is the largest peak resident set of any single process in its tree (the
kernel keeps the maximum, not the sum, over the reaped descendants): the same number
`/usr/bin/time -v` reports. While it runs, /proc/<pid>/status `VmHWM` of every process in the tree
is sampled to tell the main process from the workers.

Results go to bench/results.md (anything below its `<!-- notes -->` line is kept) and the raw
numbers to bench/work/results.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
NOTES_MARKER = "<!-- notes -->"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402 - the sibling module, found through the path set just above

sys.path.insert(0, str(ROOT))
from builder.build.folders import CACHE_DIR_NAME  # noqa: E402 - Sabaq itself, from this checkout
from builder.engine.pool import WARM_UP  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "0"}
#: The language and module the incremental case edits: a translation, as a translator would.
EDIT_LANGUAGE = "ru"
EDIT_MODULE = 3


# --- Running one command -------------------------------------------------------------------------


@dataclass
class Measurement:
    """One command's run."""

    seconds: float
    #: User + system CPU of the whole process tree.
    cpu_seconds: float
    #: The largest peak resident set of any single process in the tree (wait4's ru_maxrss).
    largest_rss_mb: float
    #: Sampled VmHWM of the command's own process and of the largest other process (workers).
    main_rss_mb: float
    worker_rss_mb: float
    processes: int
    returncode: int
    load_before: float
    output: str = field(repr=False, default="")


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return found


def _peak_rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def run(
    command: list[str],
    cwd: Path = ROOT,
    poll_seconds: float = 0.05,
    env: dict[str, str] | None = None,
) -> Measurement:
    """Run `command`, timing it and sampling the memory of every process in its tree."""
    load_before = load_average()
    log_path = BENCH / "work" / "last-command.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w+b") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env or ENV, stdout=log, stderr=subprocess.STDOUT
        )
        peaks: dict[int, int] = {}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                tree, index = [process.pid], 0
                while index < len(tree):
                    tree += _children(tree[index])
                    index += 1
                for pid in tree:
                    peaks[pid] = max(peaks.get(pid, 0), _peak_rss_kb(pid))
                done.wait(poll_seconds)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    workers = [kb for pid, kb in peaks.items() if pid != process.pid]
    return Measurement(
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        largest_rss_mb=usage.ru_maxrss / 1024,
        main_rss_mb=peaks.get(process.pid, 0) / 1024,
        worker_rss_mb=max(workers, default=0) / 1024,
        processes=len(peaks),
        returncode=process.returncode,
        load_before=load_before,
        output=output,
    )


def checked(measurement: Measurement, what: str) -> Measurement:
    if measurement.returncode != 0:
        sys.exit(
            f"bench: {what} failed (exit {measurement.returncode}):\n{measurement.output[-3000:]}"
        )
    return measurement


# --- The commands --------------------------------------------------------------------------------


def sabaq_build(project: Path, site: Path, *extra: str) -> list[str]:
    return [
        str(PYTHON),
        "-m",
        "builder",
        "build",
        "--project",
        str(project),
        "--site-dir",
        str(site),
        *extra,
    ]


def sabaq_serve(project: Path) -> list[str]:
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return [str(PYTHON), "-m", "builder", "serve", "--project", str(project), "--port", str(port)]


_REBUILT = re.compile(r"Rebuilt \d+ pages in ([\d.]+) s")


def preview_rebuilds(
    command: list[str], edited: Path, first_round: int, rounds: int
) -> list[tuple[float, float]]:
    """Start `sabaq serve` (its first build takes every language from the cache the builds
    before left), then edit the module `rounds` times, each once the last rebuild is done, as a
    trainer works. For each rebuild: the seconds the preview logs, and the seconds from saving
    the file to that log line. The server is stopped after."""
    log_path = BENCH / "work" / "last-command.log"
    timings = []
    with log_path.open("w+b"):
        pass
    with log_path.open("ab") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT)
        try:
            text = wait_for_log(log_path, server, lambda t: "Previewing on" in t, "the preview")
            for number in range(first_round, first_round + rounds):
                builds = len(_REBUILT.findall(text))  # the first build logs the same line
                edit_module(edited, number)
                saved = time.perf_counter()
                text = wait_for_log(
                    log_path, server, lambda t, n=builds: len(_REBUILT.findall(t)) > n, "a rebuild"
                )
                timings.append((float(_REBUILT.findall(text)[-1]), time.perf_counter() - saved))
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    return timings


def served_rebuilds(
    project: Path, site: Path, edited: Path, runs: int, jobs: list[str], result: SizeResult
) -> None:
    """`sabaq build` again after an edit, as from a terminal: through the project's build server
    (SABAQ_BUILD_SERVER=1 in place of a terminal). The first edit's build starts the server and
    is reported apart; the server is stopped after. Memory is the command's only: the server is
    not in its process tree."""
    with tempfile.TemporaryDirectory(prefix="sabaq-bench-servers-") as runtime:
        env = {**ENV, "SABAQ_BUILD_SERVER": "1", "XDG_RUNTIME_DIR": runtime}
        try:
            for number in range(runs + 1):
                edit_module(edited, 100 + number)
                measurement = checked(
                    run(sabaq_build(project, site, *jobs), cwd=project, env=env),
                    "sabaq build through the build server",
                )
                if number == 0:
                    result.served_first = measurement.seconds
                else:
                    result.served.append(measurement)
                say(
                    f"[{result.name}] sabaq rebuild through the build server after editing "
                    f"{edited.name}: {measurement.seconds:.2f} s"
                    + (" (starting the server)" if number == 0 else "")
                )
        finally:
            for lock in Path(runtime).glob("sabaq/*.lock"):
                pid = lock.read_text().strip()
                if pid.isdigit():
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(int(pid), signal.SIGTERM)


def wait_for_log(
    log_path: Path, server: subprocess.Popen[bytes], found: Any, what: str, timeout: float = 300
) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log_path.read_text(encoding="utf-8", errors="replace")
        if found(text):
            return text
        if server.poll() is not None:
            sys.exit(f"bench: sabaq serve stopped before {what}:\n{text[-3000:]}")
        time.sleep(0.005)
    sys.exit(f"bench: no {what} in {timeout:.0f} s:\n{text[-3000:]}")


def diy_build(project: Path, site: Path) -> list[str]:
    return [
        str(PYTHON),
        "-m",
        "mkdocs",
        "build",
        "--quiet",
        "--config-file",
        str(project / "mkdocs.yml"),
        "--site-dir",
        str(site),
    ]


def display(command: list[str]) -> str:
    """A command as a reader types it from the repository root."""
    words = []
    for word in command:
        path = Path(word)
        words.append(
            str(path.relative_to(ROOT))
            if path.is_absolute() and path.is_relative_to(ROOT)
            else word
        )
    return " ".join(words)


def module_to_edit(project: Path) -> Path:
    """The translation of the third module (or the last, if fewer) of the first course."""
    course = sorted((project / "courses").iterdir())[0]
    translations = sorted(course.glob(f"[0-9][0-9]-*.{EDIT_LANGUAGE}.yml"))
    return translations[min(EDIT_MODULE, len(translations)) - 1]


def edit_module(path: Path, round_number: int) -> None:
    """Add a sentence to the module's first section, as a translator would."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    body = next(i for i, line in enumerate(lines) if line.strip() == "body: |")
    indent = lines[body + 1][: len(lines[body + 1]) - len(lines[body + 1].lstrip())]
    words = generate.words_for(round_number, EDIT_LANGUAGE, "edit")
    lines.insert(body + 2, f"{indent}{words.sentence()} (правка {round_number})\n")
    path.write_text("".join(lines), encoding="utf-8")


def built_pages(output: str) -> int:
    match = re.search(r"Built (\d+) pages", output)
    return int(match.group(1)) if match else 0


# --- One size ------------------------------------------------------------------------------------


@dataclass
class SizeResult:
    name: str
    courses: int
    modules: int
    languages: int
    pages: int
    yaml_files: int
    runs: int
    generate_seconds: float = 0.0
    check_seconds: float = 0.0
    sabaq: list[Measurement] = field(default_factory=list)
    diy: list[Measurement] = field(default_factory=list)
    incremental: list[Measurement] = field(default_factory=list)
    one_language: list[Measurement] = field(default_factory=list)
    #: `sabaq build` after the same edit through the build server (builder/cli/build_server.py),
    #: which the first of them starts (`served_first`).
    served: list[Measurement] = field(default_factory=list)
    served_first: float = 0.0
    #: `sabaq serve` after the same edit: the rebuild's own seconds, as the preview logs them.
    preview_rebuild: list[float] = field(default_factory=list)
    #: ... and from saving the file to that log line (noticing the change, then rebuilding).
    preview_latency: list[float] = field(default_factory=list)
    #: The session's first rebuild, which also imports MkDocs (left out of the two above).
    preview_first: float = 0.0
    stages: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)
    diy_profile: dict[str, Any] = field(default_factory=dict)
    #: Stage timings of full builds with a part of the work left out in memory, by variant.
    what_if: dict[str, dict[str, Any]] = field(default_factory=dict)
    commands: dict[str, str] = field(default_factory=dict)


def measure_size(
    name: str, courses: int, modules: int, runs: int, args: argparse.Namespace
) -> SizeResult:
    work = BENCH / "work" / name
    say(f"[{name}] generating {courses} courses x {modules} modules x 6 languages")
    started = time.perf_counter()
    content = generate.generate(work, courses, modules)
    sabaq_project, diy_project = work / "sabaq", work / "diy"
    result = SizeResult(
        name,
        courses,
        modules,
        len(generate.LANGUAGES),
        content.page_count(),
        len(list(sabaq_project.rglob("*.yml"))),
        runs,
        generate_seconds=time.perf_counter() - started,
    )
    check = [str(PYTHON), "-m", "builder", "check", "--project", str(sabaq_project)]
    result.check_seconds = checked(run(check), "sabaq check").seconds
    sabaq_site, diy_site = work / "site-sabaq", work / "site-diy"
    one_language_site = work / "site-one-language"
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    result.commands = {
        "generate": f"{display([str(PYTHON)])} bench/generate.py --size {name} --out {display([str(work)])}"
        if name in generate.SIZES
        else f"{display([str(PYTHON)])} bench/generate.py --courses {courses} --modules {modules} --out {display([str(work)])}",
        "check": display(check),
        "sabaq": display(sabaq_build(sabaq_project, sabaq_site, *jobs)),
        "diy": display(diy_build(diy_project, diy_site)),
        "one_language": display(
            sabaq_build(
                sabaq_project, one_language_site, "--lang", EDIT_LANGUAGE, "--no-cache", *jobs
            )
        ),
    }

    for number in range(1, runs + 1):
        for stack, command, site, into in (
            ("sabaq", sabaq_build(sabaq_project, sabaq_site, *jobs), sabaq_site, result.sabaq),
            ("diy", diy_build(diy_project, diy_site), diy_site, result.diy),
        ):
            shutil.rmtree(site, ignore_errors=True)
            if stack == "sabaq":
                # A full build starts from nothing: no site and no build cache.
                shutil.rmtree(sabaq_project / CACHE_DIR_NAME, ignore_errors=True)
            measurement = checked(run(command), f"{stack} build")
            into.append(measurement)
            say(
                f"[{name}] {stack} full build {number}/{runs}: {measurement.seconds:.1f} s, "
                f"largest process {measurement.largest_rss_mb:.0f} MB (load {measurement.load_before:.1f})"
            )

    # The incremental case starts from the last full build's site and cache, still in place.
    edited = module_to_edit(sabaq_project)
    original = edited.read_text(encoding="utf-8")
    for number in range(1, runs + 1):
        edit_module(edited, number)
        measurement = checked(
            run(sabaq_build(sabaq_project, sabaq_site, *jobs)), "incremental sabaq build"
        )
        result.incremental.append(measurement)
        say(f"[{name}] sabaq rebuild after editing {edited.name}: {measurement.seconds:.1f} s")
        shutil.rmtree(one_language_site, ignore_errors=True)
        measurement = checked(
            run(
                sabaq_build(
                    sabaq_project, one_language_site, "--lang", EDIT_LANGUAGE, "--no-cache", *jobs
                )
            ),
            "one-language build",
        )
        result.one_language.append(measurement)
        say(f"[{name}] sabaq build --lang {EDIT_LANGUAGE}: {measurement.seconds:.1f} s")
    served_rebuilds(sabaq_project, sabaq_site, edited, runs, jobs, result)
    if not args.no_preview:
        preview_command = sabaq_serve(sabaq_project)
        result.commands["preview"] = display(preview_command[:-2] + ["--port", "PORT"])
        # One session, as a trainer works: the first rebuild also imports and loads what the
        # first build (all from the cache) did not need; it is reported apart.
        timings = preview_rebuilds(preview_command, edited, runs + 1, runs + 1)
        for number, (rebuild, latency) in enumerate(timings):
            say(
                f"[{name}] sabaq serve rebuild {number + 1} after editing {edited.name}: "
                f"{rebuild:.2f} s ({latency:.2f} s from saving the file)"
            )
        result.preview_first = timings[0][0]
        result.preview_rebuild = [rebuild for rebuild, _ in timings[1:]]
        result.preview_latency = [latency for _, latency in timings[1:]]
    edited.write_text(original, encoding="utf-8")
    result.commands["edited"] = display([str(edited)])

    if not args.no_stages:
        say(f"[{name}] stage and job timings of one full build (bench/stages.py)")
        out = work / "stages.json"
        stage_command = [
            str(PYTHON),
            str(BENCH / "stages.py"),
            "--project",
            str(sabaq_project),
            "--site-dir",
            str(work / "site-stages"),
            "--json",
            str(out),
            *jobs,
        ]
        checked(run(stage_command), "stages.py")
        result.stages = json.loads(out.read_text(encoding="utf-8"))
        result.commands["stages"] = display(stage_command)
    if not args.no_profile and name == args.profile_size:
        say(f"[{name}] pyinstrument profile of one language (en), in one process")
        out, text = work / "profile-en.json", work / "profile-sabaq-en.txt"
        profile_command = [
            str(PYTHON),
            str(BENCH / "stages.py"),
            "--project",
            str(sabaq_project),
            "--site-dir",
            str(work / "site-profile"),
            "--lang",
            "en",
            "--jobs",
            "1",
            "--profile",
            str(text),
            "--json",
            str(out),
        ]
        checked(run(profile_command), "profile")
        result.profile = json.loads(out.read_text(encoding="utf-8"))
        result.commands["profile"] = display(profile_command)
        say(
            f"[{name}] pyinstrument profile of the do-it-yourself build (all languages, one process)"
        )
        out, text = work / "profile-diy.json", work / "profile-diy.txt"
        diy_profile_command = [
            str(PYTHON),
            str(BENCH / "stages.py"),
            "--mkdocs-config",
            str(diy_project / "mkdocs.yml"),
            "--site-dir",
            str(work / "site-diy-profile"),
            "--profile",
            str(text),
            "--json",
            str(out),
        ]
        checked(run(diy_profile_command), "do-it-yourself profile")
        result.diy_profile = json.loads(out.read_text(encoding="utf-8"))
        result.commands["diy_profile"] = display(diy_profile_command)
    if not args.no_what_if and name == args.profile_size:
        for label, flags in WHAT_IF_VARIANTS:
            say(f"[{name}] what if: {label}")
            out = work / "what-if.json"
            command = [
                str(PYTHON),
                str(BENCH / "stages.py"),
                "--project",
                str(sabaq_project),
                "--site-dir",
                str(work / "site-what-if"),
                "--json",
                str(out),
                *jobs,
            ]
            command += [part for flag in flags for part in ("--what-if", flag)]
            if not flags:
                command.append("--yaml-parsers")
            checked(run(command), f"what-if {label}")
            shutil.rmtree(work / "site-what-if", ignore_errors=True)
            result.what_if[label] = json.loads(out.read_text(encoding="utf-8"))
            result.commands[f"what_if {label}"] = display(command)
    if not args.keep_sites:
        for site in work.glob("site-*"):
            shutil.rmtree(site, ignore_errors=True)
    return result


#: Full builds with a part of the work left out in memory (bench/stages.py --what-if): what
#: each part costs.
WHAT_IF_VARIANTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("as it is", ()),
    ("pages not indexed for search", ("no-search-index",)),
    ("no offline packages", ("no-packages",)),
)


def say(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


# --- The report ----------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def value_spread(values: list[float], digits: int = 1) -> str:
    return f"{median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def spread(measurements: list[Measurement]) -> str:
    seconds = [m.seconds for m in measurements]
    if len(seconds) == 1:
        return f"{seconds[0]:.1f}"
    return f"{median(seconds):.1f} ({min(seconds):.1f}–{max(seconds):.1f})"


def machine() -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    mhz = re.search(r"^cpu MHz\s*:\s*(.+)$", cpuinfo, re.M)
    meminfo = Path("/proc/meminfo").read_text()
    memory = int(re.search(r"^MemTotal:\s*(\d+)", meminfo, re.M).group(1)) // 1024  # type: ignore[union-attr]
    versions = {}
    for package in (
        "mkdocs",
        "mkdocs-material",
        "mkdocs-static-i18n",
        "mkdocs-quiz",
        "Markdown",
        "pymdown-extensions",
        "Jinja2",
        "PyYAML",
        "pydantic",
        "pyinstrument",
    ):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "builder"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    return {
        "nproc": str(os.cpu_count()),
        "cpu": (model.group(1).strip() if model else "unknown")
        + (f", {float(mhz.group(1)):.0f} MHz" if mhz else ""),
        "memory": f"{memory} MB",
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "versions": ", ".join(f"{name} {version}" for name, version in versions.items()),
        "git": f"{git}"
        + (f" with {len(dirty.splitlines())} uncommitted changes in builder/" if dirty else ""),
    }


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def goal(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def report(results: list[SizeResult], info: dict[str, Any]) -> str:
    lines = [
        "# Build benchmark: Sabaq and the do-it-yourself MkDocs stack",
        "",
        f"Generated by `{('bench/run ' + info['arguments']).strip()}` on {info['date']}; took {info['minutes']:.0f} min.",
        "Re-run to refresh; text below the notes marker at the end is kept.",
        "",
        "## Machine",
        "",
        f"- {info['machine']['nproc']} CPUs: {info['machine']['cpu']}; {info['machine']['memory']} memory; {info['machine']['os']}",
        f"- Python {info['machine']['python']}; {info['machine']['versions']}",
        f"- Sabaq at {info['machine']['git']}",
        f"- Load before: `{info['uptime_before']}`",
        f"- Load after: `{info['uptime_after']}`",
        *(
            [
                f"- Large size measured once: {info['large_runs_reason']}, over the {info['budget']:.0f}-minute budget."
            ]
            if next((r.runs for r in results if r.name == "large"), 0) == 1
            and "large_runs_reason" in info
            else []
        ),
        f"- One-minute load average at the start of each measured command: {info['load_min']:.1f} to "
        f"{info['load_max']:.1f} (median {info['load_median']:.1f}) on {info['machine']['nproc']} CPUs. "
        "A load above zero means other processes shared the CPUs, so absolute times are noisy; the two "
        "stacks were run alternately so that both saw the same load.",
        "",
        "## What is compared",
        "",
        "Both stacks build the same synthetic content (`bench/generate.py`, seed 1): every course in six "
        "languages (en source; ru, uz, kk, ky, tg translations), each module a page with 3–5 sections "
        "(paragraphs with emphasis and links, sub-headings, lists, tables), callouts, sources and a quiz "
        "of 4–6 questions (single choice, multiple choice, true/false, fill in the blank).",
        "",
        "- **Sabaq**: `sabaq build` from scratch (its cache, `.sabaq-cache/`, deleted first): load and "
        "validate the YAML, render Markdown per language, one MkDocs build per language in worker "
        "processes (one per CPU), then the downloadable offline package of every course and language "
        "(cut from the built web site and zipped), and the service worker and web-app files.",
        "- **Do it yourself**: one `mkdocs build` of one mkdocs-material site with `mkdocs-static-i18n` "
        "(suffix structure, `page.ru.md`) and `mkdocs-quiz`, fed equivalent Markdown; static-i18n "
        "builds the languages one after another in a single process. It has no offline packages.",
        "",
        "Pages are the web pages of one site (home, course overviews, modules, in every language), the "
        "same count for both stacks; pages/s divides them by the median wall time. Peak memory is that "
        "of the largest single process (see the top of `bench/measure.py`).",
        "",
        "## How to reproduce",
        "",
        "```sh",
        ".venv/bin/pip install -e '.[bench]'",
        f"bench/run {info['arguments']}".rstrip(),
        "```",
        "",
        "which runs, per size:",
        "",
        "```sh",
    ]
    for result in results:
        cache = display([str(BENCH / "work" / result.name / "sabaq" / CACHE_DIR_NAME)])
        lines += [result.commands["generate"], result.commands["check"]]
        lines.append(f"rm -rf {cache}  # before each full build: from scratch")
        lines += [result.commands["sabaq"], result.commands["diy"]]
        lines.append(
            f"# edit {result.commands['edited']}, then the sabaq command again (with its cache), and:"
        )
        lines.append(result.commands["one_language"])
        if "preview" in result.commands:
            lines.append(
                f"{result.commands['preview']}  # then edit the module, wait for 'Rebuilt', edit again"
            )
        for key in (
            "stages",
            "profile",
            "diy_profile",
            *(key for key in result.commands if key.startswith("what_if ")),
        ):
            if key in result.commands:
                lines.append(result.commands[key])
    lines += ["```", "", "## Results", ""]
    lines += [
        "| size | pages | build | runs | wall s, median (range) | CPU s | pages/s | largest process MB | main / largest worker MB |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        rows = (
            ("Sabaq, full", result.sabaq),
            ("do it yourself, full", result.diy),
            (f"Sabaq after editing one {EDIT_LANGUAGE} module", result.incremental),
            (f"Sabaq `--lang {EDIT_LANGUAGE} --no-cache` only", result.one_language),
            (f"Sabaq after editing one {EDIT_LANGUAGE} module, build server", result.served),
        )
        for label, measurements in rows:
            if not measurements:
                continue
            seconds = median([m.seconds for m in measurements])
            lines.append(
                f"| {result.name} | {result.pages} | {label} | {len(measurements)} | {spread(measurements)} | "
                f"{median([m.cpu_seconds for m in measurements]):.1f} | "
                f"{result.pages / seconds:.1f} | {max(m.largest_rss_mb for m in measurements):.0f} | "
                f"{max(m.main_rss_mb for m in measurements):.0f} / {max(m.worker_rss_mb for m in measurements):.0f} |"
            )
    lines += [""]
    if any(result.preview_rebuild for result in results):
        lines += [
            f"The preview, `sabaq serve`, after the same edit of one {EDIT_LANGUAGE} module: the server "
            "runs on, so a rebuild pays no start-up (Python, imports). One session per size, the "
            "module edited once more than the runs above, each edit once the last rebuild is done; "
            "the session's first rebuild also imports MkDocs (the first build took every language "
            "from the cache) and is shown apart.",
            "",
            "| size | rebuilds | rebuild s, as the preview logs it, median (range) | from saving the file to rebuilt, s | the session's first rebuild, s |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for result in results:
            if result.preview_rebuild:
                lines.append(
                    f"| {result.name} | {len(result.preview_rebuild)} | "
                    f"{value_spread(result.preview_rebuild, 2)} | "
                    f"{value_spread(result.preview_latency, 2)} | {result.preview_first:.2f} |"
                )
        lines += [""]
    for result in results:
        lines.append(
            f"- {result.name}: {result.courses} courses × {result.modules} modules × {result.languages} languages, "
            f"{result.yaml_files} YAML files; generating took {result.generate_seconds:.1f} s, "
            f"`sabaq check` {result.check_seconds:.1f} s."
        )
    lines += ["", "## Ratios and goals", ""]
    by_name = {r.name: r for r in results}

    def med(measurements: list[Measurement]) -> float:
        return median([m.seconds for m in measurements])

    def cpu(measurements: list[Measurement]) -> float:
        return median([m.cpu_seconds for m in measurements])

    for result in results:
        speedup = med(result.diy) / med(result.sabaq)
        incremental = med(result.sabaq) / med(result.incremental)
        if result.preview_rebuild:
            preview_ratio = med(result.sabaq) / median(result.preview_rebuild)
            from_save = med(result.sabaq) / median(result.preview_latency)
            preview = (
                f"Sabaq full / the preview's rebuild after the same edit = **{preview_ratio:.1f}** "
                f"(goal ≥ 10: {goal(preview_ratio >= 10)}; counted from saving the file: "
                f"{from_save:.1f}, {goal(from_save >= 10)}); "
            )
        else:
            preview = ""
        if result.served:
            served_ratio = med(result.sabaq) / med(result.served)
            preview += (
                f"Sabaq full / `sabaq build` again after one edit through the build server = "
                f"**{served_ratio:.1f}** (goal ≥ 10: {goal(served_ratio >= 10)}; the build that "
                f"started the server took {result.served_first:.2f} s); "
            )
        lines.append(
            f"- {result.name}: do it yourself / Sabaq, full build = **{speedup:.2f}** (goal ≥ 2: {goal(speedup >= 2)}); "
            f"Sabaq full / `sabaq build` again after one edit = **{incremental:.2f}** (goal ≥ 10: {goal(incremental >= 10)}); "
            f"{preview}"
            f"Sabaq full / `--lang {EDIT_LANGUAGE} --no-cache` alone = {med(result.sabaq) / med(result.one_language):.2f}; "
            f"CPU seconds, Sabaq / do it yourself = {cpu(result.sabaq) / cpu(result.diy):.2f}."
        )
    if "small" in by_name and "large" in by_name:
        small, large = by_name["small"], by_name["large"]
        page_ratio = large.pages / small.pages
        for label, pick in (("Sabaq", lambda r: r.sabaq), ("do it yourself", lambda r: r.diy)):
            ratio = med(pick(large)) / med(pick(small))
            cpu_ratio = cpu(pick(large)) / cpu(pick(small))
            lines.append(
                f"- Linearity, {label}: large / small time = **{ratio:.2f}** for {page_ratio:.2f}× the pages "
                f"(time per page at large size is {ratio / page_ratio:.2f}× that at small size; "
                f"in CPU seconds {cpu_ratio:.2f}, {cpu_ratio / page_ratio:.2f}× per page)."
            )
        largest = max(m.largest_rss_mb for m in large.sabaq + large.incremental)
        lines.append(
            f"- Peak memory of any Sabaq process at large size: **{largest:.0f} MB** (goal < 250 MB: {goal(largest < 250)})."
        )
        diy_largest = max(m.largest_rss_mb for m in large.diy)
        lines.append(
            f"- Peak memory of the do-it-yourself process at large size: {diy_largest:.0f} MB."
        )
    lines += ["", "## Where the time goes", ""]
    for result in results:
        if result.stages:
            lines += stage_section(result)
    for result in results:
        if result.profile:
            lines += profile_section(result)
    for result in results:
        if result.what_if:
            lines += what_if_section(result)
    lines += ["", NOTES_MARKER, ""]
    return "\n".join(lines)


def stage_section(result: SizeResult) -> list[str]:
    stages = result.stages
    lines = [
        f"### {result.name}: stages of one full `sabaq build` (bench/stages.py, wall {stages['wall_seconds']:.1f} s)",
        "",
        "Main-process stages in pipeline order, wall time and the main process's CPU time; "
        "`build_sites` is the process pool running every language's job (its CPU is in the workers, "
        "below; rendering each language happens inside it too, overlapping the workers). "
        "Then the engine jobs, CPU time summed over the workers.",
        "",
    ]
    # Runs before the memory column existed have no `rss_after_mb`.
    rss_after = stages.get("rss_after_mb", {})
    if rss_after:
        lines += [
            "| stage | wall s | share of wall | CPU s | main process MB after |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
    else:
        lines += ["| stage | wall s | share of wall | CPU s |", "| --- | ---: | ---: | ---: |"]
    for name, seconds in stages["stages"].items():
        if seconds >= 0.005:
            rss = f" {rss_after[name]:.0f} |" if name in rss_after else ""
            lines.append(
                f"| `{name}` | {seconds:.2f} | {100 * seconds / stages['wall_seconds']:.0f}% | "
                f"{stages['stages_cpu'][name]:.2f} |{rss}"
            )
    jobs = stages["jobs"]
    # The template warm-up (builder/engine/run.py) runs while the main process loads: not a site.
    web = [j for j in jobs if j["job"] != WARM_UP]
    for label, group in (("web site, one per language", web),):
        lines.append(
            f"| engine jobs: {len(group)} × {label} ({sum(j['pages'] for j in group)} pages) | "
            f"{sum(j['seconds'] for j in group):.2f} (worker time) | | {sum(j['cpu_seconds'] for j in group):.2f} |"
            + (" |" if rss_after else "")
        )
    job_cpu = sum(j["cpu_seconds"] for j in jobs)
    main_cpu = sum(stages["stages_cpu"].values())
    lines += [
        "",
        f"Of {job_cpu + main_cpu:.1f} CPU seconds, the language jobs (MkDocs build, then cutting "
        f"the packages and writing the service worker) take "
        f"{100 * sum(j['cpu_seconds'] for j in web) / (job_cpu + main_cpu):.0f}% and the main process "
        f"(serial, before and after the pool) "
        f"{100 * main_cpu / (job_cpu + main_cpu):.0f}%. A web job costs "
        f"{sum(j['cpu_seconds'] for j in web) / max(1, len(web)):.2f} CPU s for "
        f"{sum(j['pages'] for j in web) / max(1, len(web)):.0f} pages. "
        f"Slowest web job {max(j['seconds'] for j in web):.1f} s wall; "
        f"peak memory per worker {max(j['peak_rss_mb'] for j in jobs):.0f} MB, main process "
        f"{stages['main_peak_rss_mb']:.0f} MB.",
        "",
    ]
    return lines


def profile_table(profile: dict[str, Any], limit: int = 12) -> list[str]:
    total = profile["total_seconds"]
    lines = ["| library (own time) | seconds | share |", "| --- | ---: | ---: |"]
    for name, seconds in profile["by_library"][:limit]:
        lines.append(f"| {name} | {seconds:.2f} | {100 * seconds / total:.0f}% |")
    return lines


def profile_section(result: SizeResult) -> list[str]:
    profile = result.profile["profile"]
    total = profile["total_seconds"]
    lines = [
        f"### {result.name}: profile of `sabaq build --lang en --jobs 1` (pyinstrument: {total:.1f} s wall, {profile['cpu_seconds']:.1f} s CPU)",
        "",
        "One language's web site and its packages, every stage in one process (loading and validating "
        "still read every language's files). pyinstrument samples wall time: on a loaded machine the "
        "seconds stretch, and its overhead falls mostly on code making many small Python calls (the "
        "pure-Python YAML scanner), so read shares here and seconds in the unprofiled stage table above.",
        "",
        "| key function (inclusive, outermost call) | seconds | share |",
        "| --- | ---: | ---: |",
    ]
    for label, seconds in profile["key_functions"]:
        if seconds >= 0.01:
            lines.append(f"| {label} | {seconds:.2f} | {100 * seconds / total:.0f}% |")
    lines += ["", *profile_table(profile), "", "Top functions by own time:", ""]
    lines += ["| function | seconds |", "| --- | ---: |"]
    for name, seconds in profile["top_self"][:15]:
        lines.append(f"| `{name}` | {seconds:.2f} |")
    if result.diy_profile:
        diy = result.diy_profile["profile"]
        lines += [
            "",
            f"### {result.name}: profile of the do-it-yourself `mkdocs build` (all six languages; pyinstrument: {diy['total_seconds']:.1f} s wall, {diy['cpu_seconds']:.1f} s CPU)",
            "",
            "| key function (inclusive, outermost call) | seconds | share |",
            "| --- | ---: | ---: |",
        ]
        for label, seconds in diy["key_functions"]:
            if seconds >= 0.01:
                lines.append(
                    f"| {label} | {seconds:.2f} | {100 * seconds / diy['total_seconds']:.0f}% |"
                )
        lines += ["", *profile_table(diy)]
    lines += [
        "",
        f"Full call trees: `bench/work/{result.name}/profile-sabaq-en.txt`, `bench/work/{result.name}/profile-diy.txt`.",
        "",
    ]
    return lines


def what_if_section(result: SizeResult) -> list[str]:
    def cpu(stages: dict[str, Any]) -> tuple[float, float]:
        return sum(stages["stages_cpu"].values()), sum(j["cpu_seconds"] for j in stages["jobs"])

    base_main, base_jobs = cpu(result.what_if["as it is"])
    lines = [
        f"### {result.name}: what parts of the work cost",
        "",
        "Full builds with one part of the work left out in memory (`bench/stages.py --what-if`, "
        "nothing on disk changed). CPU time is the steadier measure on a shared machine.",
        "",
        "| variant | wall s | CPU s, main process | CPU s, engine jobs | CPU s, total | vs as it is |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, stages in result.what_if.items():
        main_cpu, job_cpu = cpu(stages)
        lines.append(
            f"| {label} | {stages['wall_seconds']:.1f} | {main_cpu:.1f} | {job_cpu:.1f} | {main_cpu + job_cpu:.1f} | "
            f"{100 * (main_cpu + job_cpu) / (base_main + base_jobs):.0f}% |"
        )
    parsers = result.what_if["as it is"].get("yaml_parsers")
    if parsers:
        lines += [
            "",
            f"Reading the {parsers['files']} YAML files (CPU s): Sabaq's loader {parsers['sabaq_loader']:.2f}, "
            f"PyYAML's pure-Python composer it extends {parsers['pyyaml_python_compose']:.2f}, libyaml's C "
            f"composer {parsers['libyaml_c_compose']:.2f} "
            f"({parsers['pyyaml_python_compose'] / parsers['libyaml_c_compose']:.0f}× faster; its nodes carry the "
            f"same line and column marks), or {parsers['libyaml_events_then_compose']:.2f} with a first pass over "
            "its events for Sabaq's checks (aliases, tags, depth).",
        ]
    return [*lines, ""]


MEASURED = ("sabaq", "diy", "incremental", "one_language", "served")


def load_results(path: Path) -> tuple[list[SizeResult], dict[str, Any]]:
    """The results of an earlier run, as `main` had them."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    results = []
    for data in raw["results"]:
        for kind in MEASURED:
            data[kind] = [Measurement(**measurement) for measurement in data.get(kind, [])]
        results.append(SizeResult(**data))
    return results, raw["info"]


def write_report(results: list[SizeResult], info: dict[str, Any], path: Path) -> str:
    """Write the report, keeping what the previous one had below its notes marker."""
    notes = ""
    if path.exists():
        previous = path.read_text(encoding="utf-8")
        if NOTES_MARKER in previous:
            notes = previous.split(NOTES_MARKER, 1)[1].lstrip("\n")
    text = report(results, info) + notes
    path.write_text(text, encoding="utf-8")
    return text


# --- Command line --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="small,large",
        help="comma-separated: small, large, or CxM such as 5x4 (default: small,large)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="builds of each kind per size; the median is reported (default: 3)",
    )
    parser.add_argument(
        "--large-runs",
        default="auto",
        help="runs for the large size: a number, or 'auto': "
        "--runs unless the small size predicts more than --budget minutes, then 1 (default: auto)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=15,
        help="minutes the whole benchmark should take (default: 15)",
    )
    parser.add_argument(
        "--jobs", type=int, help="passed to `sabaq build --jobs` (default: Sabaq's, one per CPU)"
    )
    parser.add_argument(
        "--profile-size", default="small", help="the size to profile (default: small)"
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the pyinstrument profiles")
    parser.add_argument("--no-stages", action="store_true", help="skip the stage timings")
    parser.add_argument(
        "--no-what-if", action="store_true", help="skip the builds with parts of the work left out"
    )
    parser.add_argument(
        "--no-preview", action="store_true", help="skip timing the rebuild in `sabaq serve`"
    )
    parser.add_argument(
        "--keep-sites", action="store_true", help="keep the built sites under bench/work/"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: write the report again from bench/work/results.json",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=BENCH / "results.md",
        help="the report (default: bench/results.md)",
    )
    args = parser.parse_args(argv)
    if not PYTHON.exists():
        parser.error(
            f"{PYTHON} not found: create the project's virtual environment first (make site)"
        )

    if args.report_only:
        write_report(*load_results(BENCH / "work" / "results.json"), args.results)
        return 0
    started = time.perf_counter()
    info: dict[str, Any] = {
        "arguments": " ".join(argv if argv is not None else sys.argv[1:]),
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine(),
        "uptime_before": uptime(),
        "budget": args.budget,
    }
    say(f"load before: {info['uptime_before']}")
    results: list[SizeResult] = []
    for size in args.sizes.split(","):
        if size in generate.SIZES:
            courses, modules = generate.SIZES[size]
        else:
            courses, modules = (int(part) for part in size.split("x"))
        runs = args.runs
        if size == "large" and args.large_runs != "auto":
            runs = int(args.large_runs)
        elif size == "large" and results:
            # Everything scales with pages: predict the large size from what has run so far.
            spent = (time.perf_counter() - started) / 60
            predicted = spent * sum(
                courses * modules / (r.courses * r.modules) for r in results[-1:]
            )
            if spent + predicted > args.budget:
                runs = 1
                say(
                    f"large size predicted at {predicted:.0f} min with {args.runs} runs: measuring it once"
                )
            info["large_runs_reason"] = f"predicted {predicted:.0f} min for {args.runs} runs"
        results.append(measure_size(size, courses, modules, runs, args))

    info["uptime_after"] = uptime()
    info["minutes"] = (time.perf_counter() - started) / 60
    loads = [
        m.load_before for r in results for m in r.sabaq + r.diy + r.incremental + r.one_language
    ]
    info.update(load_min=min(loads), load_max=max(loads), load_median=median(loads))
    say(f"load after: {info['uptime_after']}")
    raw: dict[str, Any] = {"info": info, "results": [asdict(r) for r in results]}
    for result in raw["results"]:
        for kind in MEASURED:
            for measurement in result[kind]:
                measurement.pop("output")
    (BENCH / "work" / "results.json").write_text(
        json.dumps(raw, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    text = write_report(results, info, args.results)
    print(text.split("## Results", 1)[1].split("## Where the time goes", 1)[0].strip())
    say(
        f"wrote {args.results.relative_to(ROOT) if args.results.is_relative_to(ROOT) else args.results}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
