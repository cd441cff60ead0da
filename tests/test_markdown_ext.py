"""Quiz texts: the short cut for plain text gives exactly what Python-Markdown gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.render import markdown_ext
from builder.render.markdown_ext import render_fragment

#: Latin, Cyrillic (with the Kazakh, Kyrgyz, Tajik and Uzbek letters), digits, and every
#: character that has a meaning in Markdown, so that both sides of the short cut are tried.
ALPHABET = (
    "abcxyzABC0129 "
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВ"
    "әғқңөұүһіҷӣӯҳʻ"
    ".,;:?!'\"()%/«»„“”‘’—–-"
    "*_`[]<>&#\\{}=+|~^\n\t"
)


def markdown_of(text: str) -> str:
    renderer = markdown_ext._fragment_renderer()
    try:
        return renderer.convert(text)
    finally:
        renderer.reset()


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_plain_text_short_cut_agrees_with_markdown(text: str) -> None:
    assert render_fragment(text) == markdown_of(text)


def test_the_short_cut_is_taken_for_sentences_only() -> None:
    assert markdown_ext._PLAIN_TEXT.fullmatch("Иит крәңұңо, слеғәсеыл?")
    for text in ("1. First", "- item", "# Heading", "*bold*", "a_b", "[link](x)", "a\nb", "<b>"):
        assert not markdown_ext._PLAIN_TEXT.fullmatch(text), text


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=ALPHABET.split("*")[0], min_size=1, max_size=40))
def test_sentences_of_letters_and_punctuation_agree_with_markdown(text: str) -> None:
    """Mostly texts the short cut takes: letters, digits, spaces, ordinary punctuation."""
    assert render_fragment(text) == markdown_of(text)
