"""`python -m builder` runs the same command line as `sabaq`."""

import os
import sys

# `python -m` puts the current folder first on the module search path, and the current folder is
# usually the course project: its `yaml.py`, or a Markdown extension its mkdocs.yml names, would
# be imported from there. Sabaq imports nothing from the project.
_here = os.path.realpath(os.getcwd())
sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != _here]

from builder.cli.start import run  # noqa: E402 - only once the project folder is off the search path

run()
