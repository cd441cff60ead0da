"""Quiz banks: every question checked on its own, then each bank in every language."""

from __future__ import annotations

from collections.abc import Collection

from pydantic import TypeAdapter, ValidationError

from builder.content.document import Document
from builder.content.errors import ContentError
from builder.content.languages import LANGUAGE_CODES
from builder.content.load import ProjectFile
from builder.content.model import (
    ClaimRating,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    QuizBank,
    SingleChoice,
)
from builder.content.project import (
    BankEdition,
)
from builder.content.schema_errors import validate_document
from builder.content.translate import Translated, apply_translation, text_paths
from builder.content.validation.editions import (
    duplicates,
    orphan_translation,
    status,
    usable_translation,
)

_QUESTION: TypeAdapter[Question] = TypeAdapter(Question)


def validate_banks(
    files: list[ProjectFile], errors: list[ContentError]
) -> dict[str, tuple[QuizBank, ProjectFile]]:
    banks: dict[str, tuple[QuizBank, ProjectFile]] = {}
    for project_file in files:
        document = project_file.document
        bank, bank_errors = validate_document(QuizBank, document)
        errors.extend(bank_errors)
        if bank is None:
            # Each question that is right on its own is still checked across its fields, so that
            # one run reports every independent mistake.
            errors.extend(_check_valid_questions(document))
            continue
        if bank.id != project_file.stem:
            errors.append(
                document.error(
                    ("id",),
                    f"id: '{bank.id}' does not match the file name '{project_file.path.name}'",
                    f"rename the file to '{bank.id}.yml', or change the id to '{project_file.stem}'",
                )
            )
            continue
        errors.extend(_check_questions(bank, document))
        banks[bank.id] = (bank, project_file)
    return banks


def _check_valid_questions(document: Document) -> list[ContentError]:
    """The checks of `_check_question` on every question of a bank that does not validate as a
    whole, where the question itself does (its own errors are reported already)."""
    data = document.data
    questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(questions, list):
        return []
    errors = []
    for index, item in enumerate(questions):
        try:
            question = _QUESTION.validate_python(item)
        except ValidationError:
            continue
        errors += _check_question(question, index, document)
    return errors


def _check_questions(bank: QuizBank, document: Document) -> list[ContentError]:
    errors = duplicates(
        document,
        [("questions", i, "id") for i in range(len(bank.questions))],
        [q.id for q in bank.questions],
        "question id",
    )
    for index, question in enumerate(bank.questions):
        errors += _check_question(question, index, document)
    return errors


def _check_question(question: Question, index: int, document: Document) -> list[ContentError]:
    """What one question's fields must agree on: option ids, right options, steps, pairs."""
    errors: list[ContentError] = []
    path = ("questions", index)
    if isinstance(question, (SingleChoice, MultipleChoice, ClaimRating)):
        option_paths = [(*path, "options", i, "id") for i in range(len(question.options))]
        errors += duplicates(document, option_paths, [o.id for o in question.options], "option id")
        correct = sum(option.correct for option in question.options)
        if isinstance(question, MultipleChoice):
            if correct == 0:
                errors.append(
                    document.error(
                        (*path, "options"),
                        f"questions[{index}]: a 'multiple' question needs at least one option with 'correct: true'",
                        "mark the right options with 'correct: true'",
                    )
                )
        elif correct != 1:
            errors.append(
                document.error(
                    (*path, "options"),
                    f"questions[{index}]: a '{question.type}' question needs exactly one option with "
                    f"'correct: true', found {correct}",
                    "mark exactly one option 'correct: true'; for several right answers use "
                    "'type: multiple'",
                )
            )
    if isinstance(question, Ordering):
        errors += duplicates(
            document,
            [(*path, "steps", i) for i in range(len(question.steps))],
            question.steps,
            "step",
        )
    if isinstance(question, Matching):
        errors += duplicates(
            document,
            [(*path, "pairs", i, "left") for i in range(len(question.pairs))],
            [p.left for p in question.pairs],
            "left item",
        )
        errors += duplicates(
            document,
            [(*path, "pairs", i, "right") for i in range(len(question.pairs))],
            [p.right for p in question.pairs],
            "right item",
        )
    return errors


def bank_editions(
    banks: dict[str, tuple[QuizBank, ProjectFile]],
    translation_files: list[ProjectFile],
    errors: list[ContentError],
    present: set[tuple[str, str]],
) -> dict[str, dict[str, BankEdition]]:
    editions: dict[str, dict[str, BankEdition]] = {}
    for bank_id, (bank, source_file) in banks.items():
        texts = text_paths(bank)
        editions[bank_id] = {
            language: BankEdition(
                "source", Translated(texts, set(texts), source=source_file.path), None, bank
            )
            if language == bank.source_language
            else BankEdition("missing", Translated(texts, source=source_file.path), None, bank)
            for language in LANGUAGE_CODES
        }
    for project_file in translation_files:
        if not usable_translation(project_file, errors):
            continue
        if project_file.stem not in banks:
            errors.extend(orphan_bank_translations([project_file], banks, present))
            continue
        bank, source_file = banks[project_file.stem]
        merged, translated, merge_errors = apply_translation(
            bank, project_file.document, source_file.path.name
        )
        translated.source = source_file.path
        errors.extend(merge_errors)
        editions[bank.id][project_file.language or ""] = BankEdition(
            status(project_file), translated, project_file.path, merged
        )
    return editions


def orphan_bank_translations(
    translation_files: list[ProjectFile], banks: Collection[str], present: set[tuple[str, str]]
) -> list[ContentError]:
    """Translations of banks that do not exist (whose source file has errors of its own is not
    reported again); `banks` are the ones that do."""
    return [
        orphan_translation(project_file, list(banks), "quizzes/")
        for project_file in translation_files
        if ("", project_file.stem) not in present
    ]
