"""MkDocs hooks the engine installs in every build (see `engine.build_one`).

Every language, and every downloadable package, is its own MkDocs build, and each would compile
mkdocs-material's templates again; compiling them is a sixth of a build's time. A bytecode cache
shared by the builds of one `sabaq build` (a folder inside that build's private work folder)
compiles each template once.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache


def on_env(env: Environment, config: Any, files: Any) -> Environment:
    folder = (config.get("extra") or {}).get("sabaq_template_cache")
    if folder:
        env.bytecode_cache = FileSystemBytecodeCache(folder)
    return env
