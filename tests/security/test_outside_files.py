"""Links that lead out of a cloned project: nothing they lead to is read or published.

Each test builds a hostile project whose links point at a folder beside it (standing for the
trainer's home folder) holding a secret, runs the real command line, and checks the error, the
exit code, that the secret is nowhere in the site or its zips, and that the outside folder is as
it was.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from sabaq_testing import MINIMAL_PROJECT, run_sabaq, write_files

SECRET = "TRAINERS-PRIVATE-NOTES-7731"
SECRET_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
    f'<text x="5" y="25">{SECRET}</text></svg>'
)
HINT = (
    "    hint: copy the file into the project instead of linking to it: Sabaq reads nothing "
    "outside the project folder, so that a shared project cannot publish files from your computer"
)
MODULE_SHOWING = """
    id: first
    title: First module
    duration_minutes: 20
    sections:
      - heading: Start
        body: |
          Look:

          ![A picture]({src})
    quiz:
      bank: basics
    """
SECRET_MODULE = f"""
    id: second
    title: {SECRET}
    duration_minutes: 10
    sections:
      - heading: More
        body: Text.
    """


def _outside(tmp_path: Path) -> Path:
    """A folder outside the project with private files in it."""
    return write_files(
        tmp_path / "home",
        {
            "secret.svg": SECRET_SVG,
            "pictures/secret.svg": SECRET_SVG,
            "second.yml": SECRET_MODULE,
            "course/course.yml": MINIMAL_PROJECT["courses/demo/course.yml"],
            "course/01-first.yml": MINIMAL_PROJECT["courses/demo/01-first.yml"],
            "course/02-second.yml": SECRET_MODULE,
            "basics.yml": MINIMAL_PROJECT["quizzes/basics.yml"].replace("Basics", SECRET),
        },
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _project(tmp_path: Path, src: str = "images/logo.svg") -> Path:
    project = write_files(
        tmp_path / "project",
        {
            **MINIMAL_PROJECT,
            "courses/demo/01-first.yml": MODULE_SHOWING.format(src=src),
            "courses/demo/images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
        },
    )
    return project


def _published_anywhere(project: Path) -> bool:
    """Whether the secret is in any file of the site, or inside any of its zips."""
    site = project / "site"
    for path in site.rglob("*") if site.is_dir() else ():
        if path.is_file():
            if SECRET.encode() in path.read_bytes():
                return True
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as package:
                    if any(SECRET.encode() in package.read(name) for name in package.namelist()):
                        return True
    return False


def _refused(project: Path, outside: Path, expected: list[str]) -> None:
    before = _snapshot(outside)
    for command in ("check", "build"):
        run = run_sabaq(command, cwd=project)
        assert run.code == 1, run.stdout + run.stderr
        assert "Traceback" not in run.stderr
        assert "\n".join([*expected, "", "1 error in 1 file; nothing was built."]) in run.stderr
    assert not _published_anywhere(project)
    assert _snapshot(outside) == before


def test_a_picture_linked_out_of_the_project_is_an_error_where_a_module_shows_it(
    tmp_path: Path,
) -> None:
    outside = _outside(tmp_path)
    project = _project(tmp_path, "images/secret.svg")
    os.symlink(outside / "secret.svg", project / "courses/demo/images/secret.svg")
    _refused(
        project,
        outside,
        [
            "courses/demo/01-first.yml:9:20: sections[0].body: the image 'images/secret.svg' is a "
            "link to a file outside the project, so Sabaq does not publish it",
            HINT,
        ],
    )


def test_a_picture_linked_out_and_shown_nowhere_is_an_error_at_the_link(tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    project = _project(tmp_path)
    os.symlink(outside / "secret.svg", project / "courses/demo/images/secret.svg")
    _refused(
        project,
        outside,
        [
            "courses/demo/images/secret.svg:1:1: this is a link to a place outside the project, "
            "so Sabaq does not read it",
            HINT,
        ],
    )


def test_an_images_folder_linked_out_of_the_project_is_not_read(tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    project = _project(tmp_path, "images/secret.svg")
    (project / "courses/demo/images/logo.svg").unlink()
    (project / "courses/demo/images").rmdir()
    os.symlink(outside / "pictures", project / "courses/demo/images")
    _refused(
        project,
        outside,
        [
            "courses/demo/01-first.yml:9:20: sections[0].body: the image 'images/secret.svg' is a "
            "link to a file outside the project, so Sabaq does not publish it",
            HINT,
        ],
    )


def test_a_module_file_linked_out_of_the_project_is_an_error_at_the_link(tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    project = _project(tmp_path)
    (project / "courses/demo/02-second.yml").unlink()
    os.symlink(outside / "second.yml", project / "courses/demo/02-second.yml")
    _refused(
        project,
        outside,
        [
            "courses/demo/02-second.yml:1:1: this file is a link to a place outside the project, "
            "so Sabaq does not read it",
            HINT,
        ],
    )


def test_a_quiz_bank_linked_out_of_the_project_is_an_error_at_the_link(tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    project = _project(tmp_path)
    (project / "quizzes/basics.yml").unlink()
    os.symlink(outside / "basics.yml", project / "quizzes/basics.yml")
    _refused(
        project,
        outside,
        [
            "quizzes/basics.yml:1:1: this file is a link to a place outside the project, "
            "so Sabaq does not read it",
            HINT,
        ],
    )


def test_a_course_folder_linked_out_of_the_project_is_an_error_at_the_link(
    tmp_path: Path,
) -> None:
    outside = _outside(tmp_path)
    project = _project(tmp_path)
    os.symlink(outside / "course", project / "courses/stolen")
    _refused(
        project,
        outside,
        [
            "courses/stolen:1:1: this folder is a link to a place outside the project, "
            "so Sabaq does not read it",
            HINT,
        ],
    )


@pytest.mark.parametrize("target", ["../../../.git/secret.svg", "../../../.private/x.svg"])
def test_a_link_into_a_hidden_folder_counts_as_outside(tmp_path: Path, target: str) -> None:
    """.git/ holds what git wrote on this computer (a remote's address with its password)."""
    outside = _outside(tmp_path)
    project = _project(tmp_path, "images/secret.svg")
    write_files(project, {target.removeprefix("../../../"): SECRET_SVG})
    os.symlink(target, project / "courses/demo/images/secret.svg")
    _refused(
        project,
        outside,
        [
            "courses/demo/01-first.yml:9:20: sections[0].body: the image 'images/secret.svg' is a "
            "link to a file outside the project, so Sabaq does not publish it",
            HINT,
        ],
    )


def test_links_that_stay_inside_the_project_are_published(tmp_path: Path) -> None:
    """A picture two courses share, kept once in the project, is an honest use of a link."""
    project = _project(tmp_path, "images/shared/logo.svg")
    write_files(project, {"shared/pictures/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'})
    os.symlink("../../../shared/pictures", project / "courses/demo/images/shared")
    os.symlink(".", project / "courses/demo/images/loop")  # a loop is followed once
    run = run_sabaq("build", "--lang", "en", cwd=project)
    assert run.code == 0, run.stderr
    assert (project / "site/en/demo/images/shared/logo.svg").is_file()


def test_new_module_writes_nothing_through_a_link_out_of_the_project(tmp_path: Path) -> None:
    """`sabaq new module` adds the module to course.yml: never to a file elsewhere."""
    outside = _outside(tmp_path)
    project = _project(tmp_path)
    (project / "courses/demo/course.yml").unlink()
    os.symlink(outside / "course/course.yml", project / "courses/demo/course.yml")
    before = _snapshot(outside)
    run = run_sabaq("new", "module", "demo", "extra", cwd=project)
    assert run.code == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().endswith(
        "courses/demo/course.yml is a link to a place outside the project; Sabaq writes "
        "nothing there"
    ), run.stderr
    assert _snapshot(outside) == before
    assert not list((project / "courses/demo").glob("*extra*"))
