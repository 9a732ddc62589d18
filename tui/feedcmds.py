"""Feed subcommands (add, refresh, import-opml, export-opml): registered on the CLI parser."""

from __future__ import annotations

import argparse


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the feed subcommands to the ``newsreader`` parser."""
