"""`sabaq i18n status`: how much of each course is translated, per language, and with --verbose
or --format json which texts of which files are missing or stale."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from builder.content.document import DataPath, short_text
from builder.content.errors import format_path
from builder.content.project import Edition, Project
from builder.content.translate import text_at
from builder.features.translators.files import edition_content

#: The counts of a row that are numbers, right-aligned in the table.
_NUMERIC = {"translated", "missing", "stale", "draft", "reviewed", "no file"}


def translation_status_rows(project: Project) -> list[dict[str, object]]:
    """One row per course and language, counting every text of the course and its quizzes."""
    return [row for row, _ in _rows(project)]


def _rows(project: Project) -> list[tuple[dict[str, object], list[Edition]]]:
    rows: list[tuple[dict[str, object], list[Edition]]] = []
    for course_project in project.courses:
        for language, edition in course_project.editions.items():
            editions: list[Edition] = [edition, *edition.modules]
            banks = {
                module.module.quiz.bank
                for module in edition.modules
                if module.module.quiz is not None
            }
            editions += [project.banks[bank][language] for bank in sorted(banks)]
            rows.append(
                (
                    {
                        "course": course_project.course.id,
                        "language": language,
                        **_counts(editions),
                        "status": edition.overall_status,
                    },
                    editions,
                )
            )
    # The glossary and the request builder's rules are counted on rows of their own, in every
    # language the site is published in.
    shared: list[tuple[str, Mapping[str, Edition]]] = [
        ("(glossary)", project.glossary),
        ("(rti)", project.rti),
    ]
    for name, by_language in shared:
        for language in project.languages() if by_language else []:
            one = by_language[language]
            status = one.status if one.status != "missing" else "partial"
            counts = _counts([one])
            rows.append(
                (
                    {
                        "course": name,
                        "language": language,
                        **counts,
                        "status": "partial"
                        if (counts["missing"] or counts["stale"]) and status != "source"
                        else status,
                    },
                    [one],
                )
            )
    return rows


def _counts(editions: list[Edition]) -> dict[str, int]:
    return {
        "translated": sum(len(e.translated.supplied) for e in editions),
        "missing": sum(len(e.translated.untranslated) for e in editions if e.status != "source"),
        "stale": sum(len(e.translated.stale) for e in editions),
        "draft": sum(e.status == "draft" for e in editions),
        "reviewed": sum(e.status == "reviewed" for e in editions),
        "no file": sum(e.status == "missing" for e in editions),
    }


def _details(project: Project, language: str, editions: list[Edition]) -> list[dict[str, object]]:
    """Per file with something to do: the file, and its missing and stale texts (path and the
    source's text, shortened)."""
    details: list[dict[str, object]] = []
    for edition in editions:
        translated = edition.translated
        if edition.status == "source" or not (translated.untranslated or translated.stale):
            continue
        source = translated.source
        path = edition.path
        if path is None and source is not None:
            path = source.with_name(f"{source.name.removesuffix('.yml')}.{language}.yml")
        # Missing and stale texts fall back, so the edition's content holds their source text.
        model = edition_content(edition)

        def texts(paths: list[DataPath], model: object = model) -> list[dict[str, str]]:
            return [
                {"path": format_path(p), "source": short_text(str(text_at(model, p)), 70)}
                for p in paths
            ]

        details.append(
            {
                "file": _relative(path, project.root),
                "exists": edition.path is not None,
                "missing": texts(list(translated.untranslated)),
                "stale": texts([p for p in translated.texts if p in translated.stale]),
            }
        )
    return details


def _relative(path: Path | None, root: Path) -> str:
    if path is None:
        return ""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def translation_status_json(project: Project) -> str:
    """The rows, each with the files and texts that need work, as JSON for scripts and CI."""
    rows = [
        {**row, "files": _details(project, str(row["language"]), editions)}
        for row, editions in _rows(project)
    ]
    return json.dumps({"rows": rows}, ensure_ascii=False, indent=2)


def translation_status_table(project: Project, *, verbose: bool = False) -> str:
    pairs = _rows(project)
    rows = [row for row, _ in pairs]
    if not rows:
        return "No courses."
    headers = list(rows[0])
    widths = {h: max(len(h), *(len(str(row[h])) for row in rows)) for h in headers}

    def line(values: dict[str, object]) -> str:
        return "  ".join(
            str(values[h]).rjust(widths[h]) if h in _NUMERIC else str(values[h]).ljust(widths[h])
            for h in headers
        ).rstrip()

    out = [line({h: h for h in headers}), "  ".join("-" * widths[h] for h in headers)]
    out += [line(row) for row in rows]
    out.append("")
    out.append(
        "translated/missing/stale count texts (titles, paragraphs, options...); stale ones "
        "translate an older original and show the original until updated; draft/reviewed/no "
        "file count files."
    )
    if verbose:
        for row, editions in pairs:
            details = _details(project, str(row["language"]), editions)
            if not details:
                continue
            out += ["", f"{row['course']} ({row['language']}):"]
            for detail in details:
                suffix = "" if detail["exists"] else " (no file yet)"
                out.append(f"  {detail['file']}{suffix}")
                for kind in ("missing", "stale"):
                    for text in detail[kind]:  # type: ignore[attr-defined]
                        out.append(f"    {kind}: {text['path']}: {text['source']}")
    return "\n".join(out)
