"""The quiz at the end of a module page: readable without JavaScript, checkable in the browser.

`render_quiz` turns a question bank (already in the page's language) into one HTML fragment:

- the questions as plain HTML (an `<ol>` of `<fieldset>`s with labelled inputs), so that a reader
  without JavaScript still sees every question and option;
- the controls the quiz engine (`builder/features/quiz/quiz.js`) needs, rendered `hidden` so that they
  only appear once the engine runs;
- the data the engine checks answers with, in `<script type="application/json">`, so that the quiz
  works from `file://` (no fetch).

Right answers never appear in clear: the page holds salted SHA-256 hashes of them (numbers are
XOR-masked instead, because a tolerance cannot be hashed). Anyone who reads this file and the page
can still work the answers out; the aim is that nobody reads them at a glance or finds them by
searching the page source. See `docs/quizzes.md`.

Every hash here has a twin in quiz.js; a change to one must be made in the other.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from builder.content.model import (
    ClaimRating,
    FillBlank,
    Matching,
    MultipleChoice,
    Numeric,
    Option,
    Ordering,
    QuestionBase,
    QuizBank,
    SingleChoice,
    TrueFalse,
)
from builder.render.markdown_ext import render_fragment, render_inline

#: Hex digits kept of each SHA-256 hash: 128 bits, far more than telling answers apart needs.
HASH_LENGTH = 32
#: Hex digits of the per-question salt.
SALT_LENGTH = 16
#: Hex digits of the opaque ids given to ordering steps and matching items.
OPAQUE_ID_LENGTH = 8
#: Bump when the payload changes shape, together with `PAYLOAD_VERSION` in quiz.js.
PAYLOAD_VERSION = 1

# Uzbek Latin writes oʻ and gʻ with U+02BB and the tutuq belgisi with U+02BC, but keyboards and
# phones produce ' ’ ‘ ` as well; all of them count as the same letter. The same set is in quiz.js.
_APOSTROPHES = re.compile("[\u02bb'\u2019`\u2018\u02bc]")
# Python's str.split() and JavaScript's \s disagree on a few characters, so both sides spell out
# the same set: JavaScript's whitespace plus the separators Python also counts (U+001C-U+001F,
# U+0085).
_WHITESPACE = re.compile(
    "[\t-\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+"
)
# In `<script type="application/json">` these could end the script, open a comment or confuse an
# HTML parser; U+2028/U+2029 break older JavaScript parsers. JSON allows \u escapes for all five.
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SCRIPT_UNSAFE_PATTERN = re.compile("[<>&\u2028\u2029]")


def render_quiz(
    bank: QuizBank,
    question_ids: Sequence[str] | None,
    *,
    storage_key: str,
    messages: Mapping[str, str],
    fallback_language: Mapping[str, str] | None = None,
) -> str:
    """The quiz as an HTML fragment for a module page.

    `question_ids` picks questions from the bank, in that order (None: all, in bank order).
    `storage_key` is "<course-id>/<module-id>", the same in every language so that a reader's
    progress carries over when they switch language. `messages` holds the page language's quiz_*
    strings; placeholders the engine fills ({score}, {total}, {number}) are left in them.
    `fallback_language` names, by question id, the language of questions shown untranslated.

    Scoring, one point per question: single choice, true/false, claim rating, fill in the blank,
    numeric and ordering score 1 or 0. Multiple choice scores
    max(0, (right picks - wrong picks) / number of correct options), so choosing everything earns
    nothing. Matching scores the share of pairs matched rightly.
    """
    questions = _select_questions(bank, question_ids)
    total = len(questions)
    id_prefix = "sabaq-quiz-" + re.sub(r"[^a-z0-9-]+", "--", storage_key.lower())
    parts = [
        f'<section class="sabaq-quiz" data-sabaq-quiz="{_attr(storage_key)}" '
        f'aria-label="{_attr(bank.title)}">',
        f'<p class="sabaq-quiz__notice" data-sabaq-quiz-needs-js data-sabaq-no-js>'
        f"{_text(messages['quiz_needs_js'])}</p>",
        '<ol class="sabaq-quiz__questions">',
    ]
    payload_questions = []
    for number, question in enumerate(questions, start=1):
        html_part, data = _render_question(
            question,
            number=number,
            total=total,
            storage_key=storage_key,
            element_id=f"{id_prefix}--{question.id}",
            messages=messages,
        )
        if fallback_language and question.id in fallback_language:
            html_part = html_part.replace(
                "<li ", f'<li lang="{_attr(fallback_language[question.id])}" ', 1
            )
        parts.append(html_part)
        payload_questions.append(data)
    parts.append("</ol>")
    parts.append(
        '<div class="sabaq-quiz__summary" data-sabaq-quiz-controls data-sabaq-js-only>'
        '<p class="sabaq-quiz__status" role="status" data-sabaq-quiz-status></p>'
        f'<p class="sabaq-quiz__saved">{_text(messages["quiz_saved"])}</p>'
        '<button type="button" class="sabaq-quiz__button" data-sabaq-quiz-action="reset">'
        f"{_text(messages['quiz_reset'])}</button>"
        "</div>"
    )
    payload = {
        "version": PAYLOAD_VERSION,
        # Key names avoid the words "correct" and "answer", so that searching the page for them
        # finds nothing useful.
        "text": {
            "right": messages["quiz_correct"],
            "wrong": messages["quiz_incorrect"],
            "partial": messages["quiz_partial"],
            "score": messages["quiz_score"],
            "empty": messages["quiz_no_answer"],
            "cleared": messages["quiz_reset_done"],
            "explanation": messages["quiz_explanation"],
            "step": messages["quiz_step"],
        },
        "questions": payload_questions,
    }
    parts.append(
        f'<script type="application/json" data-sabaq-quiz-data>{script_json(payload)}</script>'
    )
    parts.append("</section>")
    return "\n".join(parts) + "\n"


# --- Answers and hashes (twins in quiz.js) --------------------------------------------------------


def normalise_answer(text: str) -> str:
    """A typed answer as it is compared: Unicode NFKC, every Uzbek apostrophe variant
    (ʻ ' ’ ` ‘ ʼ) as ', whitespace trimmed and collapsed to one space, lower case.

    Lower case is str.lower(), not casefold(), because JavaScript's toLowerCase() matches lower()
    (casefold() would also turn ß into ss, which the browser would not)."""
    text = unicodedata.normalize("NFKC", text)
    text = _APOSTROPHES.sub("'", text)
    text = _WHITESPACE.sub(" ", text).strip(" ")
    return text.lower()


def answer_hash(salt: str, *parts: object) -> str:
    """The first HASH_LENGTH hex digits of SHA-256("salt:part:part...") over UTF-8."""
    message = ":".join([salt, *(str(part) for part in parts)])
    return hashlib.sha256(message.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def question_salt(storage_key: str, question: QuestionBase) -> str:
    """A salt that looks random but is the same on every build of the same question, so that
    golden tests can compare output. It changes whenever the question changes."""
    content = json.dumps(question.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    seed = f"sabaq-quiz-salt:{storage_key}:{question.id}:{content}"
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:SALT_LENGTH]


def mask_number(salt: str, value: float, tolerance: float) -> str:
    """'[value,tolerance]' as JSON, XORed with the salt's characters, in hex.

    This is obfuscation, not secrecy: the salt sits next to it in the page. It keeps the number
    out of view-source and out of a search for it."""
    if not (math.isfinite(value) and math.isfinite(tolerance)):
        raise ValueError("a numeric answer and its tolerance must be finite numbers")
    plain = json.dumps([value, tolerance], separators=(",", ":")).encode("ascii")
    key = salt.encode("ascii")
    return bytes(byte ^ key[index % len(key)] for index, byte in enumerate(plain)).hex()


def script_json(data: Any) -> str:
    """JSON that is safe inside `<script type="application/json">`: `<`, `>`, `&`, U+2028 and
    U+2029 are written as \\u escapes, so no text in it can end the script or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _SCRIPT_UNSAFE_PATTERN.sub(lambda match: _SCRIPT_UNSAFE[match.group(0)], text)


def opaque_ids(storage_key: str, question_id: str, kind: str, count: int) -> list[str]:
    """Ids for ordering steps or matching items that do not give away their position.

    They depend on the position in the source, not on the text, so they are the same in every
    language and a saved answer still fits after the reader switches language."""
    for length in (OPAQUE_ID_LENGTH, 2 * OPAQUE_ID_LENGTH, 64):
        ids = [
            hashlib.sha256(f"{storage_key}:{question_id}:{kind}:{index}".encode()).hexdigest()[
                :length
            ]
            for index in range(count)
        ]
        if len(set(ids)) == count:
            return [kind[0] + value for value in ids]
    raise AssertionError("unreachable: SHA-256 digests of distinct inputs collided")


def shuffled(keys: Sequence[str], seed: str) -> list[str]:
    """`keys` in an order that looks random but is the same on every build, and never the
    original order (a reader should not get an ordering question right by pressing Check)."""
    order = sorted(keys, key=lambda key: hashlib.sha256(f"{seed}:{key}".encode()).hexdigest())
    if len(order) > 1 and order == list(keys):
        order = order[1:] + order[:1]
    return order


# --- Questions ------------------------------------------------------------------------------------


def _select_questions(bank: QuizBank, question_ids: Sequence[str] | None) -> list[Any]:
    if question_ids is None:
        return list(bank.questions)
    by_id = {question.id: question for question in bank.questions}
    missing = [question_id for question_id in question_ids if question_id not in by_id]
    if missing:
        raise ValueError(
            f"quiz bank '{bank.id}' has no question with the id "
            + ", ".join(f"'{question_id}'" for question_id in missing)
        )
    return [by_id[question_id] for question_id in question_ids]


def _render_question(
    question: Any,
    *,
    number: int,
    total: int,
    storage_key: str,
    element_id: str,
    messages: Mapping[str, str],
) -> tuple[str, dict[str, Any]]:
    salt = question_salt(storage_key, question)
    data: dict[str, Any] = {"id": question.id, "type": question.type, "salt": salt}
    heading = (
        messages["quiz_question"].replace("{number}", str(number)).replace("{total}", str(total))
    )
    prompt_html = render_fragment(question.prompt).strip()
    inline_prompt = _single_paragraph(prompt_html)
    described_by: list[str] = []
    labelled_by = ""

    head = [f'<span class="sabaq-quiz__number">{_text(heading)}</span>']
    body: list[str] = []
    if inline_prompt is not None:
        head.append(f' <span class="sabaq-quiz__prompt">{inline_prompt}</span>')
    else:
        # A legend holds only phrasing content, so a prompt of several paragraphs follows it and
        # joins the group's name through aria-labelledby.
        labelled_by = f' aria-labelledby="{element_id}--legend {element_id}--prompt"'
        body.append(
            f'<div class="sabaq-quiz__prompt" id="{element_id}--prompt">{prompt_html}</div>'
        )

    if isinstance(question, ClaimRating):
        claimant = (
            f'<p class="sabaq-quiz__claimant">— {render_inline(question.claimant)}</p>'
            if question.claimant
            else ""
        )
        body.append(
            f'<blockquote class="sabaq-quiz__claim" id="{element_id}--claim">'
            f"{render_fragment(question.claim).strip()}{claimant}</blockquote>"
        )
        described_by.append(f"{element_id}--claim")

    if isinstance(question, (SingleChoice, MultipleChoice, ClaimRating)):
        kind = "checkbox" if isinstance(question, MultipleChoice) else "radio"
        body.append(_choices(question.options, kind, element_id, salt, data))
    elif isinstance(question, TrueFalse):
        options = [
            Option(
                id="true",
                text=messages["quiz_true"],
                correct=question.answer,
                feedback=question.feedback_true,
            ),
            Option(
                id="false",
                text=messages["quiz_false"],
                correct=not question.answer,
                feedback=question.feedback_false,
            ),
        ]
        body.append(_choices(options, "radio", element_id, salt, data, plain_labels=True))
    elif isinstance(question, FillBlank):
        data["hashes"] = sorted({answer_hash(salt, normalise_answer(a)) for a in question.accepted})
        body.append(_text_field(element_id, messages["quiz_answer_label"], numeric=False))
    elif isinstance(question, Numeric):
        data["mask"] = mask_number(salt, question.answer, question.tolerance)
        unit = render_inline(question.unit) if question.unit else None
        body.append(_text_field(element_id, messages["quiz_number_label"], numeric=True, unit=unit))
    elif isinstance(question, Ordering):
        body.append(_ordering(question, storage_key, element_id, salt, messages, data))
    elif isinstance(question, Matching):
        body.append(_matching(question, storage_key, element_id, salt, messages, data))
    else:  # pragma: no cover - the model's union is closed
        raise TypeError(f"unknown question type {question.type!r}")

    explanation = getattr(question, "explanation", None)
    if explanation:
        data["explanation"] = render_fragment(explanation).strip()
    body.append(_controls(messages, has_explanation=bool(explanation)))
    body.append(
        '<div class="sabaq-quiz__feedback" data-sabaq-quiz-feedback tabindex="-1" hidden></div>'
    )
    if explanation:
        body.append(
            '<div class="sabaq-quiz__explanation" data-sabaq-quiz-explanation tabindex="-1" '
            "hidden></div>"
        )

    described = f' aria-describedby="{" ".join(described_by)}"' if described_by else ""
    html_part = (
        f'<li class="sabaq-quiz__question" id="{element_id}" '
        f'data-sabaq-question="{_attr(question.id)}" data-sabaq-type="{question.type}">\n'
        f"<fieldset{labelled_by}{described}>\n"
        f'<legend id="{element_id}--legend">{"".join(head)}</legend>\n'
        + "\n".join(body)
        + "\n</fieldset>\n</li>"
    )
    return html_part, data


def _choices(
    options: Sequence[Option],
    kind: str,
    element_id: str,
    salt: str,
    data: dict[str, Any],
    *,
    plain_labels: bool = False,
) -> str:
    """Radio buttons or checkboxes. Each option's hash is of "salt:id:1" if it is right and
    "salt:id:0" if not, so the engine can tell, and the page cannot be read."""
    hashes: dict[str, str] = {}
    feedback: dict[str, str] = {}
    rows = ['<div class="sabaq-quiz__options">']
    for option in options:
        hashes[option.id] = answer_hash(salt, option.id, 1 if option.correct else 0)
        if option.feedback:
            # Keyed by option id only, with no flag saying whether the option is right.
            feedback[option.id] = render_fragment(option.feedback).strip()
        label = _text(option.text) if plain_labels else render_inline(option.text)
        rows.append(
            f'<div class="sabaq-quiz__option" data-sabaq-option="{_attr(option.id)}">'
            f'<label><input type="{kind}" name="{element_id}" value="{_attr(option.id)}"> '
            f"<span>{label}</span></label></div>"
        )
    rows.append("</div>")
    data["options"] = hashes
    if feedback:
        data["feedback"] = feedback
    return "\n".join(rows)


def _text_field(element_id: str, label: str, *, numeric: bool, unit: str | None = None) -> str:
    field_id = f"{element_id}--input"
    extra = ' inputmode="decimal"' if numeric else ""
    unit_html = ""
    if unit:
        extra += f' aria-describedby="{field_id}-unit"'
        unit_html = f' <span class="sabaq-quiz__unit" id="{field_id}-unit">{unit}</span>'
    return (
        '<div class="sabaq-quiz__field">'
        f'<label for="{field_id}">{_text(label)}</label> '
        f'<span class="sabaq-quiz__input"><input type="text" id="{field_id}"{extra} '
        f'autocomplete="off" autocapitalize="none" spellcheck="false">{unit_html}</span></div>'
    )


def _ordering(
    question: Ordering,
    storage_key: str,
    element_id: str,
    salt: str,
    messages: Mapping[str, str],
    data: dict[str, Any],
) -> str:
    """Steps shown shuffled, each with Move up / Move down buttons. The page holds the hash of
    "salt:id,id,id" for the right order of the steps' opaque ids."""
    ids = opaque_ids(storage_key, question.id, "step", len(question.steps))
    text_by_id = dict(zip(ids, question.steps, strict=True))
    data["sequence"] = answer_hash(salt, ",".join(ids))
    rows = ['<ol class="sabaq-quiz__order">']
    for item_id in shuffled(ids, salt):
        text_id = f"{element_id}--{item_id}"
        rows.append(
            f'<li class="sabaq-quiz__step" data-sabaq-item="{item_id}">'
            f'<span class="sabaq-quiz__step-text" id="{text_id}">'
            f"{render_inline(text_by_id[item_id])}</span>"
            '<span class="sabaq-quiz__moves" data-sabaq-quiz-controls data-sabaq-js-only>'
            f'<button type="button" class="sabaq-quiz__button" data-sabaq-quiz-move="-1" '
            f'aria-describedby="{text_id}"><span aria-hidden="true">↑</span> '
            f"{_text(messages['quiz_move_up'])}</button>"
            f'<button type="button" class="sabaq-quiz__button" data-sabaq-quiz-move="1" '
            f'aria-describedby="{text_id}"><span aria-hidden="true">↓</span> '
            f"{_text(messages['quiz_move_down'])}</button>"
            "</span></li>"
        )
    rows.append("</ol>")
    # Announces a step's new place after a move, for readers who cannot see the list change.
    rows.append('<p class="sabaq-quiz__hidden" role="status" data-sabaq-quiz-moved></p>')
    return "\n".join(rows)


def _matching(
    question: Matching,
    storage_key: str,
    element_id: str,
    salt: str,
    messages: Mapping[str, str],
    data: dict[str, Any],
) -> str:
    """Left items in order, each with a select of the right items, shuffled. Equal right items
    are offered once. The page holds, per left item n, the hash of "salt:n:right-id"."""
    ids = opaque_ids(storage_key, question.id, "right", len(question.pairs))
    id_by_text: dict[str, str] = {}
    for pair, item_id in zip(question.pairs, ids, strict=True):
        id_by_text.setdefault(pair.right, item_id)
    text_by_id = {item_id: text for text, item_id in id_by_text.items()}
    choices = "".join(
        f'<option value="{item_id}">{_text(text_by_id[item_id])}</option>'
        for item_id in shuffled(list(text_by_id), salt)
    )
    data["pairs"] = [
        answer_hash(salt, index, id_by_text[pair.right])
        for index, pair in enumerate(question.pairs)
    ]
    rows = ['<div class="sabaq-quiz__pairs">']
    for index, pair in enumerate(question.pairs):
        select_id = f"{element_id}--pair-{index}"
        rows.append(
            f'<div class="sabaq-quiz__pair" data-sabaq-pair="{index}">'
            f'<label for="{select_id}">{render_inline(pair.left)}</label> '
            f'<select id="{select_id}"><option value="">{_text(messages["quiz_choose"])}</option>'
            f"{choices}</select></div>"
        )
    rows.append("</div>")
    return "\n".join(rows)


def _controls(messages: Mapping[str, str], *, has_explanation: bool) -> str:
    reveal = (
        '<button type="button" class="sabaq-quiz__button" data-sabaq-quiz-action="reveal">'
        f"{_text(messages['quiz_reveal'])}</button>"
        if has_explanation
        else ""
    )
    return (
        '<div class="sabaq-quiz__actions" data-sabaq-quiz-controls data-sabaq-js-only>'
        '<button type="button" class="sabaq-quiz__button sabaq-quiz__button--primary" '
        f'data-sabaq-quiz-action="check">{_text(messages["quiz_check"])}</button>'
        '<button type="button" class="sabaq-quiz__button" data-sabaq-quiz-action="retry" hidden>'
        f"{_text(messages['quiz_retry'])}</button>"
        f"{reveal}</div>"
    )


# --- Small helpers --------------------------------------------------------------------------------


def _single_paragraph(rendered: str) -> str | None:
    """The inside of `<p>...</p>` if that is all `rendered` is, else None."""
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return None


def _text(value: str) -> str:
    return html.escape(value, quote=False)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)
