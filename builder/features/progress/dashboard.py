"""The course overview's dashboard: an HTML fragment, hidden until `progress.js` fills it in from
what this browser stored. Without JavaScript the overview reads as before."""

from __future__ import annotations

import html
from typing import Any

from builder.engine.material_classes import BUTTON, PRIMARY_BUTTON
from builder.features.quiz.quiz import script_json
from builder.render.i18n import Messages

#: A progress file's marker (features/progress/progress.js writes it; `sabaq progress read` reads it).
PROGRESS_FORMAT = "sabaq-progress"
#: The name a reader types on the certificate page, also written into their progress file.
NAME_KEY = "sabaq:v1:name"


def module_marker(course_id: str, module_id: str) -> str:
    """The attribute a module page carries so that `progress.js` records it as opened and read."""
    return f'data-sabaq-module="{html.escape(course_id)}/{html.escape(module_id)}"'


def render_dashboard(
    course_id: str,
    modules: list[dict[str, Any]],
    strings: Messages,
    *,
    version: str = "",
    pass_mark: int = 70,
) -> str:
    """`modules`: each module's id, title, minutes and number of quiz questions (0: no quiz), in
    course order. `version`: the course's content hash (version.py); `pass_mark`: the per cent
    each quiz needs for the course to be complete (course.yml's `completion`)."""
    text: dict[str, Any] = {
        key.removeprefix("progress_"): value for key, value in strings.subset("progress_").items()
    }
    text["minutes"] = dict(strings.strings["minutes"])
    # The titles are already on the page as HTML, escaped; the script's data needs only ids.
    # The page shows a new reader's dashboard (nothing read) from its first paint; progress.js
    # fills in what this browser has recorded.
    unread = html.escape(f"· {text['unread']}")
    items = "".join(
        f'<li data-sabaq-dashboard-module="{html.escape(m["id"])}">'
        f"{html.escape(m['title'])} <span data-sabaq-dashboard-state>{unread}</span></li>"
        for m in modules
    )
    summary = strings.text(
        "progress_summary",
        read=0,
        total=len(modules),
        left=strings.plural("minutes", sum(m["minutes"] for m in modules)),
    )
    data = [{k: m[k] for k in ("id", "minutes", "questions")} for m in modules]
    payload = {
        "format": PROGRESS_FORMAT,
        "name_key": NAME_KEY,
        "course": course_id,
        "version": version,
        "pass_mark": pass_mark,
        "language": strings.language,
        "modules": data,
        "text": text,
    }
    return (
        f'<section class="sabaq-dashboard" data-sabaq-dashboard="{html.escape(course_id)}" '
        f'data-sabaq-course-version="{html.escape(version)}" '
        f'aria-labelledby="sabaq-dashboard-{html.escape(course_id)}" data-sabaq-js-only>'
        f'<h2 id="sabaq-dashboard-{html.escape(course_id)}">'
        f"{html.escape(strings.text('progress_heading'))}</h2>"
        f"<p data-sabaq-dashboard-summary>{html.escape(summary)}</p>"
        f"<p data-sabaq-dashboard-rule>{html.escape(strings.text('progress_rule', mark=pass_mark))}</p>"
        "<p data-sabaq-dashboard-complete-area hidden><strong data-sabaq-dashboard-complete>"
        f"{html.escape(strings.text('progress_complete'))}</strong> "
        f'<a href="certificate/" data-sabaq-dashboard-certificate>'
        f"{html.escape(strings.text('certificate_title'))}</a></p>"
        f'<ul class="sabaq-dashboard__modules" data-sabaq-dashboard-modules>{items}</ul>'
        "<p data-sabaq-dashboard-continue-area hidden>"
        f'<a class="{PRIMARY_BUTTON}" data-sabaq-dashboard-continue href="">'
        f"{html.escape(strings.text('progress_continue'))}</a></p>"
        '<div class="sabaq-dashboard__share" data-sabaq-progress-share>'
        f"<p>{html.escape(strings.text('progress_file_note'))}</p>"
        f'<button type="button" class="{BUTTON}" data-sabaq-progress-send>'
        f"{html.escape(strings.text('progress_send'))}</button> "
        f'<button type="button" class="{BUTTON}" data-sabaq-progress-qr aria-expanded="false">'
        f"{html.escape(strings.text('progress_qr'))}</button> "
        f'<button type="button" class="{BUTTON}" data-sabaq-progress-restore>'
        f"{html.escape(strings.text('progress_restore'))}</button>"
        '<input type="file" accept=".json,application/json" data-sabaq-progress-file hidden '
        f'aria-label="{html.escape(strings.text("progress_restore"))}">'
        '<p role="status" data-sabaq-progress-message></p>'
        '<div class="sabaq-dashboard__qr" data-sabaq-progress-qr-area hidden></div>'
        "</div>"
        f'<script type="application/json" data-sabaq-dashboard-data>{script_json(payload)}</script>'
        "</section>"
    )
