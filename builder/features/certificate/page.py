"""The certificate page, `<course-id>/certificate/`, as an HTML fragment that `certificate.js`
fills in from what this browser stored (builder/features/progress). Without JavaScript, or
before the course is complete, the page says what it needs."""

from __future__ import annotations

import html
from typing import Any

from builder.content.validation.courses import CERTIFICATE_PAGE
from builder.engine.material_classes import PRIMARY_BUTTON
from builder.features.progress.dashboard import NAME_KEY
from builder.features.quiz.quiz import script_json
from builder.render.i18n import Messages

PAGE_NAME = CERTIFICATE_PAGE


def render_certificate(
    course_id: str,
    course_title: str,
    modules: list[dict[str, Any]],
    strings: Messages,
    *,
    version: str,
    pass_mark: int,
) -> str:
    """`modules`: each module's id, title and number of quiz questions, in course order."""
    text = {
        key.removeprefix("certificate_"): v for key, v in strings.subset("certificate_").items()
    }
    payload = {
        "course": course_id,
        "version": version,
        "pass_mark": pass_mark,
        "language": strings.language,
        "name_key": NAME_KEY,
        # Titles stay in the HTML (escaped), out of the script's data.
        "modules": [{k: m[k] for k in ("id", "questions")} for m in modules],
        "text": text,
    }
    e = html.escape
    return (
        f'<p class="sabaq-certificate__needs-js" data-sabaq-certificate-needs-js data-sabaq-no-js>'
        f"{e(strings.text('certificate_needs_js'))}</p>"
        f'<section class="sabaq-certificate" data-sabaq-certificate="{e(course_id)}" data-sabaq-js-only>'
        '<p data-sabaq-certificate-status role="status"></p>'
        '<div class="sabaq-certificate__form" data-sabaq-certificate-form hidden>'
        f'<label for="sabaq-certificate-name">{e(strings.text("certificate_name_label"))}</label> '
        '<input id="sabaq-certificate-name" type="text" autocomplete="name" maxlength="120" '
        "data-sabaq-certificate-name-input> "
        f'<button type="button" class="{PRIMARY_BUTTON}" data-sabaq-certificate-print>'
        f"{e(strings.text('certificate_print'))}</button>"
        f"<p>{e(strings.text('certificate_kept'))}</p>"
        "</div>"
        '<article class="sabaq-certificate__sheet" data-sabaq-certificate-sheet hidden>'
        f'<p class="sabaq-certificate__kicker">{e(strings.text("certificate_heading"))}</p>'
        '<p class="sabaq-certificate__name" data-sabaq-certificate-name></p>'
        f"<p>{e(strings.text('certificate_completed'))}</p>"
        f'<p class="sabaq-certificate__course">{e(course_title)}</p>'
        '<dl class="sabaq-certificate__facts">'
        f"<dt>{e(strings.text('certificate_date'))}</dt><dd data-sabaq-certificate-date></dd>"
        f"<dt>{e(strings.text('certificate_version'))}</dt><dd>{e(version)}</dd>"
        f"<dt>{e(strings.text('certificate_scores'))}</dt>"
        "<dd><ul data-sabaq-certificate-scores>"
        + "".join(
            f'<li data-sabaq-certificate-module="{e(m["id"])}">{e(m["title"])}: '
            "<span data-sabaq-certificate-score></span></li>"
            for m in modules
            if m["questions"]
        )
        + "</ul></dd>"
        "</dl>"
        f'<p class="sabaq-certificate__note">{e(strings.text("certificate_note"))}</p>'
        "</article>"
        f'<script type="application/json" data-sabaq-certificate-data>{script_json(payload)}</script>'
        "</section>"
    )
