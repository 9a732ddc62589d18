"""The story list: a Line-API widget that renders only the rows on screen.

A widget per row costs seconds at 10,000 stories; this list keeps only the
ordered story ids and fetches the few rows it paints, in pages, from the store,
so 100,000 stories scroll and paint like ten.

It scrolls itself (``LineView``): a cursor move repaints two rows, a scroll
repaints the rows on screen from a cache of painted rows.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from tui.store import StoryRow
from tui.ui.line_view import LineView
from tui.ui.rowtext import fit, row_text

PAGE = 200
CACHE_ROWS = 5000


class StoryList(LineView, can_focus=True):
    """Newest-first stories; one line each: marks, title, outlets, date."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Next", id="list.cursor_down", show=False),
        Binding("k,up", "cursor_up", "Previous", id="list.cursor_up", show=False),
        Binding("pagedown,space", "page_down", "Page down", id="list.page_down", show=False),
        Binding("pageup,b", "page_up", "Page up", id="list.page_up", show=False),
        Binding("g,home", "first", "First", id="list.first", show=False),
        Binding("G,end", "last", "Last", id="list.last", show=False),
        Binding("enter,l", "open", "Open", id="list.open", show=False),
    ]

    COMPONENT_CLASSES = {
        "story-list--cursor",
        "story-list--cursor-blurred",
        "story-list--unread",
        "story-list--read",
        "story-list--meta",
        "story-list--star",
    }

    # repaint=False: a cursor move repaints the two rows it changes (watch_cursor), not the list.
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    class Highlighted(Message, bubble=False):
        """Sent straight to the app, which alone acts on it: bubbling up through
        four containers cost four message dispatches on every key repeat."""

        def __init__(self, story_id: int | None) -> None:
            super().__init__()
            self.story_id = story_id

    class Opened(Message):
        def __init__(self, story_id: int) -> None:
            super().__init__()
            self.story_id = story_id

    def __init__(self, fetch: Callable[[Sequence[int]], dict[int, StoryRow]], **kwargs) -> None:
        super().__init__(**kwargs)
        self._fetch = fetch
        self._ids: list[int] = []
        self._rows: OrderedDict[int, StoryRow] = OrderedDict()
        self.empty_text = "No stories."
        # Painted rows (cursor row excepted) by (story, width), for the styles in
        # _painted_with: a scroll by one line shifts the rows on screen, so all but
        # one are already painted, and a focus change only restyles the cursor row.
        self._painted: dict[tuple[int, int], list[Segment]] = {}
        self._painted_with: tuple[Style, ...] = ()

    def _cursor_style(self) -> Style:
        # Two classes rather than a :focus rule: a component style that changes with
        # focus makes Textual repaint the whole list on every focus change.
        return self.cached_style("story-list--cursor" if self.has_focus else "story-list--cursor-blurred")

    # -- data ------------------------------------------------------------------

    @property
    def story_ids(self) -> list[int]:
        return self._ids

    def set_ids(self, ids: list[int], *, keep: int | None = None) -> None:
        """Show these stories; keep the cursor on story ``keep`` when it is still there."""
        self._ids = ids
        self._rows.clear()
        self._painted.clear()
        self.forget_lines()
        pos = 0
        if keep is not None:
            try:
                pos = ids.index(keep)
            except ValueError:
                pos = min(self.cursor, max(0, len(ids) - 1))
        self._top = max(0, min(self._top, self.max_top))
        self.cursor = pos
        self.refresh()

    def invalidate(self, story_id: int | None = None) -> None:
        """Forget cached rows (one story's, or all) so they are read again."""
        if story_id is None:
            self._rows.clear()
            self._painted.clear()
            self.forget_lines()
            self.refresh()
            return
        self._rows.pop(story_id, None)
        for key in [k for k in self._painted if k[0] == story_id]:
            del self._painted[key]
        self.forget_lines(lambda key: key[0] == story_id)  # type: ignore[index]
        # Only its line, when on screen (marking a story read must not repaint the list).
        shown = self._ids[self._top : self._top + self.size.height]
        if story_id in shown:
            self.refresh_content_line(self._top + shown.index(story_id))

    # Focus moves on every open and back. Textual's own handlers (called after these
    # unless the default is prevented) repaint the whole widget; only the cursor row's
    # style depends on focus here.  ``has_focus`` is set without its watcher, which
    # re-runs the whole stylesheet against the list for a :focus rule it does not have
    # (app.tcss must keep it that way: tests/test_app.py checks).
    def _on_focus(self, event: events.Focus) -> None:
        event.prevent_default()
        self._drop_styles()
        self.set_reactive(Widget.has_focus, True)
        self.refresh_content_line(self.cursor)
        if self.parent is not None:
            self.parent.post_message(events.DescendantFocus(self))

    def _on_blur(self, event: events.Blur) -> None:
        event.prevent_default()
        self._drop_styles()
        self.set_reactive(Widget.has_focus, False)
        self.refresh_content_line(self.cursor)
        if self.parent is not None:
            self.parent.post_message(events.DescendantBlur(self))

    @property
    def current(self) -> int | None:
        if 0 <= self.cursor < len(self._ids):
            return self._ids[self.cursor]
        return None

    def _row(self, index: int) -> StoryRow | None:
        sid = self._ids[index]
        row = self._rows.get(sid)
        if row is None:
            start = max(0, index - PAGE // 4)
            page = self._ids[start : start + PAGE]
            fetched = self._fetch(page)
            for k in page:
                if k in fetched:
                    self._rows[k] = fetched[k]
            while len(self._rows) > CACHE_ROWS:
                self._rows.popitem(last=False)
            row = self._rows.get(sid)
        return row

    # -- rendering ---------------------------------------------------------------

    def line_count(self) -> int:
        return len(self._ids)

    def line_key(self, index: int) -> tuple[int, bool] | None:
        # A row looks the same wherever it is on screen: its story, and whether the
        # cursor is on it (the cursor's own look changes with focus, which forgets all).
        if 0 <= index < len(self._ids):
            return self._ids[index], index == self.cursor
        return None

    def render_content_line(self, index: int, width: int) -> Strip:
        base = self.cached_style("base")
        if not self._ids:
            return Strip([Segment(fit(" " + self.empty_text if index == 0 else "", width), base)], width)
        row = self._row(index) if index < len(self._ids) else None
        if row is None:
            return Strip.blank(width, base)
        if index == self.cursor:
            return Strip(self._render_row(row, width, True), width)
        segs = self._painted.get((row.id, width))
        if segs is None:
            segs = self._painted[(row.id, width)] = self._render_row(row, width, False)
        return Strip(segs, width)

    def prepare_paint(self) -> None:
        styles = tuple(self.cached_style(c) for c in ("base", "story-list--read", "story-list--unread",
                                                       "story-list--meta", "story-list--star"))
        if styles != self._painted_with or len(self._painted) > 2000:
            self._painted.clear()
            self.forget_lines()
            self._painted_with = styles

    def _render_row(self, row: StoryRow, width: int, is_cursor: bool) -> list[Segment]:
        base = self.cached_style("base")
        text_style = self.cached_style("story-list--read" if row.read else "story-list--unread")
        cells = row_text(row, width)
        segs = [
            Segment(cells.mark, base + text_style),
            Segment(cells.star, base + self.cached_style("story-list--star")),
            Segment(cells.title, base + text_style),
            Segment(cells.tail, base + self.cached_style("story-list--meta")),
        ]
        strip = Strip(segs).crop_extend(0, width, base)
        if is_cursor:
            strip = self.highlight(strip, self._cursor_style())
        return list(strip)

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        self.scroll_to_region_for_cursor()

    # -- cursor ----------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        n = len(self._ids)
        if n and not 0 <= new < n:
            self.cursor = max(0, min(new, n - 1))
            return
        if not (n and self.scroll_to_region_for_cursor()):
            # No scroll: only the two rows whose highlight changed are painted again.
            for index in {old, new}:
                self.refresh_content_line(index)
        self.app.post_message(self.Highlighted(self.current))

    def scroll_to_region_for_cursor(self) -> bool:
        """Scroll so the cursor is visible; True when that scrolled."""
        return self.keep_in_view(self.cursor, self.cursor + 1)

    def action_cursor_down(self) -> None:
        if self.cursor < len(self._ids) - 1:
            self.cursor += 1

    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            self.cursor -= 1

    def action_page_down(self) -> None:
        step = max(1, self.size.height - 1)
        self.cursor = min(len(self._ids) - 1, self.cursor + step)

    def action_page_up(self) -> None:
        step = max(1, self.size.height - 1)
        self.cursor = max(0, self.cursor - step)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(0, len(self._ids) - 1)

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current))

    def move_to(self, story_id: int) -> bool:
        try:
            self.cursor = self._ids.index(story_id)
        except ValueError:
            return False
        return True

    def on_click(self, event: events.Click) -> None:
        if self.thumb_click(event):
            return
        index = self._top + event.get_content_offset_capture(self).y
        if 0 <= index < len(self._ids):
            already = index == self.cursor
            self.cursor = index
            if already or event.chain >= 2:
                self.action_open()
