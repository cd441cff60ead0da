"""Real MkDocs builds of `tests/cases/basic`, read back as HTML.

The whole fixture site is built once per session (partial and failing builds are small ones of
their own); every test reads the pages through a small DOM built with the standard library's
`html.parser`, so the assertions are about elements and attributes, not about how the theme happens
to indent its output.

Expectations come from the fixture's YAML, read here with plain `yaml.safe_load` (not through the
builder), and from `builder.render.i18n.messages` for Sabaq's own interface strings.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from sabaq_testing import CASES, MINIMAL_PROJECT, REPO, run_sabaq, write_files

from builder.build.folders import SITE, mark
from builder.build.pipeline import build_project
from builder.content.languages import LANGUAGES
from builder.render.i18n import messages

BASIC = CASES / "basic"
THEME_LANGUAGES = REPO / "builder" / "engine" / "theme" / "partials" / "languages"
#: The fixture's languages, in the order Sabaq lists them.
LANGUAGES_BUILT = ["en", "ru", "kk", "tg"]
MAIN_COURSE, EN_ONLY_COURSE = "newsroom-verification", "archive-research"
UNSAFE_MODULE = "unsafe-text"
#: What the fixture's README says about each language of the main course.
STATUS_KEY = {
    "en": "translation_source",
    "ru": "translation_reviewed",
    "kk": "translation_partial",
    "tg": "translation_partial",
}


# --- A tiny DOM ----------------------------------------------------------------------------------

_VOID = set("area base br col embed hr img input link meta source track wbr".split())


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = None

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(
        self, tag: str | None = None, cls: str | None = None, **attrs: str
    ) -> list[Element]:
        """Descendants (and self) by tag, one of their classes, and attribute values; an
        attribute's `-` is written `_` (`http_equiv="..."`)."""
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and (cls is None or cls in element.classes)
            and all(
                element.attrs.get(name.replace("_", "-")) == value for name, value in attrs.items()
            )
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'}> with class {cls!r} and {attrs}"
        return found[0]

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    @property
    def text(self) -> str:
        parts: list[str] = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text)
        return "".join(parts)

    @property
    def heading_text(self) -> str:
        """A heading's text without the permalink (¶) Markdown's toc adds."""
        return "".join(
            child if isinstance(child, str) else child.text
            for child in self.children
            if isinstance(child, str) or "headerlink" not in child.classes
        )

    @property
    def clean_text(self) -> str:
        """The text with whitespace collapsed, as a reader sees it."""
        return " ".join(self.text.split())

    def following_siblings(self) -> list[Element]:
        assert self.parent is not None
        siblings = [c for c in self.parent.children if isinstance(c, Element)]
        return siblings[siblings.index(self) + 1 :]


@dataclass
class Page:
    url: str  # the page's address under site/, e.g. "ru/newsroom-verification/sources/"
    root: Element
    #: The text of <title>. Browsers read it as RCDATA (no elements inside), which
    #: Python 3.11's html.parser does not, so it is taken out before parsing.
    title: str
    raw: str

    def resolve(self, href: str) -> str:
        """A link's target as an address under site/ ("" for the site root)."""
        resolved = urljoin(f"http://site.invalid/{self.url}", href)
        parts = urlsplit(resolved)
        assert parts.netloc == "site.invalid", f"{href!r} on {self.url} leaves the site"
        return parts.path.lstrip("/")

    @property
    def article(self) -> Element:
        return self.root.find("article")

    @property
    def html_lang(self) -> str:
        return self.root.find("html").attrs["lang"]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


_TITLE = re.compile(r"<title>(.*?)</title", re.IGNORECASE | re.DOTALL)


def parse_html(raw: str, url: str = "") -> Page:
    match = _TITLE.search(raw)
    title = unescape(match.group(1)) if match else ""
    if match:
        raw_without_title = raw[: match.start()] + "<title></title" + raw[match.end() :]
    else:
        raw_without_title = raw
    builder = _TreeBuilder()
    builder.feed(raw_without_title)
    builder.close()
    return Page(url, builder.root, title, raw)


# --- The fixture, read independently of the builder ----------------------------------------------


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass
class FixtureModule:
    id: str
    duration: int
    titles: dict[str, str]  # language -> title (the source title where no translation has one)


@dataclass
class FixtureCourse:
    id: str
    languages: list[str]
    level: str
    titles: dict[str, str]
    modules: list[FixtureModule]


def _titles(folder: Path, stem: str, source_title: str, languages: list[str]) -> dict[str, str]:
    """A file's title in each language: the translation's, or the source's where it has none."""
    result = {}
    for language in languages:
        translation = folder / f"{stem}.{language}.yml"
        data = _yaml(translation) if translation.exists() else {}
        result[language] = data.get("title") or source_title
    return result


@cache
def fixture_courses() -> list[FixtureCourse]:
    courses = []
    for course_file in sorted((BASIC / "courses").glob("*/course.yml")):
        folder = course_file.parent
        course = _yaml(course_file)
        languages = course["languages"]
        modules = []
        for module_id in course["modules"]:
            (path,) = folder.glob(f"*{module_id}.yml")
            module = _yaml(path)
            titles = _titles(folder, path.stem, module["title"], languages)
            modules.append(FixtureModule(module_id, module["duration_minutes"], titles))
        course_titles = _titles(folder, "course", course["title"], languages)
        courses.append(
            FixtureCourse(course["id"], languages, course["level"], course_titles, modules)
        )
    return courses


def course_named(course_id: str) -> FixtureCourse:
    return next(c for c in fixture_courses() if c.id == course_id)


def nav_order(language: str) -> list[str]:
    """Every page of a language's site, in reading order: home, then each course and its modules."""
    urls = [f"{language}/"]
    for course in fixture_courses():
        if language in course.languages:
            urls.append(f"{language}/{course.id}/")
            urls += [f"{language}/{course.id}/{module.id}/" for module in course.modules]
    return urls


# --- Builds --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("basic") / "site"
    # --no-cache: every test build of a project in the repository builds from scratch, and
    # leaves no .sabaq-cache/ behind in it (tests/test_cache.py tests the cache).
    run = run_sabaq(
        "build", "--no-cache", "--project", str(BASIC), "--site-dir", str(site_dir), cwd=REPO
    )
    assert run.code == 0, run.stderr
    return site_dir


@pytest.fixture(scope="session")
def page(site: Path):
    @cache
    def read(url: str) -> Page:
        path = site / url / "index.html" if url == "" or url.endswith("/") else site / url
        return parse_html(path.read_text(encoding="utf-8"), url)

    return read


def language_folders(site: Path) -> list[str]:
    """The language sites in a site folder (beside them may be other things, such as downloads)."""
    return sorted(p.name for p in site.iterdir() if p.is_dir() and p.name in LANGUAGES)


def every_page(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_the_site_has_one_folder_per_language_and_every_page(site: Path) -> None:
    assert language_folders(site) == sorted(LANGUAGES_BUILT)
    for language in LANGUAGES_BUILT:
        for url in nav_order(language):
            assert (site / url / "index.html").is_file(), url
    assert not (site / "ru" / EN_ONLY_COURSE).exists()


# --- The front door ------------------------------------------------------------------------------


def test_site_index_lists_every_language_as_plain_links(site: Path, page) -> None:
    chooser = page("index.html")
    links = chooser.root.find("main").find_all("a")
    assert [a.attrs["href"] for a in links] == [f"{code}/" for code in LANGUAGES_BUILT]
    assert [a.attrs["hreflang"] for a in links] == LANGUAGES_BUILT
    assert [a.clean_text for a in links] == [
        LANGUAGES[code].native_name for code in LANGUAGES_BUILT
    ]
    for language in LANGUAGES_BUILT:
        assert messages(language).text("choose_language") in chooser.root.find("h1").heading_text


def test_site_index_script_picks_from_navigator_languages(page) -> None:
    chooser = page("index.html")
    (script,) = chooser.root.find_all("script")
    code = script.text
    assert "navigator.languages" in code
    assert json.dumps(LANGUAGES_BUILT) in code
    # The Content-Security-Policy allows exactly this script, by its hash.
    policy = chooser.root.find("meta", http_equiv="Content-Security-Policy").attrs["content"]
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
    assert f"'sha256-{digest}'" in policy


# --- Language homes ------------------------------------------------------------------------------


def course_facts(paragraph: Element) -> dict[str, str]:
    """'Level: Beginner · Duration: 1 hour' -> {'Level': 'Beginner', 'Duration': '1 hour'}."""
    facts = {}
    for part in paragraph.clean_text.split(" · "):
        label, _, value = part.partition(": ")
        facts[label] = value
    return facts


@pytest.mark.parametrize("language", LANGUAGES_BUILT)
def test_language_home_lists_courses_with_their_facts(page, language: str) -> None:
    home = page(f"{language}/")
    strings = messages(language)
    courses = [c for c in fixture_courses() if language in c.languages]
    headings = home.article.find_all("h2")
    assert [home.resolve(h.find("a").attrs["href"]) for h in headings] == [
        f"{language}/{c.id}/" for c in courses
    ]
    for heading, course in zip(headings, courses, strict=True):
        assert heading.find("a").text == course.titles[language]
        facts_paragraph = next(p for p in heading.following_siblings() if p.find_all("strong"))
        minutes = sum(module.duration for module in course.modules)
        status = STATUS_KEY[language] if course.id == MAIN_COURSE else "translation_source"
        assert course_facts(facts_paragraph) == {
            strings.text("level"): strings.text(f"level_{course.level}"),
            strings.text("duration"): strings.duration(minutes),
            strings.text("modules_heading"): strings.plural("module_count", len(course.modules)),
            strings.text("translation"): strings.text(status),
        }


def test_russian_durations_use_russian_plural_forms(page) -> None:
    home = page("ru/")
    assert "Продолжительность: 1 час 10 минут" in home.article.clean_text
    assert "Модули: 3 модуля" in home.article.clean_text
    overview = page(f"ru/{MAIN_COURSE}/").article.clean_text
    for module_duration in ("21 минута", "22 минуты", "27 минут"):
        assert module_duration in overview


# --- Course overviews, titles, navigation ---------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES_BUILT)
def test_course_overview_lists_modules_in_order(page, language: str) -> None:
    strings = messages(language)
    for course in fixture_courses():
        if language not in course.languages:
            continue
        overview = page(f"{language}/{course.id}/")
        assert overview.article.find("h1").heading_text == course.titles[language]
        items = overview.article.find("ol").find_all("li")
        assert [overview.resolve(li.find("a").attrs["href"]) for li in items] == [
            f"{language}/{course.id}/{module.id}/" for module in course.modules
        ]
        for item, module in zip(items, course.modules, strict=True):
            assert item.find("a").text == module.titles[language]
            assert strings.duration(module.duration) in item.clean_text


@pytest.mark.parametrize("language", LANGUAGES_BUILT)
def test_page_titles(page, language: str) -> None:
    site_name = messages(language).text("site_name")
    assert page(f"{language}/").title == site_name
    for course in fixture_courses():
        if language not in course.languages:
            continue
        assert (
            page(f"{language}/{course.id}/").title
            == f"{visible(course.titles[language])} - {site_name}"
        )
        for module in course.modules:
            module_page = page(f"{language}/{course.id}/{module.id}/")
            assert module_page.title == f"{visible(module.titles[language])} - {site_name}"
            assert module_page.article.find("h1").heading_text == module.titles[language]


def visible(text: str) -> str:
    # Sabaq puts a word joiner (U+2060, invisible) into "</" in titles, so that a title can never
    # close the page's <title> element; see builder.render.pages.nav_title.
    return text.replace("</", "<\u2060/")


def sidebar_of(url: str, language: str) -> list[str]:
    """The sidebar of the page at `url`: home, then each course, with its modules listed only for
    the course the page belongs to (navigation.prune: a page's size grows with its course, not the
    whole site)."""
    urls = [f"{language}/"]
    for course in fixture_courses():
        if language in course.languages:
            urls.append(f"{language}/{course.id}/")
            if url.startswith(f"{language}/{course.id}/"):
                urls += [f"{language}/{course.id}/{module.id}/" for module in course.modules]
    return urls


@pytest.mark.parametrize("language", LANGUAGES_BUILT)
def test_sidebar_follows_course_yml(site: Path, page, language: str) -> None:
    for url in nav_order(language):
        expected = sidebar_of(url, language)
        current = page(url)
        sidebar = current.root.find("nav", cls="md-nav--primary")
        targets: list[str] = []
        for link in sidebar.find_all("a", cls="md-nav__link"):
            if not link.attrs["href"].startswith("#"):
                target = current.resolve(link.attrs["href"])
                if target not in targets:
                    targets.append(target)
        assert targets == expected, url


@pytest.mark.parametrize("language", LANGUAGES_BUILT)
def test_footer_links_to_previous_and_next_page(page, language: str) -> None:
    order = nav_order(language)
    for index, url in enumerate(order):
        current = page(url)
        footer = current.root.find("footer")
        previous = footer.find_all("a", cls="md-footer__link--prev")
        following = footer.find_all("a", cls="md-footer__link--next")
        assert [current.resolve(a.attrs["href"]) for a in previous] == (
            order[index - 1 : index] if index else []
        )
        assert [current.resolve(a.attrs["href"]) for a in following] == order[index + 1 : index + 2]


# --- Language switcher, languages ----------------------------------------------------------------


def switcher_targets(current: Page) -> dict[str, str]:
    links = current.root.find("ul", cls="md-select__list").find_all("a")
    return {a.attrs["hreflang"]: current.resolve(a.attrs["href"]) for a in links}


@pytest.mark.parametrize("language", LANGUAGES_BUILT)
def test_language_switcher_links_to_the_same_page_in_every_language(
    site: Path, page, language: str
) -> None:
    course = course_named(MAIN_COURSE)
    for module in course.modules:
        targets = switcher_targets(page(f"{language}/{MAIN_COURSE}/{module.id}/"))
        assert targets == {code: f"{code}/{MAIN_COURSE}/{module.id}/" for code in LANGUAGES_BUILT}
        assert all((site / target / "index.html").is_file() for target in targets.values())
    assert switcher_targets(page(f"{language}/{MAIN_COURSE}/")) == {
        code: f"{code}/{MAIN_COURSE}/" for code in LANGUAGES_BUILT
    }
    assert switcher_targets(page(f"{language}/")) == {code: f"{code}/" for code in LANGUAGES_BUILT}


def test_switcher_on_a_page_only_in_english_links_to_the_other_homes(site: Path, page) -> None:
    module = course_named(EN_ONLY_COURSE).modules[0]
    for url in (f"en/{EN_ONLY_COURSE}/", f"en/{EN_ONLY_COURSE}/{module.id}/"):
        targets = switcher_targets(page(url))
        assert targets == {code: url if code == "en" else f"{code}/" for code in LANGUAGES_BUILT}
        assert all((site / target / "index.html").is_file() for target in targets.values())


def test_current_language_is_marked_in_the_switcher(page) -> None:
    current = page(f"kk/{MAIN_COURSE}/")
    marked = [
        a.attrs["hreflang"]
        for a in current.root.find("ul", cls="md-select__list").find_all("a")
        if "aria-current" in a.attrs
    ]
    assert marked == ["kk"]


def _material_strings(path: Path) -> dict[str, str]:
    return dict(
        re.findall(
            r'^\s*"([a-z0-9._-]+)":\s*"(.*)"', path.read_text(encoding="utf-8"), re.MULTILINE
        )
    )


@pytest.mark.parametrize("language", LANGUAGES_BUILT)
def test_html_lang_and_theme_strings(page, language: str) -> None:
    for url in nav_order(language):
        assert page(url).html_lang == language, url
    search = page(f"{language}/").root.find("input", cls="md-search__input")
    if not LANGUAGES[language].material_has_strings:
        # Material has no strings for kk or tg: Sabaq's own theme override must be what shows.
        ours = _material_strings(THEME_LANGUAGES / f"{language}.html")["search.placeholder"]
        assert search.attrs["placeholder"] == ours
        assert ours != "Search"
    elif language != "en":
        assert search.attrs["placeholder"] != "Search"


# --- Translation notices -------------------------------------------------------------------------


def notices(current: Page, kind: str) -> list[str]:
    return [p.clean_text for p in current.article.find_all("p", cls=f"sabaq-notice--{kind}")]


def test_partial_draft_shows_fallback_and_draft_notices(page) -> None:
    kk = messages("kk")
    first = page(f"kk/{MAIN_COURSE}/first-checks/")
    assert kk.text("notice_untranslated") in notices(first, "untranslated")
    assert kk.text("notice_draft") in notices(first, "draft")
    # The second module has no kk file: it falls back, but nobody drafted anything.
    unsafe = page(f"kk/{MAIN_COURSE}/{UNSAFE_MODULE}/")
    assert notices(unsafe, "untranslated") == [kk.text("notice_untranslated")]
    assert notices(unsafe, "draft") == []
    # Texts not translated are shown in English.
    assert "Read laterally" in [h.heading_text for h in first.article.find_all("h2")]


def test_language_without_translations_shows_fallback_notice_only(page) -> None:
    for url in nav_order("tg")[1:]:
        # One on the page, and one more above a quiz (the quiz bank is not translated either).
        assert set(notices(page(url), "untranslated")) == {
            messages("tg").text("notice_untranslated")
        }, url
        assert notices(page(url), "draft") == [], url


@pytest.mark.parametrize("language", ["en", "ru"])
def test_source_and_reviewed_complete_translation_show_no_notices(page, language: str) -> None:
    for url in nav_order(language):
        assert page(url).article.find_all("p", cls="sabaq-notice") == [], url


# --- Trainer text cannot inject ------------------------------------------------------------------


def test_no_script_event_handler_or_javascript_link_from_trainer_text(site: Path, page) -> None:
    for url in every_page(site):
        current = page(url)
        for element in current.root.iter():
            for name, value in element.attrs.items():
                assert not name.startswith("on"), f"{url}: <{element.tag} {name}=...>"
                if name in ("href", "src", "action", "formaction"):
                    assert not value.strip().lower().startswith("javascript:"), (
                        f"{url}: {name}={value}"
                    )
            if element.tag == "script":
                assert "alert(" not in element.text, url
        if url not in ("index.html", "404.html"):  # the root pages are not course pages
            assert not current.article.find_all("img"), url  # the fixture has no images


@pytest.mark.parametrize("language", LANGUAGES_BUILT)
def test_trainer_html_and_template_code_are_shown_as_text(page, language: str) -> None:
    module = next(m for m in course_named(MAIN_COURSE).modules if m.id == UNSAFE_MODULE)
    title = module.titles[language]
    assert "<script>" in title and "{{ config }}" in title and "{% raw %}" in title
    current = page(f"{language}/{MAIN_COURSE}/{UNSAFE_MODULE}/")
    assert current.article.find("h1").heading_text == title
    assert current.title.startswith(visible(title))
    header_title = current.root.find(
        "div", cls="md-header__topic", **{"data-md-component": "header-topic"}
    )
    assert header_title.clean_text == visible(title)
    sidebar_titles = [
        a.clean_text for a in current.root.find("nav", cls="md-nav--primary").find_all("a")
    ]
    assert visible(title) in sidebar_titles
    body = current.article
    assert "<img src=x onerror=alert(1)>" in body.text
    assert "<script>alert(3)</script>" in body.text
    assert not body.find_all("img")
    (script_link,) = [a for a in body.find_all("a") if a.text == "x"]
    assert "href" not in script_link.attrs
    attributed = next(
        p for p in body.find_all("p") if p.text.endswith(("attribute.", "атрибутом."))
    )
    assert attributed.attrs == {}
    # The page around it: the previous module's footer shows the title as text too.
    previous = page(f"{language}/{MAIN_COURSE}/first-checks/")
    assert previous.root.find("a", cls="md-footer__link--next").find(
        "div", cls="md-ellipsis"
    ).clean_text == visible(title)


def test_a_title_cannot_close_the_title_element(page) -> None:
    course = course_named(EN_ONLY_COURSE)
    assert "</title>" in course.titles["en"]
    for url in (f"en/{EN_ONLY_COURSE}/", "en/"):
        current = page(url)
        head = current.root.find("head")
        assert all("alert(" not in s.text for s in head.find_all("script"))
        assert len(re.findall(r"<title>", current.raw, re.IGNORECASE)) == 1
    assert page(f"en/{EN_ONLY_COURSE}/").article.find("h1").heading_text == course.titles["en"]


# --- Search and what the pages load --------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES_BUILT)
def test_search_index_per_language(site: Path, language: str) -> None:
    index = json.loads(
        (site / language / "search" / "search_index.json").read_text(encoding="utf-8")
    )
    assert index["config"]["lang"] == [LANGUAGES[language].search_language]
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {f"{language}/{p}" for p in pages} == set(nav_order(language))
    titles = {doc["title"] for doc in index["docs"] if "#" not in doc["location"]}
    for course in fixture_courses():
        for module in course.modules:
            if language in course.languages:
                assert escaped(module.titles[language]) in titles
            for other in set(course.languages) - {language}:
                if module.titles[other] != module.titles.get(language):
                    assert module.titles[other] not in titles


def escaped(title: str) -> str:
    # The search index holds a page's title as its heading's HTML (the theme shows it as such).
    return html.escape(title, quote=False)


def test_search_index_keeps_cyrillic_as_utf8(site: Path) -> None:
    """Written as UTF-8, not as \\u escapes (six bytes for every Cyrillic letter)."""
    raw = (site / "ru" / "search" / "search_index.json").read_bytes()
    assert course_named(MAIN_COURSE).titles["ru"].encode("utf-8") in raw
    assert b"\\u04" not in raw


def test_pages_load_nothing_from_other_sites(site: Path, page) -> None:
    for url in every_page(site):
        current = page(url)
        for element in current.root.find_all("link") + current.root.find_all("script"):
            address = element.attrs.get("href") or element.attrs.get("src") or ""
            assert not re.match(r"^(https?:)?//", address), f"{url}: <{element.tag}> {address}"
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".css", ".js", ".json"):
            assert b"fonts.googleapis.com" not in path.read_bytes(), path


def test_only_trainer_links_go_to_other_sites(site: Path, page) -> None:
    allowed = {
        "https://example.org/safe",
        "https://example.org/web-literacy",
        "https://ifcncodeofprinciples.poynter.org",
    }
    for url in every_page(site):
        if url.endswith("404.html"):
            continue  # checked by test_404_page_links_stay_on_the_site
        for link in page(url).article.find_all("a") if url != "index.html" else []:
            href = link.attrs.get("href", "")
            if re.match(r"^(https?:)?//", href):
                assert href in allowed, f"{url}: {href}"


def test_404_page_links_stay_on_the_site(site: Path, page) -> None:
    for language in LANGUAGES_BUILT:
        for link in page(f"{language}/404.html").root.find_all("a"):
            assert not link.attrs.get("href", "").startswith("//"), link.attrs


# --- Partial builds and failures -----------------------------------------------------------------


def test_lang_option_builds_only_that_language(tmp_path: Path) -> None:
    run = run_sabaq(
        "build",
        "--no-cache",
        "--project",
        str(BASIC),
        "--site-dir",
        str(tmp_path / "site"),
        "--lang",
        "ru",
        cwd=REPO,
    )
    assert run.code == 0, run.stderr
    site = tmp_path / "site"
    assert language_folders(site) == ["ru"]
    chooser = parse_html((site / "index.html").read_text(encoding="utf-8"))
    assert [a.attrs["href"] for a in chooser.root.find("main").find_all("a")] == ["ru/"]
    assert (site / "ru" / MAIN_COURSE / "first-checks" / "index.html").is_file()


def test_course_option_selects_courses_and_replaces_the_previous_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_files(
        site, {"stale.html": "from an older build", "ru/index.html": "an older Russian home"}
    )
    mark(site, SITE)  # a site Sabaq built (builder/build/folders.py), which it may replace
    run = run_sabaq(
        "build", "--project", str(BASIC), "--site-dir", str(site), "--course", EN_ONLY_COURSE, cwd=REPO
    )  # fmt: skip
    assert run.code == 0, run.stderr
    assert language_folders(site) == ["en"]
    assert not (site / "stale.html").exists()
    courses = [
        p.name
        for p in (site / "en").iterdir()
        if p.is_dir() and p.name not in ("assets", "search", "progress-files")
    ]
    assert courses == [EN_ONLY_COURSE]
    home = parse_html((site / "en" / "index.html").read_text(encoding="utf-8"), "en/")
    links = [home.resolve(h.find("a").attrs["href"]) for h in home.article.find_all("h2")]
    assert links == [f"en/{EN_ONLY_COURSE}/"]
    # No staging folder is left beside the site.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_unknown_course_is_a_usage_error(tmp_path: Path) -> None:
    run = run_sabaq(
        "build",
        "--project",
        str(BASIC),
        "--site-dir",
        str(tmp_path / "site"),
        "--course",
        "nope",
        cwd=REPO,
    )
    assert run.code == 2
    assert (
        "sabaq: error: there is no course 'nope' (courses: archive-research, newsroom-verification)"
        in run.stderr
    )
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "site").exists()


ENGINE_FAILURES = {
    "unknown-extension": "markdown_extensions: [no_such_markdown_extension]\n",
    "invalid-theme-option": "theme:\n  palette: 5\n",
}


@pytest.mark.parametrize("config", ENGINE_FAILURES.values(), ids=ENGINE_FAILURES.keys())
def test_engine_failure_leaves_the_previous_site_untouched(tmp_path: Path, config: str) -> None:
    english_only = {k: v.replace("[en, ru]", "[en]") for k, v in MINIMAL_PROJECT.items()}
    project = write_files(tmp_path / "project", {**english_only, "mkdocs.yml": config})
    site = tmp_path / "published"
    previous = write_files(
        site, {"index.html": "the previous site\n", "en/index.html": "previous English home\n"}
    )
    mark(site, SITE)  # a site Sabaq built (builder/build/folders.py), which it may replace
    before = {p.relative_to(site): p.read_bytes() for p in previous.rglob("*") if p.is_file()}

    run = run_sabaq("build", "--project", str(project), "--site-dir", str(site), cwd=REPO)

    assert run.code == 1
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "published"]  # no staging left


def test_invalid_theme_option_is_reported_without_a_traceback(tmp_path: Path) -> None:
    english_only = {k: v.replace("[en, ru]", "[en]") for k, v in MINIMAL_PROJECT.items()}
    project = write_files(
        tmp_path / "project",
        {**english_only, "mkdocs.yml": ENGINE_FAILURES["invalid-theme-option"]},
    )
    run = run_sabaq(
        "build", "--project", str(project), "--site-dir", str(tmp_path / "site"), cwd=REPO
    )
    assert run.code == 1
    assert "Traceback" not in run.stderr
    assert "the 'en' site failed to build" in run.stderr


def test_footer_and_anchor_texts_are_in_the_page_language(make_project, tmp_path: Path) -> None:
    """The copyright may be given per language (a language without its own shows another's,
    marked with its lang); the title of every heading's anchor is Sabaq's, translated."""
    files = dict(MINIMAL_PROJECT)
    files["courses/demo/course.yml"] = str(files["courses/demo/course.yml"]).replace(
        "languages: [en, ru]", "languages: [en, ru, kk]"
    )
    files["mkdocs.yml"] = "copyright:\n  en: Texts CC BY 4.0.\n  ru: Тексты CC BY 4.0.\n"
    report = build_project(make_project(files), tmp_path / "site", use_cache=False)
    assert report.ok, report.errors

    def footer_and_anchor(language: str) -> tuple[str, str]:
        page = (tmp_path / "site" / language / "demo" / "first" / "index.html").read_text("utf-8")
        footer = re.search(
            r'<div class="md-copyright__highlight"([^>]*)>\s*([^<]*?)\s*</div>', page
        )
        anchor = re.search(r'class="headerlink" href="#[^"]*" title="([^"]*)"', page)
        assert footer and anchor, language
        return f"{footer.group(1)} {footer.group(2)}".strip(), anchor.group(1)

    assert footer_and_anchor("en") == ("Texts CC BY 4.0.", "Permanent link")
    assert footer_and_anchor("ru") == ("Тексты CC BY 4.0.", "Постоянная ссылка")
    assert footer_and_anchor("kk") == ('lang="en" Texts CC BY 4.0.', "Тұрақты сілтеме")


def test_a_copyright_per_language_names_only_languages(make_project) -> None:
    from builder.build.pipeline import check_project

    files = {**MINIMAL_PROJECT, "mkdocs.yml": "copyright:\n  en: Texts.\n  english: Texts.\n"}
    _, errors = check_project(make_project(files))
    assert [(e.position.line, e.message, e.hint) for e in errors] == [
        (
            3,
            "copyright: 'english' is not a language Sabaq builds",
            "use one of en, ru, uz, kk, ky, tg, or one text for every language",
        )
    ]


def test_a_build_of_some_languages_reads_only_their_translations(tmp_path: Path) -> None:
    course = str(MINIMAL_PROJECT["courses/demo/course.yml"]).replace("[en, ru]", "[en, ru, kk]")
    project = write_files(
        tmp_path / "project",
        {
            **MINIMAL_PROJECT,
            "courses/demo/course.yml": course,
            # A broken Kazakh translation: `--lang ru` neither reads nor reports it.
            "courses/demo/02-second.kk.yml": "title: [unclosed\n",
        },
    )
    russian = build_project(project, tmp_path / "ru", languages=["ru"], workers=1, use_cache=False)
    assert russian.ok, russian.errors
    assert (tmp_path / "ru" / "ru" / "demo" / "second" / "index.html").is_file()
    for languages in (["kk"], None):
        report = build_project(
            project, tmp_path / "all", languages=languages, workers=1, use_cache=False
        )
        assert [error.path.name for error in report.errors] == ["02-second.kk.yml"], languages
