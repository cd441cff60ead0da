"""Translations that stay true, and the translators' tools (issue 15): each translated text records
the source text it translates (`_source:`), so `check` warns when the source changes, `status`
counts stale texts, the page falls back to the source; list items follow their source item when
the source is reordered; `sabaq i18n stub`, `export` and `import` (PO through polib, XLIFF 2.0
through translate-toolkit) in every language."""

from __future__ import annotations

import json
import logging
import re
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from sabaq_testing import REPO, run_sabaq, write_files
from translate.storage.xliff2 import Xliff2File

from builder.cli.main import main
from builder.content.languages import LANGUAGE_CODES
from builder.content.load import load_project
from builder.content.project import Project
from builder.content.translate import fingerprint
from builder.content.validate import validate_project
from builder.features.translators.files import edition_content, text_files
from builder.features.translators.stub import stub_text, write_translation
from builder.render.i18n import messages
from builder.render.language import render_language

TARGETS = [code for code in LANGUAGE_CODES if code != "en"]
BODY = "Hello, **reader**.\n\nA second paragraph.\n"


def source_files(source_language: str = "en") -> dict[str, str | bytes]:
    """A course in all six languages, one module with a quiz, written in `source_language`."""
    files = {
        "courses/demo/course.yml": f"""
            id: demo
            title: Demo course
            summary: A tiny course.
            level: beginner
            source_language: {source_language}
            languages: [en, ru, uz, kk, ky, tg]
            modules: [first]
            """,
        "courses/demo/01-first.yml": """
            id: first
            title: First module
            duration_minutes: 20
            objectives:
              - Read a claim.
            sections:
              - heading: Start
                body: |
                  Hello, **reader**.

                  A second paragraph.
              - heading: Next
                body: More text.
            quiz:
              bank: basics
            """,
        "quizzes/basics.yml": f"""
            id: basics
            source_language: {source_language}
            title: Basics
            questions:
              - id: q1
                type: single
                prompt: Which?
                options:
                  - id: a
                    text: Alpha
                    correct: true
                  - id: b
                    text: Beta
              - id: q2
                type: fill_blank
                prompt: Say it.
                accepted: [sure, certain]
            """,
    }
    return {name: textwrap.dedent(text).lstrip("\n") for name, text in files.items()}


#: A Russian translation of the module: the first heading translates an older source heading.
STALE_RU = f"""
    status: draft
    title: Первый модуль
    sections:
      - heading: Начало
        body: Привет.
    _source:
      title: "{fingerprint("First module")}"
      sections[0].heading: "{fingerprint("Old start")}"
      sections[0].body: "{fingerprint(BODY)}"
    """


def checked(root: Path) -> Project:
    project, errors = validate_project(load_project(root))
    assert errors == [], [e.format() for e in errors]
    return project


def sabaq(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command line, in this process (the same code as `sabaq ...`, without a start-up).
    The logging it sets up for a terminal is undone after it, so later tests see their own."""
    loggers = [logging.getLogger(name) for name in ("", "sabaq", "builder")]
    saved = [(logger.handlers[:], logger.level) for logger in loggers]
    capsys.readouterr()
    try:
        code = main(["--project", str(root), *args])
    finally:
        for logger, (handlers, level) in zip(loggers, saved, strict=True):
            logger.handlers[:] = handlers
            logger.setLevel(level)
    out = capsys.readouterr()
    return code, out.out, out.err


def module(project: Project, language: str):  # noqa: ANN201 (a Module)
    return project.courses[0].editions[language].modules[0]


# --- Stale translations --------------------------------------------------------------------------


def test_fingerprint_ignores_rewrapping_but_not_words() -> None:
    assert fingerprint("Hello,\n  **reader**.\n") == fingerprint("Hello, **reader**.")
    assert fingerprint("Hello, reader.") != fingerprint("Hello, **reader**.")
    assert re.fullmatch(r"[0-9a-f]{8}", fingerprint("x"))


def test_check_warns_at_the_stale_translation(make_project, capsys, monkeypatch) -> None:
    root = make_project({**source_files(), "courses/demo/01-first.ru.yml": STALE_RU})
    monkeypatch.chdir(root)
    code, _, err = sabaq(root, capsys, "check")
    assert code == 0
    assert err.splitlines()[:2] == [
        "courses/demo/01-first.ru.yml:4:14: warning: sections[0].heading: source changed since "
        "this was translated",
        "    hint: update the translation to the source's new text, then change its line under "
        f"'_source:' to 'sections[0].heading: \"{fingerprint('Start')}\"'; until then the page "
        "shows the source text ('sabaq i18n stub ru' writes it beside the translation)",
    ]
    assert "\n1 warning.\n" in err
    edition = module(checked(root), "ru")
    assert edition.module.sections[0].heading == "Start"  # the source's, not the stale one
    assert edition.module.sections[0].body == "Привет."  # current: the fingerprint matches
    assert edition.translated.stale == {("sections", 0, "heading")}
    assert edition.untranslated
    # The translator confirms the translation as the hint says: the warning goes.
    path = root / "courses/demo/01-first.ru.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(fingerprint("Old start"), fingerprint("Start")),
        encoding="utf-8",
    )
    project = checked(root)
    assert project.warnings == []
    assert module(project, "ru").module.sections[0].heading == "Начало"


def test_malformed_source_records_are_errors(make_project, capsys, monkeypatch) -> None:
    translation = """
        status: draft
        title: Первый модуль
        _source:
          title: 12345678
          "sections[x]": "0123abcd"
          sections[0].body: nothex!!
        """
    root = make_project({**source_files(), "courses/demo/01-first.ru.yml": translation})
    monkeypatch.chdir(root)
    code, _, err = sabaq(root, capsys, "check")
    assert code == 1
    hint = (
        "    hint: '_source:' holds lines such as 'sections[0].heading: 1a2b3c4d' that 'sabaq i18n "
        "stub' writes; delete a line you are not sure of"
    )
    assert err.splitlines()[:6] == [
        "courses/demo/01-first.ru.yml:4:10: _source.title: '12345678' is not a fingerprint (8 "
        "digits and letters a-f, in quotes)",
        hint,
        "courses/demo/01-first.ru.yml:5:3: _source: 'sections[x]' is not a text path",
        hint,
        "courses/demo/01-first.ru.yml:6:21: _source.sections[0].body: 'nothex!!' is not a "
        "fingerprint (8 digits and letters a-f)",
        hint,
    ]


def test_status_counts_and_lists_stale_texts(make_project, capsys) -> None:
    root = make_project({**source_files(), "courses/demo/01-first.ru.yml": STALE_RU})
    code, out, _ = sabaq(root, capsys, "i18n", "status", "--format", "json")
    assert code == 0
    rows = {(row["course"], row["language"]): row for row in json.loads(out)["rows"]}
    ru = rows[("demo", "ru")]
    # title and the first body are current; the first heading is stale; the rest is missing.
    assert (ru["translated"], ru["stale"], ru["status"]) == (2, 1, "partial")
    files = {entry["file"]: entry for entry in ru["files"]}
    module_file = files["courses/demo/01-first.ru.yml"]
    assert module_file["exists"] is True
    assert module_file["stale"] == [{"path": "sections[0].heading", "source": "Start"}]
    assert {"path": "sections[1].body", "source": "More text."} in module_file["missing"]
    assert files["quizzes/basics.ru.yml"]["exists"] is False
    assert rows[("demo", "uz")]["stale"] == 0

    code, out, _ = sabaq(root, capsys, "i18n", "status", "--verbose")
    assert code == 0
    header = out.splitlines()[0].split()
    assert header[header.index("missing") + 1] == "stale"
    details = out[out.index("demo (ru):") :].split("\n\n")[0].splitlines()
    assert details[1:3] == [
        "  courses/demo/course.ru.yml (no file yet)",
        "    missing: title: Demo course",
    ]
    assert "  courses/demo/01-first.ru.yml" in details
    assert "    stale: sections[0].heading: Start" in details


# --- Reordered sources ---------------------------------------------------------------------------


def tracked_ru(sections: list[tuple[str, str, str, str]]) -> str:
    """A Russian module translation recording its source texts: (heading, source heading, body,
    source body) per section."""
    lines = ["status: draft", "sections:"]
    record = []
    for index, (heading, source_heading, body, source_body) in enumerate(sections):
        lines += [f"  - heading: {heading}", f"    body: {body}"]
        record += [
            f'  sections[{index}].heading: "{fingerprint(source_heading)}"',
            f'  sections[{index}].body: "{fingerprint(source_body)}"',
        ]
    return "\n".join([*lines, "_source:", *record]) + "\n"


def test_an_inserted_section_never_gets_another_sections_translation(make_project) -> None:
    files = source_files()
    files["courses/demo/01-first.yml"] = files["courses/demo/01-first.yml"].replace(
        "sections:\n", "sections:\n  - heading: Intro\n    body: New first section.\n"
    )
    files["courses/demo/01-first.ru.yml"] = tracked_ru(
        [("Начало", "Start", "Привет.", BODY), ("Дальше", "Next", "Ещё.", "More text.")]
    )
    root = make_project(files)
    project = checked(root)
    edition = module(project, "ru")
    assert [s.heading for s in edition.module.sections] == ["Intro", "Начало", "Дальше"]
    assert [s.body for s in edition.module.sections] == ["New first section.", "Привет.", "Ещё."]
    assert [w.message for w in project.warnings] == [
        "sections[0]: this translates the source's sections[1] (items were inserted, removed or "
        "moved in the source), and is shown there",
        "sections[1]: this translates the source's sections[2] (items were inserted, removed or "
        "moved in the source), and is shown there",
    ]
    assert project.warnings[0].hint == (
        "run 'sabaq i18n stub ru' to put the items in the source's order"
    )


def test_a_moved_and_edited_section_falls_back_to_the_source(make_project) -> None:
    files = source_files()
    files["courses/demo/01-first.yml"] = files["courses/demo/01-first.yml"].replace(
        "  - heading: Start", "  - heading: Intro\n    body: New.\n  - heading: Begin"
    )
    # The translation's first item translated "Start", which is now "Begin" at position 1.
    files["courses/demo/01-first.ru.yml"] = tracked_ru([("Начало", "Start", "Привет.", "Old")])
    edition = module(checked(make_project(files)), "ru")
    assert [s.heading for s in edition.module.sections] == ["Intro", "Begin", "Next"]
    assert "Привет." not in [s.body for s in edition.module.sections]


def test_reordered_options_follow_their_source_option(make_project) -> None:
    files = source_files()
    files["quizzes/basics.yml"] = files["quizzes/basics.yml"].replace(
        "      - id: a\n        text: Alpha\n        correct: true\n      - id: b\n        text: Beta\n",
        "      - id: b\n        text: Beta\n      - id: a\n        text: Alpha\n        correct: true\n",
    )
    files["quizzes/basics.ru.yml"] = f"""
        status: draft
        questions:
          - options:
              - text: Альфа
              - text: Бета
        _source:
          questions[0].options[0].text: "{fingerprint("Alpha")}"
          questions[0].options[1].text: "{fingerprint("Beta")}"
        """
    project = checked(make_project(files))
    options = project.banks["basics"]["ru"].bank.questions[0].options  # type: ignore[union-attr]
    assert [(o.id, o.text, o.correct) for o in options] == [
        ("b", "Бета", False),
        ("a", "Альфа", True),
    ]
    assert len(project.warnings) == 2


# --- The page ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stale_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build in Russian: module 'first' has a stale heading, 'second' is current."""
    files = source_files()
    files["courses/demo/course.yml"] = files["courses/demo/course.yml"].replace(
        "modules: [first]", "modules: [first, second]"
    )
    files["courses/demo/01-first.yml"] = files["courses/demo/01-first.yml"].split("quiz:")[0]
    files["courses/demo/02-second.yml"] = """
        id: second
        title: Second module
        duration_minutes: 5
        sections:
          - heading: Only
            body: Just this.
        """
    files["courses/demo/01-first.ru.yml"] = f"""
        status: draft
        title: Первый модуль
        objectives: [Прочитать утверждение.]
        sections:
          - heading: Начало
            body: Привет.
          - heading: Дальше
            body: Ещё текст.
        _source:
          sections[0].heading: "{fingerprint("Old start")}"
        """
    files["courses/demo/02-second.ru.yml"] = f"""
        status: draft
        title: Второй модуль
        sections:
          - heading: Единственный
            body: Только это.
        _source:
          sections[0].heading: "{fingerprint("Only")}"
        """
    root = write_files(tmp_path_factory.mktemp("stale") / "project", files)
    run = run_sabaq("build", "--no-cache", "--no-packages", "--lang", "ru", cwd=root)
    assert run.code == 0, run.stderr
    return root / "site" / "ru" / "demo"


@pytest.mark.slow  # builds sites with MkDocs
def test_the_page_shows_the_new_source_text_with_the_untranslated_notice(stale_site: Path) -> None:
    notice = messages("ru").text("notice_untranslated")
    first = (stale_site / "first" / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2[^>]*>([^<]+)", first)
    assert "Start" in headings and "Начало" not in headings and "Дальше" in headings
    assert "Привет." in first
    assert first.count(notice) == 1
    second = (stale_site / "second" / "index.html").read_text(encoding="utf-8")
    assert "Единственный" in second and notice not in second
    # Text shown in the source language says so, for screen readers (the stale heading);
    # translated text takes the page's language.
    assert '<h2 id="start" lang="en">Start' in first
    assert "<li>Прочитать утверждение.</li>" in first
    assert re.search(r'<h2 id="[^"]*">Дальше', first)


# --- sabaq i18n stub -----------------------------------------------------------------------------


EXPECTED_RU_STUB = f"""\
# yaml-language-server: $schema=../../schemas/module-translation.schema.json
# Русский (ru) translation of 01-first.yml. Above each text: its original (en).
# Fill in the empty keys; 'sabaq i18n stub ru' keeps every translation when it runs again.
status: draft
# en: First module
title: Первый модуль
objectives:
  # en: Read a claim.
  -
sections:
  # en: Start
  # CHANGED: the original was edited since this was translated. Update the text, then set 'sections[0].heading: "{fingerprint("Start")}"' under '_source:'.
  - heading: Начало
    # en: Hello, **reader**.
    #
    #     A second paragraph.
    body: Привет.
  # en: Next
  - heading:
    # en: More text.
    body:

# Which original each text translates: 'sabaq check' warns when the original changes.
# Written by 'sabaq i18n stub' and 'sabaq i18n import'; change a line only when a comment above says so.
_source:
  title: "{fingerprint("First module")}"
  sections[0].heading: "{fingerprint("Old start")}"
  sections[0].body: "{fingerprint(BODY)}"
"""


def test_stub_keeps_translations_flags_changes_and_adds_new_texts(
    make_project, capsys, monkeypatch
) -> None:
    root = make_project({**source_files(), "courses/demo/01-first.ru.yml": STALE_RU})
    monkeypatch.chdir(root)
    code, _, err = sabaq(root, capsys, "i18n", "stub", "ru")
    assert code == 0
    assert err.splitlines() == [
        "Wrote courses/demo/course.ru.yml (2 to translate, 0 changed since translated)",
        "Wrote courses/demo/01-first.ru.yml (3 to translate, 1 changed since translated)",
        "Wrote quizzes/basics.ru.yml (6 to translate, 0 changed since translated)",
    ]
    written = (root / "courses/demo/01-first.ru.yml").read_text(encoding="utf-8")
    assert written == EXPECTED_RU_STUB
    # Nothing the file translated has changed, and the stale heading is still stale.
    edition = module(checked(root), "ru")
    assert edition.module.title == "Первый модуль"
    assert edition.translated.stale == {("sections", 0, "heading")}
    assert sabaq(root, capsys, "i18n", "stub", "ru")[2].splitlines() == [
        "Every translation file into 'ru' was up to date."
    ]


@pytest.mark.parametrize(
    ("source_language", "target"), [("ru", "en")] + [("en", t) for t in TARGETS]
)
def test_stub_writes_every_text_in_every_language(
    make_project, capsys, source_language: str, target: str
) -> None:
    root = make_project(source_files(source_language))
    code, _, _ = sabaq(root, capsys, "i18n", "stub", target, "--course", "demo")
    assert code == 0
    bank = (root / f"quizzes/basics.{target}.yml").read_text(encoding="utf-8")
    assert (
        f"  # {source_language}: Say it.\n  - prompt:\n"
        f"    # {source_language}: sure\n    #     certain\n    accepted:\n"
    ) in bank
    assert yaml.safe_load(bank)["questions"][0]["options"] == [{"text": None}, {"text": None}]
    project = checked(root)  # every stub is a valid, empty translation
    assert module(project, target).status == "draft"
    assert module(project, target).translated.supplied == set()


@pytest.mark.slow  # builds sites with MkDocs
def test_stub_changes_no_translation_of_the_bundled_courses(tmp_path: Path) -> None:
    root = tmp_path / "project"
    for name in ("courses", "quizzes"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("images"))
    for path in REPO.glob("*.yml"):
        if path.name != "mkdocs.yml":
            shutil.copy(path, root / path.name)
    for course in (REPO / "courses").iterdir():
        (root / "courses" / course.name / "images").mkdir(exist_ok=True)
        for image in (course / "images").glob("*") if (course / "images").is_dir() else []:
            shutil.copy(image, root / "courses" / course.name / "images" / image.name)
    before = checked(root)
    for language in TARGETS:
        for text_file in text_files(before, language):
            write_translation(root, text_file, stub_text(text_file))
    after = checked(root)
    assert after.warnings == []
    for old, new in zip(before.editions(), after.editions(), strict=True):
        assert edition_content(old) == edition_content(new)
        assert old.translated.supplied == new.translated.supplied


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_stub_writes_any_text_so_that_yaml_reads_it_back(text: str) -> None:
    from builder.features.translators.stub import _comment, _value

    for value in (text, [text]):
        lines = _comment("en:", value, "  ") + _value("  k:", value, "  ")
        assert yaml.safe_load("m:\n" + "\n".join(lines) + "\n") == {"m": {"k": value}}


def test_stub_never_writes_through_a_link(make_project, capsys) -> None:
    from builder.content.errors import UsageError

    root = make_project(source_files())
    other = root / "courses/demo/other.txt"
    other.write_text("keep me", encoding="utf-8")
    project = checked(root)
    course_file = text_files(project, "ru")[0]
    assert course_file.translation_path == root / "courses/demo/course.ru.yml"
    course_file.translation_path.symlink_to(other)
    with pytest.raises(UsageError, match="is a link; Sabaq writes translation files only as plain"):
        write_translation(root, course_file, stub_text(course_file))
    # From the command line, the link is a mistake in the project: nothing is written.
    assert sabaq(root, capsys, "i18n", "stub", "ru")[0] == 1
    assert other.read_text(encoding="utf-8") == "keep me"
    assert not (root / "courses/demo/01-first.ru.yml").exists()


# --- sabaq i18n export / import ------------------------------------------------------------------

HEADING = "courses/demo/01-first.yml:sections[1].heading"
ACCEPTED = "quizzes/basics.yml:questions[1].accepted"


def edit_po(path: Path, language: str) -> None:
    po = polib.pofile(str(path))
    by_context = {entry.msgctxt: entry for entry in po}
    assert by_context[HEADING].msgid == "Next"
    assert by_context[HEADING].comment == "The section heading."
    by_context[HEADING].msgstr = f"Next ({language})"
    by_context[ACCEPTED].msgstr = f"one-{language}\ntwo-{language}"
    po.save(str(path))


def edit_xliff(path: Path, language: str) -> None:
    store = Xliff2File.parsestring(path.read_bytes())
    for unit in store.units:
        element = unit.xmlelement.getparent()
        original = element.getparent().get("original")
        context = f"{original}:{element.get('name')}"
        if context == HEADING:
            unit.target = f"Next ({language})"
            unit.marktranslated()
        elif context == ACCEPTED:
            unit.target = f"one-{language}\ntwo-{language}"
            unit.marktranslated()
    path.write_bytes(bytes(store))


def edit_yaml_by_hand(root: Path, language: str) -> None:
    module_file = root / f"courses/demo/01-first.{language}.yml"
    module_file.write_text(
        f"status: draft\nsections:\n  -\n  - heading: Next ({language})\n", encoding="utf-8"
    )
    (root / f"quizzes/basics.{language}.yml").write_text(
        f"status: draft\nquestions:\n  -\n  - accepted: [one-{language}, two-{language}]\n",
        encoding="utf-8",
    )


EDITORS: dict[str, Callable[[Path, str], None]] = {"po": edit_po, "xliff": edit_xliff}


@pytest.mark.parametrize(
    ("source_language", "language"), [("ru", "en")] + [("en", t) for t in TARGETS]
)
@pytest.mark.parametrize("kind", ["po", "xliff"])
def test_export_edit_import_equals_editing_the_yaml(
    tmp_path: Path, capsys, kind: str, source_language: str, language: str
) -> None:
    by_tool = write_files(tmp_path / "tool", source_files(source_language))
    by_hand = write_files(tmp_path / "hand", source_files(source_language))
    exchange = tmp_path / f"demo.{language}.{'po' if kind == 'po' else 'xlf'}"
    code, _, _ = sabaq(by_tool, capsys, "i18n", "export", language, "--format", kind, "--course", "demo", "--out", str(exchange))  # fmt: skip
    assert code == 0
    EDITORS[kind](exchange, language)
    code, _, err = sabaq(by_tool, capsys, "i18n", "import", str(exchange))
    assert code == 0, err
    edit_yaml_by_hand(by_hand, language)
    tool, hand = checked(by_tool), checked(by_hand)
    assert module(tool, language).module.sections[1].heading == f"Next ({language})"
    assert (
        render_language(tool, language, {}, "n").pages
        == render_language(hand, language, {}, "n").pages
    )
    # The import recorded the source texts it translates: editing one makes it stale.
    source = by_tool / "courses/demo/01-first.yml"
    source.write_text(source.read_text(encoding="utf-8").replace("Next", "Then"), encoding="utf-8")
    assert module(checked(by_tool), language).translated.stale == {("sections", 1, "heading")}


@pytest.mark.slow  # builds sites with MkDocs
@pytest.mark.parametrize("kind", ["po", "xliff"])
def test_round_trip_builds_the_same_site_as_editing_the_yaml(
    tmp_path: Path, capsys, kind: str
) -> None:
    language = "kk" if kind == "po" else "tg"
    sites = []
    for name in ("tool", "hand"):
        root = write_files(tmp_path / name, source_files())
        if name == "tool":
            exchange = tmp_path / f"demo.{kind}"
            sabaq(
                root, capsys, "i18n", "export", language, "--format", kind, "--out", str(exchange)
            )
            EDITORS[kind](exchange, language)
            assert sabaq(root, capsys, "i18n", "import", str(exchange))[0] == 0
        else:
            edit_yaml_by_hand(root, language)
        run = run_sabaq("build", "--no-cache", "--no-packages", "--lang", language, cwd=root)
        assert run.code == 0, run.stderr
        sites.append(root / "site" / language)
    pages = sorted(p.relative_to(sites[0]) for p in sites[0].rglob("*.html"))
    assert pages == sorted(p.relative_to(sites[1]) for p in sites[1].rglob("*.html"))
    for page in pages:
        assert (sites[0] / page).read_bytes() == (sites[1] / page).read_bytes(), page


def test_export_marks_stale_texts_and_carries_notes(make_project, capsys, tmp_path: Path) -> None:
    root = make_project({**source_files(), "courses/demo/01-first.ru.yml": STALE_RU})
    po_path, xliff_path = tmp_path / "ru.po", tmp_path / "ru.xlf"
    sabaq(root, capsys, "i18n", "export", "ru", "--format", "po", "--out", str(po_path))
    sabaq(root, capsys, "i18n", "export", "ru", "--format", "xliff", "--out", str(xliff_path))
    po = {entry.msgctxt: entry for entry in polib.pofile(str(po_path))}
    stale = po["courses/demo/01-first.yml:sections[0].heading"]
    assert (stale.msgid, stale.msgstr, stale.fuzzy) == ("Start", "Начало", True)
    assert stale.occurrences == [("courses/demo/01-first.yml", "")]
    body = po["courses/demo/01-first.yml:sections[0].body"]
    assert (body.msgid, body.msgstr, body.fuzzy) == (BODY, "Привет.", False)
    assert "Markdown: keep the link targets" in body.comment
    assert po[ACCEPTED].msgid == "sure\ncertain" and po[ACCEPTED].msgstr == ""
    assert len(po) == 14  # every text of the course, the module and the bank
    store = Xliff2File.parsestring(xliff_path.read_bytes())
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("en", "ru")
    units = {u.xmlelement.getparent().get("name"): u for u in store.units}
    assert units["sections[0].heading"].isfuzzy() and units["sections[0].body"].istranslated()
    # Notes and xml:space are the unit's, as the XLIFF 2.0 schema wants them.
    segment = units["sections[0].body"].xmlelement
    unit_element = segment.getparent()
    assert [child.tag.split("}")[1] for child in unit_element] == ["notes", "segment"]
    space = "{http://www.w3.org/XML/1998/namespace}space"
    assert (unit_element.get(space), segment.get(space)) == ("preserve", None)


def test_import_reports_every_error_at_the_files_line(make_project, capsys, tmp_path: Path) -> None:
    root = make_project(source_files())
    po_path = tmp_path / "ru.po"
    sabaq(root, capsys, "i18n", "export", "ru", "--format", "po", "--out", str(po_path))
    po = polib.pofile(str(po_path))
    by_context = {entry.msgctxt: entry for entry in po}
    by_context[HEADING].msgstr = "x" * 301
    by_context["courses/demo/01-first.yml:title"].msgstr = "Fuzzy, not imported"
    by_context["courses/demo/01-first.yml:title"].flags.append("fuzzy")
    po.append(polib.POEntry(msgctxt="courses/other/01-x.yml:title", msgid="X", msgstr="Икс"))
    po.append(
        polib.POEntry(msgctxt="quizzes/basics.yml:questions[7].prompt", msgid="X", msgstr="Икс")
    )
    po.save(str(po_path))
    lines = {entry.msgctxt: entry.linenum for entry in polib.pofile(str(po_path))}
    code, _, err = sabaq(root, capsys, "i18n", "import", str(po_path))
    assert code == 1
    name = po_path.as_posix()
    assert err.splitlines()[:6] == [
        f"{name}:{lines[HEADING]}:1: sections[1].heading: has more characters (301) than the limit of 300",
        "    hint: shorten it; the limits, and why each is there, are in docs/authoring.md",
        f"{name}:{lines['courses/other/01-x.yml:title']}:1: 'courses/other/01-x.yml' is not a source "
        "file translated into 'ru' in this project",
        "    hint: import the file into the project it was exported from; a course must list 'ru' "
        "in its languages",
        f"{name}:{lines['quizzes/basics.yml:questions[7].prompt']}:1: quizzes/basics.yml has no text "
        "'questions[7].prompt' (it may have been removed or moved since the export)",
        "    hint: export the file again and copy this translation to its new entry",
    ]
    assert err.splitlines()[-1] == "3 errors in 1 file; nothing was written."
    assert not (root / "courses/demo/01-first.ru.yml").exists()


def test_import_reports_a_broken_xliff_file_at_its_line(
    make_project, capsys, tmp_path: Path
) -> None:
    root = make_project(source_files())
    broken = tmp_path / "ru.xlf"
    broken.write_text(
        '<?xml version="1.0"?>\n<xliff version="2.0">\n<file>\n</xliff>\n', encoding="utf-8"
    )
    code, _, err = sabaq(root, capsys, "i18n", "import", str(broken))
    assert code == 1
    assert err.startswith(f"{broken.as_posix()}:4:")
    assert "this is not an XML file Sabaq can read: Opening and ending tag mismatch" in err
    old = tmp_path / "old.xlf"
    old.write_text(
        '<?xml version="1.0"?>\n<xliff version="1.2" '
        'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x"/></xliff>\n',
        encoding="utf-8",
    )
    assert sabaq(root, capsys, "i18n", "import", str(old))[2].splitlines()[:2] == [
        f"{old.as_posix()}:1:1: this is an XLIFF 1 file; Sabaq reads XLIFF 2.0",
        "    hint: save it as XLIFF 2.0 in your translation tool, or export the texts again with "
        "'sabaq i18n export LANG --format xliff' (or --format po)",
    ]


def test_import_joins_a_unit_a_tool_split_into_sentences(
    make_project, capsys, tmp_path: Path
) -> None:
    from lxml import etree

    root = make_project(source_files())
    path = tmp_path / "ru.xlf"
    sabaq(root, capsys, "i18n", "export", "ru", "--format", "xliff", "--out", str(path))
    tree = etree.parse(str(path))
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    unit = tree.find(
        ".//x:file[@original='courses/demo/01-first.yml']/x:unit[@id='sections.1.body']", ns
    )
    assert unit is not None and unit.getparent().get("canResegment") == "no"
    for segment in unit.findall("x:segment", ns):
        unit.remove(segment)
    q = "{urn:oasis:names:tc:xliff:document:2.0}"
    for tag, source, target in (("segment", "More", "Ещё"), ("ignorable", " ", None), ("segment", "text.", "текст.")):  # fmt: skip
        part = (
            etree.SubElement(unit, q + tag, state="translated")
            if tag == "segment"
            else etree.SubElement(unit, q + tag)
        )
        etree.SubElement(part, q + "source").text = source
        if target is not None:
            etree.SubElement(part, q + "target").text = target
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    code, _, err = sabaq(root, capsys, "i18n", "import", str(path))
    assert code == 0, err
    assert module(checked(root), "ru").module.sections[1].body == "Ещё текст."
