"""A hostile project's mkdocs.yml (issue 11): no code from the project runs, no file outside it is
read, and no text from it reaches a page as HTML.

Each test builds a real project in a temporary folder and runs the real CLI from inside it, as a
trainer runs `make site` in a cloned repository. The project's code would write a marker file
outside the project; the tests assert it never appears, unless the person building says they
trust the project (`--trust-project-code`), and then only in `sabaq build`, never in `check`.
"""

from __future__ import annotations

import html.parser
import re
import textwrap
from pathlib import Path

from sabaq_testing import MINIMAL_PROJECT, Run, run_sabaq, write_files

ENGLISH_ONLY = {name: text.replace("[en, ru]", "[en]") for name, text in MINIMAL_PROJECT.items()}
TRUST_HINT = (
    "if you wrote or checked this project's code yourself, build with "
    "'sabaq build --trust-project-code'"
)
#: The Markdown extensions a project may use (builder/render/site_settings.py).
MARKDOWN_EXTENSIONS = (
    "abbr admonition attr_list def_list footnotes sane_lists smarty tables toc pymdownx.betterem "
    "pymdownx.caret pymdownx.critic pymdownx.details pymdownx.highlight pymdownx.inlinehilite "
    "pymdownx.keys pymdownx.mark pymdownx.saneheaders pymdownx.smartsymbols pymdownx.superfences "
    "pymdownx.tabbed pymdownx.tasklist pymdownx.tilde"
).split()
_REPORTED = re.compile(r"^(?:[^\s:][^:]*:\d+:\d+: |    hint: )")


def reported(run: Run) -> list[str]:
    """The error and hint lines of a run that failed with content errors, and nothing else."""
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    assert run.code == 1, run.stderr
    return [line for line in run.stderr.splitlines() if _REPORTED.match(line)]


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class Hostile:
    """A project in `tmp_path/project` whose code would leave marker files in `tmp_path/outside`,
    beside a file `tmp_path/outside/secret.txt` it must not read."""

    def __init__(self, tmp_path: Path, config: str, extra_files: dict[str, str] | None = None):
        self.outside = write_files(tmp_path / "outside", {"secret.txt": "TOP SECRET 4711\n"})
        self.hook_marker = self.outside / "the hook ran"
        self.extension_marker = self.outside / "the extension ran"
        code = {
            # A hook, and a Markdown extension in the project folder, as a cloned repository could
            # carry them: each writes its marker as soon as it is imported.
            "evil_hook.py": f"""
                from pathlib import Path
                Path({str(self.hook_marker)!r}).write_text("ran")
                """,
            "evil_ext.py": f"""
                from pathlib import Path
                from markdown.extensions import Extension
                Path({str(self.extension_marker)!r}).write_text("ran")

                class Evil(Extension):
                    def extendMarkdown(self, md):
                        pass

                def makeExtension(**options):
                    return Evil(**options)
                """,
        }
        files = {**ENGLISH_ONLY, **code, "mkdocs.yml": config, **(extra_files or {})}
        self.project = write_files(tmp_path / "project", files)
        self.outside_before = files_under(self.outside)

    def run(self, *args: str) -> Run:
        return run_sabaq(*args, cwd=self.project)

    def outside_unchanged(self) -> bool:
        return files_under(self.outside) == self.outside_before


CODE_CONFIG = """
    hooks:
      - evil_hook.py
    markdown_extensions:
      - toc
      - evil_ext
    """
CODE_ERRORS = [
    "mkdocs.yml:1:1: hooks: runs the project's own Python files, code that could do anything on "
    "this computer; Sabaq runs a project's code only when told to trust it",
    f"    hint: remove it; {TRUST_HINT}",
    "mkdocs.yml:5:5: markdown_extensions[1]: 'evil_ext' is not one of the Markdown extensions "
    "Sabaq allows; others are Python code that could do anything on this computer",
    f"    hint: use one of: {', '.join(MARKDOWN_EXTENSIONS)}; or, {TRUST_HINT}",
]


def test_check_runs_no_hook_and_no_extension_of_the_project(tmp_path: Path) -> None:
    hostile = Hostile(tmp_path, CODE_CONFIG)
    assert reported(hostile.run("check")) == CODE_ERRORS
    assert not hostile.hook_marker.exists() and not hostile.extension_marker.exists()
    assert hostile.outside_unchanged()


def test_check_runs_nothing_even_when_told_to_trust_the_project(tmp_path: Path) -> None:
    hostile = Hostile(tmp_path, CODE_CONFIG)
    run = hostile.run("check", "--trust-project-code")
    assert (run.code, run.stderr) == (0, "All course files are valid (1 course).\n")
    assert not hostile.hook_marker.exists() and not hostile.extension_marker.exists()
    assert hostile.outside_unchanged()


def test_build_refuses_the_project_code_and_runs_none_of_it(tmp_path: Path) -> None:
    hostile = Hostile(tmp_path, CODE_CONFIG)
    assert reported(hostile.run("build", "--no-packages")) == CODE_ERRORS
    assert not hostile.hook_marker.exists() and not hostile.extension_marker.exists()
    assert not (hostile.project / "site").exists()
    assert hostile.outside_unchanged()


def test_build_runs_the_project_code_when_told_to_trust_it(tmp_path: Path) -> None:
    """The opt-in is real: the maintainer's own hooks and extensions do run in a build."""
    hostile = Hostile(tmp_path, CODE_CONFIG)
    run = hostile.run("build", "--no-packages", "--trust-project-code")
    assert run.code == 0, run.stderr
    assert hostile.hook_marker.read_text() == "ran"
    assert hostile.extension_marker.read_text() == "ran"
    assert (hostile.project / "site" / "en" / "demo" / "first" / "index.html").is_file()


def test_plugins_are_refused_without_the_trust_option(tmp_path: Path) -> None:
    hostile = Hostile(tmp_path, "plugins:\n  - search\n  - macros\n")
    assert reported(hostile.run("check")) == [
        "mkdocs.yml:1:1: plugins: runs Python code that could do anything on this computer; "
        "Sabaq runs it only when told to trust the project (the plugins its sites need, Sabaq "
        "sets itself)",
        f"    hint: remove it; {TRUST_HINT}",
    ]


def test_python_m_builder_imports_nothing_from_the_project_folder(tmp_path: Path) -> None:
    """`python -m builder` puts the current folder first on Python's module search path: a
    project's `yaml.py` (a module Sabaq imports) ran before Sabaq read a single file."""
    hostile = Hostile(tmp_path, "copyright: Ours.\n")
    write_files(
        hostile.project,
        {"yaml.py": f"open({str(hostile.hook_marker)!r}, 'w').write('ran')\n"},
    )
    run = hostile.run("check")
    assert (run.code, run.stderr) == (0, "All course files are valid (1 course).\n")
    assert not hostile.hook_marker.exists()


# --- Reading files outside the project ------------------------------------------------------------


def test_snippets_from_outside_the_project_are_refused(tmp_path: Path) -> None:
    """pymdownx.snippets copies any file it can reach into a page (here with a base path at the
    file system's root, `--8<--` in a module's text names the secret)."""
    config = """
        markdown_extensions:
          - pymdownx.snippets:
              base_path: [/]
              check_paths: true
        """
    secret = tmp_path / "outside" / "secret.txt"
    module = MINIMAL_PROJECT["courses/demo/02-second.yml"].replace(
        "body: Text.", f'body: |\n              --8<-- "{secret}"\n'
    )
    hostile = Hostile(tmp_path, config, {"courses/demo/02-second.yml": module})
    expected = [
        "mkdocs.yml:2:5: markdown_extensions[0]: 'pymdownx.snippets' cannot be used: it copies "
        "files into the pages, from anywhere on this computer",
        f"    hint: remove it; or, {TRUST_HINT}",
    ]
    assert reported(hostile.run("check")) == expected
    assert reported(hostile.run("build", "--no-packages")) == expected
    assert not (hostile.project / "site").exists()
    published = b"".join(files_under(hostile.project).values())
    assert b"TOP SECRET" not in published


def test_templates_and_pictures_from_outside_the_project_are_refused(tmp_path: Path) -> None:
    templates = write_files(
        tmp_path / "outside" / "templates",
        {"main.html": "{% extends 'base.html' %}{% block content %}{{ config }}{% endblock %}"},
    )
    config = f"""
        theme:
          custom_dir: {templates}
          logo: https://tracker.example/logo.png
          favicon: ../../outside/secret.txt
        """
    hostile = Hostile(tmp_path, config)
    expected = [
        "mkdocs.yml:2:3: theme.custom_dir: a project cannot add templates: they could read files "
        "anywhere and put anything on the pages; Sabaq's pages use Sabaq's templates",
        "    hint: remove 'custom_dir:'",
        "mkdocs.yml:3:3: theme.logo: a project cannot add picture files of its own to the site",
        "    hint: remove it; 'icon:' with 'logo: material/school' chooses one of "
        "mkdocs-material's icons",
        "mkdocs.yml:4:3: theme.favicon: a project cannot add picture files of its own to the site",
        "    hint: remove it",
    ]
    assert reported(hostile.run("check")) == expected
    assert reported(hostile.run("build", "--no-packages")) == expected
    assert not (hostile.project / "site").exists()


def test_settings_a_project_cannot_use(tmp_path: Path) -> None:
    """Everything not on the list is an error at its key, naming what may be set instead."""
    config = """
        docs_dir: ../outside
        site_dir: /tmp/elsewhere
        watch: [/]
        extra_javascript: [https://tracker.example/t.js]
        extra_css: [x.css]
        extra_templates: [x.html]
        INHERIT: ../outside/base.yml
        extra:
          polyfills: [https://tracker.example/p.js]
          scope: /
        markdown_extensions:
          - footnotes:
              BACKLINK_TEXT: <img src=x onerror=alert(1)>
          - builder.render.markdown_ext
        """
    allowed = (
        "site_name, site_url, site_description, site_author, copyright, repo_url, repo_name, "
        "theme, extra, markdown_extensions"
    )
    no_additions = "a project cannot add scripts, styles or templates to the pages"
    assert reported(Hostile(tmp_path, config).run("check")) == [
        "mkdocs.yml:1:1: docs_dir: Sabaq sets it itself",
        "    hint: remove it",
        "mkdocs.yml:2:1: site_dir: Sabaq sets it itself",
        "    hint: remove it",
        "mkdocs.yml:3:1: watch: not a setting a course project can use",
        f"    hint: remove it; mkdocs.yml may set: {allowed}",
        f"mkdocs.yml:4:1: extra_javascript: {no_additions}",
        "    hint: remove it; Sabaq's pages carry only Sabaq's own",
        f"mkdocs.yml:5:1: extra_css: {no_additions}",
        "    hint: remove it; Sabaq's pages carry only Sabaq's own",
        f"mkdocs.yml:6:1: extra_templates: {no_additions}",
        "    hint: remove it; Sabaq's pages carry only Sabaq's own",
        "mkdocs.yml:7:1: INHERIT: not a setting a course project can use",
        f"    hint: remove it; mkdocs.yml may set: {allowed}",
        "mkdocs.yml:9:3: extra.polyfills: not a setting a course project can use",
        "    hint: remove it; extra may set: social, homepage, generator",
        "mkdocs.yml:10:3: extra.scope: not a setting a course project can use",
        "    hint: remove it; extra may set: social, homepage, generator",
        "mkdocs.yml:13:7: markdown_extensions[0].footnotes.BACKLINK_TEXT: not an option Sabaq "
        "allows; some options run code, read files or put HTML on the pages as it is",
        f"    hint: remove it (Sabaq allows for footnotes: no options); or, {TRUST_HINT}",
        "mkdocs.yml:14:5: markdown_extensions[1]: Sabaq adds 'builder.render.markdown_ext' itself",
        "    hint: remove it",
    ]


def test_empty_settings_are_as_if_they_were_not_there(tmp_path: Path) -> None:
    config = "theme:\nmarkdown_extensions:\ncopyright:\nsite_url:\nplugins:\n"
    hostile = Hostile(tmp_path, config)
    run = hostile.run("check")
    assert (run.code, run.stderr) == (0, "All course files are valid (1 course).\n")
    assert hostile.run("build", "--no-packages").code == 0


def test_every_markdown_extension_on_the_list_builds(tmp_path: Path) -> None:
    """The list is of extensions a project can really use: a build with all of them works, and
    `sabaq check` asks MkDocs about them (they are installed code, not the project's)."""
    config = "markdown_extensions:\n" + "".join(f"  - {name}\n" for name in MARKDOWN_EXTENSIONS)
    hostile = Hostile(tmp_path, config)
    run = hostile.run("check")
    assert (run.code, run.stderr) == (0, "All course files are valid (1 course).\n")
    run = hostile.run("build", "--no-packages")
    assert run.code == 0, run.stderr


# --- Text and addresses that would reach the pages as HTML ---------------------------------------


class _Elements(html.parser.HTMLParser):
    """Every element of a page, with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_texts_from_mkdocs_yml_reach_the_pages_as_text(tmp_path: Path) -> None:
    """mkdocs-material prints these settings into every page as they are: a copyright or site
    name with markup ran script in every page of the site."""
    config = textwrap.dedent(
        """
        site_name: '</title><script>alert("name")</script>'
        site_description: '"><script>alert("description")</script>'
        site_author: '"><img src=x onerror=alert("author")>'
        copyright: '<img src=x onerror=alert("copyright")> & friends'
        repo_url: https://git.example/course
        repo_name: '<script>alert("repo")</script>'
        extra:
          social:
            - icon: fontawesome/brands/github
              link: https://git.example/course
              name: '"><script>alert("social")</script>'
        """
    )
    hostile = Hostile(tmp_path, config)
    run = hostile.run("build", "--no-packages")
    assert run.code == 0, run.stderr
    page = (hostile.project / "site" / "en" / "demo" / "first" / "index.html").read_text("utf-8")
    parsed = _Elements()
    parsed.feed(page)
    inline_scripts = [
        attrs
        for tag, attrs in parsed.elements
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json"
    ]
    assert inline_scripts == []
    assert not [tag for tag, _ in parsed.elements if tag == "img"]
    assert not [(tag, a) for tag, attrs in parsed.elements for a in attrs if a.startswith("on")]
    text = "".join(parsed.text)
    # The texts are there, shown as they were written.
    assert '<img src=x onerror=alert("copyright")> & friends' in text
    assert '<script>alert("repo")</script>' in text
    assert "<script>alert(" not in page and "<img src=x" not in page
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert title is not None
    assert html.unescape(title.group(1)).endswith('</title><script>alert("name")</script>')
    metas = {
        attrs.get("name"): attrs.get("content") for tag, attrs in parsed.elements if tag == "meta"
    }
    # A page describes itself with its summary; the site's description, escaped the same way,
    # is what a page without one (the 404 page) carries.
    assert metas["description"] == "A tiny course."
    missing = (hostile.project / "site" / "en" / "404.html").read_text("utf-8")
    assert (
        '<meta name="description" content="&#34;&gt;&lt;script&gt;alert(&#34;description&#34;)&lt;/script&gt;">'
        in missing
    )
    socials = [
        attrs for tag, attrs in parsed.elements if "md-social__link" in (attrs.get("class") or "")
    ]
    assert [a["title"] for a in socials] == ['"><script>alert("social")</script>']


def test_addresses_and_names_that_would_run_script_are_refused(tmp_path: Path) -> None:
    config = """
        site_url: "https://example.org/\\"><script>alert(1)</script>"
        repo_url: javascript://example.org/%0aalert(1)
        theme:
          palette:
            primary: 'indigo"><script>alert(1)</script>'
          icon:
            logo: ../../../../etc/passwd
          features: ['navigation.footer" onmouseover="alert(1)']
          direction: 'ltr" onmouseover="alert(1)'
        extra:
          homepage: "&#106;avascript:alert(1)"
          social:
            - icon: fontawesome/brands/github
              link: "javascript:alert(1)"
            - icon: fontawesome/brands/github
              link: //tracker.example/
              target: _self
        """
    address = (
        "write the full address, starting with https:// (or http://), without spaces or quotes"
    )
    names = "use the names of mkdocs-material's documentation: letters, digits, hyphens"
    help_page = "MkDocs' settings are described at https://www.mkdocs.org/user-guide/configuration/"
    expected = [
        "mkdocs.yml:1:11: site_url: 'https://example.org/\"><script>alert(1)</script>' is not a "
        "web address Sabaq can put on its pages",
        f"    hint: {address}",
        "mkdocs.yml:2:11: repo_url: 'javascript://example.org/%0aalert(1)' is not a web address "
        "Sabaq can put on its pages",
        f"    hint: {address}",
        "mkdocs.yml:5:14: theme.palette.primary: 'indigo\"><script>alert(1)</script>' is not a "
        "colour, scheme or label mkdocs-material knows",
        f"    hint: {names}",
        "mkdocs.yml:7:11: theme.icon.logo: '../../../../etc/passwd' is not the name of one of "
        "mkdocs-material's icons",
        f"    hint: {names}",
        "mkdocs.yml:8:14: theme.features[0]: 'navigation.footer\" onmouseover=\"alert(1)' is not a "
        "feature of mkdocs-material",
        f"    hint: {names}",
        "mkdocs.yml:9:14: theme.direction: expected one of ltr, rtl, not 'ltr\" "
        "onmouseover=\"alert(1)'",
        f"    hint: {help_page}",
        "mkdocs.yml:11:13: extra.homepage: '&#106;avascript:alert(1)' is not a web address Sabaq "
        "can put on its pages",
        f"    hint: {address}, or a path within the site",
        "mkdocs.yml:14:13: extra.social[0].link: 'javascript:alert(1)' is not a web address Sabaq "
        "can put on its pages",
        f"    hint: {address}",
        "mkdocs.yml:16:13: extra.social[1].link: '//tracker.example/' is not a web address Sabaq "
        "can put on its pages",
        f"    hint: {address}",
        "mkdocs.yml:17:7: extra.social[1].target: not a setting a course project can use",
        "    hint: remove it; each link of extra.social may set: icon, link, name",
    ]
    hostile = Hostile(tmp_path, config)
    assert reported(hostile.run("check")) == expected
    assert reported(hostile.run("build", "--no-packages")) == expected
    assert not (hostile.project / "site").exists()
