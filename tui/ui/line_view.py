"""The base of every pane: pre-wrapped lines, scrolled by the widget itself.

The story list, the full text and the two sidebar panes all show lines that
are computed once (rows, wrapped paragraphs, wrapped items) and paint only the
ones on screen (Textual's Line API). They scroll themselves -- a top line and
a one-column thumb they paint -- instead of through Textual's ScrollView,
because a ScrollView scroll also re-renders a scrollbar widget and, through
the compositor's clipping, its neighbours: ~2 ms per scrollbar per frame here.
Styles resolved from CSS are cached until the styles change (or focus moves),
because ``rich_style`` walks every ancestor and cost more than the text itself.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from tui.ui.wrap import wrap

WHEEL_STEP = 3  # lines per mouse-wheel notch
MAX_KEPT_STRIPS = 2000  # finished lines kept for reuse (a few screenfuls of scrolling)


class LineView(Widget):
    """Shows ``line_count()`` lines from ``top``; subclasses paint each one."""

    COMPONENT_CLASSES = {"line-view--thumb"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._top = 0
        self._style_cache: dict[str, Style] = {}
        self._paint: tuple[int, Segment, Segment, int, int] = (0, Segment(" "), Segment(" "), 0, 0)
        # Finished lines (Textual's styles and filters applied) by (line_key, thumb shown),
        # valid for the look in _strips_look. A scroll by one line moves every line on
        # screen: Textual paints them all again (~40 lines through its styles cache, then
        # cut and encoded anew by the compositor); handing back the very Strip painted
        # before also reuses what Textual caches on it (its cuts, its terminal text).
        self._strips: dict[tuple[Hashable, bool], Strip] = {}
        self._strips_look: tuple = ()

    # -- what subclasses provide -------------------------------------------------

    def line_count(self) -> int:
        raise NotImplementedError

    def render_content_line(self, index: int, width: int) -> Strip:
        """Line ``index`` of the content, exactly ``width`` cells wide (``index`` may be past the end)."""
        raise NotImplementedError

    def line_key(self, index: int) -> Hashable | None:
        """What content line ``index`` shows, as a key that changes whenever its painting
        would (None: paint it afresh every time, the default). Keyed lines are painted once
        and reused wherever they land on screen, until ``forget_lines`` or a style change."""
        return None

    # -- styles ------------------------------------------------------------------

    def cached_style(self, name: str) -> Style:
        """``base`` (the widget's own style) or a component class, resolved once per style change."""
        style = self._style_cache.get(name)
        if style is None:
            style = self.rich_style if name == "base" else self.get_component_rich_style(name)
            self._style_cache[name] = style
        return style

    def _drop_styles(self) -> None:
        self._style_cache.clear()
        self._strips.clear()

    def forget_lines(self, matches: Callable[[Hashable], bool] | None = None) -> None:
        """Paint again the lines whose key ``matches`` (all lines when None) next time they show."""
        if matches is None:
            self._strips.clear()
        else:
            for key in [k for k in self._strips if matches(k[0])]:
                del self._strips[key]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drop_styles()

    # Textual calls the handler of every class in the MRO (Widget's too): no super() here.
    def _on_focus(self, event: events.Focus) -> None:
        self._drop_styles()

    def _on_blur(self, event: events.Blur) -> None:
        self._drop_styles()

    # -- painting ------------------------------------------------------------------

    @property
    def top(self) -> int:
        """Index of the content line on the first screen line."""
        return self._top

    @property
    def content_width(self) -> int:
        """Columns for the content: the last one holds the scroll thumb."""
        return max(0, self.size.width - 1)

    def _thumb(self) -> tuple[int, int]:
        """The thumb's first and last+1 screen lines; (0, 0) when everything fits."""
        height, n = self.size.height, self.line_count()
        if n <= height or height <= 0:
            return 0, 0
        size = max(1, height * height // n)
        start = self._top * (height - size) // max(1, n - height)
        return start, start + size

    @staticmethod
    def highlight(strip: Strip, style: Style) -> Strip:
        """``strip`` with ``style`` laid over it (a cursor): unlike ``Strip.apply_style``,
        whose style goes under the segments' own, so their background hid the cursor."""
        return Strip(Segment.apply_style(strip, post_style=style), strip.cell_length)

    def render_lines(self, crop: Region) -> list[Strip]:
        # Once per paint, not per line: the size is looked up through the screen's map.
        width = self.content_width
        t0, t1 = self._thumb()
        thumb_style = self.cached_style("base") + self.cached_style("line-view--thumb")
        self._paint = (width, Segment("▐", thumb_style), Segment(" ", thumb_style), t0, t1)
        self.prepare_paint()
        if type(self).line_key is LineView.line_key or not self._reusable(crop):
            return super().render_lines(crop)  # nothing to reuse: no keys (the text, the panes)
        # Everything else a finished line depends on, besides its key and the thumb.
        look = (self.size, tuple(map(id, self.get_line_filters())), self.background_colors, self.opacity)
        if look != self._strips_look or len(self._strips) > MAX_KEPT_STRIPS:
            self._strips.clear()
            self._strips_look = look
        top, kept = self._top, self._strips
        keys = [self.line_key(top + y) for y in crop.line_range]
        thumbs = [t0 <= y < t1 for y in crop.line_range]
        strips: list[Strip | None] = [None if key is None else kept.get((key, thumb))
                                      for key, thumb in zip(keys, thumbs)]
        start = 0
        while start < len(strips):
            if strips[start] is not None:
                start += 1
                continue
            end = start
            while end < len(strips) and strips[end] is None:
                end += 1
            painted = super().render_lines(Region(0, crop.y + start, crop.width, end - start))
            for i, strip in enumerate(painted, start):
                strips[i] = strip
                if keys[i] is not None:
                    kept[(keys[i], thumbs[i])] = strip
            start = end
        return strips  # type: ignore[return-value]  # every None was painted above

    def _reusable(self, crop: Region) -> bool:
        """Whether finished lines can be reused for ``crop``: whole lines of a widget
        whose screen lines are its content lines (no top or bottom border, padding or
        outline), as the story list is. Anything else is left to Textual as is."""
        if crop.x or crop.width != self.size.width:
            return False
        styles = self.styles
        gutter = styles.gutter
        if gutter.top or gutter.bottom:
            return False
        outline = styles.outline
        return not (outline[0][0] or outline[2][0])

    def prepare_paint(self) -> None:
        """Hook: called once before the lines of a paint are rendered."""

    def render_line(self, y: int) -> Strip:
        width, on, off, t0, t1 = self._paint
        line = self.render_content_line(self._top + y, width)
        return Strip([*line, on if t0 <= y < t1 else off], width + 1)

    def refresh_content_line(self, index: int) -> None:
        """Repaint one content line, if it is on screen."""
        y = index - self._top
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # -- scrolling -------------------------------------------------------------------

    @property
    def max_top(self) -> int:
        return max(0, self.line_count() - max(1, self.size.height))

    def scroll_top_to(self, top: int) -> bool:
        """Show content line ``top`` first; True when that changed anything."""
        top = max(0, min(top, self.max_top))
        if top == self._top:
            return False
        self._top = top
        self.refresh()
        return True

    def keep_in_view(self, first: int, end: int) -> bool:
        """Scroll the least so that content lines [first, end) are on screen (first wins)."""
        height = max(1, self.size.height)
        if first < self._top:
            return self.scroll_top_to(first)
        if end > self._top + height:
            return self.scroll_top_to(end - height if end - first <= height else first)
        return False

    def on_resize(self, event: events.Resize) -> None:
        self._top = max(0, min(self._top, self.max_top))
        self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_top_to(self._top + WHEEL_STEP)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.scroll_top_to(self._top - WHEEL_STEP)

    def thumb_click(self, event: events.Click) -> bool:
        """A click in the thumb column jumps there, as on a scrollbar; True when it was one."""
        at = event.get_content_offset_capture(self)
        if at.x < self.size.width - 1 or self.line_count() <= self.size.height:
            return False
        frac = at.y / max(1, self.size.height - 1)
        self.scroll_top_to(round(frac * self.max_top))
        return True

    def action_scroll_down(self) -> None:
        self.scroll_top_to(self._top + 1)

    def action_scroll_up(self) -> None:
        self.scroll_top_to(self._top - 1)

    def action_page_down(self) -> None:
        self.scroll_top_to(self._top + max(1, self.size.height - 1))

    def action_page_up(self) -> None:
        self.scroll_top_to(self._top - max(1, self.size.height - 1))

    def action_scroll_home(self) -> None:
        self.scroll_top_to(0)

    def action_scroll_end(self) -> None:
        self.scroll_top_to(self.max_top)


class WrappedView(LineView):
    """A LineView of text blocks (paragraphs, list items) wrapped to its width.

    Subclasses say what the blocks are (``blocks``) and may restyle a painted
    line by the block it belongs to (``decorate``); wrapping again on resize,
    the line count and the base painting are shared.
    """

    GAP_AFTER_BLOCK = False  # a blank line after each block (paragraphs)
    WRAP_MARGIN = 0  # columns left free before the thumb
    MIN_WIDTH = 8

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._lines: list[tuple[list[Segment], int, int]] = []  # (segments, cells, block index)
        self._first_line: list[int] = []  # each block's first line
        self._wrapped_width = -1

    def blocks(self) -> Sequence[Text]:
        raise NotImplementedError

    def decorate(self, strip: Strip, block: int) -> Strip:
        """Hook: a painted line of ``block``, restyled (a cursor) or as is."""
        return strip

    def rewrap(self, *, force: bool = False) -> None:
        """Wrap the blocks to the current width (again only if it changed, unless ``force``)."""
        width = max(self.MIN_WIDTH, (self.content_width or 80) - self.WRAP_MARGIN)
        if width == self._wrapped_width and not force:
            return
        lines: list[tuple[list[Segment], int, int]] = []
        first: list[int] = []
        for index, text in enumerate(self.blocks()):
            first.append(len(lines))
            lines.extend((segs, cells, index) for segs, cells in wrap(text, width))
            if self.GAP_AFTER_BLOCK:
                lines.append(([], 0, index))
        self._lines = lines
        self._first_line = first
        self._wrapped_width = width

    def on_resize(self, event: events.Resize) -> None:
        self.rewrap()
        super().on_resize(event)

    def line_count(self) -> int:
        return len(self._lines)

    def render_content_line(self, index: int, width: int) -> Strip:
        base = self.cached_style("base")
        if index >= len(self._lines):
            return Strip.blank(width, base)
        segs, cells, block = self._lines[index]
        if cells > width:
            return self.decorate(Strip(segs, cells).apply_style(base).crop_extend(0, width, base), block)
        # The same segments as the line above gives, in one new Strip rather than three
        # (each with its own caches): opening a story paints every line of the text and panes.
        styled = list(Segment.apply_style(segs, base))
        if cells < width:
            styled.append(Segment(" " * (width - cells), base))
        return self.decorate(Strip(styled, width), block)
