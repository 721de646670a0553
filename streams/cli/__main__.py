"""``python -m streams.cli``: the ``streams`` command, as ``python -m streams`` is."""

import sys

from streams.cli import main

sys.exit(main())
