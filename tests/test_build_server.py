"""The build server (builder/cli/build_server.py): `sabaq build` from a terminal is handed to a
process that stays running for the project. Its builds print what a build in its own process
prints, exit with the same codes, and publish the same edits; it stops when idle; and it starts
only when asked for or in a terminal. Real processes, a real socket, real builds."""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sabaq_testing import short_course_project

from builder.cli import build_server

SIFT = Path("courses/fact-checking-basics/01-sift.yml")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return short_course_project(tmp_path / "project")


@pytest.fixture
def runtime() -> Iterator[Path]:
    """The servers' folder of these tests; every server started in it is stopped afterwards. A
    short path: a socket's is at most about 100 bytes (a longer one gets no server)."""
    folder = Path(tempfile.mkdtemp(prefix="sq-"))
    yield folder
    for lock in (folder / "sabaq").glob("*.lock"):
        pid = lock.read_text().strip()
        if pid.isdigit():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGTERM)
    shutil.rmtree(folder, ignore_errors=True)


def sabaq(project: Path, runtime: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(runtime),
        "PYTHONIOENCODING": "utf-8",
        build_server.IDLE: "120",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "builder", *args],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def sockets(runtime: Path) -> list[Path]:
    return sorted((runtime / "sabaq").glob("*.sock")) if (runtime / "sabaq").is_dir() else []


def listening(address: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        try:
            client.connect(str(address))
        except OSError:
            return False
    return True


def test_builds_go_to_one_server_that_prints_and_publishes_what_the_command_would(
    project: Path, runtime: Path
):
    first = sabaq(project, runtime, "build", "--lang", "en", SABAQ_BUILD_SERVER="1")
    assert first.returncode == 0, first.stderr
    assert "Built 1 language into" in first.stderr
    [address] = sockets(runtime)
    assert listening(address)
    server_pid = (address.with_suffix(".lock")).read_text().strip()

    # An edit, built again: through the same server, and published.
    sift = project / SIFT
    text = sift.read_text(encoding="utf-8")
    marker = "The server built this sentence."
    body = text.index("body: |") + len("body: |\n")
    indent = text[body:].index(text[body:].lstrip(" "))
    sift.write_text(text[:body] + " " * indent + marker + "\n" + text[body:], encoding="utf-8")
    again = sabaq(project, runtime, "build", "--lang", "en", SABAQ_BUILD_SERVER="1")
    assert again.returncode == 0, again.stderr
    assert sockets(runtime) == [address]
    assert address.with_suffix(".lock").read_text().strip() == server_pid
    page = project / "site" / "en" / "fact-checking-basics" / "sift" / "index.html"
    assert marker in page.read_text(encoding="utf-8")

    # A content error: the same report and exit code as a build in its own process.
    sift.write_text(text.replace("title:", "titel:", 1), encoding="utf-8")
    served = sabaq(project, runtime, "build", "--lang", "en", SABAQ_BUILD_SERVER="1")
    here = sabaq(project, runtime, "build", "--lang", "en", "--no-server")
    assert served.returncode == here.returncode == 1
    assert served.stderr == here.stderr
    assert "courses/fact-checking-basics/01-sift.yml:" in served.stderr
    assert marker in page.read_text(encoding="utf-8")  # the site is left as it was
    # A wrong option: argparse's message and exit code, from the server too.
    served = sabaq(project, runtime, "build", "--jobs", "many", SABAQ_BUILD_SERVER="1")
    here = sabaq(project, runtime, "build", "--jobs", "many", "--no-server")
    assert served.returncode == here.returncode == 2
    assert served.stderr == here.stderr
    assert address.with_suffix(".lock").read_text().strip() == server_pid


def test_a_server_stops_when_no_build_comes(project: Path, runtime: Path):
    done = sabaq(
        project,
        runtime,
        "build",
        "--lang",
        "en",
        SABAQ_BUILD_SERVER="1",
        **{build_server.IDLE: "1"},
    )
    assert done.returncode == 0, done.stderr
    [address] = sockets(runtime)
    pid = int(address.with_suffix(".lock").read_text())
    # Waits for the server's process to end (its pidfd becomes readable), for at most a minute.
    try:
        ended = os.pidfd_open(pid)
    except ProcessLookupError:
        readable = [pid]  # it has ended already
    else:
        try:
            readable, _, _ = select.select([ended], [], [], 60)
        finally:
            os.close(ended)
    assert readable, "the server still runs a minute after its idle time"
    assert not address.exists()
    assert not listening(address)


def test_without_a_terminal_a_build_starts_no_server(project: Path, runtime: Path):
    environment = {k: v for k, v in os.environ.items() if k != build_server.SWITCH}
    done = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--lang", "en"],
        cwd=project,
        env={**environment, "XDG_RUNTIME_DIR": str(runtime)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert not (runtime / "sabaq").exists()


@pytest.mark.parametrize(
    ("argv", "environ", "interactive", "expected"),
    [
        (["build"], {}, True, True),
        (["build"], {}, False, False),
        (["build"], {build_server.SWITCH: "1"}, False, True),
        (["build"], {build_server.SWITCH: "0"}, True, False),
        (["--project", "build", "build", "--lang", "ru"], {}, True, True),
        (["--project", "build", "check"], {}, True, False),
        (["-q", "build", "--no-server"], {}, True, False),
        # The project's own code would stay loaded in the server for the next builds.
        (["build", "--trust-project-code"], {build_server.SWITCH: "1"}, True, False),
        (["build", "--help"], {}, True, False),
        (["serve"], {}, True, False),
        ([], {}, True, False),
    ],
)
def test_which_commands_go_to_a_server(
    argv: list[str], environ: dict[str, str], interactive: bool, expected: bool
):
    assert build_server.wanted(argv, environ, interactive) is expected


def test_the_client_knows_the_options_as_the_parser_does():
    from builder.cli.main import _parser
    from builder.render.site_settings import TRUST_OPTION

    top_level = _parser()._actions  # argparse lists its options nowhere public
    with_values = {
        o for a in top_level if a.nargs != 0 and a.option_strings for o in a.option_strings
    }
    assert with_values == set(build_server.VALUE_OPTIONS_BEFORE_COMMAND)
    assert build_server.TRUST_OPTION == TRUST_OPTION


def test_the_servers_folder_must_be_this_user_s_alone(tmp_path: Path):
    shared = tmp_path / "shared"
    (shared / "sabaq").mkdir(parents=True)
    (shared / "sabaq").chmod(0o777)
    assert build_server.servers_dir({"XDG_RUNTIME_DIR": str(shared)}) is None
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "sabaq").symlink_to(elsewhere)
    assert build_server.servers_dir({"XDG_RUNTIME_DIR": str(linked)}) is None
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    made = build_server.servers_dir({"XDG_RUNTIME_DIR": str(fresh)})
    assert made == fresh / "sabaq"
    assert made.stat().st_mode & 0o777 == 0o700


def test_each_project_and_environment_has_its_own_server(tmp_path: Path):
    # server_address only names the socket; a short folder keeps it under the socket's limit
    # wherever the test's own folder is.
    folder = Path("/run/sq")
    one = build_server.server_address(folder, str(tmp_path / "a"), {"LANG": "en_US.UTF-8"})
    other_project = build_server.server_address(
        folder, str(tmp_path / "b"), {"LANG": "en_US.UTF-8"}
    )
    other_language = build_server.server_address(
        folder, str(tmp_path / "a"), {"LANG": "ru_RU.UTF-8"}
    )
    same = build_server.server_address(
        folder, str(tmp_path / "a"), {"LANG": "en_US.UTF-8", "OLDPWD": "/"}
    )
    assert None not in {one, other_project, other_language}
    assert len({one, other_project, other_language}) == 3
    assert same == one


def test_a_socket_path_too_long_for_the_system_gets_no_server(tmp_path: Path):
    deep = Path("/run") / ("d" * 60)
    assert build_server.server_address(deep, str(tmp_path), {}) is None
