"""render_quiz: the quiz HTML a module page carries (builder/features/quiz/quiz.py).

The golden file is regenerated with `SABAQ_UPDATE_GOLDEN=1 pytest tests/test_quiz_render.py`.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from builder.content.document import load_document
from builder.content.model import QuizBank
from builder.features.quiz.quiz import (
    answer_hash,
    mask_number,
    normalise_answer,
    opaque_ids,
    question_salt,
    render_quiz,
    script_json,
    shuffled,
)
from builder.render.i18n import messages

TESTS = Path(__file__).resolve().parent
CASE = TESTS / "cases" / "quiz-all-types"
GOLDEN = TESTS / "golden" / "quiz" / "all-types.html"
UPDATE_GOLDEN = os.environ.get("SABAQ_UPDATE_GOLDEN") == "1"
STORAGE_KEY = "quiz-course/all-types"
EN = messages("en").subset("quiz_")
HOSTILE = "</script><img src=x onerror=alert(1)><!-- \u2028\u2029 & <b>"


def fixture_bank() -> QuizBank:
    document = load_document(CASE / "quizzes" / "all-types.yml")
    assert not document.errors
    return QuizBank.model_validate(document.data)


def render(bank: QuizBank, **overrides: Any) -> str:
    arguments: dict[str, Any] = {"storage_key": STORAGE_KEY, "messages": EN, **overrides}
    return render_quiz(bank, None, **arguments)


def payload(rendered: str) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/json" data-sabaq-quiz-data>(.*?)</script>', rendered, re.S
    )
    assert match, "no quiz data in the page"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


class Elements(html.parser.HTMLParser):
    """Every start tag and comment in a fragment, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def parse(rendered: str) -> Elements:
    parser = Elements()
    parser.feed(rendered)
    parser.close()
    return parser


def hostile_bank() -> QuizBank:
    """Every text a trainer writes, each one trying to break out of the page."""
    return QuizBank.model_validate(
        {
            "id": "hostile",
            "title": HOSTILE,
            "questions": [
                {"id": "single", "type": "single", "prompt": HOSTILE, "explanation": HOSTILE,
                 "options": [{"id": "a", "text": HOSTILE, "correct": True, "feedback": HOSTILE},
                             {"id": "b", "text": "B", "feedback": HOSTILE}]},
                {"id": "tf", "type": "true_false", "prompt": HOSTILE, "answer": True,
                 "feedback_true": HOSTILE, "feedback_false": HOSTILE},
                {"id": "blank", "type": "fill_blank", "prompt": HOSTILE, "accepted": [HOSTILE]},
                {"id": "number", "type": "numeric", "prompt": HOSTILE, "answer": 3,
                 "unit": HOSTILE},
                {"id": "order", "type": "ordering", "prompt": HOSTILE, "steps": [HOSTILE, "x"]},
                {"id": "pairs", "type": "matching", "prompt": HOSTILE,
                 "pairs": [{"left": HOSTILE, "right": HOSTILE}, {"left": "l", "right": "r"}]},
                {"id": "claim", "type": "claim_rating", "prompt": HOSTILE, "claim": HOSTILE,
                 "claimant": HOSTILE,
                 "options": [{"id": "a", "text": HOSTILE, "correct": True}, {"id": "b", "text": "B"}]},
            ],
        }
    )  # fmt: skip


# --- Golden file ---------------------------------------------------------------------------------


def test_matches_golden_file() -> None:
    rendered = render(fixture_bank())
    if UPDATE_GOLDEN:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(rendered, encoding="utf-8")
    assert GOLDEN.exists(), "no golden file: run with SABAQ_UPDATE_GOLDEN=1 to write it"
    assert rendered == GOLDEN.read_text(encoding="utf-8"), (
        "the quiz HTML changed; if that is intended, run with SABAQ_UPDATE_GOLDEN=1 and review "
        "the diff of tests/golden/quiz/"
    )


def test_output_is_deterministic() -> None:
    assert render(fixture_bank()) == render(fixture_bank())


# --- Nothing in trainer text runs ----------------------------------------------------------------


def test_trainer_text_cannot_break_out_of_the_page() -> None:
    hostile_messages = {key: f"{value} {HOSTILE}" for key, value in EN.items()}
    rendered = render(hostile_bank(), messages=hostile_messages)
    elements = parse(rendered)
    assert [tag for tag, _ in elements.tags if tag in ("img", "b", "script")] == ["script"]
    assert elements.comments == []
    assert rendered.count("</script") == 1 and rendered.count("<script") == 1
    script = rendered[rendered.index("<script") : rendered.index("</script")]
    assert "\u2028" not in script and "\u2029" not in script and "<" not in script[1:]
    for _, attributes in elements.tags:
        assert not any(name.startswith("on") for name in attributes)
    # The data survives the escaping: the texts read back as the trainer wrote them.
    data = payload(rendered)
    assert data["text"]["right"] == f"Correct {HOSTILE}"
    assert "&lt;img src=x onerror=alert(1)&gt;" in data["questions"][0]["explanation"]


def test_script_json_escapes_what_could_end_a_script() -> None:
    text = script_json({"a": "</script><!--&\u2028\u2029", "b": "Қазақ"})
    assert text == '{"a":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029","b":"Қазақ"}'
    assert json.loads(text) == {"a": "</script><!--&\u2028\u2029", "b": "Қазақ"}


# --- Answers are not readable --------------------------------------------------------------------


def test_no_answer_is_written_in_clear() -> None:
    rendered = render(fixture_bank())
    data = payload(rendered)
    allowed = {"id", "type", "salt", "options", "feedback", "explanation", "hashes", "mask",
               "sequence", "pairs"}  # fmt: skip
    for question in data["questions"]:
        assert set(question) <= allowed, question["id"]
    without_messages = rendered
    for text in EN.values():
        without_messages = without_messages.replace(text, "")
        without_messages = without_messages.replace(script_json(text)[1:-1], "")
    # Words, not parts of words: the fixture has an option about "corrections".
    assert re.search(r"\b(correct|answer)\b", without_messages, re.I) is None
    assert "57.1" not in without_messages.replace("57.1% of the requests", "")
    assert "lateral reading" not in without_messages.lower().replace("lateral reading is", "")
    assert "oʻqish" not in without_messages and "o'qish" not in without_messages


def test_options_carry_salted_hashes_not_flags() -> None:
    bank = fixture_bank()
    data = {question["id"]: question for question in payload(render(bank))["questions"]}
    for question in bank.questions:
        if question.type not in ("single", "multiple", "claim_rating"):
            continue
        salt = question_salt(STORAGE_KEY, question)
        assert data[question.id]["salt"] == salt
        for option in question.options:
            flag = 1 if option.correct else 0
            hashed = data[question.id]["options"][option.id]
            assert hashed == answer_hash(salt, option.id, flag)
            assert hashed != answer_hash(salt, option.id, 1 - flag)
            assert re.fullmatch(r"[0-9a-f]{32}", hashed)


def test_true_false_is_hashed_like_an_option() -> None:
    question = fixture_bank().questions[2]
    assert question.type == "true_false" and question.answer is False
    data = payload(render(fixture_bank()))["questions"][2]
    salt = data["salt"]
    assert data["options"] == {
        "true": answer_hash(salt, "true", 0),
        "false": answer_hash(salt, "false", 1),
    }
    assert set(data["feedback"]) == {"true", "false"}


def test_fill_blank_hashes_normalised_answers() -> None:
    data = payload(render(fixture_bank()))["questions"][3]
    salt = data["salt"]
    assert data["hashes"] == sorted(data["hashes"])
    for typed in ("Lateral Reading", "  reading   LATERALLY ", "Yonlama O’qish", "yonlama o`qish"):
        assert answer_hash(salt, normalise_answer(typed)) in data["hashes"], typed
    assert answer_hash(salt, normalise_answer("lateral")) not in data["hashes"]


def test_numbers_are_masked_and_unmask() -> None:
    data = payload(render(fixture_bank()))["questions"][4]
    masked = bytes.fromhex(data["mask"])
    salt = data["salt"].encode()
    plain = bytes(byte ^ salt[index % len(salt)] for index, byte in enumerate(masked))
    assert json.loads(plain) == [57.1, 0.5]
    with pytest.raises(ValueError, match="finite"):
        mask_number("abc", float("inf"), 0)


def test_ordering_is_shuffled_and_hashed_by_opaque_ids() -> None:
    bank = fixture_bank()
    rendered = render(bank)
    question = bank.questions[5]
    ids = opaque_ids(STORAGE_KEY, question.id, "step", len(question.steps))
    shown = re.findall(r'data-sabaq-item="([^"]+)"', rendered)
    assert sorted(shown) == sorted(ids) and shown != ids
    data = payload(rendered)["questions"][5]
    assert data["sequence"] == answer_hash(data["salt"], ",".join(ids))


def test_opaque_ids_do_not_depend_on_text_or_language() -> None:
    assert opaque_ids("c/m", "q", "step", 3) == opaque_ids("c/m", "q", "step", 3)
    assert len(set(opaque_ids("c/m", "q", "step", 50))) == 50
    assert all(re.fullmatch(r"s[0-9a-f]{8}", item) for item in opaque_ids("c/m", "q", "step", 5))


def test_shuffled_never_keeps_the_original_order() -> None:
    for seed in map(str, range(200)):
        assert shuffled(["a", "b"], seed) == ["b", "a"]
        keys = ["a", "b", "c", "d"]
        assert sorted(shuffled(keys, seed)) == keys and shuffled(keys, seed) != keys
    assert shuffled(["a"], "x") == ["a"]


def test_matching_lists_each_right_item_once_and_hashes_pairs() -> None:
    bank = fixture_bank()
    rendered = render(bank)
    question = bank.questions[6]
    first_select = re.search(r"<select[^>]*>(.*?)</select>", rendered, re.S)
    assert first_select
    labels = re.findall(r'<option value="r[0-9a-f]{8}">([^<]*)</option>', first_select.group(1))
    assert sorted(labels) == sorted(pair.right for pair in question.pairs)
    assert labels != [pair.right for pair in question.pairs]
    data = payload(rendered)["questions"][6]
    ids = opaque_ids(STORAGE_KEY, question.id, "right", len(question.pairs))
    assert data["pairs"] == [answer_hash(data["salt"], index, ids[index]) for index in range(4)]


def test_salt_changes_with_the_question_and_the_storage_key() -> None:
    bank = fixture_bank()
    question = bank.questions[0]
    changed = question.model_copy(update={"prompt": "Another prompt"})
    salt = question_salt(STORAGE_KEY, question)
    assert re.fullmatch(r"[0-9a-f]{16}", salt)
    assert salt != question_salt(STORAGE_KEY, changed)
    assert salt != question_salt("other-course/all-types", question)


# --- Markup --------------------------------------------------------------------------------------


def test_questions_are_readable_without_javascript() -> None:
    rendered = render(fixture_bank())
    elements = parse(rendered)
    tags = [tag for tag, _ in elements.tags]
    assert tags.count("fieldset") == tags.count("legend") == 8
    assert 'data-sabaq-quiz="quiz-course/all-types"' in rendered
    assert EN["quiz_needs_js"] in rendered
    assert "Question 3 of 8" in rendered
    # Every button needs JavaScript, so each one is hidden without it (hidden, or shown only
    # when scripts run: sabaq.css), or inside something that is.
    assert VisibleButtons.find(rendered) == []


class VisibleButtons(html.parser.HTMLParser):
    """The buttons that would show without JavaScript: none of them or their ancestors hidden or
    shown only when scripts run (`data-sabaq-js-only`)."""

    VOID = {"input", "br", "hr", "img", "meta", "link", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.hidden_stack: list[bool] = []
        self.visible: list[str] = []

    @classmethod
    def find(cls, fragment: str) -> list[str]:
        parser = cls()
        parser.feed(fragment)
        parser.close()
        return parser.visible

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        hidden = any(self.hidden_stack) or "hidden" in attributes
        hidden = hidden or "data-sabaq-js-only" in attributes
        if tag == "button" and not hidden:
            self.visible.append(self.get_starttag_text() or tag)
        self.hidden_stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.hidden_stack.pop()


def test_inputs_are_labelled() -> None:
    rendered = render(fixture_bank())
    for match in re.finditer(r'<(input|select) [^>]*id="([^"]+)"', rendered):
        assert f'<label for="{match.group(2)}">' in rendered
    for match in re.finditer(r'<input type="(radio|checkbox)"', rendered):
        assert rendered[: match.start()].endswith("<label>")


def test_a_prompt_of_several_paragraphs_names_the_group() -> None:
    rendered = render(fixture_bank())
    question = rendered[rendered.index('data-sabaq-question="flood-photo"') :]
    assert re.search(r'<fieldset aria-labelledby="[^"]*--legend [^"]*--prompt"', question)
    assert '<div class="sabaq-quiz__prompt"' in question
    assert re.search(r"<legend[^>]*>(?:(?!</legend>).)*<p>", rendered, re.S) is None


def test_question_ids_choose_and_order_questions() -> None:
    bank = fixture_bank()
    rendered = render_quiz(bank, ["domains", "sift-first"], storage_key=STORAGE_KEY, messages=EN)
    assert re.findall(r'data-sabaq-question="([^"]+)"', rendered) == ["domains", "sift-first"]
    assert "Question 2 of 2" in rendered
    with pytest.raises(ValueError) as raised:
        render_quiz(bank, ["sift-first", "nope"], storage_key=STORAGE_KEY, messages=EN)
    assert str(raised.value) == "quiz bank 'all-types' has no question with the id 'nope'"


# --- Normalisation (the same cases run against quiz.js in tests/browser) ---------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  Lateral   Reading ", "lateral reading"),
        ("yonlama oʻqish", "yonlama o'qish"),  # U+02BB, the official Uzbek letter
        ("Yonlama O'qish", "yonlama o'qish"),
        ("yonlama o’qish", "yonlama o'qish"),  # U+2019
        ("yonlama o`qish", "yonlama o'qish"),
        ("yonlama o‘qish", "yonlama o'qish"),  # U+2018
        ("maʼno", "ma'no"),  # U+02BC, tutuq belgisi
        ("ＬＡＴＥＲＡＬ", "lateral"),  # full-width letters, NFKC
        ("ﬁle", "file"),  # ligature, NFKC
        ("a\u00a0b\u2003c\tb\n", "a b c b"),
        ("\ufeffx\u3000y\x1cz\x85", "x y z"),
        ("Қазақстан", "қазақстан"),
        ("ΟΔΟΣ", "οδος"),
        ("Straße", "straße"),  # lower(), not casefold(): the browser keeps ß too
        ("   ", ""),
    ],
)
def test_normalise_answer(typed: str, expected: str) -> None:
    assert normalise_answer(typed) == expected
