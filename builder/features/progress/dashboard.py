"""The course overview's dashboard: an HTML fragment, hidden until `progress.js` fills it in from
what this browser stored. Without JavaScript the overview reads as before."""

from __future__ import annotations

import html
from typing import Any

from builder.engine.material_classes import PRIMARY_BUTTON
from builder.features.quiz.quiz import script_json
from builder.render.i18n import Messages


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
    items = "".join(
        f'<li data-sabaq-dashboard-module="{html.escape(m["id"])}">'
        f"{html.escape(m['title'])} <span data-sabaq-dashboard-state></span></li>"
        for m in modules
    )
    data = [{k: m[k] for k in ("id", "minutes", "questions")} for m in modules]
    payload = {
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
        f'aria-labelledby="sabaq-dashboard-{html.escape(course_id)}" hidden>'
        f'<h2 id="sabaq-dashboard-{html.escape(course_id)}">'
        f"{html.escape(strings.text('progress_heading'))}</h2>"
        "<p data-sabaq-dashboard-summary></p>"
        f"<p data-sabaq-dashboard-rule>{html.escape(strings.text('progress_rule', mark=pass_mark))}</p>"
        "<p data-sabaq-dashboard-complete-area hidden><strong data-sabaq-dashboard-complete>"
        f"{html.escape(strings.text('progress_complete'))}</strong> "
        f'<a href="certificate/" data-sabaq-dashboard-certificate>'
        f"{html.escape(strings.text('certificate_title'))}</a></p>"
        f'<ul class="sabaq-dashboard__modules" data-sabaq-dashboard-modules>{items}</ul>'
        "<p data-sabaq-dashboard-continue-area hidden>"
        f'<a class="{PRIMARY_BUTTON}" data-sabaq-dashboard-continue href="">'
        f"{html.escape(strings.text('progress_continue'))}</a></p>"
        f'<script type="application/json" data-sabaq-dashboard-data>{script_json(payload)}</script>'
        "</section>"
    )
