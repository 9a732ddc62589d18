"""Making article text inert before anything shows it.

Articles are written by strangers: an escape sequence in a headline could move
the cursor, set the window title or write the clipboard (OSC 52), and bidi
overrides can make text lie about its order. Everything displayed passes
through ``display_text`` first. Markup escaping is the UI's job (it uses
``rich.text.Text``, never markup strings), so this module stays free of Rich.
"""

from __future__ import annotations

import re

# CSI, OSC (terminated by BEL or ST), DCS/SOS/PM/APC strings, and 2-byte escapes.
# A string sequence without its terminator loses only its introducer (the lone-ESC
# branch; C1 introducers go with the controls): its payload is then inert text, and
# a stray byte in a Latin-1 page cannot hide the rest of the paragraph.
_ANSI = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]            # CSI ... final byte
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)   # OSC ... BEL or ST
    | \x1b[PX^_][^\x1b]*\x1b\\          # DCS / SOS / PM / APC ... ST
    | \x9b[0-?]*[ -/]*[@-~]            # 8-bit CSI
    | \x9d[^\x07\x9c\x9d\x1b]*[\x07\x9c]  # 8-bit OSC ... BEL or ST
    | \x1b[@-Z\\-_]?                    # lone ESC or 2-byte escape
    """,
    re.VERBOSE,
)
# C0 controls except tab and newline, DEL, C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embedding/override/isolate controls: shown literally they reorder text.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences, control characters and bidi overrides."""
    if not text:
        return text
    text = _ANSI.sub("", text)
    text = _CONTROLS.sub("", text)
    return _BIDI.sub("", text)


def display_line(text: str, limit: int = 500) -> str:
    """One safe line for lists and headers: controls gone, whitespace folded."""
    text = strip_controls(text or "")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
