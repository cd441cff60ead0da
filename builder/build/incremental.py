"""What a build can take from the last one: the incremental policy, apart from the pipeline.

A build either starts fresh (`FreshBuild`: chosen courses, `--no-cache`, trusted project code) or
works with the project's build cache (`CachedBuild`). Both answer the same questions, so the
pipeline asks them without knowing which it has: which languages are as they would be built now,
how to read course files, how to prepare a language's pages for its engine build, where the
unchanged languages come from, and what to keep for next time.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from builder.build.cache.documents import ParsedFiles, RecentDocuments
from builder.build.cache.keys import Keys, config_digest, project_keys
from builder.build.cache.store import BuildCache, LanguageState
from builder.content.document import Document
from builder.content.languages import LANGUAGE_CODES
from builder.engine.site_files import PageWriter
from builder.fingerprint import sabaq_fingerprint
from builder.render.language import RenderedLanguage

#: Renders a language's pages: all of them (None), the shared pages only (()), or those of the
#: courses named, with the offline features added. Module pages go to the writer as they are
#: rendered; the others are returned.
RenderPages = Callable[[str, Collection[str] | None, PageWriter], RenderedLanguage]


@dataclass
class PreparedLanguage:
    """A language's pages, written where its MkDocs build reads them."""

    config: dict[str, Any]
    #: How many pages were rendered.
    pages: int
    work_dir: Path
    built_site: Path
    #: Build only the pages written anew, over the site built last time.
    dirty: bool = False
    #: With the cache: what the language is made from, kept once it has built.
    state: LanguageState | None = None
    #: With a dirty build: the previous build's warnings about pages not built again.
    kept_warnings: list[str] = field(default_factory=list)
    #: With a dirty build: the courses whose pages were rendered again (their packages too).
    rebuilt_courses: list[str] | None = None


class BuildPolicy(Protocol):
    #: Languages built last time from the very files they would be built from now.
    finished: frozenset[str]
    nonce: str
    #: Where prepared pictures go, and the version they are kept under ("" for none).
    images_dir: Path
    images_version: str
    template_cache: Path

    def read(self, path: Path) -> Document: ...

    def workers(self, requested: int | None, languages: list[str] | None) -> int | None: ...

    def loaded(self, *, read_everything: bool) -> None: ...

    def prepare(self, language: str, render: RenderPages, staging: Path) -> PreparedLanguage: ...

    def previous_downloads(self, language: str) -> Path | None: ...

    def take_unchanged(
        self, languages: list[str], site_dir: Path, staging: Path, downloads: Path
    ) -> list[str]: ...

    def unchanged_warnings(self, languages: list[str]) -> dict[str, list[str]]: ...

    def keep(
        self,
        language: str,
        prepared: PreparedLanguage,
        warnings: list[str],
        site: Path,
        zips: list[Path],
    ) -> None: ...


class FreshBuild:
    """Everything rendered and built anew, in a temporary folder; nothing kept."""

    finished: frozenset[str] = frozenset()
    images_version = ""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.nonce = secrets.token_hex(12)
        self.images_dir = work / "images"
        self.template_cache = work / "template-cache"

    def read(self, path: Path) -> Document:
        from builder.content.document import load_document

        return load_document(path)

    def workers(self, requested: int | None, languages: list[str] | None) -> int | None:
        return requested

    def loaded(self, *, read_everything: bool) -> None:
        pass

    def prepare(self, language: str, render: RenderPages, staging: Path) -> PreparedLanguage:
        writer = PageWriter(self.work / language)
        rendered = render(language, None, writer)
        writer.finish(rendered.pages)
        return PreparedLanguage(
            rendered.config, len(writer.pages), self.work / language, staging / language
        )

    def previous_downloads(self, language: str) -> Path | None:
        return None

    def take_unchanged(
        self, languages: list[str], site_dir: Path, staging: Path, downloads: Path
    ) -> list[str]:
        return []

    def unchanged_warnings(self, languages: list[str]) -> dict[str, list[str]]:
        return {}

    def keep(
        self,
        language: str,
        prepared: PreparedLanguage,
        warnings: list[str],
        site: Path,
        zips: list[Path],
    ) -> None:
        pass


class CachedBuild:
    """With the project's build cache (builder/build/cache/): languages made from the same files as
    last time are taken as they are, and a changed language renders and builds only the courses
    made from changed files when its navigation and configuration are as last time."""

    def __init__(
        self,
        cache: BuildCache,
        project_dir: Path,
        options: dict[str, Any],
        recent: RecentDocuments | None,
    ) -> None:
        self.cache = cache
        self.keys: Keys = project_keys(project_dir, LANGUAGE_CODES, options)
        self.finished = frozenset(
            code for code in LANGUAGE_CODES if cache.is_finished(code, self.keys.languages[code])
        )
        self.nonce = cache.nonce()
        self.images_dir = cache.root / "images"
        self.images_version = sabaq_fingerprint()
        self.template_cache = cache.root / "template-cache"
        # Translations into finished languages were valid when they were kept, with the same
        # source files: they are not read again.
        self._parsed = ParsedFiles(cache.root, recent, cache)

    def read(self, path: Path) -> Document:
        return self._parsed.read(path)

    def workers(self, requested: int | None, languages: list[str] | None) -> int | None:
        built_before = [code for code in LANGUAGE_CODES if self.cache.state(code) is not None]
        if self.finished and len(set(languages or built_before) - self.finished) <= 1:
            # One language changed since the last build (the usual edit): it builds in this
            # process, which then holds little else, sooner than workers could start.
            return 1
        return requested

    def loaded(self, *, read_everything: bool) -> None:
        self._parsed.save(read_everything=read_everything)

    def prepare(self, language: str, render: RenderPages, staging: Path) -> PreparedLanguage:
        cache = self.cache
        work_dir = cache.language_dir(language)
        built_site = work_dir / "site"
        writer = PageWriter(work_dir)
        rendered = render(language, (), writer)
        state = LanguageState(
            self.keys.languages[language],
            config_digest(rendered.config),
            self.keys.courses[language],
        )
        previous = cache.state(language)
        intact = previous is not None and cache.can_build_over(language)
        cache.forget(language)
        if previous and previous.config == state.config and intact and built_site.is_dir():
            changed = [c for c, key in state.courses.items() if previous.courses.get(c) != key]
        else:
            previous = None
            changed = list(state.courses)
            for folder in ("docs", "site"):
                shutil.rmtree(work_dir / folder, ignore_errors=True)
        if changed:
            rendered = render(language, changed, writer)
        # In a dirty build, the pages of unchanged courses stay as they are on disk.
        rewritten = writer.finish(rendered.pages, keep_others=previous is not None)
        pages = len(writer.pages)
        if previous is None:
            return PreparedLanguage(rendered.config, pages, work_dir, built_site, state=state)
        kept = [w for w in previous.warnings if not any(f"'{page}'" in w for page in rewritten)]
        return PreparedLanguage(
            rendered.config, pages, work_dir, built_site, True, state, kept, changed
        )

    def previous_downloads(self, language: str) -> Path | None:
        return self.cache.language_dir(language) / "downloads"

    def take_unchanged(
        self, languages: list[str], site_dir: Path, staging: Path, downloads: Path
    ) -> list[str]:
        """Unchanged languages: moved over from the published site at the end if it holds the
        cache's very files (returned), linked from the cache now otherwise."""
        carry_over: list[str] = []
        for language in languages:
            published = self.cache.published_as_kept(language, site_dir)
            if published is not None:
                carry_over.extend(published)
            else:
                self.cache.restore(language, staging / language, downloads)
        return carry_over

    def unchanged_warnings(self, languages: list[str]) -> dict[str, list[str]]:
        return {
            language: state.warnings
            for language in languages
            if (state := self.cache.state(language)) is not None
        }

    def keep(
        self,
        language: str,
        prepared: PreparedLanguage,
        warnings: list[str],
        site: Path,
        zips: list[Path],
    ) -> None:
        assert prepared.state is not None  # every language this policy prepared has one
        self.cache.keep(language, replace(prepared.state, warnings=warnings), site, zips)
