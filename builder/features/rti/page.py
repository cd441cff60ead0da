"""The request builder's page, `<course-id>/request-builder/`, as an HTML fragment.

Without JavaScript the fragment reads as each country's rules, every rule with its confidence and
sources, and a letter template. With JavaScript (`rti.js`) the hidden form appears: it writes the
letter in any of the six languages, explains the due date and keeps the reader's requests in this
browser only. Everything the script needs travels in one JSON block, which the page's policy lets
through because it is data, not script.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from typing import Any

from babel.dates import format_date, get_month_names

from builder.content.languages import LANGUAGES
from builder.content.model import Country
from builder.engine.material_classes import BUTTON, PRIMARY_BUTTON, scrolling_table
from builder.features.quiz.quiz import script_json
from builder.render.i18n import Messages, messages

#: The tool's address in a course that lists it under `tools:`.
PAGE_NAME = "request-builder"
#: localStorage key of the reader's saved requests: one list for every course and language.
STORAGE_KEY = "sabaq:v1:rti-requests"
#: What an exported list of requests says it is; an import refuses any other file.
EXPORT_FORMAT = "sabaq-rti-requests"
PAYLOAD_VERSION = 1
FIELDS = ("name", "address", "contact", "iin", "body", "information")


def holiday_years(today: dt.date) -> list[int]:
    """The years whose public holidays the page knows: this year and the next."""
    return [today.year, today.year + 1]


def render_request_builder(
    course_id: str,
    language: str,
    rules: Mapping[str, Any],
    strings: Messages,
    years: Sequence[int],
) -> str:
    """The tool for one page language. `rules` maps every language to its RulesEdition
    (validate.py): the letter may be written in any of them."""
    edition = rules[language]
    countries: list[Country] = list(edition.rules.countries)
    text_lang = edition.source_language if edition.status == "missing" else language
    prefix = f"sabaq-rti-{course_id}"
    parts = [
        f'<div class="sabaq-rti" data-sabaq-rti="{_attr(course_id)}">',
        f'<p class="sabaq-rti__notice" data-sabaq-rti-needs-js data-sabaq-no-js>{_text(strings.text("rti_needs_js"))}</p>',
        _form(prefix, countries, language, strings),
        _result(strings),
        _saved(strings),
        f'<h2 id="{prefix}-rules">{_text(strings.text("rti_rules_heading"))}</h2>',
    ]
    for country in countries:
        parts.append(_country_rules(prefix, country, strings, language, text_lang))
    parts.append(
        '<script type="application/json" data-sabaq-rti-data>'
        f"{script_json(_payload(course_id, language, rules, strings, years))}</script>"
    )
    parts.append("</div>")
    return "\n".join(parts) + "\n"


# --- The form, the letter and the saved list (hidden until the script starts) --------------------


def _form(prefix: str, countries: list[Country], language: str, strings: Messages) -> str:
    country_options = "".join(
        f'<option value="{_attr(c.id)}">{_text(c.name)}</option>' for c in countries
    )
    language_options = "".join(
        f'<option value="{code}" lang="{code}"{" selected" if code == language else ""}>'
        f"{_text(info.native_name)}</option>"
        for code, info in LANGUAGES.items()
    )

    def field(name: str, control: str, *, hidden: bool = False) -> str:
        label = strings.text(f"rti_{name}")
        return (
            f'<p class="sabaq-rti__field" data-sabaq-rti-field="{name}"{" hidden" if hidden else ""}>'
            f'<label for="{prefix}-{name}">{_text(label)}</label>{control}</p>'
        )

    def text_input(name: str, extra: str = "") -> str:
        return f'<input id="{prefix}-{name}" name="{name}" type="text" required{extra}>'

    def area(name: str) -> str:
        return f'<textarea id="{prefix}-{name}" name="{name}" rows="3" required></textarea>'

    journalist_hint = f"{prefix}-journalist-hint"
    return "".join(
        [
            f'<form class="sabaq-rti__form" data-sabaq-rti-form data-sabaq-js-only novalidate '
            f'aria-labelledby="{prefix}-form-heading">',
            f'<h2 id="{prefix}-form-heading">{_text(strings.text("rti_form_heading"))}</h2>',
            field(
                "country",
                f'<select id="{prefix}-country" name="country">{country_options}</select>',
            ),
            field(
                "letter_language",
                f'<select id="{prefix}-letter_language" name="letter_language">{language_options}</select>',
            ),
            field("name", text_input("name", ' autocomplete="name"')),
            field("address", area("address")),
            field("contact", text_input("contact")),
            field(
                "iin",
                text_input("iin", ' inputmode="numeric"'),
                # As rti.js shows it for the country selected first: nothing moves when it starts.
                hidden="iin" not in countries[0].extra_fields,
            ),
            field("body", text_input("body")),
            field("information", area("information")),
            '<p class="sabaq-rti__field sabaq-rti__check">'
            f'<input id="{prefix}-journalist" name="journalist" type="checkbox" '
            f'aria-describedby="{journalist_hint}">'
            f'<label for="{prefix}-journalist">{_text(strings.text("rti_journalist"))}</label></p>',
            f'<p class="sabaq-rti__hint" id="{journalist_hint}">'
            f"{_text(strings.text('rti_journalist_hint'))}</p>",
            field("sent", f'<input id="{prefix}-sent" name="sent" type="date" required>'),
            '<p class="sabaq-rti__errors" role="alert" data-sabaq-rti-errors></p>',
            f'<p><button type="submit" class="{PRIMARY_BUTTON}">'
            f"{_text(strings.text('rti_write'))}</button></p>",
            "</form>",
        ]
    )


def _result(strings: Messages) -> str:
    buttons = "".join(
        f'<button type="button" class="{BUTTON}" data-sabaq-rti-action="{action}">'
        f"{_text(strings.text(f'rti_{key}'))}</button>"
        for action, key in (
            ("copy", "copy"),
            ("print", "print"),
            ("download", "download"),
            ("save", "save"),
        )  # fmt: skip
    )
    return (
        '<section class="sabaq-rti__result" data-sabaq-rti-result hidden>'
        f"<h2>{_text(strings.text('rti_letter_heading'))}</h2>"
        '<pre class="sabaq-rti__letter" data-sabaq-rti-letter tabindex="0"></pre>'
        '<div class="sabaq-rti__due" data-sabaq-rti-due></div>'
        f'<p class="sabaq-rti__actions">{buttons}</p>'
        '<p class="sabaq-rti__status" role="status" data-sabaq-rti-status></p>'
        "</section>"
    )


def _saved(strings: Messages) -> str:
    return (
        '<section class="sabaq-rti__saved" data-sabaq-rti-saved data-sabaq-js-only>'
        f"<h2>{_text(strings.text('rti_my_requests'))}</h2>"
        f"<p>{_text(strings.text('rti_my_requests_note'))}</p>"
        f"<p data-sabaq-rti-empty>{_text(strings.text('rti_none_saved'))}</p>"
        '<ul class="sabaq-rti__list" data-sabaq-rti-list></ul>'
        '<p class="sabaq-rti__actions">'
        f'<button type="button" class="{BUTTON}" data-sabaq-rti-action="export">'
        f"{_text(strings.text('rti_export'))}</button>"
        f'<button type="button" class="{BUTTON}" data-sabaq-rti-action="import">'
        f"{_text(strings.text('rti_import'))}</button>"
        '<input type="file" accept=".json,application/json" data-sabaq-rti-file hidden>'
        f'<button type="button" class="{BUTTON}" data-sabaq-rti-action="wipe">'
        f"{_text(strings.text('rti_wipe'))}</button></p>"
        '<div class="sabaq-rti__confirm" data-sabaq-rti-confirm hidden>'
        f"<p>{_text(strings.text('rti_wipe_confirm'))}</p>"
        f'<button type="button" class="{PRIMARY_BUTTON}" '
        f'data-sabaq-rti-action="wipe-yes">{_text(strings.text("rti_wipe_yes"))}</button>'
        f'<button type="button" class="{BUTTON}" data-sabaq-rti-action="wipe-no">'
        f"{_text(strings.text('rti_wipe_no'))}</button></div>"
        '<p class="sabaq-rti__status" role="status" data-sabaq-rti-saved-status></p>'
        "</section>"
    )


# --- The rules, readable without JavaScript --------------------------------------------------------


def _country_rules(
    prefix: str, country: Country, strings: Messages, language: str, text_lang: str
) -> str:
    lang = f' lang="{text_lang}"' if text_lang != language else ""
    rows = []
    for rule in country.rules:
        confidence = strings.text(f"rti_{rule.confidence}")
        sources = ", ".join(
            f'<a href="{_attr(source.url)}">{_text(source.cite)}</a>' for source in rule.sources
        )
        unclear = (
            f"<br><strong>{_text(strings.text('rti_unclear'))}:</strong> <span{lang}>"
            f"{_text(rule.unclear)}</span>"
            if rule.unclear
            else ""
        )
        rows.append(
            f'<tr data-sabaq-rti-rule="{rule.topic}" data-sabaq-rti-confidence="{rule.confidence}">'
            f'<th scope="row">{_text(strings.text(f"rti_topic_{rule.topic}"))}</th>'
            f"<td><span{lang}>{_text(rule.text)}</span>{unclear}</td>"
            f'<td class="sabaq-rti__confidence--{rule.confidence}">{_text(confidence)}</td>'
            f"<td>{sources}</td></tr>"
        )
    header = "".join(
        f'<th scope="col">{_text(strings.text(key))}</th>'
        for key in ("rti_topic", "rti_rule", "rti_confidence", "rti_sources")
    )
    return (
        f'<section class="sabaq-rti__country" data-sabaq-rti-country="{_attr(country.id)}" '
        f'aria-labelledby="{prefix}-{_attr(country.id)}">'
        f'<h3 id="{prefix}-{_attr(country.id)}"{lang}>{_text(country.name)}</h3>'
        f"<p><strong>{_text(strings.text('rti_law'))}:</strong> "
        f'<a href="{_attr(country.law_url)}"{lang}>{_text(country.law)}</a></p>'
        + scrolling_table(
            f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
        + f"<h4>{_text(strings.text('rti_template_heading'))}</h4>"
        f'<pre class="sabaq-rti__template">{_text(_template(country, strings))}</pre>'
        "</section>"
    )


def _template(country: Country, strings: Messages) -> str:
    """The letter with blanks, for a reader without JavaScript or for paper."""
    labels = {name: f"[{strings.text(f'rti_{name}')}]" for name in FIELDS}
    return _letter_lines(
        country,
        strings,
        values=labels,
        journalist=False,
        date=f"[{strings.text('rti_sent')}]",
    )


def _letter_lines(
    country: Country, strings: Messages, *, values: Mapping[str, str], journalist: bool, date: str
) -> str:
    """The Python twin of rti.js's `writeLetter`, used for the template (and by the tests)."""
    lines = [
        strings.text("rti_letter_to", body=values["body"]),
        strings.text("rti_letter_from", name=values["name"]),
        strings.text("rti_letter_address", address=values["address"]),
        strings.text("rti_letter_contact", contact=values["contact"]),
    ]
    if "iin" in country.extra_fields:
        lines.append(strings.text("rti_letter_iin", iin=values["iin"]))
    lines += ["", strings.text("rti_letter_subject"), ""]
    if country.article:
        lines.append(
            strings.text("rti_letter_request_article", law=country.law, article=country.article)
        )
    else:
        lines.append(strings.text("rti_letter_request", law=country.law))
    lines += [strings.text("rti_letter_ask"), values["information"], ""]
    if journalist:
        lines.append(strings.text("rti_letter_journalist"))
    if country.deadline.confidence == "confirmed":
        lines.append(strings.text("rti_letter_deadline", days=deadline_phrase(country, strings)))
    else:
        lines.append(strings.text("rti_letter_deadline_ask"))
    lines += [strings.text("rti_letter_close"), "", strings.text("rti_letter_date", date=date)]
    if "signature" in country.extra_fields:
        lines.append(strings.text("rti_letter_signature"))
    return "\n".join(lines)


def deadline_phrase(country: Country, strings: Messages) -> str:
    """'10 working days', in the language's plural form."""
    key = "rti_working_days" if country.deadline.count == "working" else "rti_calendar_days"
    return strings.plural(key, country.deadline.days)


# --- What the script needs --------------------------------------------------------------------------


def _payload(
    course_id: str,
    language: str,
    rules: Mapping[str, Any],
    strings: Messages,
    years: Sequence[int],
) -> dict[str, Any]:
    page_rules = rules[language].rules
    letters = {}
    for code in LANGUAGES:
        letter_strings = messages(code)
        letters[code] = {
            "text": letter_strings.subset("rti_letter_"),
            "dates": date_style(code),
            "countries": {
                c.id: {
                    "law": c.law,
                    "article": c.article,
                    "days": deadline_phrase(c, letter_strings),
                }
                for c in rules[code].rules.countries
            },
        }
    countries = []
    for country in page_rules.countries:
        by_topic = {rule.topic: rule for rule in country.rules}
        countries.append(
            {
                "id": country.id,
                "name": country.name,
                "extra": list(country.extra_fields),
                "deadline": country.deadline.model_dump(),
                "days": deadline_phrase(country, strings),
                "holidays": _holiday_dates(country.holidays, years),
                "appeal": by_topic["appeal"].text if "appeal" in by_topic else "",
                "extension": by_topic["extension"].text if "extension" in by_topic else "",
            }
        )
    page_text: dict[str, Any] = {
        key.removeprefix("rti_"): value
        for key, value in strings.subset("rti_").items()
        if not key.startswith("rti_letter_")
    }
    page_text["labels"] = {name: strings.text(f"rti_{name}") for name in FIELDS + ("sent",)}
    page_text["imported"] = dict(strings.strings["rti_imported"])
    return {
        "version": PAYLOAD_VERSION,
        "course": course_id,
        "language": language,
        "storage": STORAGE_KEY,
        "format": EXPORT_FORMAT,
        "years": list(years),
        "text": page_text,
        "dates": date_style(language),
        "countries": countries,
        "letters": letters,
    }


def date_style(language: str) -> dict[str, Any]:
    """How a date is written in the language (CLDR's long format via Babel), as a template the
    script fills: {d} or {dd} the day, {m} the month's name, {y} the year."""
    sample = dt.date(2027, 11, 23)
    template = format_date(sample, "long", locale=language)
    months = get_month_names("wide", "format", locale=language)
    template = template.replace("2027", "{y}").replace(months[11], "{m}").replace("23", "{d}")
    if format_date(dt.date(2027, 3, 5), "long", locale=language).count("05"):
        template = template.replace("{d}", "{dd}")
    return {"template": template, "months": [months[i] for i in range(1, 13)]}


def _text(value: str) -> str:
    return html.escape(value, quote=False)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _holiday_dates(country_code: str, years: Sequence[int]) -> list[str]:
    # The holidays package (20 ms to import) only for a build that renders the request builder.
    from builder.features.rti.workdays import holiday_dates

    return holiday_dates(country_code, years)
