"""Which files an import or a command-line run takes from the paths it is given.

Folders are walked recursively in a stable order; hidden files and a folder's
README/LICENSE (provenance notes, not news) are left out, but a file named
explicitly is always taken.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml"})
_NOT_ARTICLES = frozenset({"readme", "license", "licence", "copying", "notice"})


def iter_article_paths(paths: Sequence[str | os.PathLike[str]]) -> Iterator[Path]:
    """Yield article files under ``paths`` (files as given, folders recursively)."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    fp = Path(root) / name
                    if fp.suffix.lower() not in ARTICLE_SUFFIXES:
                        continue
                    if fp.stem.lower() in _NOT_ARTICLES:
                        continue
                    yield fp
        else:
            yield p
