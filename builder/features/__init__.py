"""Reader-facing capabilities, one folder each, with their Python, JavaScript and CSS together."""
