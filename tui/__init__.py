"""newsreader: a terminal news reader that collapses near-duplicate stories.

The package splits into a headless core (store, import, cleaning, clustering,
quotes, entities) that never imports Textual, and ``tui.ui``, the Textual app
that only reads what the core stored.
"""

__version__ = "0.1.0"

from tui import compiled as _compiled  # noqa: E402 - must run before any analysis module loads

NATIVE = _compiled.install()
