"""The `sabaq` command line: the only place that prints, and that chooses exit codes.

Exit codes: 0 success, 1 content errors (every one is listed as path:line:column), 2 usage errors
(a wrong option or name on the command line) and problems with the folders or the disk (a folder
that cannot be written, a full disk): one line each, never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import gc
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from builder.build.cache.documents import RecentDocuments
from builder.build.folders import CACHE_DIR_NAME
from builder.build.pipeline import UsageError, build_project, check_project
from builder.cli.build_server import NO_SERVER, SWITCH
from builder.cli.i18n import run_i18n_export, run_i18n_import, run_i18n_status, run_i18n_stub
from builder.cli.output import EXIT_OK, EXIT_USAGE, log, report_errors, report_warnings
from builder.cli.progress import run_progress_read
from builder.content.errors import printable
from builder.content.languages import LANGUAGE_CODES
from builder.features.trainer.notes import TRAINER_SITE_DIR
from builder.render.site_settings import TRUST_OPTION
from builder.settings import SETTINGS


def run() -> None:
    """The `sabaq` program (and `python -m builder`): the command line, in a process of its own."""
    _tune_garbage_collector()
    sys.exit(main())


def _tune_garbage_collector() -> None:
    """A build allocates millions of small objects that live until it ends (parsed YAML, models,
    pages), and Python's cycle collector, run every 700 allocations by default, walks the
    survivors again and again: a seventh of a rebuild of the large benchmark project
    (bench/results.md). Objects that exist now (the imported modules) never become garbage, so
    they are frozen out of its walks, and it runs every 10,000 allocations. Almost everything is
    freed by reference counting, not by the collector: the main process's peak at the large size
    stayed at 230 MB; the largest worker's rose from 110 to 154 MB, within the 250 MB goal."""
    gc.set_threshold(10_000, 10, 10)
    gc.freeze()


def main(
    argv: Sequence[str] | None = None, *, recent_documents: RecentDocuments | None = None
) -> int:
    """Run one command; its exit code. A build server (builder/cli/build_server.py) passes the
    documents it parsed for its earlier builds."""
    parser = _parser()
    args = parser.parse_args(argv)
    args.recent_documents = recent_documents
    _configure_logging(args.verbose, args.quiet)
    project = Path(args.project).resolve()
    try:
        if args.run not in (
            _run_new_course,
            _run_new_module,
            _run_new_bank,
            _run_schema,
            run_progress_read,
        ):
            _check_project_folder(args.project, project)
        return int(args.run(args, project))
    except UsageError as error:
        print(f"sabaq: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        # The disk or a folder, not the course files: the build has already put the previous
        # site back (builder/build/write.py) and removed its temporary folders.
        print(f"sabaq: error: {describe_os_error(error)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _check_project_folder(given: str, project: Path) -> None:
    if not project.exists():
        raise UsageError(
            f"there is no folder {given}: give the course project's folder (the one holding "
            "courses/ and quizzes/) with --project"
        )
    if not project.is_dir():
        raise UsageError(
            f"{given} is a file, not a folder: give the course project's folder (the one holding "
            "courses/ and quizzes/) with --project"
        )


def describe_os_error(error: OSError) -> str:
    """One line for a trainer: which file, what went wrong, what to do."""
    # Copying and renaming name the file written second (`filename2`).
    path = error.filename2 or error.filename
    where = f" {path}" if path else ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk is full (writing{where}): free some space, then try again"
    what_to_do = (
        "Make the folder writable, or choose one you can write: --site-dir for the site, and "
        "--no-cache if the project folder cannot be written"
    )
    if error.errno == errno.EROFS:
        return f"cannot write{where}: {error.strerror}. {what_to_do}"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"not allowed to write or read{where}: {error.strerror}. {what_to_do}"
    return f"cannot use{where}: {error.strerror or error}"


def _port(text: str) -> int:
    """A port number for --port: a whole number from 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port: give a number from 1 to 65535")
    return port


def _common_options(*, top_level: bool) -> argparse.ArgumentParser:
    """--project, --quiet and --verbose, accepted before or after the command. On commands their
    default is SUPPRESS, so `sabaq --project DIR check` keeps DIR instead of resetting it."""
    common = argparse.ArgumentParser(add_help=False)

    def default(value: object) -> object:
        return value if top_level else argparse.SUPPRESS

    common.add_argument(
        "--project",
        default=default("."),
        metavar="DIR",
        help="the course project: a folder with courses/, quizzes/ and optionally mkdocs.yml "
        "(default: the current folder)",
    )
    noise = common.add_mutually_exclusive_group()
    noise.add_argument(
        "-q", "--quiet", action="store_true", default=default(False), help="print only errors"
    )
    noise.add_argument(
        "-v", "--verbose", action="store_true", default=default(False), help="print more detail"
    )
    return common


def _parser() -> argparse.ArgumentParser:
    common = _common_options(top_level=False)
    parser = argparse.ArgumentParser(
        prog="sabaq",
        description="Build multilingual course websites from YAML course files.",
        parents=[_common_options(top_level=True)],
        epilog="Exit codes: 0 success, 1 errors in course files, 2 wrong command-line use.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", parents=[common], help="build the course sites into site/")
    build.add_argument(
        "--lang",
        action="append",
        choices=LANGUAGE_CODES,
        metavar="L",
        help="only this language (repeatable)",
    )
    build.add_argument(
        "--course", action="append", metavar="C", help="only this course (repeatable)"
    )
    build.add_argument(
        "--site-dir", metavar="DIR", help="where to write the site (default: DIR/site)"
    )
    build.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help=f"languages built at once (default: ${JOBS_VARIABLE}, else one per core)",
    )
    build.add_argument(
        "--no-packages",
        action="store_true",
        help="leave out the downloadable file:// packages and one-file courses (site/downloads/), "
        "about half the work",
    )
    build.add_argument(
        "--print",
        action="store_true",
        help="also print every course to a page and a PDF in site/downloads/, listed on the "
        "course pages (needs Chromium and the 'print' extra; adds about a second per course "
        "and language)",
    )
    build.add_argument(
        "--edition",
        choices=["trainee", "trainer"],
        default="trainee",
        help="'trainer': a separate site (default: DIR/site-trainer) with trainer notes, each "
        "quiz's answer key and a workshop plan per course; never mixed into the trainees' site",
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="build every language from scratch, ignoring and leaving alone .sabaq-cache/",
    )
    build.add_argument(
        NO_SERVER,
        action="store_true",
        help="build in this process, not in the project's build server (which a build from a "
        f"terminal starts and keeps running; {SWITCH}=0 turns it off, {SWITCH}=1 on without a "
        "terminal)",
    )
    build.add_argument(
        TRUST_OPTION,
        action="store_true",
        help="run the project's own code that its mkdocs.yml names (hooks:, plugins:, Markdown "
        "extensions not on Sabaq's list, and extension options that may read files anywhere): "
        "only for a project whose code you wrote or checked yourself. Without it such settings "
        "are errors. It exists only on the command line, so a cloned project cannot turn it on",
    )
    build.add_argument(
        "--part",
        action="store_true",
        help="write the site as a part for 'sabaq assemble' (with --lang: each language on a "
        "machine of its own, e.g. .github/workflows/pages-matrix.yml)",
    )
    build.set_defaults(run=_run_build)

    assemble = commands.add_parser(
        "assemble",
        parents=[common],
        help="put the parts of 'sabaq build --lang L --part' together into one site",
    )
    assemble.add_argument("parts", nargs="+", type=Path, metavar="PART", help="a part's folder")
    assemble.add_argument(
        "--site-dir", metavar="DIR", help="where to write the site (default: DIR/site)"
    )
    assemble.set_defaults(run=_run_assemble)

    check = commands.add_parser(
        "check", parents=[common], help="check every course file; build nothing"
    )
    check.add_argument(
        TRUST_OPTION,
        action="store_true",
        help="accept the settings of mkdocs.yml that run the project's own code, as "
        f"'sabaq build {TRUST_OPTION}' does; check never runs them, so it cannot check them",
    )
    check.set_defaults(run=_run_check)

    serve = commands.add_parser(
        "serve", parents=[common], help="preview on 127.0.0.1, rebuilding when a file changes"
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=SETTINGS.preview_port,
        help=f"the port, 1 to 65535 (default: {SETTINGS.preview_port})",
    )
    serve.add_argument(
        "--lang",
        action="append",
        choices=LANGUAGE_CODES,
        metavar="L",
        help="only this language (repeatable)",
    )
    serve.add_argument(
        "--course", action="append", metavar="C", help="only this course (repeatable)"
    )
    serve.set_defaults(run=_run_serve)

    new = commands.add_parser(
        "new", parents=[common], help="create a course, module or quiz bank file to start from"
    )
    new_kinds = new.add_subparsers(dest="kind", required=True, metavar="KIND")
    new_course = new_kinds.add_parser("course", parents=[common], help="sabaq new course ID")
    new_course.add_argument("id")
    new_course.set_defaults(run=_run_new_course)
    new_module = new_kinds.add_parser("module", parents=[common], help="sabaq new module COURSE ID")
    new_module.add_argument("course")
    new_module.add_argument("id")
    new_module.set_defaults(run=_run_new_module)
    new_bank = new_kinds.add_parser("bank", parents=[common], help="sabaq new bank ID")
    new_bank.add_argument("id")
    new_bank.set_defaults(run=_run_new_bank)

    i18n = commands.add_parser("i18n", parents=[common], help="translation tools")
    i18n_commands = i18n.add_subparsers(dest="i18n_command", required=True, metavar="COMMAND")
    status = i18n_commands.add_parser(
        "status",
        parents=[common],
        help="how much of each course is translated; with --verbose, which texts are missing or "
        "stale",
    )
    status.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    status.set_defaults(run=run_i18n_status)
    stub = i18n_commands.add_parser(
        "stub",
        parents=[common],
        help="write or update the translation files into LANG: every text, its original beside it",
    )
    stub.add_argument("language", choices=LANGUAGE_CODES, metavar="LANG")
    stub.add_argument("--course", metavar="C", help="only this course and its quiz banks")
    stub.set_defaults(run=run_i18n_stub)
    export = i18n_commands.add_parser(
        "export",
        parents=[common],
        help="the texts to translate into LANG as a PO or XLIFF 2.0 file for translation tools",
    )
    export.add_argument("language", choices=LANGUAGE_CODES, metavar="LANG")
    export.add_argument("--format", choices=("po", "xliff"), required=True)
    export.add_argument("--course", metavar="C", help="only this course and its quiz banks")
    export.add_argument(
        "--out",
        metavar="FILE",
        help="where to write it (default: <course or project>.LANG.po/.xlf)",
    )
    export.set_defaults(run=run_i18n_export)
    import_ = i18n_commands.add_parser(
        "import",
        parents=[common],
        help="write the translations of a PO or XLIFF file into the translation files",
    )
    import_.add_argument("file", metavar="FILE")
    import_.set_defaults(run=run_i18n_import)

    schema = commands.add_parser(
        "schema", parents=[common], help="write the JSON Schemas editors use"
    )
    schema.add_argument("--out", metavar="DIR", help="the folder (default: DIR/schemas)")
    schema.set_defaults(run=_run_schema)
    progress = commands.add_parser(
        "progress", parents=[common], help="read trainees' progress files"
    )
    progress_kinds = progress.add_subparsers(
        dest="progress_command", required=True, metavar="COMMAND"
    )
    progress_read = progress_kinds.add_parser(
        "read",
        parents=[common],
        help="a table of progress files (sabaq progress read FILE...), compared with the project's courses",
    )
    progress_read.add_argument("files", nargs="+", metavar="FILE")
    progress_read.add_argument("--csv", metavar="OUT", help="also write the table as CSV to OUT")
    progress_read.set_defaults(run=run_progress_read)
    return parser


def _configure_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_PrintableFormatter("%(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    log.setLevel(level)
    logging.getLogger("builder").setLevel(level)


class _PrintableFormatter(logging.Formatter):
    """Log lines with control characters escaped: a warning may quote a trainer's text (or
    MkDocs' report of it), and an escape sequence in it must not act on the terminal."""

    def format(self, record: logging.LogRecord) -> str:
        lines = super().format(record).split("\n")
        return "\n".join(printable(line) for line in lines)


#: `--jobs` for every build, where the machine is shared with other work: a CI runner, or a test
#: run that already keeps every core busy.
JOBS_VARIABLE = "SABAQ_JOBS"


def jobs_wanted(option: int | None, environ: Mapping[str, str]) -> int | None:
    """How many languages to build at once: --jobs, else $SABAQ_JOBS, else None (one per core)."""
    if option is not None:
        return option
    value = environ.get(JOBS_VARIABLE, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise UsageError(
            f"{JOBS_VARIABLE} is '{value}': give the number of languages to build at once, "
            "1 or more, or leave it unset for one per core"
        )
    return int(value)


def _run_build(args: argparse.Namespace, project: Path) -> int:
    # Absolute but not resolved: a link given as the site folder is refused, never followed.
    trainer = args.edition == "trainer"
    default_site = project / (TRAINER_SITE_DIR if trainer else "site")
    site_dir = Path(os.path.abspath(args.site_dir)) if args.site_dir else default_site
    report = build_project(
        project,
        site_dir,
        languages=args.lang,
        courses=args.course,
        workers=jobs_wanted(args.jobs, os.environ),
        with_packages=not args.no_packages,
        use_cache=not args.no_cache,
        progress=log.info,
        recent_documents=args.recent_documents,
        trust_project_code=args.trust_project_code,
        with_print=args.print,
        trainer=trainer,
        part=args.part,
    )
    for warning in report.warnings:
        log.warning("warning: %s", warning)
    if report.errors:
        return report_errors(report.errors)
    unchanged = (
        f" ({len(report.unchanged)} unchanged since the last build, taken from {CACHE_DIR_NAME}/)"
        if report.unchanged
        else ""
    )
    log.info(
        "Built %s language%s%s into %s in %.1f s",
        len(report.languages),
        "s" if len(report.languages) != 1 else "",
        unchanged,
        site_dir,
        report.seconds,
    )
    return EXIT_OK


def _run_assemble(args: argparse.Namespace, project: Path) -> int:
    from builder.build.parts import assemble_site

    site_dir = Path(os.path.abspath(args.site_dir)) if args.site_dir else project / "site"
    errors = assemble_site(project, [Path(os.path.abspath(p)) for p in args.parts], site_dir)
    if errors:
        return report_errors(errors, "nothing was assembled; the site was left as it was.")
    log.info("Assembled %s part%s into %s", len(args.parts), "s" * (len(args.parts) != 1), site_dir)
    return EXIT_OK


def _run_check(args: argparse.Namespace, project: Path) -> int:
    checked, errors = check_project(project, trust_project_code=args.trust_project_code)
    if errors:
        return report_errors(errors)
    report_warnings(checked.warnings)
    log.info(
        "All course files are valid (%s course%s).",
        len(checked.courses),
        "s" if len(checked.courses) != 1 else "",
    )
    return EXIT_OK


def _run_serve(args: argparse.Namespace, project: Path) -> int:
    from builder.cli.serve import serve

    return serve(
        project,
        port=args.port,
        languages=args.lang,
        courses=args.course,
        report_errors=report_errors,
    )


def _run_new_course(args: argparse.Namespace, project: Path) -> int:
    from builder.cli.scaffold import new_course

    for path in new_course(project, args.id):
        log.info("Created %s", path)
    return EXIT_OK


def _run_new_module(args: argparse.Namespace, project: Path) -> int:
    from builder.cli.scaffold import new_module

    for path in new_module(project, args.course, args.id):
        log.info("Created %s", path)
    return EXIT_OK


def _run_new_bank(args: argparse.Namespace, project: Path) -> int:
    from builder.cli.scaffold import new_bank

    for path in new_bank(project, args.id):
        log.info("Created %s", path)
    return EXIT_OK


def _run_schema(args: argparse.Namespace, project: Path) -> int:
    from builder.content.schema import write_schemas

    out = Path(args.out).resolve() if args.out else project / "schemas"
    for path in write_schemas(out):
        log.info("Wrote %s", path)
    return EXIT_OK
