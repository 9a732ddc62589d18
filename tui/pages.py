"""Plain-text and Markdown page dumps into headline, metadata, body and captions
(placeholder: first line is the title, the rest is body)."""

from __future__ import annotations

from tui.records import Page


def parse_page(text: str, *, name: str | None = None) -> Page:
    """Separate a saved page into title, source, date, body and captions."""
    lines = [ln.strip() for ln in text.split("\n")]
    nonempty = [ln for ln in lines if ln]
    title = nonempty[0] if nonempty else None
    body = "\n\n".join(nonempty[1:])
    return Page(title=title, body=body)
