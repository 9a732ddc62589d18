"""The headless core never imports Textual; only tui.ui does."""

import subprocess
import sys

CORE = ["tui.store", "tui.importer", "tui.stories", "tui.cluster", "tui.quotes", "tui.entities",
        "tui.pages", "tui.analysis", "tui.diff", "tui.textio", "tui.sanitize", "tui.sources",
        "tui.statewriter"]


def test_core_modules_do_not_import_textual():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported Textual modules: {out.stdout.strip()}"


def test_the_ui_package_is_the_one_that_imports_textual():
    code = "import sys, tui.ui.app; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
