"""`python -m builder` runs the same command line as `sabaq`."""

from .cli import run

run()
