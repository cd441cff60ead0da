"""The trainers' page for trainees' progress files, `<language>/progress-files/`: files are
opened in the browser (`reader.js`), never uploaded, and compared with this site's courses."""

from __future__ import annotations

import html
from typing import Any

from builder.engine.material_classes import BUTTON, scrolling_table
from builder.features.progress.dashboard import PROGRESS_FORMAT
from builder.features.quiz.quiz import script_json
from builder.render.i18n import Messages

PAGE = "progress-files/index.md"


def render_progress_reader(courses: dict[str, dict[str, Any]], strings: Messages) -> str:
    """`courses`: course id -> its title, version and number of modules, on this site."""
    text = {key.removeprefix("reader_"): v for key, v in strings.subset("reader_").items()}
    # Course titles stay in the HTML (escaped), out of the script's data.
    data_courses = {
        course_id: {k: v for k, v in facts.items() if k != "title"}
        for course_id, facts in courses.items()
    }
    payload = {
        "format": PROGRESS_FORMAT,
        "language": strings.language,
        "courses": data_courses,
        "text": text,
    }
    titles = "".join(
        f'<li data-sabaq-reader-course="{html.escape(course_id)}">{html.escape(facts["title"])}</li>'
        for course_id, facts in courses.items()
    )
    e = html.escape
    columns = "".join(
        f'<th scope="col">{e(strings.text(f"reader_col_{name}"))}</th>'
        for name in ("file", "name", "course", "version", "read", "scores", "sent", "note")
    )
    return (
        f"<p>{e(strings.text('reader_note'))}</p>"
        f"<p data-sabaq-reader-needs-js data-sabaq-no-js>{e(strings.text('reader_needs_js'))}</p>"
        '<div class="sabaq-reader" data-sabaq-progress-reader data-sabaq-js-only>'
        f'<p><button type="button" class="{BUTTON}" data-sabaq-reader-open>'
        f"{e(strings.text('reader_choose'))}</button>"
        '<input type="file" multiple accept=".json,application/json" hidden '
        f'aria-label="{e(strings.text("reader_choose"))}" data-sabaq-reader-files></p>'
        '<div role="status"><ul data-sabaq-reader-refused></ul></div>'
        + scrolling_table(
            f"<table data-sabaq-reader-table hidden><thead><tr>{columns}</tr></thead>"
            "<tbody></tbody></table>"
        )
        + f'<p><button type="button" class="{BUTTON}" data-sabaq-reader-csv hidden>'
        f"{e(strings.text('reader_csv'))}</button></p>"
        f"<ul hidden>{titles}</ul>"
        f'<script type="application/json" data-sabaq-reader-data>{script_json(payload)}</script>'
        "</div>"
    )
