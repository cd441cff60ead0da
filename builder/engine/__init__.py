"""The only code that knows MkDocs and mkdocs-material: the build, the worker pool, search indexing, the theme overrides and Material's markup."""
