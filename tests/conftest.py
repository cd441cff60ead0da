"""Fixtures for every test. The helpers live in sabaq_testing.py: test modules import them from
there, because `conftest` is an ambiguous module name once tests/browser has its own."""

from sabaq_testing import make_project  # noqa: F401 (a fixture, found by pytest through this import)
