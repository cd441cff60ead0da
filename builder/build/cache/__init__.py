"""The build cache in `<project>/.sabaq-cache/`: what does not change is not built again.

A trainer edits one module in one language and builds again. Most of the site is the same as last
time, so the cache keeps, per language:

- `docs/`: the Markdown MkDocs read last time. Only the pages of courses made from changed files
  are rendered again, and a page is written again only when its text changed, so its file is newer
  than its built page and MkDocs' `dirty` build renders only it. That is exact when the navigation,
  the configuration and Sabaq itself are the same as last time (`config_digest`); otherwise the
  language is built in full;
- `site/`: what MkDocs built, which a dirty build updates in place (the search index is merged:
  a dirty build indexes only the pages it built);
- `final/` and `downloads/`: the finished language site and its packages, taken as they are when
  nothing the language is made from has changed. A package carries the hash of what it was made
  from as its zip comment, so an unchanged course's package is not zipped again either;
- `state.json`: the keys the language and each of its courses were made from, written only after
  a whole build succeeded. A language without it is built from scratch.

Besides: `documents.sqlite`, every YAML file as parsed (by path and content); `template-cache/`,
mkdocs-material's templates compiled; `images/`, the course pictures as prepared, by the hash of
their source (builder/render/images.py); `nonce`, the marker of Sabaq's own HTML in the Markdown.

A language's key is a hash of everything its pages are made from: Sabaq's own code and the versions
of MkDocs and mkdocs-material, `mkdocs.yml`, the names of all course and quiz files, the content of
every file that is not a translation (the English source, pictures, quizzes), and the content of
the language's own translations. Editing `01-first.ru.yml` changes only the Russian key; editing
`01-first.yml` changes them all. A course's key in a language covers what its pages are made from:
the shared part, the quizzes and the course's own folder. Keys compare content, not modification
times, so a checkout or a copy does not rebuild anything. Nothing in the cache is trusted that a
key does not cover: tests/test_cache.py checks that rebuilt sites equal sites built from scratch.

Deleting the folder is always safe: the next build is a full one.
"""
