"""A site built in parts (`sabaq build --lang L --part`, one language per machine) and put
together by `sabaq assemble` is byte for byte the site one `sabaq build` makes
(builder/build/parts.py); parts that do not belong together are refused."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from sabaq_testing import MINIMAL_PROJECT, REPO, Run, run_sabaq, write_files

pytestmark = pytest.mark.slow


def _files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def _build(project: Path, site: Path, *args: str) -> None:
    run = run_sabaq("build", "--no-cache", "--site-dir", str(site), *args, cwd=project)
    assert run.code == 0, run.stderr


def _assemble(project: Path, *parts: Path, site: Path) -> Run:
    return run_sabaq(
        "assemble", *(str(part) for part in parts), "--site-dir", str(site), cwd=project
    )


#: Three languages: Russian partly translated (a callout shown in English), Uzbek not at all,
#: and a second course without Uzbek, so the languages' sites and downloads differ.
PROJECT: dict[str, str | bytes] = {
    **MINIMAL_PROJECT,
    "courses/demo/course.yml": """
        id: demo
        title: Demo course
        summary: A tiny course.
        level: beginner
        languages: [en, ru, uz]
        modules: [first, second]
        """,
    "courses/demo/01-first.yml": """
        id: first
        title: First module
        duration_minutes: 20
        sections:
          - heading: Start
            body: Hello.
            callouts:
              - kind: tip
                body: A tip.
        quiz:
          bank: basics
        """,
    "courses/demo/01-first.ru.yml": """
        status: draft
        sections:
          - heading: Начало
            body: Привет.
        """,
    "courses/other/course.yml": """
        id: other
        title: Other course
        summary: Another.
        level: beginner
        languages: [en, ru]
        modules: [only]
        """,
    "courses/other/01-only.yml": """
        id: only
        title: Only module
        duration_minutes: 5
        sections:
          - heading: One
            body: Just one.
        """,
}
LANGUAGES = ("en", "ru", "uz")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built whole, and each language as a part."""
    root = tmp_path_factory.mktemp("assemble")
    project = write_files(root / "project", PROJECT)
    _build(project, root / "whole")
    for language in LANGUAGES:
        _build(project, root / f"part-{language}", "--lang", language, "--part")
    return root


def test_the_assembled_site_is_the_one_a_single_build_makes(built: Path) -> None:
    parts = [built / f"part-{language}" for language in ("ru", "uz", "en")]
    run = _assemble(built / "project", *parts, site=built / "site")
    assert run.code == 0, run.stderr
    whole, assembled = _files(built / "whole"), _files(built / "site")
    assert sorted(assembled) == sorted(whole)
    assert [name for name in whole if assembled[name] != whole[name]] == []
    # The parts' own markers stay out of the site.
    assert ".sabaq-part.json" not in assembled
    assert set(LANGUAGES) <= {name.split("/")[0] for name in assembled}
    assert {"downloads/demo-uz.zip", "downloads/other-ru.zip", "404.html"} <= set(assembled)
    assert "downloads/other-uz.zip" not in assembled


def test_parts_that_do_not_belong_together_are_refused(built: Path, tmp_path: Path) -> None:
    project = built / "project"
    # The same language twice, a folder that is no part, and a part from other course files.
    other = tmp_path / "other"
    shutil.copytree(project, other)
    module = other / "courses" / "demo" / "01-first.yml"
    module.write_text(module.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _build(other, tmp_path / "part-ru-other", "--lang", "ru", "--part")
    site = tmp_path / "site"
    run = _assemble(
        project,
        built / "part-en",
        built / "part-en",
        built / "whole",
        tmp_path / "part-ru-other",
        site=site,
    )
    assert run.code == 1
    hint = (
        "    hint: build each language with 'sabaq build --lang L --part --site-dir PART', from "
        "the same commit and with the same options, then assemble those folders"
    )
    assert run.stderr.splitlines()[:6] == [
        f"{built / 'whole'}:1:1: not a part made by 'sabaq build --part' (it has no "
        ".sabaq-part.json)",
        hint,
        f"{built / 'part-en'}:1:1: the language 'en' is also in {built / 'part-en'}",
        "    hint: give each language's part once",
        f"{tmp_path / 'part-ru-other'}:1:1: made from other course files or settings than "
        f"{built / 'part-en'}",
        "    hint: build every part from the same commit and with the same options",
    ]
    assert "Traceback" not in run.stderr
    assert not site.exists()


def test_a_damaged_part_is_refused_and_the_previous_site_kept(built: Path, tmp_path: Path) -> None:
    part = tmp_path / "part-ru"
    shutil.copytree(built / "part-ru", part)
    marker = part / ".sabaq-part.json"
    data = json.loads(marker.read_text(encoding="utf-8"))
    marker.write_text(json.dumps({**data, "languages": ["ru", "../../etc"]}), encoding="utf-8")
    site = tmp_path / "site"
    assert _assemble(built / "project", built / "part-en", site=site).code == 0
    before = _files(site)
    run = _assemble(built / "project", built / "part-en", part, site=site)
    assert run.code == 1
    assert run.stderr.startswith(
        f"{part}:1:1: .sabaq-part.json is not a part's marker: the part is damaged\n"
    )
    assert run.stderr.endswith(
        "\n1 error in 1 file; nothing was assembled; the site was left as it was.\n"
    )
    assert _files(site) == before


def test_the_matrix_workflow_runs_commands_sabaq_has() -> None:
    """.github/workflows/pages-matrix.yml builds parts and assembles them with options the
    command line accepts (a renamed option would otherwise break only on GitHub)."""
    from builder.cli.main import _parser

    workflow = yaml.safe_load(
        (REPO / ".github" / "workflows" / "pages-matrix.yml").read_text(encoding="utf-8")
    )
    commands = [
        shlex.split(step["run"].replace("${{ matrix.lang }}", language))
        for job in workflow["jobs"].values()
        for language in job.get("strategy", {}).get("matrix", {}).get("lang", ["en"])
        for step in job.get("steps", [])
        if "-m builder" in step.get("run", "")
    ]
    parsed = [_parser().parse_args(command[command.index("builder") + 1 :]) for command in commands]
    assert [args.command for args in parsed][-1] == "assemble"
    assert {args.lang[0] for args in parsed if args.command == "build" and args.part} == {
        "en", "ru", "uz", "kk", "ky", "tg"
    }  # fmt: skip


def _edited_part(built: Path, target: Path, edit: dict[str, object]) -> Path:
    """A copy of the Russian part with its marker's fields replaced by `edit`."""
    shutil.copytree(built / "part-ru", target)
    marker = target / ".sabaq-part.json"
    marker.write_text(
        json.dumps({**json.loads(marker.read_text(encoding="utf-8")), **edit}), encoding="utf-8"
    )
    return target


def test_every_reason_to_refuse_a_part_is_said_at_once(built: Path, tmp_path: Path) -> None:
    other_sabaq = _edited_part(built, tmp_path / "other-sabaq", {"sabaq": "0" * 64})
    no_folder = _edited_part(built, tmp_path / "no-folder", {"languages": ["ru", "kk"]})
    garbage = _edited_part(built, tmp_path / "garbage", {})
    (garbage / ".sabaq-part.json").write_bytes(b"\xff{")
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    run = _assemble(
        built / "project",
        built / "part-en",
        other_sabaq,
        no_folder,
        garbage,
        not_a_folder,
        site=tmp_path / "site",
    )
    assert run.code == 1
    hint = (
        "    hint: build each language with 'sabaq build --lang L --part --site-dir PART', from "
        "the same commit and with the same options, then assemble those folders"
    )
    assert run.stderr.splitlines()[:8] == [
        f"{no_folder}:1:1: the part names the language 'kk' but has no folder kk/",
        hint,
        f"{garbage}:1:1: .sabaq-part.json cannot be read: the part is damaged",
        hint,
        f"{not_a_folder}:1:1: not a folder: a part is the folder 'sabaq build --part' wrote",
        hint,
        f"{other_sabaq}:1:1: made by another version of Sabaq (or mkdocs-material) than "
        f"{built / 'part-en'}",
        "    hint: build every part with the same Sabaq, then assemble them",
    ]
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "site").exists()
