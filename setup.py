"""Build hook: compile the per-article analysis modules with mypyc when possible.

Import speed is bound by per-article analysis (entities, quotes, cleaning) in
pure Python; mypyc compiles those modules, unchanged, to C extensions that run
the same code in a fraction of the time.  Everything else is declared in
pyproject.toml.

The compiled build is an accelerator, never a requirement: when mypyc is
missing, a compiler is missing or compilation fails, the install goes on with
the pure-Python modules (the same code, slower) and says so.  Set
``NEWSREADER_PURE=1`` to skip compilation on purpose.  ``tests/test_native.py``
checks that the compiled and pure modules give identical output.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

# The hot path of `newsreader import`: analysis, cleaning and decoding, fingerprints and matching.
NATIVE_MODULES = [
    "tui/entity_tokens.py",
    "tui/entity_rules.py",
    "tui/entity_fold.py",
    "tui/entities.py",
    "tui/quotes.py",
    "tui/speakers.py",
    "tui/pages.py",
    "tui/textio.py",
    "tui/cluster.py",
    "tui/rows.py",
    "tui/records.py",
    "tui/gazetteer.py",
    "tui/keyfilter.py",
]
# cluster.py's and records.py's frozen dataclasses define __reduce__: import pickles its
# settings for the workers, and a compiled frozen dataclass cannot be unpickled otherwise
# (tests/test_native.py).


def _warn(message: str) -> None:
    print(f"newsreader: {message}; installing the pure-Python analysis (same results, slower import)",
          file=sys.stderr)


class OptionalBuildExt(build_ext):
    """build_ext that falls back to pure Python instead of failing the install."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any compiler trouble means "no accelerator"
            _warn(f"compiling the analysis modules failed ({exc})")
            self.extensions = []

    def build_extension(self, ext) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            _warn(f"compiling {ext.name} failed ({exc})")


def _native_extensions() -> list:
    if os.environ.get("NEWSREADER_PURE") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _warn("mypyc is not available")
        return []
    try:
        # group_name keeps mypyc's shared runtime library inside the package (tui/native__mypyc).
        # The build environment holds only the build requirements (no rapidfuzz): third-party
        # imports stay ordinary Python objects to mypyc either way.
        return mypycify(["--ignore-missing-imports", *NATIVE_MODULES],
                        opt_level="3", debug_level="0", group_name="tui.native")
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - mypyc exits on a type error; never block installing
        _warn(f"mypyc could not translate the analysis modules ({exc})")
        return []


setup(ext_modules=_native_extensions(), cmdclass={"build_ext": OptionalBuildExt})
