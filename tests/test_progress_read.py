"""`sabaq progress read`: a trainer's table of trainees' progress files, compared with the
project's courses, with CSV; a file that is not a progress file is named and refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sabaq_testing import REPO, run_sabaq

from builder.build.pipeline import check_project
from builder.features.progress.version import course_version

pytestmark = pytest.mark.slow  # runs sabaq as a new process


def progress(course: str, version: str, name: str, read: list[str], score: float) -> str:
    return json.dumps(
        {
            "format": "sabaq-progress",
            "version": 1,
            "course": course,
            "course_version": version,
            "language": "ru",
            "name": name,
            "exported": "2026-12-04T09:30:00.000Z",
            "modules": {
                m: {"opened": "2026-12-03T10:00:00Z", "read": "2026-12-03T10:20:00Z"} for m in read
            },
            "quizzes": {"sift": {"answered": 6, "score": score, "total": 6}},
            "answers": {},
        },
        ensure_ascii=False,
    )


def test_a_table_of_trainees_files_and_csv(tmp_path: Path) -> None:
    checked, _ = check_project(REPO)
    course = next(c for c in checked.courses if c.course.id == "fact-checking-basics")
    current = course_version(course, checked)
    files = {
        "aigerim.json": progress(
            "fact-checking-basics", current, "Айгерим", ["sift", "rti-requests"], 5
        ),
        "old.json": progress("fact-checking-basics", "0123456789ab", "Bakyt", ["sift"], 2.5),
        "other.json": progress("someone-elses-course", "ffffffffffff", "Zarina", [], 0),
        "photo.json": "not json at all",
        "list.json": "[1, 2, 3]",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    run = run_sabaq(
        "progress", "read", *files, "--csv", "table.csv", "--project", str(REPO), cwd=tmp_path
    )
    assert run.code == 1  # two files refused; the others are still read
    assert run.stdout.splitlines() == [
        "file          name     course                version       read  quiz scores  sent        note",
        f"aigerim.json  Айгерим  fact-checking-basics  {current}  2/3   sift: 5/6    2026-12-04",
        "old.json      Bakyt    fact-checking-basics  0123456789ab  1/3   sift: 2.5/6  2026-12-04  another version of the course",
        "other.json    Zarina   someone-elses-course  ffffffffffff  0/0   sift: 0/6    2026-12-04  not a course of this project",
    ]
    assert run.stderr.splitlines()[:2] == [
        "photo.json: is not JSON; not read",
        "list.json: is not a Sabaq progress file; not read",
    ]
    assert "a statement by the trainee, not proof" in run.stderr
    table = (tmp_path / "table.csv").read_text(encoding="utf-8").splitlines()
    assert table[0] == (
        "file,name,course,course_version,current_version,modules_read,modules_total,"
        "quiz_scores,sent,note"
    )
    assert (
        table[1]
        == f"aigerim.json,Айгерим,fact-checking-basics,{current},{current},2,3,sift: 5/6,2026-12-04,"
    )
    assert len(table) == 4


def test_outside_a_project_the_files_are_read_without_comparing(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(progress("any-course", "abcdefabcdef", "A", [], 1), "utf-8")
    run = run_sabaq("progress", "read", "a.json", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines()[1].rstrip().endswith("2026-12-04")
