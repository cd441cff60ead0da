"""Lighthouse gate: every page kind of the bundled site scores 100 in every category (performance,
accessibility, best practices, SEO), measured as a trainee's phone sees it.

Lighthouse (npm, pinned in package.json) runs on Debian's Chromium with its default mobile
settings: a phone's screen, simulated slow 4G and a CPU four times slower than this machine's. The
site is served compressed, as GitHub Pages serves it. Every page kind is measured in English; the
module page, the one most pages are, in every language.

The other categories do not vary from run to run; performance does, with the machine's load (its
blocking time is this machine's CPU time, multiplied). A page whose performance is under 100 is
measured again, up to `RUNS` times in all, and passes if one run scores 100: a change that makes a
page slower fails every run. The scores and metrics of every run are in the failure message and
in the JSON report the test writes (its path is printed).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sabaq_gates import (
    GATES,
    LIGHTHOUSE_SCRIPT,
    NPM_HINT,
    BuiltSite,
    Servers,
    require,
    require_command,
)
from sabaq_testing import CHROMIUM

# Other tests running beside it would slow the pages it times: `make test` runs it alone.
pytestmark = [pytest.mark.slow, pytest.mark.alone]

RUNS = 3
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: Each kind of page, in English.
PAGE_KINDS = {
    "language home": "en/",
    "course overview": "en/right-to-information/",
    "module, every question type": "en/writing-with-sabaq/quizzes/",
    "module with a picture and a table": "en/fact-checking-basics/verifying-images/",
    "glossary": "en/glossary/",
    "request builder": "en/right-to-information/request-builder/",
    "certificate": "en/fact-checking-basics/certificate/",
    "trainees' progress files": "en/progress-files/",
    "site home (language choice)": "",
}
#: The module page in every other language.
LANGUAGE_PAGES = {
    f"module, {language}": f"{language}/fact-checking-basics/sift/"
    for language in ("ru", "uz", "kk", "ky", "tg")
}
PAGES = {**PAGE_KINDS, **LANGUAGE_PAGES}


def _lighthouse(base: str, paths: list[str], report: Path) -> list[dict[str, Any]]:
    node = require_command(
        "node", "Install Debian's nodejs ('make test' does it when run as root)."
    )
    require(LIGHTHOUSE_SCRIPT, "Lighthouse (npm lighthouse)", NPM_HINT)
    command = [node, str(GATES / "lighthouse.mjs"), str(CHROMIUM), str(report)]
    command += [base + path for path in paths]
    done = subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", timeout=120 + 40 * len(paths)
    )
    if done.returncode != 0:
        pytest.fail(f"Lighthouse failed (exit {done.returncode}):\n{done.stderr}", pytrace=False)
    results: list[dict[str, Any]] = json.loads(report.read_text(encoding="utf-8"))
    return results


def _describe(name: str, run: dict[str, Any]) -> str:
    scores = ", ".join(f"{key} {round(100 * (value or 0))}" for key, value in run["scores"].items())
    metrics = ", ".join(f"{key} {round(value)}" for key, value in run["metrics"].items())
    lines = [f"{name} ({run['url']}): {scores}; {metrics}"]
    if run["runtimeError"]:
        lines.append(f"  runtime error: {run['runtimeError']}")
    lines += [
        f"  {lost['category']}: {lost['audit']} {lost['score']} {lost['value']} {lost['items']}"
        for lost in run["lost"]
    ]
    return "\n".join(lines)


def test_every_page_kind_scores_100_in_every_category(
    bundled_site: BuiltSite, servers: Servers, tmp_path: Path
) -> None:
    base = servers.serve(bundled_site.root, compressed=True)
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in PAGES}
    pending = list(PAGES)
    for attempt in range(RUNS):
        results = _lighthouse(
            base, [PAGES[name] for name in pending], tmp_path / f"lighthouse-{attempt}.json"
        )
        for name, run in zip(pending, results, strict=True):
            runs[name].append(run)
        pending = [name for name in pending if runs[name][-1]["scores"]["performance"] != 1]
        if not pending:
            break
    report = tmp_path / "lighthouse.json"
    report.write_text(json.dumps(runs, indent=1), encoding="utf-8")
    print(f"Lighthouse report: {report}")

    failures = []
    for name, page_runs in runs.items():
        fast_once = any(run["scores"]["performance"] == 1 for run in page_runs)
        steady = all(
            run["scores"].get(category) == 1 and not run["runtimeError"]
            for run in page_runs
            for category in CATEGORIES[1:]
        )
        if not (fast_once and steady):
            failures += [_describe(name, run) for run in page_runs]
    assert not failures, "under 100 in Lighthouse:\n" + "\n".join(failures)
