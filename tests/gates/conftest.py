"""Fixtures of the quality gates: each site is built once per test run, the W3C Nu HTML Checker
runs once (one JVM) over every page of the sites it checks, and one Chromium serves every
browser gate.

A missing tool (java, node_modules, Chromium) fails the run: a gate that silently does not run
would let a regression through. `make test` installs them all.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sabaq_gates import (
    AXE_SCRIPT,
    CASES,
    NPM_HINT,
    VNU_JAR,
    BrowserWorker,
    BuiltSite,
    Servers,
    VnuReport,
    build,
    chromium_worker,
    copy_bundled_project,
    require,
    require_command,
)
from sabaq_testing import example_site

#: Where the sub-path build says it is published, as a fork on GitHub Pages would.
PAGES_SITE_URL = "https://example.github.io/sabaq/"


@pytest.fixture(scope="session")
def bundled_site() -> BuiltSite:
    """The repository's own courses, every language, built as `make site` builds them: the
    browser tests' build (one build of the bundled courses per run)."""
    return BuiltSite(example_site())


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """tests/gates/cases/hostile: markup and script in every text a reader sees."""
    return BuiltSite(build(CASES / "hostile", tmp_path_factory.mktemp("gates-hostile") / "site"))


@pytest.fixture(scope="session")
def pages_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The bundled courses in a project whose site_url is a GitHub Pages sub-path."""
    folder = tmp_path_factory.mktemp("gates-pages")
    project = copy_bundled_project(folder / "project", site_url=PAGES_SITE_URL)
    return BuiltSite(build(project, folder / "site"), PAGES_SITE_URL)


@pytest.fixture(scope="session")
def vnu_report(bundled_site: BuiltSite, hostile_site: BuiltSite) -> VnuReport:
    """The Nu HTML Checker's report on every HTML file of the bundled and hostile sites: one
    JVM run for all of them."""
    java = require_command(
        "java", "Install Debian's default-jre-headless ('make test' does it when run as root)."
    )
    jar = require(VNU_JAR, "The Nu HTML Checker (npm vnu-jar)", NPM_HINT)
    command = [java, "-jar", str(jar), "--format", "json", "--skip-non-html", "--verbose",
               str(bundled_site.root), str(hostile_site.root)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=300)
    # The JSON report goes to stderr, the list of files read (--verbose) to stdout; the exit
    # code is 1 whenever there is an error, so the report decides.
    try:
        report = json.loads(done.stderr)
    except json.JSONDecodeError:
        pytest.fail(
            f"the Nu HTML Checker did not report JSON (exit code {done.returncode}):\n"
            f"{done.stdout}\n{done.stderr}",
            pytrace=False,
        )
    checked = {Path(line.strip()) for line in done.stdout.splitlines() if line.strip()}
    return VnuReport(report["messages"], checked)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's browser build, to be evaluated inside a page."""
    return require(AXE_SCRIPT, "axe-core", NPM_HINT).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    running = Servers()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[BrowserWorker]:
    """Debian's Chromium, started once for every browser gate."""
    yield from chromium_worker()
