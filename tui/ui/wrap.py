"""Word-wrapping styled text into painted lines, quickly.

Opening a story wraps its whole text (and the sidebar items) to the pane
width. ``rich.text.Text.wrap`` plus rendering each line took ~7 ms for a
5,000-character article here -- a quarter of the budget for opening a story.
Our texts are simple (a base style and a few spans: a highlighted quote, a dim
count), so a greedy wrap over words and a direct cut into segments does the
same job in a fraction of the time.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_WORD = re.compile(r"\S+\s*")


def _width(s: str) -> int:
    return len(s) if s.isascii() else cell_len(s)


def _take(plain: str, a: int, end: int, room: int) -> int:
    """End of the longest run from ``a`` that fits ``room`` cells (at least one character)."""
    b, used = a, 0
    while b < end:
        w = _width(plain[b])
        if used + w > room and b > a:
            break
        used += w
        b += 1
    return b


def _ascii_ranges(para: str, p0: int, lead: int, width: int) -> list[tuple[int, int]]:
    """``line_ranges`` for one ASCII paragraph: one cell per character, so offsets are widths."""
    out = []
    start, end = 0, lead
    has_word = False
    for m in _WORD.finditer(para, lead):
        w0 = m.start()
        w1 = w0 + len(m.group().rstrip())
        if has_word and w1 - start > width:
            out.append((p0 + start, p0 + end))
            start, has_word = w0, False
        if w1 - start > width:  # wider than a line: cut it
            while w1 - start > width:
                out.append((p0 + start, p0 + start + width))
                start += width
        end, has_word = w1, True
    out.append((p0 + start, p0 + end))
    return out


def line_ranges(plain: str, width: int) -> list[tuple[int, int]]:
    """[start, end) offsets of each wrapped line: greedy by words, trailing spaces dropped,
    explicit newlines kept, a paragraph's leading spaces kept, over-long words cut."""
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    pos = 0
    for para in plain.split("\n"):
        p0 = pos
        pos += len(para) + 1
        if _width(para) <= width:
            lines.append((p0, p0 + len(para.rstrip())))
            continue
        lead = len(para) - len(para.lstrip())
        if para.isascii():
            lines.extend(_ascii_ranges(para, p0, lead, width))
            continue
        start, end, used, has_word = p0, p0 + lead, _width(para[:lead]), False
        count = len(lines)
        for m in _WORD.finditer(para, lead):
            w0 = p0 + m.start()
            w1 = w0 + len(m.group().rstrip())
            ww = _width(plain[w0:w1])
            gap = _width(plain[end:w0]) if has_word else 0
            if has_word and used + gap + ww > width:
                lines.append((start, end))
                start, end, used, has_word, gap = w0, w0, 0, False, 0
            if used + gap + ww > width:  # wider than a line: cut it
                if not has_word:
                    start, used = w0, 0  # an indent that leaves no room is dropped
                a, room = w0, width - used - gap
                while _width(plain[a:w1]) > room:
                    b = _take(plain, a, w1, room)
                    lines.append((start, b))
                    start = a = b
                    room = width
                end, used, has_word = w1, _width(plain[start:w1]), True
                continue
            end, used, has_word = w1, used + gap + ww, True
        if start < end or len(lines) == count:
            lines.append((start, end))
    return lines


class _Styler:
    """Segments for a range of a Text, its spans applied over its base style."""

    def __init__(self, text: Text) -> None:
        base = text.style
        self.base = Style.parse(base) if isinstance(base, str) else (base or Style())
        self.spans = [(s.start, s.end, Style.parse(s.style) if isinstance(s.style, str) else s.style)
                      for s in text.spans if s.end > s.start]
        self.plain = text.plain

    def segments(self, a: int, b: int) -> list[Segment]:
        plain = self.plain
        if not self.spans:
            return [Segment(plain[a:b], self.base)] if b > a else []
        cuts = {a, b}
        for s, e, _ in self.spans:
            if a < s < b:
                cuts.add(s)
            if a < e < b:
                cuts.add(e)
        points = sorted(cuts)
        out = []
        for x, y in zip(points, points[1:]):
            style = self.base
            for s, e, st in self.spans:
                if s <= x and y <= e:
                    style = style + st
            out.append(Segment(plain[x:y], style))
        return out


def wrap(text: Text, width: int) -> list[tuple[list[Segment], int]]:
    """The lines of ``text`` at ``width``: each its segments and its cell width."""
    styler = _Styler(text)
    out = []
    for a, b in line_ranges(text.plain, width):
        segs = styler.segments(a, b)
        out.append((segs, _width(text.plain[a:b])))
    return out
