"""The `sabaq` command line as a trainer runs it: a real process, real exit codes, real files."""

from __future__ import annotations

import http.server
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from sabaq_testing import (
    CASES,
    MINIMAL_PROJECT,
    REPO,
    ctrl_c_as_in_a_terminal,
    free_port,
    run_sabaq,
)

from builder.cli.main import jobs_wanted

BASIC = CASES / "basic"


# --- sabaq new -----------------------------------------------------------------------------------


def test_new_course_and_module_check_and_build(tmp_path: Path) -> None:
    project = tmp_path / "project"
    created = run_sabaq("new", "course", "media-literacy", "--project", str(project), cwd=tmp_path)
    assert created.code == 0, created.stderr
    course_file = project / "courses" / "media-literacy" / "course.yml"
    assert course_file.is_file()
    assert (project / "courses" / "media-literacy" / "01-introduction.yml").is_file()
    # The new files' first line points editors at the schemas, so they are written too.
    assert (project / "schemas" / "module.schema.json").is_file()

    added = run_sabaq(
        "new", "module", "media-literacy", "spotting-bots", "--project", str(project), cwd=tmp_path
    )
    assert added.code == 0, added.stderr
    assert (project / "courses" / "media-literacy" / "02-spotting-bots.yml").is_file()
    course = yaml.safe_load(course_file.read_text(encoding="utf-8"))
    assert course["modules"] == ["introduction", "spotting-bots"]
    # The trainer's comments survive the edit.
    assert "# The modules, in the order readers take them." in course_file.read_text(
        encoding="utf-8"
    )

    checked = run_sabaq("check", "--project", str(project), cwd=tmp_path)
    assert checked.code == 0, checked.stderr

    site = tmp_path / "site"
    built = run_sabaq("build", "--project", str(project), "--site-dir", str(site), cwd=tmp_path)
    assert built.code == 0, built.stderr
    for module in ("introduction", "spotting-bots"):
        assert (site / "en" / "media-literacy" / module / "index.html").is_file()


def test_new_bank_has_every_question_type_and_its_placeholders_are_flagged(tmp_path: Path) -> None:
    project = tmp_path / "project"
    assert run_sabaq("new", "course", "demo", "--project", str(project), cwd=tmp_path).code == 0
    created = run_sabaq("new", "bank", "demo-quiz", "--project", str(project), cwd=tmp_path)
    assert created.code == 0, created.stderr
    bank = yaml.safe_load((project / "quizzes" / "demo-quiz.yml").read_text(encoding="utf-8"))
    assert [q["type"] for q in bank["questions"]] == [
        "single", "multiple", "true_false", "fill_blank", "numeric", "ordering", "matching",
        "claim_rating",
    ]  # fmt: skip
    module = project / "courses" / "demo" / "01-introduction.yml"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("# quiz:\n#   bank: my-quiz", "quiz:\n  bank: demo-quiz"))
    again = run_sabaq("new", "bank", "demo-quiz", "--project", str(project), cwd=tmp_path)
    assert again.code == 2
    assert "demo-quiz.yml already exists" in again.stderr

    checked = run_sabaq("check", "--project", str(project), cwd=tmp_path)
    assert checked.code == 0, checked.stderr
    # Valid as written, but every placeholder is a warning at its place.
    lines = checked.stderr.splitlines()
    assert (
        "project/courses/demo/course.yml:28:5: warning: authors[0]: this is the scaffold's placeholder "
        "'Your name', not your text" in lines
    )
    assert (
        "project/courses/demo/01-introduction.yml:21:7: warning: sections[0].body: this is the "
        "scaffold's placeholder 'Write the text here', not your text" in lines
    )
    assert (
        "project/courses/demo/01-introduction.yml:33:10: warning: sources[0].url: this is the "
        "scaffold's placeholder 'example.org', not your text" in lines
    )
    assert (
        "project/quizzes/demo-quiz.yml:83:12: warning: questions[7].claim: this is the scaffold's "
        "placeholder 'A claim to rate', not your text" in lines
    )
    assert (
        "    hint: replace it with your own words (or delete the line) before you publish" in lines
    )
    assert "36 warnings." in lines

    site = tmp_path / "site"
    built = run_sabaq("build", "--project", str(project), "--site-dir", str(site), cwd=tmp_path)
    assert built.code == 0, built.stderr
    page = (site / "en" / "demo" / "introduction" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="sabaq-quiz__question"') == 8


def test_new_module_is_appended_to_a_hand_written_list(make_project) -> None:
    project = make_project(
        {
            "courses/demo/course.yml": """
                id: demo
                title: Demo
                summary: S.
                level: beginner
                languages: [en]
                modules:
                  # first things first
                  - first
                  - second
                authors: [Me]
                """,
            "courses/demo/01-first.yml": "id: first\n",
            "courses/demo/02-second.yml": "id: second\n",
        }
    )
    run = run_sabaq("new", "module", "demo", "third", "--project", str(project), cwd=project)
    assert run.code == 0, run.stderr
    text = (project / "courses/demo/course.yml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["modules"] == ["first", "second", "third"]
    assert yaml.safe_load(text)["authors"] == ["Me"]
    assert "  # first things first\n" in text
    assert (project / "courses/demo/03-third.yml").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["new", "course", "Media_Literacy"],
            "sabaq: error: 'Media_Literacy' is not a valid course id: use lower-case letters, digits and "
            "single hyphens, such as 'lateral-reading'",
        ),
        (
            ["new", "course", "double--hyphen"],
            "sabaq: error: 'double--hyphen' is not a valid course id",
        ),
        (
            ["new", "module", "newsroom-verification", "Bots!"],
            "sabaq: error: 'Bots!' is not a valid module id",
        ),
        (
            ["new", "module", "no-such-course", "bots"],
            "sabaq: error: there is no course 'no-such-course'",
        ),
        (
            ["new", "module", "newsroom-verification", "sources"],
            "sabaq: error: the course 'newsroom-verification' already has a module 'sources'",
        ),
    ],
    ids=["course-id", "course-id-hyphens", "module-id", "unknown-course", "existing-module"],
)
def test_new_refuses_bad_names(tmp_path: Path, args: list[str], message: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(BASIC, project)
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    run = run_sabaq(*args, "--project", str(project), cwd=tmp_path)
    assert run.code == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_new_course_refuses_an_existing_course(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(BASIC, project)
    run = run_sabaq("new", "course", "archive-research", "--project", str(project), cwd=tmp_path)
    assert run.code == 2
    assert "already exists" in run.stderr


# --- sabaq i18n status ---------------------------------------------------------------------------

#: The keys that hold a reader's text, written out here rather than taken from builder.content.model, so
#: that the counts below are worked out independently of the builder.
TEXT_KEYS = {
    "title", "summary", "heading", "body", "prompt", "explanation", "text", "feedback",
    "feedback_true", "feedback_false", "unit", "claim", "claimant", "left", "right",
}  # fmt: skip
TEXT_LIST_KEYS = {"objectives", "steps"}  # each item is one text
WHOLE_TEXT_KEYS = {"accepted"}  # the list is one text: a translation replaces it whole


def count_texts(data: object) -> int:
    if isinstance(data, list):
        return sum(count_texts(item) for item in data)
    if not isinstance(data, dict):
        return 0
    total = 0
    for key, value in data.items():
        if key in TEXT_KEYS and isinstance(value, str):
            total += bool(value.strip())
        elif key in TEXT_LIST_KEYS and isinstance(value, list):
            total += sum(isinstance(item, str) and bool(item.strip()) for item in value)
        elif key in WHOLE_TEXT_KEYS:
            total += bool(value)
        else:
            total += count_texts(value)
    return total


def expected_status_rows(project: Path) -> list[dict[str, str]]:
    rows = []
    for course_file in sorted((project / "courses").glob("*/course.yml")):
        folder = course_file.parent
        course = yaml.safe_load(course_file.read_text(encoding="utf-8"))
        sources = [course_file]
        banks = []
        for module_id in course["modules"]:
            (module_file,) = folder.glob(f"*{module_id}.yml")
            sources.append(module_file)
            quiz = yaml.safe_load(module_file.read_text(encoding="utf-8")).get("quiz")
            if quiz and quiz["bank"] not in banks:
                banks.append(quiz["bank"])
        sources += [project / "quizzes" / f"{bank}.yml" for bank in banks]
        for language in course["languages"]:
            total = translated = draft = reviewed = no_file = 0
            for source in sources:
                texts = count_texts(yaml.safe_load(source.read_text(encoding="utf-8")))
                total += texts
                if language == course.get("source_language", "en"):
                    translated += texts
                    continue
                translation = source.with_name(f"{source.stem}.{language}.yml")
                if not translation.exists():
                    no_file += 1
                    continue
                data = yaml.safe_load(translation.read_text(encoding="utf-8"))
                translated += count_texts(data)
                draft += data["status"] == "draft"
                reviewed += data["status"] == "reviewed"
            missing = total - translated
            if language == course.get("source_language", "en"):
                status = "source"
            elif missing or no_file:
                status = "partial"
            elif draft:
                status = "draft"
            else:
                status = "reviewed"
            rows.append(
                {
                    "course": course["id"],
                    "language": language,
                    "translated": str(translated),
                    "missing": str(missing),
                    # No fixture translation records its source texts, so none is stale.
                    "stale": "0",
                    "draft": str(draft),
                    "reviewed": str(reviewed),
                    "no file": str(no_file),
                    "status": status,
                }
            )
    return rows


def parse_table(text: str) -> list[dict[str, str]]:
    lines = text.splitlines()
    headers = re.split(r"\s{2,}", lines[0].strip())
    assert set(lines[1].replace(" ", "")) == {"-"}
    rows = []
    for line in lines[2:]:
        if not line.strip():
            break
        rows.append(dict(zip(headers, re.split(r"\s{2,}", line.strip()), strict=True)))
    return rows


def test_i18n_status_counts_every_text_of_every_language() -> None:
    run = run_sabaq("i18n", "status", "--project", str(BASIC), cwd=REPO)
    assert run.code == 0, run.stderr
    rows = parse_table(run.stdout)
    assert rows == expected_status_rows(BASIC)
    by_language = {row["language"]: row for row in rows if row["course"] == "newsroom-verification"}
    assert [by_language[code]["status"] for code in ("en", "ru", "kk", "tg")] == [
        "source",
        "reviewed",
        "partial",
        "partial",
    ]
    assert by_language["ru"]["missing"] == "0"
    assert int(by_language["kk"]["missing"]) > 0
    assert by_language["tg"]["translated"] == "0"


# --- General behaviour ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["--help"], ["build", "--help"], ["new", "module", "--help"], ["i18n", "status", "--help"]],
)
def test_help_exits_zero(args: list[str]) -> None:
    run = run_sabaq(*args, cwd=REPO)
    assert run.code == 0
    assert run.stdout.startswith("usage: sabaq")


def test_unknown_command_is_a_usage_error() -> None:
    run = run_sabaq("publish", cwd=REPO)
    assert run.code == 2
    assert "invalid choice: 'publish'" in run.stderr


def test_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    run = run_sabaq(
        "build",
        "--project",
        str(BASIC),
        "--site-dir",
        str(tmp_path / "site"),
        "--lang",
        "fr",
        cwd=REPO,
    )
    assert run.code == 2
    assert "invalid choice: 'fr'" in run.stderr


def test_language_not_in_the_chosen_courses_is_a_usage_error(tmp_path: Path) -> None:
    run = run_sabaq(
        "build", "--project", str(BASIC), "--site-dir", str(tmp_path / "site"),
        "--course", "archive-research", "--lang", "ru", cwd=REPO,
    )  # fmt: skip
    assert run.code == 2
    assert (
        "sabaq: error: 'ru' is not a language of the chosen courses (languages: en)" in run.stderr
    )


@pytest.mark.parametrize(
    ("option", "environ", "wanted"),
    [
        (None, {}, None),
        (None, {"SABAQ_JOBS": " "}, None),
        (None, {"SABAQ_JOBS": "1"}, 1),
        (3, {"SABAQ_JOBS": "1"}, 3),
    ],
)
def test_jobs_come_from_the_option_then_sabaq_jobs(
    option: int | None, environ: dict[str, str], wanted: int | None
) -> None:
    assert jobs_wanted(option, environ) == wanted


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5"])
def test_a_wrong_sabaq_jobs_is_a_usage_error(value: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    run = run_sabaq(
        "build", "--project", str(BASIC), "--site-dir", str(site), cwd=REPO, SABAQ_JOBS=value
    )
    assert run.code == 2
    assert run.stderr == (
        f"sabaq: error: SABAQ_JOBS is '{value}': give the number of languages to build at once, "
        "1 or more, or leave it unset for one per core\n"
    )
    assert not site.exists()


def test_project_option_before_the_command(tmp_path: Path) -> None:
    run = run_sabaq("--project", str(BASIC), "check", cwd=tmp_path)
    assert run.code == 0, run.stderr


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "sabaq"
    assert script.is_file()
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.startswith("usage: sabaq")


# --- sabaq serve ---------------------------------------------------------------------------------


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(condition, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.25)
    pytest.fail(f"gave up after {timeout:.0f} s waiting for {what}")


def test_serve_reports_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = run_sabaq("serve", "--project", str(BASIC), "--port", str(port), cwd=tmp_path)
    assert run.code == 2
    assert f"sabaq: error: cannot preview on 127.0.0.1:{port}: " in run.stderr
    assert "choose another port with --port" in run.stderr
    assert "Traceback" not in run.stderr


def test_serve_rebuilds_when_a_course_file_changes(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(BASIC, project)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    port = free_port()
    log_path = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "TMPDIR": str(scratch)}
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "builder",
                "serve",
                "--project",
                str(project),
                "--port",
                str(port),
                # One language keeps each rebuild short; what is rebuilt does not matter here.
                "--lang",
                "en",
            ],
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=ctrl_c_as_in_a_terminal,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        home = wait_for(lambda: server.poll() is None and fetch(f"{base}/en/"), 60, f"{base}/en/")
        assert "Archive research" in home
        module_file = project / "courses" / "archive-research" / "01-wayback.yml"
        assert "The Wayback Machine" in (fetch(f"{base}/en/archive-research/wayback/") or "")
        # The course page's download link works in the preview too.
        course_page = fetch(f"{base}/en/archive-research/") or ""
        assert 'href="../../downloads/archive-research-en.zip"' in course_page
        with urllib.request.urlopen(
            f"{base}/downloads/archive-research-en.zip", timeout=10
        ) as zip_:
            assert zip_.read(4) == b"PK\x03\x04"

        module_file.write_text(
            module_file.read_text(encoding="utf-8").replace(
                "title: The Wayback Machine", "title: Snapshots of the past"
            ),
            encoding="utf-8",
        )
        page = wait_for(
            lambda: (
                (text := fetch(f"{base}/en/archive-research/wayback/"))
                and "Snapshots of the past" in text
                and text
            ),
            60,
            "the new title on the served page",
        )
        assert "<title>Snapshots of the past - Sabaq courses</title>" in page
        # The build's own work folder goes once the build is done; only the preview stays.
        wait_for(
            lambda: [p.name.split("-")[1] for p in scratch.iterdir()] == ["preview"],
            10,
            "the rebuild to clean up its work folder",
        )
    finally:
        # Ctrl+C, as a trainer stops it: the preview folder is cleaned up.
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            raise
    assert code == 0, log_path.read_text(encoding="utf-8")
    assert [p.name for p in scratch.iterdir()] == [], log_path.read_text(encoding="utf-8")
    assert not (project / "site").exists()  # a preview never touches the project's site/


def test_build_without_packages_writes_no_downloads(make_project, tmp_path: Path) -> None:
    project = make_project(MINIMAL_PROJECT)
    run = run_sabaq("build", "--no-packages", "--site-dir", str(tmp_path / "out"), cwd=project)
    assert run.code == 0, run.stderr
    assert (tmp_path / "out" / "en" / "demo" / "first" / "index.html").exists()
    assert not (tmp_path / "out" / "downloads").exists()


def test_serve_hears_of_changes_to_course_files_but_not_to_its_own_cache(tmp_path: Path) -> None:
    from builder.cli.serve import watch_for_changes

    project = tmp_path / "project"
    shutil.copytree(BASIC, project)
    (project / ".sabaq-cache").mkdir()
    reported: list[str] = []
    heard = threading.Condition()

    def on_change(path: str) -> None:
        with heard:
            reported.append(path)
            heard.notify_all()

    def wait_to_hear(name: str) -> None:
        with heard:
            assert heard.wait_for(lambda: any(p.endswith(name) for p in reported), 10), (
                f"a change to {name} was not reported: {reported}"
            )

    stop_watching = watch_for_changes(project, on_change)
    try:
        # The project folder's own watch is the only one that could report the cache; the system
        # reports one watch's changes in order, so once mkdocs.yml is heard, so would the cache be.
        (project / ".sabaq-cache" / "state.json").write_text("{}", encoding="utf-8")
        config = project / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        wait_to_hear("mkdocs.yml")
        module = project / "courses" / "archive-research" / "01-wayback.yml"
        module.write_text(module.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        wait_to_hear("01-wayback.yml")
        assert not [p for p in reported if ".sabaq-cache" in p], reported
    finally:
        stop_watching()


def test_serve_builds_a_file_saved_as_the_preview_starts(tmp_path: Path) -> None:
    """A file saved between the first build and the watching that follows is still built: the
    edit is made from inside the 'Previewing on' log call, the narrowest moment."""
    import logging

    from builder.cli.serve import serve

    project = tmp_path / "project"
    shutil.copytree(BASIC, project)
    module = project / "courses" / "archive-research" / "01-wayback.yml"
    stop = threading.Event()
    rebuilt = threading.Event()

    class EditWhenPreviewStarts(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if message.startswith("Previewing on"):
                text = module.read_text(encoding="utf-8")
                module.write_text(text.replace("The Wayback Machine", "Snapshots"), "utf-8")
            elif message.startswith("A course file changed"):
                rebuilt.set()
                stop.set()

    logger = logging.getLogger("builder.cli.serve")
    handler = EditWhenPreviewStarts()
    logger.addHandler(handler)
    previous_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        thread = threading.Thread(
            target=serve,
            args=(project,),
            kwargs={
                "port": free_port(),
                "languages": ["en"],
                "courses": None,
                "report_errors": lambda errors: 1,
                "stop": stop,
            },
        )
        thread.start()
        assert rebuilt.wait(30), "the file saved as the preview started was not built"
    finally:
        stop.set()
        thread.join(60)
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


def test_the_preview_server_reports_a_dropped_connection_without_a_traceback(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """A browser that leaves a page while a file loads drops the connection; the standard
    server would print a traceback into the trainer's terminal."""
    from builder.cli.serve import _PreviewServer

    server = _PreviewServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    try:
        with caplog.at_level(logging.DEBUG, logger="builder.cli.serve"):
            for error in (BrokenPipeError(32, "Broken pipe"), PermissionError(13, "Denied")):
                try:
                    raise error
                except OSError:
                    server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.server_close()
    assert capsys.readouterr().err == ""
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("DEBUG", "the browser closed a connection early: [Errno 32] Broken pipe"),
        ("WARNING", "could not answer the browser: PermissionError: [Errno 13] Denied"),
    ]


def test_a_rebuild_replaces_the_site_while_holding_the_preview_lock(tmp_path: Path) -> None:
    """The preview passes its lock as `publishing`: the old site is there when the build takes
    it, and the new one when the build lets it go."""
    from builder.build.pipeline import build_project

    project = tmp_path / "project"
    shutil.copytree(BASIC, project)
    site = tmp_path / "site"
    page = site / "en" / "archive-research" / "wayback" / "index.html"

    seen: list[bool] = []  # whether the served page has the edit, as the lock is taken and let go

    class SeeTheSite:
        def __enter__(self) -> None:
            seen.append("Snapshots of the past" in page.read_text(encoding="utf-8"))

        def __exit__(self, *_: object) -> None:
            seen.append("Snapshots of the past" in page.read_text(encoding="utf-8"))

    def build(publishing: SeeTheSite | None) -> None:
        report = build_project(
            project, site, languages=["en"], workers=1, use_cache=False, publishing=publishing
        )
        assert report.ok, report.errors

    build(publishing=None)
    module = project / "courses" / "archive-research" / "01-wayback.yml"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("The Wayback Machine", "Snapshots of the past"), "utf-8")
    build(publishing=SeeTheSite())
    assert seen == [False, True]


class WatchedLock:
    """A lock that tells when another thread starts waiting for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.someone_waits = threading.Event()

    def __enter__(self) -> bool:
        if not self._lock.acquire(blocking=False):
            self.someone_waits.set()
            self._lock.acquire()
        return True

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def test_the_preview_finds_no_file_while_a_rebuild_replaces_the_site(tmp_path: Path) -> None:
    """Between the two renames of a rebuild (builder/build/write.py) there is no site: a request then
    waits for the new one instead of failing or missing its file."""
    from builder.cli.serve import Served, _PreviewServer, preview_handler

    site, new_site = tmp_path / "site", tmp_path / "new-site"
    for folder, text in ((site, "old"), (new_site, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(f"<body>{text}</body>", encoding="utf-8")
    served = Served()
    served.publishing = WatchedLock()
    server = _PreviewServer(("127.0.0.1", 0), preview_handler(served, site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    answers: list[str | None] = []
    asking = threading.Thread(
        target=lambda: answers.append(fetch(f"http://127.0.0.1:{server.server_address[1]}/"))
    )
    try:
        with served.publishing:  # as builder/build/pipeline.py holds it around replace_site
            site.rename(tmp_path / ".site-old")
            asking.start()
            # The request has reached the handler, which now waits for the lock this test holds.
            assert served.publishing.someone_waits.wait(10), "the request never asked for the lock"
            assert answers == [], "the server answered while there was no site"
            new_site.rename(site)
        asking.join(10)
    finally:
        server.shutdown()
        server.server_close()
    assert answers == ['<body>new<script src="/__sabaq/reload.js" defer></script></body>']


def test_every_placeholder_sabaq_flags_is_one_a_scaffold_writes() -> None:
    from builder.cli.scaffold import BANK_TEMPLATE, COURSE_TEMPLATE, MODULE_TEMPLATE
    from builder.content.placeholders import PLACEHOLDER_PARTS, PLACEHOLDER_VALUES

    scaffolds = BANK_TEMPLATE + COURSE_TEMPLATE + MODULE_TEMPLATE
    assert [
        text for text in [*PLACEHOLDER_VALUES, *PLACEHOLDER_PARTS] if text not in scaffolds
    ] == []
