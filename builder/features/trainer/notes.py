"""The trainer edition's additions, as HTML fragments: a module's notes, its quiz's answer key,
and a course's workshop plan. Texts are trainers' Markdown, rendered safe (render/markdown_ext)."""

from __future__ import annotations

import html
from typing import Any

from builder.content.model import (
    ClaimRating,
    FillBlank,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    QuizBank,
    SingleChoice,
    TrainerNotes,
    TrueFalse,
)
from builder.engine.material_classes import scrolling_table
from builder.render.i18n import Messages
from builder.render.markdown_ext import render_fragment, render_inline

#: The trainer edition's site folder, beside the trainees' `site/`.
TRAINER_SITE_DIR = "site-trainer"
#: A course's workshop plan page, in the trainer edition only.
WORKSHOP_PAGE = "workshop"


def render_trainer_notes(notes: TrainerNotes, strings: Messages) -> str:
    e = html.escape
    parts = [
        '<section class="sabaq-trainer" data-sabaq-trainer aria-labelledby="sabaq-trainer-notes">',
        f'<h2 id="sabaq-trainer-notes">{e(strings.text("trainer_heading"))}</h2>',
    ]
    if notes.session_plan:
        parts.append(f"<h3>{e(strings.text('trainer_plan'))}</h3>")
        parts.append(_plan_table(notes.session_plan, strings))
    if notes.discussion:
        parts.append(f"<h3>{e(strings.text('trainer_discussion'))}</h3>")
        parts.append(
            "<ul>" + "".join(f"<li>{render_inline(q)}</li>" for q in notes.discussion) + "</ul>"
        )
    if notes.exercise_notes:
        parts.append(f"<h3>{e(strings.text('trainer_exercises'))}</h3>")
        parts.append(render_fragment(notes.exercise_notes))
    if notes.common_mistakes:
        parts.append(f"<h3>{e(strings.text('trainer_mistakes'))}</h3>")
        parts.append(
            "<ul>"
            + "".join(f"<li>{render_inline(m)}</li>" for m in notes.common_mistakes)
            + "</ul>"
        )
    parts.append("</section>")
    return "".join(parts)


def _plan_table(steps: list[Any], strings: Messages) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(strings.duration(step.minutes))}</td><td>{render_inline(step.activity)}</td></tr>"
        for step in steps
    )
    total = sum(step.minutes for step in steps)
    return scrolling_table(
        f'<table><thead><tr><th scope="col">{e(strings.text("trainer_time"))}</th>'
        f'<th scope="col">{e(strings.text("trainer_activity"))}</th></tr></thead>'
        f'<tbody>{rows}</tbody><tfoot><tr><th scope="row">{e(strings.text("trainer_total"))}</th>'
        f"<td>{e(strings.duration(total))}</td></tr></tfoot></table>"
    )


def render_answer_key(bank: QuizBank, question_ids: list[str] | None, strings: Messages) -> str:
    """Every question of the module's quiz with its right answer and its explanation."""
    e = html.escape
    by_id = {q.id: q for q in bank.questions}
    questions = [by_id[i] for i in question_ids] if question_ids else bank.questions
    items = []
    for question in questions:
        answer = _answer(question, strings)
        explanation = (
            f"<div>{render_fragment(question.explanation)}</div>" if question.explanation else ""
        )
        items.append(
            f"<li><div>{render_fragment(question.prompt)}</div>"
            f"<p><strong>{e(strings.text('trainer_answer'))}:</strong> {answer}</p>{explanation}</li>"
        )
    return (
        '<section class="sabaq-trainer" data-sabaq-answer-key aria-labelledby="sabaq-answer-key">'
        f'<h2 id="sabaq-answer-key">{e(strings.text("trainer_answer_key"))}</h2>'
        f"<ol>{''.join(items)}</ol></section>"
    )


def _answer(question: Any, strings: Messages) -> str:
    e = html.escape
    if isinstance(question, SingleChoice | MultipleChoice | ClaimRating):
        return "; ".join(render_inline(o.text) for o in question.options if o.correct)
    if isinstance(question, TrueFalse):
        return e(strings.text("quiz_true" if question.answer else "quiz_false"))
    if isinstance(question, FillBlank):
        return " / ".join(e(text) for text in question.accepted)
    if isinstance(question, Numeric):
        tolerance = f" ± {question.tolerance:g}" if question.tolerance else ""
        return e(f"{question.answer:g}{tolerance} {question.unit or ''}".strip())
    if isinstance(question, Ordering):
        return " → ".join(render_inline(step) for step in question.steps)
    if isinstance(question, Matching):
        return "; ".join(
            f"{render_inline(p.left)} → {render_inline(p.right)}" for p in question.pairs
        )
    return ""


def render_workshop(modules: list[tuple[str, str, TrainerNotes | None]], strings: Messages) -> str:
    """`modules`: each module's id, title and notes, in course order."""
    e = html.escape
    parts = [f"<p>{e(strings.text('trainer_workshop_intro'))}</p>"]
    total = 0
    for module_id, title, notes in modules:
        parts.append(f'<h2 id="{e(module_id)}"><a href="../{e(module_id)}/">{e(title)}</a></h2>')
        if notes and notes.session_plan:
            parts.append(_plan_table(notes.session_plan, strings))
            total += sum(step.minutes for step in notes.session_plan)
        else:
            parts.append(f"<p>{e(strings.text('trainer_no_plan'))}</p>")
    parts.append(
        f"<p><strong>{e(strings.text('trainer_workshop_total'))}:</strong> "
        f"{e(strings.duration(total))}</p>"
    )
    return '<div class="sabaq-trainer" data-sabaq-workshop>' + "".join(parts) + "</div>"
