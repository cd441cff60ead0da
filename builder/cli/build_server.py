"""The build server: `sabaq build` run from a terminal hands its build to a process that stays
running for the project, as Gradle's daemon and mypy's dmypy do. A rebuild after an edit then
skips starting Python and importing Sabaq, pydantic and MkDocs, which a new process cannot: that
alone is a tenth of a whole build of a small project (bench/results.md).

- One server per project folder, Python, Sabaq and environment (`server_address`): after an
  upgrade or in another environment a new one starts, and the old one stops when idle.
- It listens on a Unix socket in a folder only this user may open, builds one request at a
  time, and stops after `SETTINGS.build_server_idle_seconds` without one.
- Only `sabaq build` goes to it, and never with `--trust-project-code`: the project's own code
  would stay loaded in it for the next builds.
- `--no-server` or `SABAQ_BUILD_SERVER=0` builds in the command's own process; without a
  terminal (CI, scripts, tests) that is the default, and `SABAQ_BUILD_SERVER=1` asks for it.

This module is imported by every `sabaq` command before anything else, so at the top it imports
only the standard library's lightest modules; the server imports the rest when it starts.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import sys
from pathlib import Path

#: `SABAQ_BUILD_SERVER`: "1" always, "0" never; unset, when the command runs in a terminal.
SWITCH = "SABAQ_BUILD_SERVER"
#: `SABAQ_BUILD_SERVER_IDLE`: seconds a server waits for the next build (tests make it short).
IDLE = "SABAQ_BUILD_SERVER_IDLE"
NO_SERVER = "--no-server"
#: The options before the command that take a value (to find the command); the parser's own
#: list is not imported, since that would import the whole of Sabaq (tested against it).
VALUE_OPTIONS_BEFORE_COMMAND = ("--project",)
#: `builder.render.site_settings.TRUST_OPTION`, not imported for the same reason (tested).
TRUST_OPTION = "--trust-project-code"
#: What a server's builds depend on besides the project's files and the command line.
_ENVIRONMENT = ("PATH", "HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONPATH")
_BUILDER_DIR = Path(__file__).parents[1]
_MAX_SOCKET_PATH = 100  # sun_path holds 104-108 bytes


def wanted(argv: list[str], environ: dict[str, str], interactive: bool) -> bool:
    """Whether this command goes to a build server."""
    if not hasattr(socket, "AF_UNIX") or os.name != "posix":
        return False
    if _command(argv) != "build" or NO_SERVER in argv or TRUST_OPTION in argv:
        return False
    if any(arg in ("-h", "--help") for arg in argv):
        return False
    switch = environ.get(SWITCH, "")
    return switch == "1" or (switch != "0" and interactive)


def _command(argv: list[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in VALUE_OPTIONS_BEFORE_COMMAND:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def servers_dir(environ: dict[str, str]) -> Path | None:
    """The folder of this user's servers' sockets, made only this user's; None if it cannot be
    (another user's folder, a link to elsewhere)."""
    runtime = environ.get("XDG_RUNTIME_DIR")
    home = environ.get("HOME")
    if runtime:
        folder = Path(runtime) / "sabaq"
    elif home:
        folder = Path(home) / ".cache" / "sabaq" / "servers"
    else:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = os.lstat(folder)
    except OSError:
        return None
    private = stat.S_IMODE(status.st_mode) & 0o077 == 0
    if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid() or not private:
        return None
    return folder


def server_address(folder: Path, cwd: str, environ: dict[str, str]) -> Path | None:
    """The socket of the server for this folder, Python, Sabaq and environment."""
    digest = hashlib.sha256()
    for part in (os.path.realpath(cwd), sys.executable, _code_stamp()):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for name in sorted(_ENVIRONMENT) + sorted(k for k in environ if k.startswith("SABAQ_")):
        digest.update(f"{name}={environ.get(name, '')}".encode("utf-8", "surrogateescape") + b"\0")
    address = folder / f"{digest.hexdigest()[:32]}.sock"
    return address if len(os.fsencode(address)) <= _MAX_SOCKET_PATH else None


def _code_stamp() -> str:
    """Names, sizes and times of Sabaq's files and of the installed packages' folder: a
    changed Sabaq, MkDocs or theme gets a new server (reading them all would cost a rebuild's
    time)."""
    import sysconfig

    parts = []
    for folder, _, names in sorted(os.walk(_BUILDER_DIR)):
        if "__pycache__" in folder:
            continue
        for name in sorted(names):
            status = os.stat(os.path.join(folder, name))
            parts.append(f"{folder}/{name}:{status.st_size}:{status.st_mtime_ns}")
    packages = sysconfig.get_paths()["purelib"]
    with_mtime = os.stat(packages).st_mtime_ns if os.path.isdir(packages) else 0
    parts.append(f"{packages}:{with_mtime}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


# --- The client: the `sabaq build` command ---------------------------------------------------


def build_through_server(argv: list[str]) -> int | None:
    """Run `sabaq build argv` in this project's server, starting one if there is none; its exit
    code, or None if no server could take it (the command then builds in its own process)."""
    environ = dict(os.environ)
    folder = servers_dir(environ)
    address = server_address(folder, os.getcwd(), environ) if folder is not None else None
    if address is None:
        return None
    connection = _connect(address) or _start(address)
    if connection is None:
        return None
    with connection:
        request = {
            "argv": argv,
            "cwd": os.getcwd(),
            "tty": [sys.stdout.isatty(), sys.stderr.isatty()],
        }
        connection.sendall(json.dumps(request).encode("utf-8") + b"\n")
        return _relay(connection)


def _connect(address: Path) -> socket.socket | None:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(os.fspath(address))
    except OSError:
        client.close()
        return None
    return client


def _start(address: Path) -> socket.socket | None:
    """Start a server for this project and connect to it once it listens."""
    import subprocess
    import time

    command = [sys.executable, "-P", "-m", "builder.cli.build_server", os.fspath(address)]
    try:
        server = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not stopped by the terminal's Ctrl-C or its closing
            close_fds=True,
        )
    except OSError:
        return None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        connection = _connect(address)
        if connection is not None:
            return connection
        if server.poll() is not None:
            # It could not start, or another command's server took the address first.
            return _connect(address)
        time.sleep(0.01)
    return None


def _relay(connection: socket.socket) -> int | None:
    """Print what the server says the build prints; its exit code, or None if the server went
    away before it said (the build is then run here: a half-done build never replaced the site)."""
    streams = {"out": sys.stdout, "err": sys.stderr}
    for line in connection.makefile("r", encoding="utf-8"):
        message = json.loads(line)
        if "exit" in message:
            return int(message["exit"])
        stream = streams[message["stream"]]
        stream.write(message["text"])
        stream.flush()
    print("sabaq: the build server stopped; building here instead", file=sys.stderr)
    return None


# --- The server ------------------------------------------------------------------------------


class _Stream:
    """A build's stdout or stderr, sent to the client as it is written. Once the client has
    gone (Ctrl-C), the build goes on to its end, unheard: it replaces the site only whole."""

    encoding = "utf-8"
    errors = "backslashreplace"

    def __init__(self, connection: socket.socket, name: str, tty: bool) -> None:
        self.connection, self.name, self.tty = connection, name, tty
        self.gone = False

    def write(self, text: str) -> int:
        self.send({"stream": self.name, "text": text})
        return len(text)

    def send(self, message: dict[str, object]) -> None:
        if self.gone:
            return
        try:
            self.connection.sendall(json.dumps(message).encode("utf-8") + b"\n")
        except OSError:
            self.gone = True

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self.tty


def serve(address: Path) -> None:
    """Build each request to `address` until none comes for the idle time."""
    import contextlib
    import fcntl
    import gc

    lock = open(address.with_suffix(".lock"), "a")  # noqa: SIM115 - held until the server ends
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return  # another server for this address has just started
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n")  # which process to stop, for whoever must
    lock.flush()
    from builder.build.cache.documents import RecentDocuments
    from builder.cli.main import main
    from builder.settings import SETTINGS

    idle = float(os.environ.get(IDLE) or SETTINGS.build_server_idle_seconds)
    # Documents parsed for one build serve the next, as in the preview (builder/cli/serve.py).
    recent = RecentDocuments()
    gc.set_threshold(10_000, 10, 10)
    gc.freeze()
    address.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with listener:
        listener.bind(os.fspath(address))
        os.chmod(address, 0o600)
        listener.listen()
        listener.settimeout(idle)
        while True:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                break
            with connection:
                connection.settimeout(None)
                if not _same_user(connection):
                    continue
                request = json.loads(connection.makefile("r", encoding="utf-8").readline() or "{}")
                argv = [str(arg) for arg in request.get("argv", [])]
                with contextlib.suppress(OSError, TypeError):
                    # The same folder (it names the server), perhaps made again since.
                    os.chdir(request.get("cwd"))
                out_tty, err_tty = [*map(bool, request.get("tty") or []), False, False][:2]
                out, err = _Stream(connection, "out", out_tty), _Stream(connection, "err", err_tty)
                code = 2
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):  # type: ignore[type-var]
                    try:
                        code = (
                            main(argv, recent_documents=recent)
                            if wanted(argv, {SWITCH: "1"}, True)
                            else 2
                        )
                    except SystemExit as exit:  # argparse's, for a wrong option
                        code = exit.code if isinstance(exit.code, int) else 2
                    except Exception as error:  # noqa: BLE001 - reported as the command would
                        print(f"sabaq: error: {error}", file=sys.stderr)
                        code = 2
                out.send({"exit": code})
                gc.collect()
    with contextlib.suppress(OSError):
        address.unlink()


def _same_user(connection: socket.socket) -> bool:
    """On Linux, whether the client runs as this user (the folder is private anyway)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    import struct

    credentials = connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return uid == os.getuid()


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
