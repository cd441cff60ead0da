"""Synthetic course projects for the build benchmark, written twice from the same content.

- `<out>/sabaq/`: a Sabaq project (`courses/`, `quizzes/`, `mkdocs.yml`) in the format of
  `builder/content/model.py`: a source file in English and a translation file per other language.
- `<out>/diy/`: the do-it-yourself stack for the same words: one mkdocs-material site with
  `mkdocs-static-i18n` (suffix structure: `page.md`, `page.ru.md`, ...) and `mkdocs-quiz`.

The text is pseudo-words made from each language's alphabet (Cyrillic for ru, kk, ky and tg, Latin
for en and uz), laid out as trainers lay out real modules: headings, lists, tables, callouts, links
and a quiz bank per module. Everything follows from the seed: the same seed gives the same bytes.

The structure of a module (how many sections, which blocks, which answers are right) is drawn from
a random generator seeded without the language, and the words from one seeded with it, so every
language has the same shape and only the words differ, as with a real translation.

    .venv/bin/python bench/generate.py --size small --out bench/work/small
    .venv/bin/python bench/generate.py --courses 2 --modules 3 --out /tmp/tiny
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.render.markdown_ext import MARKDOWN_EXTENSIONS

#: (courses, modules per course) for the named sizes; every size has all six languages.
SIZES: dict[str, tuple[int, int]] = {"small": (3, 8), "large": (30, 8)}
LANGUAGES = ("en", "ru", "uz", "kk", "ky", "tg")
SOURCE_LANGUAGE = "en"
REPO_ROOT = Path(__file__).resolve().parent.parent
#: Sabaq's own translations of mkdocs-material's interface for the languages Material lacks; the
#: do-it-yourself site needs them too, or the theme fails to find `partials/languages/kk.html`.
THEME_LANGUAGES_DIR = REPO_ROOT / "builder" / "engine" / "theme" / "partials" / "languages"


# --- Words ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alphabet:
    """What pseudo-words in one language are made of: syllable onsets, vowels and codas."""

    onsets: tuple[str, ...]
    vowels: tuple[str, ...]
    codas: tuple[str, ...]


def _letters(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_RUSSIAN_ONSETS = "б в г д ж з к л м н п р с т ф х ц ч ш щ бр вл гр др кр пр ст тр ск сл"
ALPHABETS: dict[str, Alphabet] = {
    "en": Alphabet(
        _letters("b c d f g h j k l m n p r s t v w y th sh ch st tr pl br cr gr"),
        _letters("a e i o u a e i o ea ou ai"),
        _letters("n r s t l m nd st ng ck"),
    ),
    "uz": Alphabet(
        _letters("b d f g h j k l m n p q r s t v x y z sh ch gʻ"),
        _letters("a e i o u oʻ a i o"),
        _letters("n r l m sh q k t ng"),
    ),
    "ru": Alphabet(
        _letters(_RUSSIAN_ONSETS),
        _letters("а е и о у ы я ю э ё а о е"),
        _letters("н р л м с т й ть к в"),
    ),
    "kk": Alphabet(
        _letters(_RUSSIAN_ONSETS + " қ ғ ң һ"),
        _letters("а е и о у ы ә ө ұ ү і а ә е"),
        _letters("н р л м с т й қ ң ш"),
    ),
    "ky": Alphabet(
        _letters(_RUSSIAN_ONSETS + " ң"),
        _letters("а е и о у ы ө ү э ю я а о"),
        _letters("н р л м с т й к ң ш"),
    ),
    "tg": Alphabet(
        _letters("б в г ғ д ж з к қ л м н п р с т ф х ҳ ч ҷ ш"),
        _letters("а е и ӣ о у ӯ э ю я а о и"),
        _letters("н р л м с т д ҳ қ ш"),
    ),
}


class Words:
    """Pseudo-words, sentences and paragraphs in one language, from one seeded generator."""

    def __init__(self, language: str, rng: random.Random) -> None:
        self.alphabet = ALPHABETS[language]
        self.rng = rng

    def word(self) -> str:
        syllables = self.rng.choices((1, 2, 3, 4), weights=(3, 5, 3, 1))[0]
        parts = []
        for _ in range(syllables):
            if self.rng.random() < 0.85:
                parts.append(self.rng.choice(self.alphabet.onsets))
            parts.append(self.rng.choice(self.alphabet.vowels))
        if self.rng.random() < 0.4:
            parts.append(self.rng.choice(self.alphabet.codas))
        return "".join(parts)

    def words(self, count: int) -> str:
        return " ".join(self.word() for _ in range(count))

    def title(self, low: int = 2, high: int = 5) -> str:
        return self.words(self.rng.randint(low, high)).capitalize()

    def sentence(self, low: int = 6, high: int = 16) -> str:
        words = [self.word() for _ in range(self.rng.randint(low, high))]
        if len(words) > 6 and self.rng.random() < 0.4:
            words[self.rng.randint(2, len(words) - 3)] += ","
        return " ".join(words).capitalize() + self.rng.choice(".....?")

    def sentences(self, low: int, high: int) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def rich_sentence(self, link: str | None = None) -> str:
        """A sentence with bold and italic words, and a link when one is given."""
        words = [self.word() for _ in range(self.rng.randint(8, 16))]
        words[1] = f"**{words[1]}**"
        words[-3] = f"*{words[-3]}*"
        if link is not None:
            words[4] = f"[{words[4]} {self.word()}]({link})"
        return " ".join(words).capitalize() + "."


def words_for(seed: int, language: str, *parts: object) -> Words:
    """Words for one file in one language. String seeds are hashed with SHA-512 by `random`,
    so the result does not depend on PYTHONHASHSEED."""
    return Words(language, random.Random("/".join([str(seed), language, *map(str, parts)])))


def structure_for(seed: int, *parts: object) -> random.Random:
    """The generator for a file's shape, the same in every language."""
    return random.Random("/".join([str(seed), "structure", *map(str, parts)]))


# --- Content -------------------------------------------------------------------------------------


@dataclass
class Question:
    id: str
    type: str
    prompt: str
    explanation: str
    #: (id, text, correct, feedback) for single and multiple choice.
    options: list[tuple[str, str, bool, str]] = field(default_factory=list)
    answer: bool = False
    feedback_true: str = ""
    feedback_false: str = ""
    accepted: list[str] = field(default_factory=list)


@dataclass
class Callout:
    kind: str
    title: str
    body: str


@dataclass
class Section:
    heading: str
    body: str
    callouts: list[Callout]


@dataclass
class Module:
    """One module in one language, with its quiz bank."""

    id: str
    title: str
    duration_minutes: int
    summary: str
    objectives: list[str]
    sections: list[Section]
    #: (title, url, publisher, year)
    sources: list[tuple[str, str, str, int]]
    quiz_title: str
    questions: list[Question]


@dataclass
class Course:
    """One course in one language."""

    id: str
    title: str
    summary: str
    level: str
    modules: list[Module]


@dataclass
class Project:
    """Every course in every language: `courses[language]`, in the same order in each."""

    languages: tuple[str, ...]
    courses: dict[str, list[Course]]

    def page_count(self) -> int:
        """Pages per site: a home page, and per course an overview and one page per module."""
        return sum(
            1 + sum(1 + len(c.modules) for c in courses) for courses in self.courses.values()
        )


#: Real words for the few interface texts a do-it-yourself author writes by hand in every page.
#: Sabaq takes them from `builder/locales/`.
HEADINGS: dict[str, dict[str, str]] = {
    "en": {
        "objectives": "Objectives",
        "sources": "Sources",
        "quiz": "Quiz",
        "modules": "Modules",
        "courses": "Courses",
        "minutes": "min",
        "true": "True",
        "false": "False",
    },
    "ru": {
        "objectives": "Цели",
        "sources": "Источники",
        "quiz": "Тест",
        "modules": "Модули",
        "courses": "Курсы",
        "minutes": "мин",
        "true": "Верно",
        "false": "Неверно",
    },
    "uz": {
        "objectives": "Maqsadlar",
        "sources": "Manbalar",
        "quiz": "Test",
        "modules": "Modullar",
        "courses": "Kurslar",
        "minutes": "daq",
        "true": "Toʻgʻri",
        "false": "Notoʻgʻri",
    },
    "kk": {
        "objectives": "Мақсаттар",
        "sources": "Дереккөздер",
        "quiz": "Тест",
        "modules": "Модульдер",
        "courses": "Курстар",
        "minutes": "мин",
        "true": "Дұрыс",
        "false": "Бұрыс",
    },
    "ky": {
        "objectives": "Максаттар",
        "sources": "Булактар",
        "quiz": "Тест",
        "modules": "Модулдар",
        "courses": "Курстар",
        "minutes": "мүн",
        "true": "Туура",
        "false": "Туура эмес",
    },
    "tg": {
        "objectives": "Ҳадафҳо",
        "sources": "Манбаъҳо",
        "quiz": "Санҷиш",
        "modules": "Модулҳо",
        "courses": "Курсҳо",
        "minutes": "дақ",
        "true": "Дуруст",
        "false": "Нодуруст",
    },
}
NATIVE_NAMES = {
    "en": "English",
    "ru": "Русский",
    "uz": "Oʻzbekcha",
    "kk": "Қазақша",
    "ky": "Кыргызча",
    "tg": "Тоҷикӣ",
}
CALLOUT_KINDS = ("tip", "warning", "example", "exercise")
#: Sabaq's callout kinds as mkdocs-material admonitions (the same mapping as builder/render/pages.py).
ADMONITIONS = {"tip": "tip", "warning": "warning", "example": "example", "exercise": "question"}
QUESTION_TYPES = ("single", "multiple", "true_false", "fill_blank", "single", "multiple")


def ascii_slug(rng: random.Random) -> str:
    """A short lower-case Latin word for ids (ids are ASCII in every language)."""
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 3)))


def make_body(
    shape: random.Random, words: Words, course_id: str, module_ids: list[str], here: int
) -> str:
    """A section's Markdown: paragraphs with emphasis and links, a sub-heading, lists, a table."""
    blocks = [words.sentences(2, 4)]
    kinds = shape.sample(
        ["list", "ordered", "table", "subheading", "links", "paragraph"], k=shape.randint(3, 5)
    )
    for kind in kinds:
        if kind == "list":
            blocks.append(
                "\n".join(f"- {words.sentence(3, 9)}" for _ in range(shape.randint(3, 6)))
            )
        elif kind == "ordered":
            items = shape.randint(3, 5)
            blocks.append(
                "\n".join(
                    f"{n}. **{words.title(1, 2)}.** {words.sentence(4, 10)}"
                    for n in range(1, items + 1)
                )
            )
        elif kind == "table":
            columns, rows = shape.randint(2, 4), shape.randint(3, 6)
            header = "| " + " | ".join(words.title(1, 2) for _ in range(columns)) + " |"
            rule = "|" + "|".join(" --- " for _ in range(columns)) + "|"
            body = [
                "| "
                + " | ".join(
                    [words.words(shape.randint(1, 3))]
                    + [str(shape.randint(1, 2000)) for _ in range(columns - 1)]
                )
                + " |"
                for _ in range(rows)
            ]
            blocks.append("\n".join([header, rule, *body]))
        elif kind == "subheading":
            blocks.append(f"### {words.title()}\n\n{words.sentences(2, 5)}")
        elif kind == "links":
            other = module_ids[(here + 1) % len(module_ids)]
            external = f"https://example.org/{course_id}/{shape.randint(1, 999)}"
            blocks.append(f"{words.rich_sentence(external)} {words.rich_sentence(f'{other}.md')}")
        else:
            blocks.append(f"{words.rich_sentence()} {words.sentences(1, 4)}")
    return "\n\n".join(blocks) + "\n"


def make_questions(
    seed: int, course_id: str, module_id: str, language: str
) -> tuple[str, list[Question]]:
    shape = structure_for(seed, course_id, module_id, "quiz")
    words = words_for(seed, language, course_id, module_id, "quiz")
    questions = []
    for number, kind in enumerate(QUESTION_TYPES[: shape.randint(4, len(QUESTION_TYPES))], start=1):
        question = Question(
            f"q{number}-{kind.replace('_', '-')}",
            kind,
            words.sentence(6, 14).rstrip(".?") + "?",
            words.sentences(1, 3),
        )
        if kind in ("single", "multiple"):
            count = shape.randint(3, 5)
            right = (
                {shape.randrange(count)}
                if kind == "single"
                else set(shape.sample(range(count), k=shape.randint(2, count - 1)))
            )
            question.options = [
                (f"o{i + 1}", words.title(1, 4), i in right, words.sentence(4, 10))
                for i in range(count)
            ]
        elif kind == "true_false":
            question.answer = shape.random() < 0.5
            question.feedback_true, question.feedback_false = (
                words.sentence(4, 10),
                words.sentence(4, 10),
            )
        else:
            question.accepted = [words.word() for _ in range(shape.randint(1, 3))]
        questions.append(question)
    return words.title(), questions


def make_module(
    seed: int, course_id: str, module_ids: list[str], here: int, language: str
) -> Module:
    module_id = module_ids[here]
    shape = structure_for(seed, course_id, module_id)
    words = words_for(seed, language, course_id, module_id)
    sections = []
    for _ in range(shape.randint(3, 5)):
        heading = words.title()
        body = make_body(shape, words, course_id, module_ids, here)
        callouts = [
            Callout(shape.choice(CALLOUT_KINDS), words.title(2, 4), words.sentences(1, 3) + "\n")
            for _ in range(shape.choices((0, 1, 2), weights=(2, 5, 2))[0])
        ]
        sections.append(Section(heading, body, callouts))
    sources = [
        (
            words.title(2, 6),
            f"https://example.org/source/{shape.randint(1, 9999)}",
            f"Publisher {shape.randint(1, 50)}",
            shape.randint(1995, 2025),
        )
        for _ in range(shape.randint(2, 4))
    ]
    quiz_title, questions = make_questions(seed, course_id, module_id, language)
    return Module(
        module_id,
        words.title(),
        shape.choice((10, 15, 20, 25, 30, 45)),
        words.sentences(1, 2),
        [words.sentence(5, 10) for _ in range(shape.randint(3, 5))],
        sections,
        sources,
        quiz_title,
        questions,
    )


def make_project(
    courses: int, modules: int, languages: tuple[str, ...] = LANGUAGES, seed: int = 1
) -> Project:
    """The whole synthetic project, in every language."""
    project = Project(languages, {language: [] for language in languages})
    for course_number in range(1, courses + 1):
        ids = structure_for(seed, "ids", course_number)
        course_id = f"c{course_number:02d}-{ascii_slug(ids)}"
        module_ids = [f"m{n:02d}-{ascii_slug(ids)}" for n in range(1, modules + 1)]
        level = ids.choice(("beginner", "intermediate", "advanced"))
        for language in languages:
            words = words_for(seed, language, course_id)
            title, summary = words.title(2, 5), words.sentences(2, 3)
            course_modules = [
                make_module(seed, course_id, module_ids, here, language) for here in range(modules)
            ]
            project.courses[language].append(
                Course(course_id, title, summary, level, course_modules)
            )
    return project


# --- Sabaq project -------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Multi-line Markdown as literal blocks (`|`), as trainers write it."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def _dump(path: Path, schema: str, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(f"# yaml-language-server: $schema={schema}\n{text}", encoding="utf-8")


def _question_source(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"id": question.id, "type": question.type, "prompt": question.prompt}
    data["explanation"] = question.explanation
    if question.options:
        data["options"] = [
            {"id": option_id, "text": text, "correct": correct, "feedback": feedback}
            if correct
            else {"id": option_id, "text": text, "feedback": feedback}
            for option_id, text, correct, feedback in question.options
        ]
    elif question.type == "true_false":
        data.update(
            answer=question.answer,
            feedback_true=question.feedback_true,
            feedback_false=question.feedback_false,
        )
    else:
        data["accepted"] = question.accepted
    return data


def _question_translation(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"prompt": question.prompt, "explanation": question.explanation}
    if question.options:
        data["options"] = [
            {"text": text, "feedback": feedback} for _, text, _, feedback in question.options
        ]
    elif question.type == "true_false":
        data.update(feedback_true=question.feedback_true, feedback_false=question.feedback_false)
    else:
        data["accepted"] = question.accepted
    return data


def _module_texts(module: Module) -> dict[str, Any]:
    return {
        "title": module.title,
        "summary": module.summary,
        "objectives": module.objectives,
        "sections": [
            {
                "heading": s.heading,
                "body": s.body,
                **(
                    {"callouts": [{"title": c.title, "body": c.body} for c in s.callouts]}
                    if s.callouts
                    else {}
                ),
            }
            for s in module.sections
        ],
        "sources": [{"title": title} for title, *_ in module.sources],
    }


STATUSES = ("draft", "reviewed")


def bank_id(course: Course, module: Module) -> str:
    return f"{course.id}-{module.id}"


def write_sabaq(project: Project, root: Path) -> None:
    """`courses/`, `quizzes/` and `mkdocs.yml` of a Sabaq project."""
    statuses = random.Random("statuses")
    for index, source_course in enumerate(project.courses[SOURCE_LANGUAGE]):
        folder = root / "courses" / source_course.id
        _dump(
            folder / "course.yml",
            "../../schemas/course.schema.json",
            {
                "id": source_course.id,
                "title": source_course.title,
                "summary": source_course.summary,
                "level": source_course.level,
                "source_language": SOURCE_LANGUAGE,
                "languages": list(project.languages),
                "modules": [m.id for m in source_course.modules],
                "authors": ["Sabaq benchmark"],
            },
        )
        for position, module in enumerate(source_course.modules, start=1):
            name = f"{position:02d}-{module.id}"
            texts = _module_texts(module)
            source = {
                "id": module.id,
                "title": texts.pop("title"),
                "duration_minutes": module.duration_minutes,
                **texts,
            }
            for section, data in zip(module.sections, source["sections"], strict=True):
                for callout, callout_data in zip(
                    section.callouts, data.get("callouts", []), strict=True
                ):
                    callout_data["kind"] = callout.kind
            source["sources"] = [
                {"title": title, "url": url, "publisher": publisher, "year": year}
                for title, url, publisher, year in module.sources
            ]
            source["quiz"] = {"bank": bank_id(source_course, module)}
            _dump(folder / f"{name}.yml", "../../schemas/module.schema.json", source)
            _dump(
                root / "quizzes" / f"{bank_id(source_course, module)}.yml",
                "../schemas/quiz.schema.json",
                {
                    "id": bank_id(source_course, module),
                    "source_language": SOURCE_LANGUAGE,
                    "title": module.quiz_title,
                    "questions": [_question_source(q) for q in module.questions],
                },
            )
        for language in project.languages:
            if language == SOURCE_LANGUAGE:
                continue
            course = project.courses[language][index]
            _dump(
                folder / f"course.{language}.yml",
                "../../schemas/course-translation.schema.json",
                {
                    "status": statuses.choice(STATUSES),
                    "title": course.title,
                    "summary": course.summary,
                },
            )
            for position, module in enumerate(course.modules, start=1):
                _dump(
                    folder / f"{position:02d}-{module.id}.{language}.yml",
                    "../../schemas/module-translation.schema.json",
                    {"status": statuses.choice(STATUSES), **_module_texts(module)},
                )
                _dump(
                    root / "quizzes" / f"{bank_id(course, module)}.{language}.yml",
                    "../schemas/quiz-translation.schema.json",
                    {
                        "status": statuses.choice(STATUSES),
                        "title": module.quiz_title,
                        "questions": [_question_translation(q) for q in module.questions],
                    },
                )
    (root / "mkdocs.yml").write_text(SABAQ_MKDOCS_YML, encoding="utf-8")


#: The same theme settings as the do-it-yourself site below, and as the repository's mkdocs.yml.
SABAQ_MKDOCS_YML = """\
theme:
  name: material
  palette:
    primary: indigo
    accent: indigo
  features:
    - navigation.footer
    - navigation.indexes
    - search.highlight
copyright: Synthetic benchmark content.
"""


# --- Do-it-yourself site -------------------------------------------------------------------------


def _suffix(language: str) -> str:
    return "" if language == SOURCE_LANGUAGE else f".{language}"


def diy_quiz(question: Question, words: dict[str, str]) -> str:
    """One question in mkdocs-quiz's syntax: `- [x]` marks a right answer, `> ` its feedback,
    `[[answer]]` a blank; the explanation follows the answers (after `---` for a blank)."""
    lines = ["<quiz>", question.prompt]
    if question.options:
        for _, text, correct, feedback in question.options:
            lines += [f"- [{'x' if correct else ' '}] {text}", f"> {feedback}"]
        lines += ["", question.explanation]
    elif question.type == "true_false":
        lines += [
            f"- [{'x' if question.answer else ' '}] {words['true']}",
            f"> {question.feedback_true}",
            f"- [{' ' if question.answer else 'x'}] {words['false']}",
            f"> {question.feedback_false}",
            "",
            question.explanation,
        ]
    else:
        lines[1] = f"{question.prompt} [[{question.accepted[0]}]]"
        lines += ["", "---", question.explanation]
    return "\n".join([*lines, "</quiz>"])


def diy_module_page(module: Module, words: dict[str, str]) -> str:
    lines = [f"# {module.title}", "", f"*{module.duration_minutes} {words['minutes']}*", ""]
    lines += [f"## {words['objectives']}", "", *(f"- {o}" for o in module.objectives), ""]
    for section in module.sections:
        lines += [f"## {section.heading}", "", section.body.strip(), ""]
        for callout in section.callouts:
            lines += [f'!!! {ADMONITIONS[callout.kind]} "{callout.title}"', ""]
            lines += [f"    {line}" for line in callout.body.strip().splitlines()] + [""]
    lines += [f"## {words['sources']}", ""]
    lines += [
        f"1. [{title}](<{url}>), {publisher}, {year}"
        for title, url, publisher, year in module.sources
    ]
    lines += ["", f"## {words['quiz']}", "", "<!-- mkdocs-quiz intro -->", ""]
    for question in module.questions:
        lines += [diy_quiz(question, words), ""]
    lines += ["<!-- mkdocs-quiz results -->", ""]
    return "\n".join(lines)


def diy_course_page(course: Course, words: dict[str, str]) -> str:
    lines = [f"# {course.title}", "", course.summary, "", f"## {words['modules']}", ""]
    for number, module in enumerate(course.modules, start=1):
        lines.append(
            f"{number}. [{module.title}]({module.id}.md) · {module.duration_minutes} {words['minutes']}  "
        )
        lines.append(f"    {module.summary}")
    return "\n".join(lines) + "\n"


def diy_home_page(courses: list[Course], words: dict[str, str]) -> str:
    lines = [f"# {words['courses']}", ""]
    for course in courses:
        lines += [f"## [{course.title}]({course.id}/index.md)", "", course.summary, ""]
    return "\n".join(lines)


def diy_mkdocs_yml(project: Project) -> dict[str, Any]:
    languages = [
        {
            "locale": code,
            "name": NATIVE_NAMES[code],
            "default": code == SOURCE_LANGUAGE,
            "build": True,
        }
        for code in project.languages
    ]
    return {
        "site_name": "Courses",
        "docs_dir": "docs",
        "theme": {
            "name": "material",
            "custom_dir": "overrides",
            "language": "en",
            "font": False,
            "palette": {"primary": "indigo", "accent": "indigo"},
            "features": ["navigation.footer", "navigation.indexes", "search.highlight"],
        },
        "plugins": [
            {"search": {"lang": ["en", "ru", "tr"]}},
            {
                "i18n": {
                    "docs_structure": "suffix",
                    "fallback_to_default": True,
                    "languages": languages,
                }
            },
            "mkdocs_quiz",
        ],
        # The same extensions Sabaq's pages use, so both stacks render the same Markdown.
        "markdown_extensions": MARKDOWN_EXTENSIONS,
        "copyright": "Synthetic benchmark content.",
    }


def write_diy(project: Project, root: Path) -> None:
    """`mkdocs.yml`, `docs/` (suffix structure) and `overrides/` of the do-it-yourself site."""
    docs = root / "docs"
    for language in project.languages:
        words, suffix = HEADINGS[language], _suffix(language)
        docs.mkdir(parents=True, exist_ok=True)
        (docs / f"index{suffix}.md").write_text(
            diy_home_page(project.courses[language], words), encoding="utf-8"
        )
        for course in project.courses[language]:
            folder = docs / course.id
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"index{suffix}.md").write_text(
                diy_course_page(course, words), encoding="utf-8"
            )
            for module in course.modules:
                (folder / f"{module.id}{suffix}.md").write_text(
                    diy_module_page(module, words), encoding="utf-8"
                )
    overrides = root / "overrides" / "partials" / "languages"
    overrides.mkdir(parents=True, exist_ok=True)
    for partial in sorted(THEME_LANGUAGES_DIR.glob("*.html")):
        shutil.copyfile(partial, overrides / partial.name)
    text = yaml.safe_dump(diy_mkdocs_yml(project), allow_unicode=True, sort_keys=False)
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")


# --- Command line --------------------------------------------------------------------------------


def generate(
    out: Path, courses: int, modules: int, languages: tuple[str, ...] = LANGUAGES, seed: int = 1
) -> Project:
    """Write `out/sabaq/` and `out/diy/` (replacing them) and return the content."""
    project = make_project(courses, modules, languages, seed)
    for name, write in (("sabaq", write_sabaq), ("diy", write_diy)):
        target = out / name
        if target.exists():
            shutil.rmtree(target)
        write(project, target)
    return project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size", choices=sorted(SIZES), help="small: 3 courses x 8 modules; large: 30 x 8"
    )
    parser.add_argument("--courses", type=int, help="number of courses (overrides --size)")
    parser.add_argument("--modules", type=int, help="modules per course (overrides --size)")
    parser.add_argument(
        "--languages",
        default=",".join(LANGUAGES),
        help="comma-separated, en first (default: all six)",
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="the same seed gives the same files (default: 1)"
    )
    parser.add_argument("--out", required=True, type=Path, help="writes OUT/sabaq/ and OUT/diy/")
    args = parser.parse_args(argv)
    courses, modules = SIZES[args.size] if args.size else (3, 8)
    courses, modules = args.courses or courses, args.modules or modules
    languages = tuple(args.languages.split(","))
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown or languages[0] != SOURCE_LANGUAGE:
        parser.error(
            f"--languages: expected 'en' first, then any of {', '.join(LANGUAGES[1:])}; got {args.languages!r}"
        )
    project = generate(args.out, courses, modules, languages, args.seed)
    print(
        f"{courses} courses x {modules} modules x {len(languages)} languages: "
        f"{project.page_count()} pages in {args.out}/sabaq and {args.out}/diy",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
