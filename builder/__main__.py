"""`python -m builder` runs the same command line as `sabaq`."""

import sys

from .cli import main

sys.exit(main())
