"""The `sabaq` program (and `python -m builder`): `sabaq build` goes to the project's build
server when it should (builder/cli/build_server.py); everything else, and a build no server
could take, runs in this process. Imported before anything else, so it imports little."""

from __future__ import annotations

import os
import sys

from builder.cli import build_server


def run() -> None:
    argv = sys.argv[1:]
    interactive = sys.stdin.isatty() and sys.stderr.isatty()
    if build_server.wanted(argv, dict(os.environ), interactive):
        try:
            code = build_server.build_through_server(argv)
        except KeyboardInterrupt:
            # The server finishes the build on its own: it replaces the site only whole.
            sys.exit(130)
        if code is not None:
            sys.exit(code)
    from builder.cli.main import run as run_here

    run_here()
