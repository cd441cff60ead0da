"""The authoring guide (`courses/writing-with-sabaq/`) can never drift from the format: every YAML
example in it, in every language, is a whole file that Sabaq's own loader and validator accept,
and the guide builds in its two languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sabaq_testing import REPO, write_files

from builder.build.pipeline import build_project, check_project
from builder.content.document import load_document

GUIDE = REPO / "courses" / "writing-with-sabaq"
#: A fenced YAML block whose first line names the file it is: "# courses/demo/course.yml".
EXAMPLE = re.compile(r"```yaml\n# (?P<path>[\w./-]+)\n(?P<text>.*?)```", re.S)


def examples() -> list[tuple[str, str, str]]:
    """(where in the guide, file path, file text) of every example, in file order."""
    found = []
    for guide_file in sorted(GUIDE.glob("*.yml")):
        document = load_document(guide_file)
        for number, section in enumerate((document.data or {}).get("sections", [])):
            body = section.get("body", "")
            for match in EXAMPLE.finditer(body):
                position = document.position_in_text(("sections", number, "body"), match.start())
                where = f"{guide_file.relative_to(REPO)}:{position.line}"
                found.append((where, match.group("path"), match.group("text")))
    return found


EXAMPLES = examples()


def test_the_guide_has_examples_of_every_file_kind() -> None:
    paths = {path for _, path, _ in EXAMPLES}
    assert {
        "courses/demo/course.yml",
        "courses/demo/01-first-look.yml",
        "courses/demo/02-sources.yml",
        "courses/demo/01-first-look.ru.yml",
        "quizzes/demo.yml",
        "glossary.yml",
    } <= paths
    # Every question type, in the guide's bank examples.
    banks = "".join(text for _, path, text in EXAMPLES if path == "quizzes/demo.yml")
    types = set(re.findall(r"type: (\w+)", banks))
    assert types == {
        "single", "multiple", "true_false", "fill_blank", "numeric", "ordering", "matching",
        "claim_rating",
    }  # fmt: skip


@pytest.mark.parametrize(("where", "path", "text"), EXAMPLES, ids=[w for w, _, _ in EXAMPLES])
def test_every_example_in_the_guide_is_a_valid_file(
    tmp_path: Path, where: str, path: str, text: str
) -> None:
    # The example, in a project made of the guide's first example of every other file.
    files: dict[str, str | bytes] = {}
    for _, other_path, other_text in EXAMPLES:
        files.setdefault(other_path, other_text)
    files[path] = text
    project = write_files(tmp_path / "project", files)
    checked, errors = check_project(project)
    assert [e.format(project) for e in errors] == [], f"the example at {where} is not valid"
    assert [w.format(project) for w in checked.warnings] == [], where


@pytest.mark.slow  # builds sites with MkDocs
def test_the_guide_builds_in_english_and_russian(tmp_path: Path) -> None:
    report = build_project(
        REPO, tmp_path / "site", courses=["writing-with-sabaq"], with_packages=False
    )
    assert report.ok, [e.format(REPO) for e in report.errors]
    assert report.languages == ["en", "ru"]
    for language, title in (("en", "How to write"), ("ru", "Как написать")):
        overview = (tmp_path / "site" / language / "writing-with-sabaq" / "index.html").read_text(
            encoding="utf-8"
        )
        assert f"<h1>{title}" in overview or f">{title}" in overview
        quiz = tmp_path / "site" / language / "writing-with-sabaq" / "quizzes" / "index.html"
        assert quiz.read_text(encoding="utf-8").count('class="sabaq-quiz__question"') == 8
