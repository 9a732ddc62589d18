"""What one story-list row says, as plain text: marks, title, sources, date.

Kept free of Textual and Rich so that the first screenful can be painted
before Textual is even imported (launch), and so the list and that first paint
lay a row out identically.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.sanitize import display_line
from tui.store import StoryRow

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fit(text: str, width: int) -> str:
    """``text`` cut or padded to exactly ``width`` columns."""
    if width <= 0:
        return ""
    if len(text) <= width:
        return text.ljust(width)
    return text[: max(0, width - 1)] + "…"


def short_date(iso: str | None, *, wide: bool) -> str:
    """'2024-11-22' on wide lists, '22 Nov 24' on narrow ones."""
    if not iso:
        return ""
    iso = display_line(iso, 40)  # stored from the article: never trusted
    if wide:
        return iso[:10]
    try:
        y, m, d = iso[:10].split("-")
        return f"{int(d):>2} {_MONTHS[int(m) - 1]} {y[2:]}"
    except (ValueError, IndexError):
        return iso[:9]


@dataclass(frozen=True, slots=True)
class RowText:
    """The four cells of a row; together exactly ``width`` columns."""

    mark: str  # "●" unread, " " read
    star: str  # "★ " or "  "
    title: str
    tail: str  # " 3× outlets date"


def row_text(row: StoryRow, width: int) -> RowText:
    mark = " " if row.read else "●"
    star = ("★" if row.starred else " ") + " "
    date = short_date(row.published, wide=width >= 70)
    count = f"{row.n_articles}×" if row.n_articles > 1 else ""
    # Outlets only where the title keeps at least 30 columns.
    outlets = display_line(row.outlets, 200) if row.n_articles > 1 else ""
    room_for_outlets = width - 3 - 30 - len(date) - len(count) - 3
    if outlets and room_for_outlets >= 8:
        outlets = outlets if len(outlets) <= room_for_outlets else outlets[: room_for_outlets - 1] + "…"
    else:
        outlets = ""
    tail = " " + " ".join(x for x in (count, outlets, date) if x)
    title = fit(display_line(row.title, 400), max(0, width - 3 - len(tail)))
    used = 3 + len(title) + len(tail)
    if used > width:  # too narrow for everything: the tail gives way
        tail = tail[: max(0, width - 3 - len(title))]
    return RowText(mark, star, title, tail)
