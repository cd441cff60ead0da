"""The typed model of a course project: the contract with trainers.

Every file a trainer writes is validated against these classes, and the JSON Schemas that
editors use to flag mistakes while a trainer types are generated from them (`builder/content/schema.py`),
so the field descriptions below are what a trainer reads in their editor.

Fields marked with `text_field(...)` hold words a reader sees; only those may appear in a translation
file. Everything else (ids, order, correct answers, links, numbers) is structure and lives only in
the source file.
"""

from __future__ import annotations

import functools
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from builder.content.limits import LIMITS

LanguageCode = Literal["en", "ru", "uz", "kk", "ky", "tg"]
TranslationStatus = Literal["draft", "reviewed"]

#: Ids become parts of page addresses, so they are lower-case words joined by hyphens.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Identifier = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=LIMITS.id_length)]
#: What the built site itself puts beside course folders (in each language folder: index.html,
#: 404.html, assets/, search/, sw.js, manifest.webmanifest, offline.json, sitemap.xml; at the top:
#: downloads/) and beside module folders (a course's index.html, offline.json and images/). A
#: course or module with one of these ids would overwrite, or be overwritten by, a part of the site.
SITE_NAMES = frozenset(
    {
        "404",
        "assets",
        "downloads",
        "images",
        "index",
        "manifest",
        "offline",
        "progress-files",
        "search",
        "sitemap",
        "sw",
    }
)
#: Names Windows refuses for a file or folder, with any extension: a downloaded course package
#: with such a folder cannot be unpacked there.
WINDOWS_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(10)}
)


def reserved_id(identifier: str) -> str | None:
    """Why a course or module cannot have this id, or None if it can."""
    if identifier in SITE_NAMES:
        return "a name the built site uses for itself"
    if identifier in WINDOWS_NAMES:
        return "a name Windows does not allow for a folder"
    return None


#: Items of lists of texts, with their limits (builder/content/limits.py).
Objective = Annotated[str, Field(max_length=LIMITS.text_length)]
Author = Annotated[str, Field(max_length=LIMITS.text_length)]
Choice = Annotated[str, Field(max_length=LIMITS.choice_length)]

TRANSLATABLE = "x-sabaq-translatable"
#: A list of texts that a translation replaces as a whole (it may be longer or shorter), such as
#: the accepted answers of a fill-in-the-blank question, which differ from language to language.
TRANSLATABLE_WHOLE = "whole"


def text_field(
    description: str, *, default: Any = ..., whole_list: bool = False, **kwargs: Any
) -> Any:
    """A field holding words the reader sees, which translation files may supply."""
    marker = TRANSLATABLE_WHOLE if whole_list else True
    return Field(
        default, description=description, json_schema_extra={TRANSLATABLE: marker}, **kwargs
    )


@functools.cache
def field_kinds(model: type[BaseModel]) -> dict[str, tuple[bool, bool]]:
    """Each field of `model` -> (is it translatable, is it translated as a whole list). Asked
    for every value of every file; pydantic's `model_fields` is too slow to ask each time."""
    kinds = {}
    for name, field in model.model_fields.items():
        extra = field.json_schema_extra
        marker = extra.get(TRANSLATABLE) if isinstance(extra, dict) else None
        kinds[name] = (marker is not None, marker == TRANSLATABLE_WHOLE)
    return kinds


def is_translatable(model: type[BaseModel], field_name: str) -> bool:
    return field_kinds(model)[field_name][0]


def is_whole_list(model: type[BaseModel], field_name: str) -> bool:
    return field_kinds(model)[field_name][1]


def nested_models(annotation: Any) -> list[type[BaseModel]]:
    """The model classes inside a field's type: `list[Section]` -> [Section], unions -> all."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for argument in typing.get_args(annotation) for model in nested_models(argument)]


class Strict(BaseModel):
    # An unknown key is almost always a typo; refusing it lets us suggest the right one.
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- Courses -------------------------------------------------------------------------------------


class Completion(Strict):
    """What a reader does to complete the course, shown on its overview: read every module (its
    end on screen, or marked done), and answer each module's quiz at or above the pass mark."""

    pass_mark: int = Field(
        70,
        ge=0,
        le=100,
        description="The score each module's quiz needs, in per cent of its questions (0 to 100).",
    )


class Course(Strict):
    """A course: `courses/<course-id>/course.yml`."""

    id: Identifier = Field(description="The course's id, also its folder name and web address.")
    title: str = text_field(
        "The course title, as readers see it.", min_length=1, max_length=LIMITS.title_length
    )
    summary: str = text_field(
        "One or two sentences on what the course teaches and for whom.",
        max_length=LIMITS.text_length,
    )
    level: Literal["beginner", "intermediate", "advanced"] = Field(
        description="Who the course is for: beginner, intermediate or advanced."
    )
    source_language: LanguageCode = Field(
        "en", description="The language the source files (without a language code) are written in."
    )
    languages: list[LanguageCode] = Field(
        description="Every language the course is published in, the source language included.",
        min_length=1,
    )
    modules: list[Identifier] = Field(
        description="The module ids, in the order readers take them. Each has a file "
        "`<NN>-<module-id>.yml` (or `<module-id>.yml`) in the course folder.",
        min_length=1,
        max_length=LIMITS.modules_per_course,
    )
    authors: list[Author] = Field(
        default_factory=list,
        description="Who wrote the course.",
        max_length=LIMITS.authors_per_course,
    )
    license: str = Field(
        "CC BY 4.0",
        description="The licence readers may reuse the course under.",
        max_length=LIMITS.text_length,
    )
    tools: list[Literal["request-builder"]] = Field(
        default_factory=list,
        description="Interactive pages the course adds after its modules. 'request-builder': the "
        "request-for-information builder and deadline tracker, at `<course-id>/request-builder/`, "
        "built from `rti.yml` beside `courses/`.",
    )
    completion: Completion = Field(
        default_factory=lambda: Completion.model_validate({}),
        description="What a reader does to complete the course and get its certificate: every "
        "module read and each quiz at or above `pass_mark` per cent (70 unless set).",
    )


# --- Modules -------------------------------------------------------------------------------------


class Callout(Strict):
    """A box set apart from the text: a tip, a warning, a worked example or an exercise."""

    kind: Literal["tip", "warning", "example", "exercise"] = Field(
        description="tip, warning, example or exercise."
    )
    title: str | None = text_field(
        "A short title; without one the kind's name is used.",
        default=None,
        max_length=LIMITS.title_length,
    )
    body: str = text_field("The box's text, in Markdown.", max_length=LIMITS.body_length)


class Section(Strict):
    """One part of a module, with a heading."""

    heading: str = text_field("The section heading.", min_length=1, max_length=LIMITS.title_length)
    body: str = text_field(
        "The section's text, in Markdown: paragraphs, lists, tables, links.",
        max_length=LIMITS.body_length,
    )
    callouts: list[Callout] = Field(
        default_factory=list,
        description="Boxes shown after the section's text.",
        max_length=LIMITS.callouts_per_section,
    )


class Source(Strict):
    """A source the module relies on, cited at the end of the page."""

    title: str = text_field("The source's title.", max_length=LIMITS.text_length)
    url: str | None = Field(
        None,
        description="Where readers can find it: a web address starting with https:// or http://.",
        # No spaces, quotes or angle brackets: they cannot stand in an address unencoded.
        pattern=r"^https?://[^\s<>\"]+$",
    )
    publisher: str | None = Field(
        None, description="Who published it.", max_length=LIMITS.text_length
    )
    year: int | None = Field(None, description="The year it was published.", ge=1900, le=2100)


class QuizReference(Strict):
    """Which question bank the module's quiz draws from."""

    bank: Identifier = Field(description="The bank's id: its file is `quizzes/<bank>.yml`.")
    questions: list[Identifier] | None = Field(
        None,
        description="Only these questions, in this order. Leave out to use the whole bank.",
        max_length=LIMITS.questions_per_bank,
    )


class PlanStep(Strict):
    """One step of a workshop session: how long, and what the group does."""

    minutes: int = Field(gt=0, le=LIMITS.module_minutes, description="How long the step takes.")
    activity: str = text_field(
        "What the trainer and the group do, in Markdown.",
        min_length=1,
        max_length=LIMITS.text_length,
    )


class TrainerNotes(Strict):
    """For the trainer who runs the module in a workshop. Only the trainer edition shows them
    (`sabaq build --edition trainer`); the trainees' site never contains them."""

    session_plan: list[PlanStep] = Field(
        default_factory=list,
        max_length=LIMITS.sections_per_module,
        description="The module's part of a workshop, step by step, with minutes.",
    )
    discussion: list[Objective] = text_field(
        "Questions that open a discussion, one each.",
        default_factory=list,
        max_length=LIMITS.objectives_per_module,
    )
    exercise_notes: str | None = text_field(
        "How to run the module's exercises, and the answers to expect (Markdown).",
        default=None,
        max_length=LIMITS.body_length,
    )
    common_mistakes: list[Objective] = text_field(
        "Mistakes participants often make, and how to help, one each.",
        default_factory=list,
        max_length=LIMITS.objectives_per_module,
    )


class Module(Strict):
    """A module: `courses/<course-id>/<NN>-<module-id>.yml`."""

    id: Identifier = Field(description="The module's id, also the last part of its web address.")
    title: str = text_field("The module title.", min_length=1, max_length=LIMITS.title_length)
    duration_minutes: int = Field(
        description="About how long the module takes, in minutes.",
        gt=0,
        le=LIMITS.module_minutes,
    )
    summary: str | None = text_field(
        "One or two sentences shown in the course overview.",
        default=None,
        max_length=LIMITS.text_length,
    )
    objectives: list[Objective] = text_field(
        "What a reader can do after the module, one line each.",
        default_factory=list,
        max_length=LIMITS.objectives_per_module,
    )
    sections: list[Section] = Field(
        description="The module's parts, in order.",
        min_length=1,
        max_length=LIMITS.sections_per_module,
    )
    sources: list[Source] = Field(
        default_factory=list,
        description="Sources cited by the module.",
        max_length=LIMITS.sources_per_module,
    )
    quiz: QuizReference | None = Field(None, description="A quiz at the end of the module.")
    trainer: TrainerNotes | None = Field(
        None,
        description="Notes for workshops: a session plan, discussion questions, how to run the "
        "exercises and their answers, common mistakes. Only in the trainer edition.",
    )


# --- Quiz banks ----------------------------------------------------------------------------------


class Option(Strict):
    """One answer a reader can choose."""

    id: Identifier = Field(description="The option's id, unique within the question.")
    text: str = text_field(
        "The option as the reader sees it.", min_length=1, max_length=LIMITS.choice_length
    )
    correct: bool = Field(False, description="Whether choosing this option is right.")
    feedback: str | None = text_field(
        "Shown when the reader chooses this option.",
        default=None,
        max_length=LIMITS.text_length,
    )


class QuestionBase(Strict):
    id: Identifier = Field(description="The question's id, unique within the bank.")
    prompt: str = text_field(
        "The question, in Markdown.", min_length=1, max_length=LIMITS.text_length
    )
    explanation: str | None = text_field(
        "Shown after the reader answers, right or wrong.",
        default=None,
        max_length=LIMITS.text_length,
    )


class SingleChoice(QuestionBase):
    """Exactly one option is correct."""

    type: Literal["single"]
    options: list[Option] = Field(
        min_length=2,
        max_length=LIMITS.options_per_question,
        description="The options; exactly one is correct.",
    )


class MultipleChoice(QuestionBase):
    """Several options may be correct. Score: (right picks - wrong picks) / correct options, at
    least 0, so guessing everything earns nothing."""

    type: Literal["multiple"]
    options: list[Option] = Field(
        min_length=2,
        max_length=LIMITS.options_per_question,
        description="The options; one or more correct.",
    )


class TrueFalse(QuestionBase):
    """A statement the reader marks as true or false."""

    type: Literal["true_false"]
    answer: bool = Field(description="Whether the statement is true.")
    feedback_true: str | None = text_field(
        "Shown when the reader answers 'true'.", default=None, max_length=LIMITS.text_length
    )
    feedback_false: str | None = text_field(
        "Shown when the reader answers 'false'.", default=None, max_length=LIMITS.text_length
    )


class FillBlank(QuestionBase):
    """The reader types a short answer. Case, surrounding spaces, Unicode normalisation and the
    Uzbek apostrophe variants (ʻ ' ’ `) do not matter."""

    type: Literal["fill_blank"]
    accepted: list[Choice] = text_field(
        "Every answer that counts as right. A translation gives its own list.",
        whole_list=True,
        min_length=1,
        max_length=LIMITS.accepted_answers_per_question,
    )


class Numeric(QuestionBase):
    """The reader types a number."""

    type: Literal["numeric"]
    # Infinity and not-a-number cannot be compared with what a reader types.
    answer: float = Field(description="The right number.", allow_inf_nan=False)
    tolerance: float = Field(
        0, ge=0, allow_inf_nan=False, description="How far from the answer still counts as right."
    )
    unit: str | None = text_field(
        "The unit shown after the input, such as '%' or 'days'.",
        default=None,
        max_length=LIMITS.choice_length,
    )


class Ordering(QuestionBase):
    """The reader puts steps in order; they are shown shuffled."""

    type: Literal["ordering"]
    steps: list[Choice] = text_field(
        "The steps, in the right order.", min_length=2, max_length=LIMITS.steps_per_question
    )


class MatchPair(Strict):
    left: str = text_field("An item on the left, such as a claim.", max_length=LIMITS.choice_length)
    right: str = text_field(
        "The item it belongs with, such as a rating.", max_length=LIMITS.choice_length
    )


class Matching(QuestionBase):
    """The reader pairs each item on the left with one on the right."""

    type: Literal["matching"]
    pairs: list[MatchPair] = Field(
        min_length=2, max_length=LIMITS.pairs_per_question, description="The right pairs."
    )


class ClaimRating(QuestionBase):
    """The reader rates a claim on a fact-checking scale; the explanation gives the verdict's
    reasoning."""

    type: Literal["claim_rating"]
    claim: str = text_field("The claim, quoted as it was made.", max_length=LIMITS.text_length)
    claimant: str | None = text_field(
        "Who made the claim, and where.", default=None, max_length=LIMITS.text_length
    )
    options: list[Option] = Field(
        min_length=2,
        max_length=LIMITS.options_per_question,
        description="The rating scale, such as true / misleading / false; one correct.",
    )


Question = Annotated[
    SingleChoice
    | MultipleChoice
    | TrueFalse
    | FillBlank
    | Numeric
    | Ordering
    | Matching
    | ClaimRating,
    Field(discriminator="type"),
]
QUESTION_TYPES: dict[str, type[QuestionBase]] = {
    "single": SingleChoice,
    "multiple": MultipleChoice,
    "true_false": TrueFalse,
    "fill_blank": FillBlank,
    "numeric": Numeric,
    "ordering": Ordering,
    "matching": Matching,
    "claim_rating": ClaimRating,
}


class QuizBank(Strict):
    """A question bank: `quizzes/<bank-id>.yml`."""

    id: Identifier = Field(description="The bank's id, the same as its file name.")
    source_language: LanguageCode = Field(
        "en",
        description="The language this file is written in; translations are `<id>.<lang>.yml`.",
    )
    title: str = text_field(
        "The quiz title readers see.", min_length=1, max_length=LIMITS.title_length
    )
    questions: list[Question] = Field(
        min_length=1, max_length=LIMITS.questions_per_bank, description="The questions."
    )


# --- Glossary ----------------------------------------------------------------------------------


class GlossaryTerm(Strict):
    """One term of the glossary, with its short definition."""

    id: Identifier = Field(
        description="The term's id, also its anchor: modules link it as "
        "`[words](glossary:<id>)`, and the glossary page as `glossary/#<id>`."
    )
    term: str = text_field("The term as readers see it, such as 'Lateral reading'.", min_length=1)
    definition: str = text_field(
        "A short definition, in Markdown: one to three sentences.", min_length=1
    )
    see_also: list[Identifier] = Field(
        default_factory=list, description="Ids of related terms, linked under the definition."
    )
    sources: list[Annotated[str, Field(pattern=r"^https?://[^\s<>\"]+$")]] = Field(
        default_factory=list,
        description="Web addresses (https://...) the definition relies on.",
    )


class Glossary(Strict):
    """The project's glossary: `glossary.yml` beside `courses/`, one page per language."""

    source_language: LanguageCode = Field(
        "en",
        description="The language this file is written in; translations are `glossary.<lang>.yml`.",
    )
    terms: list[GlossaryTerm] = Field(
        min_length=1, description="The terms, in any order: each page sorts them alphabetically."
    )


# --- Requests for information (the request builder's rules) ------------------------------------

Confidence = Literal["confirmed", "uncertain"]
WebAddress = Annotated[str, Field(pattern=r"^https?://[^\s<>\"]+$", max_length=LIMITS.text_length)]


class RuleSource(Strict):
    """Where a rule is written: the law and article, and a web address of the text."""

    cite: str = text_field(
        "The law and article, as readers see it: 'Law No. 217, Article 16'.",
        min_length=1,
        max_length=LIMITS.text_length,
    )
    url: WebAddress = Field(description="A web address of the text (https://...).")


class CountryRule(Strict):
    """One rule of a country's access-to-information law, with its source and how sure it is."""

    topic: Literal[
        "who_may_ask", "who_must_answer", "deadline", "extension", "fees", "refusals", "appeal"
    ] = Field(  # fmt: skip
        description="What the rule is about; each topic at most once per country."
    )
    text: str = text_field("The rule in one to three sentences.", min_length=1)
    confidence: Confidence = Field(
        description="confirmed: checked against the law's text; uncertain: say what is unclear "
        "in 'unclear'."
    )
    unclear: str | None = text_field(
        "For an uncertain rule: what could not be confirmed, and what the reader should check.",
        default=None,
    )
    sources: list[RuleSource] = Field(min_length=1, description="Where the rule is written.")


class Deadline(Strict):
    """The answer deadline the builder computes a due date from."""

    days: int = Field(ge=1, le=365, description="How many days the body has to answer.")
    count: Literal["working", "calendar"] = Field(
        description="working: weekends and public holidays are skipped; calendar: every day counts."
    )
    confidence: Confidence = Field(
        description="uncertain if the law's deadline could not be confirmed: the page then says "
        "the date is an assumption."
    )


class Country(Strict):
    """One country's access-to-information law, as the request builder uses it."""

    id: Identifier = Field(description="The country's id, such as 'kyrgyzstan'.")
    holidays: Literal["KZ", "KG", "TJ", "UZ"] = Field(
        description="The country's code for public holidays (ISO 3166), taken from the holidays "
        "package at build time."
    )
    name: str = text_field("The country's name.", min_length=1, max_length=LIMITS.title_length)
    law: str = text_field(
        "The law's official name, number and date, in this language.",
        min_length=1,
        max_length=LIMITS.text_length,
    )
    law_url: WebAddress = Field(description="A web address of the law's text.")
    article: str | None = text_field(
        "The article a request cites, as the letter writes it: 'Article 11'. Leave it out if it "
        "could not be confirmed: the letter then cites the law alone.",
        default=None,
        min_length=1,
        max_length=LIMITS.title_length,
    )
    extra_fields: list[Literal["iin", "signature"]] = Field(
        default_factory=list,
        description="What a request must carry besides name, address, contact and the "
        "information asked for: 'iin' (Kazakhstan's individual identification number), "
        "'signature'.",
    )
    deadline: Deadline
    rules: list[CountryRule] = Field(min_length=1, description="The law's rules, one per topic.")


class RequestRules(Strict):
    """The request builder's rules: `rti.yml` beside `courses/`, one entry per country."""

    source_language: LanguageCode = Field(
        "en", description="The language this file is written in; translations are `rti.<lang>.yml`."
    )
    countries: list[Country] = Field(min_length=1, description="The countries, in menu order.")


# --- Translations --------------------------------------------------------------------------------


#: A source text's fingerprint: 8 hex digits of its SHA-256 (builder/content/translate.py).
Fingerprint = Annotated[str, Field(pattern=r"^[0-9a-f]{8}$")]


class TranslationHeader(Strict):
    """What every translation file (`<name>.<lang>.yml`) carries besides its text."""

    status: TranslationStatus = Field(
        description="draft until a native speaker has reviewed the translation, then reviewed."
    )
    source_texts: dict[str, Fingerprint] | None = Field(
        None,
        alias="_source",
        description="Which source text each text translates: its path and the fingerprint of "
        "the source text, written by 'sabaq i18n stub' and 'sabaq i18n import'. 'sabaq check' "
        "warns when the source text changes.",
    )


SOURCE_MODELS: dict[str, type[Strict]] = {
    "course": Course,
    "module": Module,
    "quiz": QuizBank,
    "glossary": Glossary,
    "rti": RequestRules,
}
