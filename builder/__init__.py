"""Sabaq: multilingual, offline-capable course websites from YAML course files."""

__version__ = "0.1.0"
