"""The story list's first screenful, painted with plain ANSI before Textual loads.

Importing Textual alone costs ~0.3 s on a small machine, longer than reading the
first screenful from the store and writing it. So at launch the reader paints
that screenful straight to the terminal -- filter bar, rows laid out by
``rowtext`` exactly as the Textual list lays them out, the column border and
the key hints -- then imports Textual, whose first full frame repaints every
cell in place with the theme.

This module must stay free of Textual and Rich: importing either here would
spend the very time it exists to save.

Between the paint and Textual's start the terminal is put in no-echo,
non-canonical mode so keys typed meanwhile are neither echoed over the picture
nor lost (the input queue is never flushed: Textual reads them). The
``Handoff`` returned by ``paint`` undoes that, and leaves the alternate screen,
if Textual never takes over; ``Handoff.driver_class`` wraps Textual's Linux
driver so its start does not clear the picture and its exit restores the
terminal as it was before the paint.
"""

from __future__ import annotations

import os
import sys
import termios
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from tui import keymap as km
from tui.store import Store, StoryRow
from tui.ui.rowtext import row_text

# Entering the alternate screen; Textual's Linux driver writes exactly this string.
# Some terminals (VTE: GNOME Terminal, Tilix, xfce4-terminal) clear the screen on
# every ?1049h, even when already on the alternate screen, so Textual's must be
# skipped for the picture to survive until Textual's first frame.
ALT_SCREEN_ON = "\x1b[?1049h"
ALT_SCREEN_OFF = "\x1b[?1049l"
HIDE_CURSOR = "\x1b[?25l"
SHOW_CURSOR = "\x1b[?25h"
CLEAR = "\x1b[H\x1b[2J"

RESET, BOLD, DIM, REVERSE = "\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[7m"

# Mirrors app.tcss: #left is 34% wide (45% below ui.sidebar_min_width), at least 30,
# with a one-column right border; #filter-bar has one column of padding each side.
LEFT_PERCENT, LEFT_PERCENT_NARROW, LEFT_MIN = 34, 45, 30
BORDER = "▎"  # Textual's "tall" right border
THUMB = "▐"  # the story list's scroll thumb


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the list sits on a ``width`` x ``height`` screen, as Textual lays it out."""

    width: int
    height: int
    left: int  # #left's width, border included
    list_width: int  # the StoryList's width (its last column is the thumb)
    row_width: int  # the columns row_text fills
    list_rows: int  # lines the list shows (below the filter bar, above the key hints)


def layout(width: int, height: int, narrow_below: int) -> Layout:
    """Textual's layout of #left, in integers: it floors the percentage."""
    percent = LEFT_PERCENT_NARROW if width < narrow_below else LEFT_PERCENT
    left = min(width, max(LEFT_MIN, width * percent // 100))
    list_width = max(0, left - 1)
    return Layout(width, height, left, list_width, max(0, list_width - 1), max(0, height - 2))


def _char_width(ch: str) -> int:
    """Terminal columns of one character: 0 for combining marks, 2 for wide ones."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def inert(text: str) -> str:
    """``text`` with nothing a terminal would act on: every C0/C1 control and DEL
    becomes '?'. ``row_text`` already sanitises titles and outlets; this also covers
    what it passes through as is (a stored date), so nothing from the store reaches
    the terminal as an escape sequence."""
    return "".join("?" if (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0) else c for c in text)


def cells(text: str, width: int) -> str:
    """``text`` cut or padded to exactly ``width`` terminal columns (wide characters
    count two, as Textual crops them), so the border stays in its column."""
    out: list[str] = []
    used = 0
    for ch in text:
        w = _char_width(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


def _styled(text: str, *sgr: str) -> str:
    return "".join(sgr) + text + RESET if sgr else text


def _row_line(row: StoryRow, geo: Layout, is_cursor: bool, thumb: bool) -> str:
    rt = row_text(row, geo.row_width)
    text_style = DIM if row.read else BOLD
    cursor = (REVERSE,) if is_cursor else ()
    # Cut the four cells to the row's columns together, then style each part.
    parts = [(inert(rt.mark), text_style), (inert(rt.star), ""), (inert(rt.title), text_style), (inert(rt.tail), DIM)]
    left = geo.row_width
    out = []
    for text, style in parts:
        piece = cells(text, min(left, _width(text)))
        left -= _width(piece)
        out.append(_styled(piece, *(s for s in (style, *cursor) if s)))
    if left > 0:
        out.append(_styled(" " * left, *cursor))
    out.append(THUMB if thumb else " ")
    return "".join(out)


def _width(text: str) -> int:
    return sum(_char_width(c) for c in text)


def hint_cells(config: Any) -> list[tuple[str, str]]:
    """The key-hints line as (key, word) pairs, as ``NewsReaderApp._key_hints`` builds it."""
    out = []
    for action in km.ACTIONS:
        keys = config.keys.get(action.id, ())
        if not action.show or not keys:
            continue
        out.append((km.display_key(keys[0]), action.hint or action.description))
    return out


def render(rows: Sequence[StoryRow], total: int, width: int, height: int, *, narrow_below: int,
           hints: Sequence[tuple[str, str]] = ()) -> str:
    """One whole frame: alternate screen, cleared, the list's first screenful, key hints."""
    geo = layout(width, height, narrow_below)
    out = [ALT_SCREEN_ON, HIDE_CURSOR, RESET, CLEAR]
    # The filter bar: " 12,345 stories", dim, inside #left's padding.
    bar = cells(f"{total:,} stories", max(0, geo.list_width - 2))
    out.append("\x1b[1;1H " + _styled(bar, DIM) + " " + BORDER)
    # The scroll thumb as the list computes it (LineView._thumb), scrolled to the top.
    n, h = total, geo.list_rows
    t0, t1 = (0, max(1, h * h // n)) if n > h and h > 0 else (0, 0)
    for y in range(h):
        line = f"\x1b[{y + 2};1H"
        if y < len(rows):
            line += _row_line(rows[y], geo, y == 0, t0 <= y < t1)
        else:
            line += " " * geo.row_width + (THUMB if t0 <= y < t1 else " ")
        out.append(line + BORDER)
    if hints and height >= 2:
        line, used = [], 0
        for key, word in hints:
            for text, style in ((f" {inert(key)} ", (BOLD, REVERSE)), (f"{inert(word)} ", ())):
                piece = cells(text, min(_width(text), width - used))
                used += _width(piece)
                line.append(_styled(piece, *style))
        out.append(f"\x1b[{height};1H" + "".join(line))
    out.append(RESET)
    return "".join(out)


def read_rows(store_path: Path, count: int) -> tuple[list[StoryRow], int] | None:
    """The first ``count`` stories and how many there are; None for a missing or empty store."""
    if not store_path.is_file():
        return None
    store = Store(store_path, readonly=True)
    try:
        ids = store.story_order(limit=max(1, count))
        if not ids:
            return None
        found = store.story_rows(ids)
        return [found[i] for i in ids if i in found], store.story_total()
    finally:
        store.close()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def wanted(stdin: Any, stdout: Any, stderr: Any, environ: Mapping[str, str]) -> bool:
    """Paint only on a real terminal Textual will drive: all three streams TTYs (Textual
    reads stdin and writes stderr; a redirected stdout means a script, not a person),
    a TERM that understands escapes, and Textual's own Linux driver."""
    term = environ.get("TERM", "")
    return (all(_isatty(s) for s in (stdin, stdout, stderr)) and term not in ("", "dumb")
            and not environ.get("TEXTUAL_DRIVER") and sys.platform != "win32")


def _quiet_attrs(attrs: list) -> list:
    """Textual's own input mode (no echo, no line editing, CR kept as CR so Enter stays
    Enter), but with signals kept so Ctrl+C still interrupts a slow start."""
    new = list(attrs)
    new[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN)  # lflag
    new[0] &= ~(termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR)  # iflag
    cc = list(new[6])
    cc[termios.VMIN] = 1
    cc[termios.VTIME] = 0
    new[6] = cc
    return new


@dataclass(slots=True)
class Handoff:
    """The terminal state the first paint changed, until Textual takes it over."""

    in_fd: int
    out_fd: int
    saved: list | None  # stdin's termios attributes before the paint
    taken_over: bool = False  # Textual's driver has started
    released: bool = False

    def release(self) -> None:
        """Undo the paint's terminal changes. Before Textual started: leave the alternate
        screen and show the cursor; always: the original input mode (TCSANOW, so typed
        keys stay queued). Safe to call twice."""
        if self.released:
            return
        self.released = True
        if not self.taken_over:
            _write_all(self.out_fd, (RESET + ALT_SCREEN_OFF + SHOW_CURSOR).encode())
        if self.saved is not None:
            try:
                termios.tcsetattr(self.in_fd, termios.TCSANOW, self.saved)
            except termios.error:
                pass

    def driver_class(self, base: type) -> type:
        """``base`` (Textual's LinuxDriver) made to keep the painted picture.

        Its first start skips entering the alternate screen (this paint already did,
        and saved the cursor the same way; terminals that clear on a repeated ?1049h
        would blank the picture), and records the terminal mode from before the paint
        as the one to restore on exit and suspend, not the paint's no-echo mode.
        Later starts (resume after Ctrl+Z) are Textual's own."""
        handoff = self

        class FirstPaintDriver(base):  # type: ignore[misc, valid-type]
            _keep_picture = False

            def start_application_mode(self) -> None:
                first = not handoff.taken_over
                handoff.taken_over = True
                self._keep_picture = first
                try:
                    super().start_application_mode()
                finally:
                    self._keep_picture = False
                if first and handoff.saved is not None and getattr(self, "attrs_before", None) is not None:
                    self.attrs_before = handoff.saved

            def write(self, data: str) -> None:
                if self._keep_picture and data == ALT_SCREEN_ON:
                    return
                super().write(data)

        return FirstPaintDriver


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def paint(config: Any, store_path: Path, *, stdin: TextIO | None = None, stdout: TextIO | None = None,
          stderr: TextIO | None = None, environ: Mapping[str, str] | None = None) -> Handoff | None:
    """Paint the first screenful if this is a terminal and the store has stories.

    Returns the ``Handoff`` to give Textual's driver and to release once the app has
    run, or None when nothing was painted. Never raises: a first paint that fails is
    skipped (and whatever it changed is undone), the app starts as it would anyway.
    """
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    environ = os.environ if environ is None else environ
    handoff: Handoff | None = None
    try:
        if not wanted(stdin, stdout, stderr, environ):
            return None
        in_fd, out_fd = stdin.fileno(), stderr.fileno()  # Textual writes to stderr
        width, height = os.get_terminal_size(out_fd)
        if width < 40 or height < 4:
            return None
        got = read_rows(store_path, height - 2)
        if got is None:
            return None  # the app shows its own import progress on an empty store
        rows, total = got
        frame = render(rows, total, width, height, narrow_below=int(config.get("ui.sidebar_min_width")),
                       hints=hint_cells(config))
        saved = termios.tcgetattr(in_fd)
        handoff = Handoff(in_fd, out_fd, saved)
        termios.tcsetattr(in_fd, termios.TCSANOW, _quiet_attrs(saved))
        _write_all(out_fd, frame.encode("utf-8", "replace"))
        return handoff
    except Exception:
        if handoff is not None:
            try:
                handoff.release()
            except Exception:
                pass
        return None
