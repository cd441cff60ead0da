"""`sabaq i18n`: translation status, stubs, and PO/XLIFF export and import."""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.build.pipeline import check_project
from builder.cli.output import EXIT_OK, log, report_errors


def run_i18n_status(args: argparse.Namespace, project: Path) -> int:
    from builder.cli.status import translation_status_json, translation_status_table

    checked, errors = check_project(project)
    if errors:
        return report_errors(errors)
    if args.format == "json":
        print(translation_status_json(checked))
    else:
        print(translation_status_table(checked, verbose=args.verbose))
    return EXIT_OK


def run_i18n_stub(args: argparse.Namespace, project: Path) -> int:
    from builder.features.translators.files import text_files
    from builder.features.translators.stub import stub_text, write_translation

    checked, errors = check_project(project)
    if errors:
        return report_errors(errors)
    written = 0
    for text_file in text_files(checked, args.language, args.course):
        if write_translation(project, text_file, stub_text(text_file)):
            written += 1
            log.info(
                "Wrote %s (%s to translate, %s changed since translated)",
                text_file.relative(project, text_file.translation_path),
                len(text_file.translated.untranslated),
                len(text_file.translated.stale),
            )
    if not written:
        log.info("Every translation file into '%s' was up to date.", args.language)
    return EXIT_OK


def run_i18n_export(args: argparse.Namespace, project: Path) -> int:
    from builder.features.translators.exchange import export_file
    from builder.features.translators.files import text_files

    checked, errors = check_project(project)
    if errors:
        return report_errors(errors)
    files = text_files(checked, args.language, args.course)
    suffix = "po" if args.format == "po" else "xlf"
    out = Path(args.out or f"{args.course or project.name}.{args.language}.{suffix}")
    out.write_bytes(export_file(files, args.format, args.language, project))
    log.info("Wrote %s (%s files)", out, len(files))
    return EXIT_OK


def run_i18n_import(args: argparse.Namespace, project: Path) -> int:
    from builder.features.translators.exchange import import_file
    from builder.features.translators.stub import write_translation

    checked, errors = check_project(project)
    if errors:
        return report_errors(errors)
    updates, import_errors = import_file(checked, Path(args.file))
    if import_errors:
        return report_errors(import_errors, "nothing was written.")
    for text_file, text in updates:
        if write_translation(project, text_file, text):
            log.info("Wrote %s", text_file.relative(project, text_file.translation_path))
    return EXIT_OK
