"""The trainer edition (`sabaq build --edition trainer`): module pages with the trainer's notes and
each quiz's answer key, a workshop plan per course, in a site of its own; and none of it anywhere
in the trainees' site or its packages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sabaq_testing import MINIMAL_PROJECT, run_sabaq, write_files

from builder.build.pipeline import build_project
from builder.render.i18n import messages

pytestmark = pytest.mark.slow  # builds sites with MkDocs

#: Texts only the trainer edition may hold.
SECRETS = [
    "Split the room into pairs",
    "Which source would you trust first",
    "Hand out the printed claim",
    "Participants skip the date",
]
MODULE = """
    id: first
    title: First module
    duration_minutes: 20
    sections:
      - heading: Start
        body: Hello.
    quiz:
      bank: basics
    trainer:
      session_plan:
        - minutes: 10
          activity: Split the room into pairs and read the claim aloud.
        - minutes: 15
          activity: "**Debate**: the claim's source."
      discussion:
        - Which source would you trust first, and why?
      exercise_notes: |
        Hand out the printed claim. The expected answer: the photo is old.
      common_mistakes:
        - Participants skip the date of the photo.
    """


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("editions")
    files = {**MINIMAL_PROJECT, "courses/demo/01-first.yml": MODULE}
    files["courses/demo/01-first.ru.yml"] = """
        status: draft
        title: Первый модуль
        sections:
          - heading: Начало
            body: Привет.
        trainer:
          session_plan:
            - activity: Разбейте группу на пары и прочитайте утверждение вслух.
        """
    project = write_files(root / "project", files)
    made = run_sabaq("build", "--edition", "trainer", "--no-packages", cwd=project)
    assert made.code == 0, made.stderr
    assert not (project / "site").exists(), "the trainer edition wrote into the trainees' site"
    report = build_project(project, project / "site", use_cache=False)
    assert report.ok, report.errors
    return project / "site", project / "site-trainer"


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def test_the_trainer_edition_has_notes_answer_keys_and_a_workshop_plan(
    editions: tuple[Path, Path],
) -> None:
    _, trainer = editions
    page = text_of(trainer / "en" / "demo" / "first" / "index.html")
    en = messages("en")
    for secret in SECRETS:
        assert secret in page, secret
    assert "<strong>Debate</strong>" in page
    assert en.text("trainer_answer_key") in page
    # The answer key names the right option of each question.
    key = page[page.index("data-sabaq-answer-key") :]
    assert f"<strong>{en.text('trainer_answer')}:</strong> A</p>" in key
    workshop = text_of(trainer / "en" / "demo" / "workshop" / "index.html")
    assert en.text("trainer_workshop_title") in workshop
    assert "Split the room into pairs" in workshop
    assert f"{en.text('trainer_workshop_total')}:</strong> {en.duration(25)}" in workshop
    # Translated notes, in the trainer's language; what is not translated stays in the source's.
    ru_page = text_of(trainer / "ru" / "demo" / "first" / "index.html")
    assert "Разбейте группу на пары" in ru_page
    assert messages("ru").text("trainer_heading") in ru_page


def test_no_trainer_text_or_answer_key_anywhere_in_the_trainees_site(
    editions: tuple[Path, Path],
) -> None:
    site, _ = editions
    forbidden = [*SECRETS, "Разбейте группу", "data-sabaq-answer-key", "data-sabaq-trainer",
                 "data-sabaq-workshop", *(messages(code).text("trainer_answer_key") for code in ("en", "ru"))]  # fmt: skip
    found = []
    files = [path for path in site.rglob("*") if path.is_file()]
    assert any(path.suffix == ".zip" for path in files)
    for path in files:
        texts = [path.read_bytes().decode("utf-8", errors="replace")]
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                texts += [
                    archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                ]
        found += [(path.name, word) for text in texts for word in forbidden if word in text]
    assert found == []
    assert not (site / "en" / "demo" / "workshop").exists()


def test_the_trainer_edition_prints_its_own_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader

    files = {**MINIMAL_PROJECT, "courses/demo/01-first.yml": MODULE}
    project = write_files(tmp_path / "project", files)
    made = run_sabaq(
        "build", "--edition", "trainer", "--print", "--lang", "en", "--no-packages", cwd=project
    )
    assert made.code == 0, made.stderr
    pdf = project / "site-trainer" / "downloads" / "demo-en-trainer.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Split the room into pairs" in " ".join(text.split())
    assert messages("en").text("trainer_answer_key") in text
