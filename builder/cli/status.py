"""`sabaq i18n status`: how much of each course is translated, per language."""

from __future__ import annotations

from collections.abc import Mapping

from builder.content.project import Edition, Project


def translation_status_rows(project: Project) -> list[dict[str, object]]:
    """One row per course and language, counting every text of the course and its quizzes."""
    rows: list[dict[str, object]] = []
    for course_project in project.courses:
        for language, edition in course_project.editions.items():
            editions: list[Edition] = [edition, *edition.modules]
            banks = {
                module.module.quiz.bank
                for module in edition.modules
                if module.module.quiz is not None
            }
            editions += [project.banks[bank][language] for bank in sorted(banks)]
            total = sum(len(e.translated.texts) for e in editions)
            missing = sum(len(e.translated.missing) for e in editions)
            rows.append(
                {
                    "course": course_project.course.id,
                    "language": language,
                    "translated": total - missing,
                    "missing": missing,
                    "draft": sum(e.status == "draft" for e in editions),
                    "reviewed": sum(e.status == "reviewed" for e in editions),
                    "no file": sum(e.status == "missing" for e in editions),
                    "status": edition.overall_status,
                }
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
            missing = len(one.translated.missing)
            status = one.status if one.status != "missing" else "partial"
            rows.append(
                {
                    "course": name,
                    "language": language,
                    "translated": len(one.translated.texts) - missing,
                    "missing": missing,
                    "draft": int(one.status == "draft"),
                    "reviewed": int(one.status == "reviewed"),
                    "no file": int(one.status == "missing"),
                    "status": "partial" if missing and status != "source" else status,
                }
            )
    return rows


def translation_status_table(project: Project) -> str:
    rows = translation_status_rows(project)
    if not rows:
        return "No courses."
    headers = list(rows[0])
    widths = {h: max(len(h), *(len(str(row[h])) for row in rows)) for h in headers}
    numeric = {"translated", "missing", "draft", "reviewed", "no file"}

    def line(values: dict[str, object]) -> str:
        return "  ".join(
            str(values[h]).rjust(widths[h]) if h in numeric else str(values[h]).ljust(widths[h])
            for h in headers
        ).rstrip()

    out = [line({h: h for h in headers}), "  ".join("-" * widths[h] for h in headers)]
    out += [line(row) for row in rows]
    out.append("")
    out.append(
        "translated/missing count texts (titles, paragraphs, options...); draft/reviewed/no file count files."
    )
    return "\n".join(out)
