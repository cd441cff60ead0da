"""The one-file course (`downloads/<course>-<language>.html`): one HTML file that requests
nothing, whose links stay inside it, whose pictures are inside it at a phone's width, and whose
policy allows exactly its inlined script and style. One small build for the module; the bundled
six-module course, with a photo in each module, for the byte budget."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sabaq_testing import MINIMAL_PROJECT, REPO, write_files

from builder.build.pipeline import build_project
from builder.features.offline.single_file import single_file_name
from builder.settings import SETTINGS

#: A six-module course with pictures weighs at most this much: it travels through messengers,
#: on metered data.
BUDGET_BYTES = 1_500_000


def photo(width: int, height: int, seed: int = 0) -> bytes:
    """A JPEG that compresses like a photograph (a gradient under noise), not like a flat colour."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.effect_noise((width, height), 40 + seed).convert("RGB")
    output = io.BytesIO()
    Image.blend(gradient, noise, 0.35).save(output, format="JPEG", quality=90)
    return output.getvalue()


#: MINIMAL_PROJECT with a picture, a glossary, a link between modules in the text and one in the
#: quiz's explanation, a third module, and a source link.
PROJECT: dict[str, str | bytes] = {
    **MINIMAL_PROJECT,
    "courses/demo/course.yml": """
        id: demo
        title: Demo course
        summary: A tiny course.
        level: beginner
        languages: [en, ru]
        modules: [first, second, third]
        """,
    "courses/demo/01-first.yml": """
        id: first
        title: First module
        duration_minutes: 20
        sections:
          - heading: Start
            body: |
              Hello. Professional fact-checkers [read laterally](glossary:lateral-reading).

              ![A wide photo](images/photo.jpg)

              Go on to [the second module](../second/), as the
              [source](https://example.org/source) says.
        quiz:
          bank: basics
        """,
    "courses/demo/03-third.yml": """
        id: third
        title: Third module
        duration_minutes: 10
        sections:
          - heading: Last
            body: Only this module speaks of the zebrafish.
        """,
    "courses/demo/images/photo.jpg": photo(1600, 900),
    "quizzes/basics.yml": """
        id: basics
        title: Basics
        questions:
          - id: q1
            type: single
            prompt: Which?
            options:
              - id: a
                text: A
                correct: true
              - id: b
                text: B
            explanation: The [third module](../third/) says more.
        """,
    "glossary.yml": """
        source_language: en
        terms:
          - id: lateral-reading
            term: Lateral reading
            definition: Leaving a page to find out what others say about its source.
            sources: [https://example.org/glossary]
        """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("one-file")
    project = write_files(root / "project", PROJECT)
    report = build_project(project, root / "site", workers=1, use_cache=False)
    assert report.ok, report.errors
    return root / "site"


class _Page(HTMLParser):
    """Every address in a page, its ids, its inline scripts and styles and its policy."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.policy: str | None = None
        self.images: list[dict[str, str | None]] = []
        self._in: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if name in ("href", "src", "srcset", "action", "poster", "data", "formaction"):
                self.addresses.append((tag, name, value or ""))
            if name == "id" and value:
                self.ids.add(value)
        if tag == "meta" and attributes.get("http-equiv") == "Content-Security-Policy":
            self.policy = attributes.get("content")
        if tag == "img":
            self.images.append(attributes)
        if tag in ("script", "style"):
            self._in, self._text = (tag, attributes), []

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._in is not None and tag == self._in[0]:
            text = "".join(self._text)
            if tag == "script":
                self.scripts.append((self._in[1], text))
            else:
                self.styles.append(text)
            self._in = None


def parse(path: Path) -> tuple[str, _Page]:
    text = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    return text, page


def sha256_source(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


def test_one_file_per_course_and_language(site: Path) -> None:
    names = {path.name for path in (site / "downloads").iterdir()}
    assert {single_file_name("demo", "en"), single_file_name("demo", "ru")} <= names
    assert single_file_name("demo", "en") == "demo-en.html"


def test_the_file_requests_nothing_and_its_links_stay_inside_it(site: Path) -> None:
    text, page = parse(site / "downloads" / "demo-en.html")
    outside = []
    for tag, name, value in page.addresses:
        if tag == "img" and name == "src" and value.startswith("data:image/"):
            continue
        if tag == "a" and name == "href" and value.startswith("#"):
            if value[1:] not in page.ids:
                outside.append(f"{value}: no such id")
            continue
        # Sources cited in the course stay links to follow; following one is the reader's choice.
        if tag == "a" and name == "href" and value.startswith(("https://", "http://", "mailto:")):
            continue
        outside.append(f"<{tag} {name}={value!r}>")
    assert outside == []
    assert {value for tag, _, value in page.addresses if tag == "a" and "//" in value} == {
        "https://example.org/source",
        "https://example.org/glossary",
    }
    # Nothing else that could load: no stylesheet link, no script file, no CSS url() but data:.
    assert not re.search(r"<(link|iframe|object|embed|base)\b", text)
    assert not re.search(r"url\((?!\s*[\"']?data:)", "".join(page.styles))
    # Links between the modules, to the glossary and in the quiz's explanation are fragments.
    assert 'href="#second"' in text
    assert 'href="#sabaq-glossary--lateral-reading"' in text
    assert '\\u003ca href=\\"#third\\"\\u003e' in text
    assert "certificate/" not in text


def test_the_policy_allows_exactly_the_inlined_script_and_style(site: Path) -> None:
    _, page = parse(site / "downloads" / "demo-ru.html")
    assert page.policy is not None
    directives = dict(part.strip().split(" ", 1) for part in page.policy.split(";"))
    running = [text for attributes, text in page.scripts if attributes.get("type") is None]
    assert len(running) == 1
    assert all(
        attributes.get("type") == "application/json"
        for attributes, _ in page.scripts
        if attributes.get("type") is not None
    )
    assert directives == {
        "default-src": "'none'",
        "script-src": sha256_source(running[0]),
        "style-src": sha256_source(page.styles[0]),
        "img-src": "data:",
        "base-uri": "'none'",
        "form-action": "'none'",
    }
    assert "unsafe" not in page.policy


def test_pictures_are_inside_at_a_phones_width(site: Path) -> None:
    from PIL import Image

    _, page = parse(site / "downloads" / "demo-en.html")
    [image] = page.images
    width = SETTINGS.one_file_picture_width
    assert (image["width"], image["height"], image["alt"]) == (str(width), "360", "A wide photo")
    src = image["src"] or ""
    assert src.startswith("data:image/jpeg;base64,")
    with Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))) as decoded:
        assert decoded.size == (width, 360)
        assert not decoded.getexif()


def test_the_course_page_lists_the_file_with_its_size(site: Path) -> None:
    page = (site / "ru" / "demo" / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<a [^>]*href="../../downloads/demo-ru.html" download>([^<]+)</a>', page)
    assert link is not None
    assert link.group(1) == "Скачать курс одним файлом, чтобы читать на телефоне"
    assert re.search(r"<span data-sabaq-one-file-size>\(Около 0,\d МБ\)</span>", page), page


def test_a_six_module_course_with_pictures_fits_its_budget(tmp_path: Path) -> None:
    """The bundled `verifying-claims` course (six modules, the whole glossary), in English, with
    a photo from a phone camera in every module."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "courses" / "verifying-claims", project / "courses" / "verifying-claims")
    shutil.copytree(REPO / "quizzes", project / "quizzes")
    for glossary in REPO.glob("glossary*.yml"):
        shutil.copy(glossary, project / glossary.name)
    course = project / "courses" / "verifying-claims"
    modules = sorted(path for path in course.glob("0?-*.yml") if path.name.count(".") == 1)
    assert len(modules) == 6
    for number, module in enumerate(modules):
        text = module.read_text(encoding="utf-8")
        picture = f"      ![Photo {number}](images/photo-{number}.jpg)\n\n"
        module.write_text(text.replace("    body: |\n", "    body: |\n" + picture, 1), "utf-8")
        images = course / "images"
        images.mkdir(exist_ok=True)
        (images / f"photo-{number}.jpg").write_bytes(photo(2000, 1500, number))
    report = build_project(project, tmp_path / "site", languages=["en"], workers=1, use_cache=False)
    assert report.ok, report.errors
    one_file = tmp_path / "site" / "downloads" / "verifying-claims-en.html"
    _, page = parse(one_file)
    assert len(page.images) == 6
    size = one_file.stat().st_size
    assert size <= BUDGET_BYTES, f"{one_file.name} is {size} bytes; the budget is {BUDGET_BYTES}"


#: Markup no Sabaq page has, but a page could come to have: the one-file course must still
#: request nothing.
STRANGE_MODULE = """<article class="md-content__inner md-typeset"><h1 id="m">M</h1>
<p><a href="javascript:alert(1)">js</a> <a href="../../tools/">tool</a> <a href="#x">x</a></p>
<video src="clip.mp4" poster="p.jpg"><source src="clip.webm"></video>
<svg><use href="https://example.org/sprite.svg#i"></use><use href="#x"></use></svg>
<img src="https://example.org/tracker.gif" alt="tracker">
<img src="../images/missing.png" alt="missing">
<form action="https://example.org/"><input formaction="/x"></form>
<p id="x" style="color:red" onclick="alert(1)" cite="/x">text</p>
<script>alert(1)</script><script type="module" src="x.js"></script>
</article>"""


def test_what_could_load_something_is_left_out(tmp_path: Path) -> None:
    from builder.features.offline.packaging import Package
    from builder.features.offline.single_file import render_single_file

    site = write_files(
        tmp_path / "en",
        {
            "demo/index.html": '<article class="md-content__inner md-typeset"><h1>D</h1></article>',
            "demo/m/index.html": STRANGE_MODULE,
        },
    )
    text = render_single_file(Package("demo", "Demo", "en", ("m",)), site)
    body = text[text.index("<main") : text.index("</main>")]
    assert re.findall(
        r'\s(?:href|src|action|formaction|poster|cite|style|on\w+)="([^"]*)"', body
    ) == [
        "#m--x",
        "#m--x",
        "#sabaq-start",
    ]
    assert "<video" not in body and "<source" not in body and "<script" not in body
    assert ">js</a>" not in body and ">tool</a>" not in body
    assert "tracker" in body and "missing" in body  # a picture left out keeps its description
    # With the site's address, a link to one of its other pages leads there.
    text = render_single_file(Package("demo", "Demo", "en", ("m",)), site, "https://s.org/")
    assert '<a href="https://s.org/en/tools/">tool</a>' in text
