"""Allows ``python -m tui`` as well as the ``newsreader`` console script."""

from tui.cli import main

raise SystemExit(main())
