"""Trainer Markdown may not make a page load anything from another site, nor hold a script address,
in any form the page's Markdown extensions understand: the Content-Security-Policy must never be
the only defence.

A picture from elsewhere is an error at its line, whatever the form (inline, reference, attribute
list, in a footnote, a box, a tab, a table...), in every text that is rendered as Markdown (module
bodies, quiz texts, course summaries, translations). Script addresses (`javascript:`,
`vbscript:`, `data:`) in links, titles and attribute lists are removed; the tests read every
attribute of every page a real build wrote.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sabaq_testing import MINIMAL_PROJECT, REPO, Run, run_sabaq, write_files

SECOND = "courses/demo/02-second.yml"
PICTURE = (REPO / "courses/fact-checking-basics/images/sift-steps.png").read_bytes()
OUTSIDE_HINT = (
    "    hint: save it into the course's images/ folder (if its licence allows) and link it as "
    "images/<name>"
)
ATTRIBUTE_HINT = (
    "    hint: remove the attribute; a picture belongs in the course's images/ folder, linked as "
    "![what it shows](images/<name>)"
)

Project = Callable[..., Path]


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """MINIMAL_PROJECT, with a picture, and with some files replaced or added; afterwards
    tmp_path holds nothing but the project."""

    def make(changes: dict[str, str | bytes]) -> Path:
        files = {**MINIMAL_PROJECT, "courses/demo/images/local.png": PICTURE, **changes}
        return write_files(tmp_path / "project", files)

    yield make
    assert [path.name for path in tmp_path.iterdir()] == ["project"]


def module_with_body(body: str, callout: str | None = None) -> str:
    """The second module with `body` as its section's text (a literal block from line 7)."""
    text = textwrap.dedent(body).strip("\n")
    lines = [
        "id: second",
        "title: Second module",
        "duration_minutes: 10",
        "sections:",
        "  - heading: More",
        "    body: |",
        *(f"      {line}" if line else "" for line in text.splitlines()),
    ]
    if callout is not None:
        lines += ["    callouts:", "      - kind: tip", "        body: |"]
        lines += [f"          {line}" if line else "" for line in callout.splitlines()]
    return "\n".join(lines) + "\n"


def reported(run: Run) -> list[str]:
    pattern = re.compile(r"^(?:[^\s:][^:]*:\d+:\d+: |    hint: )")
    return [line for line in run.stderr.splitlines() if pattern.match(line)]


def assert_refused(root: Path, *lines: str) -> None:
    """check and build both report exactly `lines`; nothing is built."""
    for command in (["check"], ["build", "--no-packages"]):
        run = run_sabaq(*command, cwd=root)
        assert "Traceback" not in run.stderr
        assert reported(run) == list(lines), run.stderr
        assert run.code == 1
    assert not (root / "site").exists()


def outside(line: int, column: int, address: str, where: str = "sections[0].body") -> list[str]:
    return [
        f"courses/demo/02-second.yml:{line}:{column}: {where}: the image '{address}' would be "
        "loaded from another site each time the page is read",
        OUTSIDE_HINT,
    ]


# --- Pictures from other sites: errors at their line ---------------------------------------------

FORMS = {
    "inline": (
        "![a](https://evil.example/inline.png)",
        outside(7, 12, "https://evil.example/inline.png"),
    ),
    "inline, upper case": (
        "![a](HTTPS://EVIL.EXAMPLE/upper.png)",
        outside(7, 12, "HTTPS://EVIL.EXAMPLE/upper.png"),
    ),
    "inline, other host without scheme": (
        "![a](//evil.example/proto.png)",
        outside(7, 12, "//evil.example/proto.png"),
    ),
    "inline, in angle brackets": (
        "![a](<https://evil.example/angle.png>)",
        outside(7, 13, "https://evil.example/angle.png"),
    ),
    "reference": (
        """
        ![a][pic]

        [pic]: https://evil.example/ref.png
        """,
        outside(9, 14, "https://evil.example/ref.png"),
    ),
    "shortcut reference with a title": (
        """
        Look: ![pic]

        [pic]: https://evil.example/short.png "https://evil.example/title.png"
        """,
        outside(9, 14, "https://evil.example/short.png"),
    ),
    "attribute list src": (
        "![a](images/local.png){ src=https://evil.example/attr.png }",
        outside(7, 35, "https://evil.example/attr.png"),
    ),
    "attribute list data-src": (
        """
        A paragraph.
        {: data-src=https://evil.example/lazy.png }
        """,
        [
            "courses/demo/02-second.yml:8:19: sections[0].body: 'data-src' makes the page load "
            "'https://evil.example/lazy.png', which is not in the course",
            ATTRIBUTE_HINT,
        ],
    ),
    "attribute list srcset": (
        '![a](images/local.png){ srcset="images/local.png 1x, https://evil.example/2x.png 2x" }',
        [
            "courses/demo/02-second.yml:7:60: sections[0].body: 'srcset' makes the page load "
            "'https://evil.example/2x.png', which is not in the course",
            ATTRIBUTE_HINT,
        ],
    ),
    "attribute list poster and ping": (
        "[a](images/local.png){ poster=https://evil.example/p.png ping=https://evil.example/ping }",
        [
            "courses/demo/02-second.yml:7:37: sections[0].body: 'poster' makes the page load "
            "'https://evil.example/p.png', which is not in the course",
            ATTRIBUTE_HINT,
            "courses/demo/02-second.yml:7:69: sections[0].body: 'ping' makes the page load "
            "'https://evil.example/ping', which is not in the course",
            ATTRIBUTE_HINT,
        ],
    ),
    "written into the text": (
        "![a](data:image/png;base64,iVBORw0KGgo=)",
        [
            "courses/demo/02-second.yml:7:12: sections[0].body: the picture "
            "'data:image/png;base64,iVBORw0KGgo=' is written into the text ('data:'), which a "
            "page may not load",
            "    hint: save it as a file in the course's images/ folder and link it as "
            "images/<name>",
        ],
    ),
    "script as a picture": (
        '![a](images/local.png){ src="javascript:alert(1)" }',
        [
            "courses/demo/02-second.yml:7:36: sections[0].body: 'src' holds a script "
            "('javascript:alert(1)'), which a page may not run",
            "    hint: remove it; a picture is linked as ![what it shows](images/<name>)",
        ],
    ),
    "footnote": (
        """
        A claim.[^1]

        [^1]: ![a](https://evil.example/note.png)
        """,
        outside(9, 18, "https://evil.example/note.png"),
    ),
    "table": (
        """
        | picture |
        | --- |
        | ![a](https://evil.example/cell.png) |
        """,
        outside(9, 14, "https://evil.example/cell.png"),
    ),
    "definition list": (
        """
        Term
        :   ![a](https://evil.example/definition.png)
        """,
        outside(8, 16, "https://evil.example/definition.png"),
    ),
    "box, details and tab": (
        """
        !!! note
            ![a](https://evil.example/box.png)

        ??? note "More"
            ![a](https://evil.example/details.png)

        === "Tab"
            ![a](https://evil.example/tab.png)
        """,
        [
            *outside(8, 16, "https://evil.example/box.png"),
            *outside(11, 16, "https://evil.example/details.png"),
            *outside(14, 16, "https://evil.example/tab.png"),
        ],
    ),
    "heading": (
        "## ![a](https://evil.example/heading.png)",
        outside(7, 15, "https://evil.example/heading.png"),
    ),
}


@pytest.mark.parametrize("form", FORMS)
def test_a_picture_from_another_site_is_an_error_in_any_form(project: Project, form: str) -> None:
    # Before: only the inline form was found; every other form reached the page, where only the
    # Content-Security-Policy kept the reader's browser from asking the other site.
    body, lines = FORMS[form]
    assert_refused(project({SECOND: module_with_body(body)}), *lines)


def test_a_picture_from_another_site_in_a_box_is_an_error(project: Project) -> None:
    root = project({SECOND: module_with_body("Text.", "[r]\n\n[r]: https://evil.example/r.png")})
    # A link, not a picture: allowed. The same reference as a picture is not.
    assert run_sabaq("check", cwd=root).code == 0
    root = project({SECOND: module_with_body("Text.", "![r]\n\n[r]: https://evil.example/r.png")})
    assert_refused(
        root, *outside(13, 16, "https://evil.example/r.png", "sections[0].callouts[0].body")
    )


def test_a_picture_from_another_site_in_a_quiz_text_is_an_error(project: Project) -> None:
    bank = str(MINIMAL_PROJECT["quizzes/basics.yml"]).replace(
        "prompt: Which?", 'prompt: "Which? ![a][r]\\n\\n[r]: https://evil.example/quiz.png"'
    )
    root = project({"quizzes/basics.yml": bank})
    run = run_sabaq("check", cwd=root)
    assert reported(run) == [
        "quizzes/basics.yml:6:13: questions[0].prompt: the image 'https://evil.example/quiz.png' "
        "would be loaded from another site each time the page is read",
        OUTSIDE_HINT,
    ]
    assert run.code == 1


def test_a_picture_from_another_site_in_a_course_summary_is_an_error(project: Project) -> None:
    course = str(MINIMAL_PROJECT["courses/demo/course.yml"]).replace(
        "summary: A tiny course.", "summary: A tiny course. ![a](https://evil.example/home.png)"
    )
    root = project({"courses/demo/course.yml": course})
    run = run_sabaq("check", cwd=root)
    assert reported(run) == [
        "courses/demo/course.yml:3:10: summary: the image 'https://evil.example/home.png' would be "
        "loaded from another site each time the page is read",
        OUTSIDE_HINT,
    ]
    assert run.code == 1


def test_a_picture_from_another_site_in_a_translation_is_an_error(project: Project) -> None:
    root = project(
        {
            "courses/demo/02-second.ru.yml": """
                status: draft
                sections:
                  - body: |
                      Текст.

                      ![a][r]

                      [r]: https://evil.example/ru.png
                """
        }
    )
    run = run_sabaq("check", cwd=root)
    assert reported(run) == [
        "courses/demo/02-second.ru.yml:8:12: sections[0].body: the image "
        "'https://evil.example/ru.png' would be loaded from another site each time the page is "
        "read",
        OUTSIDE_HINT,
    ]
    assert run.code == 1


def test_a_missing_local_picture_is_found_in_the_reference_form_too(project: Project) -> None:
    root = project({SECOND: module_with_body("![a][r]\n\n[r]: images/missing.png")})
    run = run_sabaq("check", cwd=root)
    assert reported(run) == [
        "courses/demo/02-second.yml:9:12: sections[0].body: there is no image "
        "'images/missing.png' in the course's folder",
        "    hint: put the file in the course's images/ folder; the images there are: "
        "images/local.png",
    ]


# --- Script addresses: removed from the page ----------------------------------------------------

HOSTILE_LINKS = """
[plain](javascript:alert(1)) [vb](vbscript:msgbox(1)) [data](data:text/html,<script>alert(1)</script>)
[mixed](JaVaScRiPt:alert(1)) [entity](java&#x09;script:alert(1)) [spaced](  javascript:alert(1))
[titled](https://ok.example "javascript:alert(1)") [ref][js]

[listed](https://ok.example){ href="javascript:alert(1)" formaction="javascript:alert(1)" xlink:href="vbscript:x" cite="javascript:x" style="background:url(javascript:alert(1))" onclick="alert(1)" title="javascript:alert(1)" }

![described](images/local.png "https://evil.example/only-a-title.png") <https://ok.example/auto.png>

## Heading {: #__config }

[js]: javascript:alert(2)
"""


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name, value or "") for name, value in attrs]


def site_attributes(site: Path) -> list[tuple[str, str, str, str]]:
    """(page, element, attribute, value) for every attribute of every HTML page in `site`."""
    found = []
    for page in sorted(site.rglob("*.html")):
        parser = _Attributes()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [(str(page.relative_to(site)), *attribute) for attribute in parser.found]
    return found


def _cleaned(value: str) -> str:
    return re.sub(r"[\x00-\x20\x7f]", "", html.unescape(value)).lower()


def test_script_addresses_never_reach_a_built_page(project: Project) -> None:
    bank = str(MINIMAL_PROJECT["quizzes/basics.yml"]).replace(
        "prompt: Which?", 'prompt: "Which? [a](javascript:alert(3)){ onmouseover=alert(4) }"'
    )
    root = project({SECOND: module_with_body(HOSTILE_LINKS), "quizzes/basics.yml": bank})
    run = run_sabaq("build", cwd=root)
    assert run.code == 0, run.stderr
    attributes = site_attributes(root / "site")
    page = [a for a in attributes if a[0] == "en/demo/second/index.html"]
    assert ("en/demo/second/index.html", "a", "href", "https://ok.example") in page
    assert any(a[2] == "title" and "only-a-title" in a[3] for a in page)  # a title is only text
    for where, element, name, value in attributes:
        cleaned = _cleaned(value)
        assert "javascript:" not in cleaned and "vbscript:" not in cleaned, (where, name, value)
        assert not name.startswith("on"), (where, element, name)
        # The one-file course (downloads/<course>-<language>.html) carries its pictures inside
        # it, as raster images, which run nothing; no other data: address is allowed.
        inlined_picture = (
            where.startswith("downloads/")
            and (element, name) == ("img", "src")
            and re.fullmatch(r"data:image/(png|jpeg|webp);base64,[a-z0-9+/=]+", cleaned)
        )
        if name in ("href", "src", "srcset", "formaction", "xlink:href", "cite"):
            assert inlined_picture or not cleaned.startswith("data:"), (where, name, value)
        if name in ("src", "srcset", "poster", "background", "ping") or name.startswith("data-"):
            assert not re.search(r"(^|[\s,])(https?:)?//", cleaned), (where, name, value)
        if name == "id":
            assert value != "__config" or element == "script", (where, element, value)
        if name == "style":
            assert where.endswith("index.html") and element != "a", (where, element, value)


def test_a_picture_an_added_extension_loads_from_elsewhere_is_removed(project: Project) -> None:
    """What check cannot see, the page's last pass removes: pymdownx.emoji, added by a project
    (only with --trust-project-code: mkdocs.yml may not name it otherwise), draws emoji as
    pictures from a CDN; the page shows their text instead."""
    root = project(
        {
            "mkdocs.yml": "markdown_extensions:\n  - pymdownx.emoji\n",
            SECOND: module_with_body("Well done :smile:"),
        }
    )
    run = run_sabaq("build", "--trust-project-code", "--no-packages", "--lang", "en", cwd=root)
    assert run.code == 0, run.stderr
    page = (root / "site/en/demo/second/index.html").read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net" not in page
    assert "<span>\U0001f604</span>" in page


def test_picture_syntax_shown_as_code_or_a_link_is_fine(project: Project) -> None:
    """A course that teaches Markdown may show the syntax as code, and link to a picture: neither
    loads anything, so neither is an error, and the page shows the code as written."""
    body = """
        Write it like this:

        ```markdown
        ![a chart](https://example.org/chart.png)
        ```

        Or inline: `![a](https://example.org/inline.png)`. The original is
        [here](https://example.org/chart.png) and <https://example.org/auto.png>.
        """
    root = project({SECOND: module_with_body(body)})
    run = run_sabaq("build", "--no-packages", "--lang", "en", cwd=root)
    assert run.code == 0, run.stderr
    page = (root / "site/en/demo/second/index.html").read_text(encoding="utf-8")
    assert "https://example.org/chart.png" in page
    assert not [a for a in site_attributes(root / "site") if a[2] == "src" and "example" in a[3]]


@pytest.mark.parametrize("form", FORMS)
def test_the_page_renderer_removes_every_form_too(form: str) -> None:
    """Should a form ever slip past check, the page's own Markdown (every extension a page is
    rendered with, and the safety pass last) still loads nothing from elsewhere."""
    import markdown

    from builder.render.markdown_ext import MARKDOWN_EXTENSIONS

    names: list[str] = []
    configs: dict[str, dict[str, object]] = {}
    for extension in [
        *MARKDOWN_EXTENSIONS,
        "builder.features.embeds.embeds",
        "builder.render.markdown_ext",
    ]:
        if isinstance(extension, dict):
            ((name, options),) = extension.items()
            names.append(name)
            configs[name] = options
        else:
            names.append(extension)
    page = markdown.Markdown(extensions=names, extension_configs=configs)
    parser = _Attributes()
    parser.feed(page.convert(textwrap.dedent(FORMS[form][0])))
    for element, name, value in parser.found:
        cleaned = _cleaned(value)
        if name in ("src", "srcset", "poster", "background", "ping") or name.startswith("data-"):
            assert not re.search(r"(^|[\s,])([a-z][a-z0-9+.-]*:|//)", cleaned), (element, name)
        assert "javascript:" not in cleaned, (element, name, value)


def test_a_bank_whose_id_starts_with_a_number_is_checked_too(project: Project) -> None:
    bank = (
        str(MINIMAL_PROJECT["quizzes/basics.yml"])
        .replace("id: basics", "id: 2024-basics")
        .replace("prompt: Which?", "prompt: Which? ![a](https://evil.example/quiz.png)")
    )
    first = str(MINIMAL_PROJECT["courses/demo/01-first.yml"]).replace(
        "bank: basics", "bank: 2024-basics"
    )
    root = project({"courses/demo/01-first.yml": first, "quizzes/2024-basics.yml": bank})
    (root / "quizzes/basics.yml").unlink()
    run = run_sabaq("check", cwd=root)
    assert reported(run) == [
        "quizzes/2024-basics.yml:6:13: questions[0].prompt: the image "
        "'https://evil.example/quiz.png' would be loaded from another site each time the page is "
        "read",
        OUTSIDE_HINT,
    ]
