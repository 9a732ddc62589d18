"""Which analysis modules run compiled (mypyc), and never a stale compiled one.

``setup.py`` compiles the per-article analysis modules into extension modules
beside their sources; Python then loads the extension in preference to the
``.py``.  That is right for an install and wrong for a checkout being worked
on: after an edit (or a ``git checkout``) the extension would still run the old
code.  So when any compiled module is older than its source, or
``NEWSREADER_PURE=1`` is set, every compiled module is bypassed and the
sources load instead.  All of them, not only the stale one: compiled modules of
one build call each other directly, so mixing old and new would run old code.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent
_RUNTIME = "native__mypyc"  # mypyc's shared support library, not a module of ours


@dataclass(frozen=True, slots=True)
class NativeStatus:
    """What the running process uses for the analysis modules."""

    compiled: tuple[str, ...]  # module names with a compiled build on disk
    bypassed: str | None  # why the compiled build is not used, or None when it is

    @property
    def active(self) -> bool:
        return bool(self.compiled) and self.bypassed is None

    def line(self) -> str:
        if not self.compiled:
            return "analysis in pure Python: not compiled"
        if self.bypassed:
            return f"analysis in pure Python: {self.bypassed}"
        return f"analysis compiled with mypyc, {len(self.compiled)} modules"


class _SourceFirst(importlib.abc.MetaPathFinder):
    """Loads the listed ``tui`` modules from their ``.py`` files."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(self, fullname: str, path: object = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.names:
            return None
        return importlib.util.spec_from_file_location(fullname, PACKAGE_DIR / (fullname.rpartition(".")[2] + ".py"))


def _compiled_modules(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        for ext in folder.glob("*" + suffix):
            name = ext.name[: -len(suffix)]
            if name != _RUNTIME and (folder / (name + ".py")).exists():
                found[name] = ext
    return found


def status(folder: Path = PACKAGE_DIR, environ: Mapping[str, str] = os.environ) -> NativeStatus:
    """Decide, from the files on disk and the environment, whether compiled modules may load."""
    found = _compiled_modules(folder)
    names = tuple(sorted(found))
    if not found:
        return NativeStatus(names, None)
    if environ.get("NEWSREADER_PURE") == "1":
        return NativeStatus(names, "NEWSREADER_PURE=1")
    # The code of a group build lives in the shared library; each module's own extension
    # is a small shim that an incremental build may leave untouched.
    runtime = [p for p in folder.glob(_RUNTIME + ".*") if p.suffix != ".py"]
    built = {n: max([ext.stat().st_mtime, *(r.stat().st_mtime for r in runtime)]) for n, ext in found.items()}
    stale = sorted(n for n in found if (folder / (n + ".py")).stat().st_mtime > built[n])
    if stale:
        return NativeStatus(names, f"compiled build older than {stale[0]}.py; reinstall to recompile")
    return NativeStatus(names, None)


def install() -> NativeStatus:
    """Called once by ``tui/__init__``: bypass the compiled modules when they must not run."""
    st = status()
    if st.compiled and st.bypassed:
        # An import hook is process-wide by nature; it only ever redirects our own modules.
        sys.meta_path.insert(0, _SourceFirst(frozenset("tui." + n for n in st.compiled)))
    return st
