"""Lighthouse on every page kind of the bundled site in every language, as the quality gate runs
it (tests/gates/test_gate_lighthouse.py: npm lighthouse on Debian's Chromium, mobile, simulated
slow 4G and a 4x slower CPU, the site served gzip-compressed), and a Markdown table of the scores
and metrics for bench/results.md. The gate measures every kind in English and the module page in
every language; this measures everything.

    .venv/bin/python bench/lighthouse.py [--site DIR]   # default: builds the bundled site
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "gates")]

from sabaq_gates import GATES, Servers  # noqa: E402
from sabaq_testing import CHROMIUM  # noqa: E402
from test_gate_lighthouse import PAGE_KINDS  # noqa: E402

LANGUAGES = ("en", "ru", "uz", "kk", "ky", "tg")
MODULE = "fact-checking-basics/sift/"


def pages() -> dict[str, str]:
    found = {}
    for language in LANGUAGES:
        for kind, path in PAGE_KINDS.items():
            if not path.startswith("en/"):
                if language == "en":
                    found[kind] = path
                continue
            localized = f"{language}/{path[3:]}"
            if language != "en" and "writing-with-sabaq" in path:
                localized = f"{language}/{MODULE}"  # the guide is in en and ru only
                if language == "ru":
                    localized = f"ru/{path[3:]}"
            found[f"{kind}, {language}"] = localized
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the bundled one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = args.site
        if site is None:
            site = Path(folder) / "site"
            command = [sys.executable, "-m", "builder", "build", "--quiet", "--no-cache"]
            subprocess.run([*command, "--site-dir", str(site)], cwd=ROOT, check=True)
        servers = Servers()
        base = servers.serve(site, compressed=True)
        report = Path(folder) / "lighthouse.json"
        chosen = pages()
        try:
            subprocess.run(
                ["node", str(GATES / "lighthouse.mjs"), str(CHROMIUM), str(report)]
                + [base + path for path in chosen.values()],
                check=True,
            )
        finally:
            servers.stop()
        runs = json.loads(report.read_text(encoding="utf-8"))
    print("| page | perf | a11y | best practices | SEO | FCP ms | LCP ms | TBT ms | CLS | SI ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, run in zip(chosen, runs, strict=True):
        scores, metrics = run["scores"], run["metrics"]
        print(
            f"| {name} (`/{chosen[name]}`) | "
            + " | ".join(
                str(round(100 * (scores[c] or 0)))
                for c in ("performance", "accessibility", "best-practices", "seo")
            )  # fmt: skip
            + f" | {metrics['first-contentful-paint']:.0f} | {metrics['largest-contentful-paint']:.0f}"
            f" | {metrics['total-blocking-time']:.0f} | {metrics['cumulative-layout-shift']:.2f}"
            f" | {metrics['speed-index']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
