"""The story list: a Line-API widget that renders only the rows on screen.

A widget per row costs seconds at 10,000 stories; this list keeps only the
ordered story ids and fetches the few rows it paints, in pages, from the store,
so 100,000 stories scroll and paint like ten.

It scrolls itself (a top row and a one-column thumb it paints) rather than
through Textual's ScrollView: a cursor move that scrolls then repaints this
widget's lines only, where Textual's scrolling also repaints a scrollbar widget
and re-composes every widget beside the list -- the difference between ~6 and
~11 ms of CPU per key at key-repeat speed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from tui.store import StoryRow
from tui.ui.rowtext import fit, row_text

PAGE = 200
CACHE_ROWS = 5000


WHEEL_STEP = 3  # rows per mouse-wheel notch


class StoryList(Widget, can_focus=True):
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
        "story-list--unread",
        "story-list--read",
        "story-list--meta",
        "story-list--star",
        "story-list--thumb",
    }

    # repaint=False: a cursor move repaints the two rows it changes (watch_cursor), not the list.
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    class Highlighted(Message):
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
        self._styles: dict[str, Style] | None = None
        self._top = 0  # index of the story on the first line
        # Painted rows by (story, width, is cursor): a scroll by one line shifts the
        # rows on screen, so all but one are already painted.
        self._painted: dict[tuple[int, int, bool], list[Segment]] = {}

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def _on_focus(self, event: events.Focus) -> None:
        self._styles = None
        super()._on_focus(event)

    def _on_blur(self, event: events.Blur) -> None:
        self._styles = None
        super()._on_blur(event)

    def _style(self, name: str) -> Style:
        """Styles resolved once per theme/focus change: looking them up per line is slow."""
        if self._styles is None:
            styles = {"base": self.rich_style}
            for comp in self.COMPONENT_CLASSES:
                styles[comp] = self.get_component_rich_style(comp)
            cursor = styles["story-list--cursor"]
            styles["cursor"] = cursor if self.has_focus else cursor + Style(dim=True)
            self._styles = styles
            self._painted.clear()
        return self._styles[name]

    # -- data ------------------------------------------------------------------

    @property
    def story_ids(self) -> list[int]:
        return self._ids

    def set_ids(self, ids: list[int], *, keep: int | None = None) -> None:
        """Show these stories; keep the cursor on story ``keep`` when it is still there."""
        self._ids = ids
        self._rows.clear()
        self._painted.clear()
        pos = 0
        if keep is not None:
            try:
                pos = ids.index(keep)
            except ValueError:
                pos = min(self.cursor, max(0, len(ids) - 1))
        self._top = self._clamp_top(self._top)
        self.cursor = pos
        self.refresh()

    def invalidate(self, story_id: int | None = None) -> None:
        """Forget cached rows (one story's, or all) so they are read again."""
        if story_id is None:
            self._rows.clear()
        else:
            self._rows.pop(story_id, None)
        self._painted.clear()
        self.refresh()

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

    @property
    def top(self) -> int:
        """Index of the story on the first line."""
        return self._top

    def _thumb(self) -> tuple[int, int]:
        """The scroll thumb's first and last+1 lines; (0, 0) when everything fits."""
        height, n = self.size.height, len(self._ids)
        if n <= height or height <= 0:
            return 0, 0
        size = max(1, height * height // n)
        start = self._top * (height - size) // max(1, n - height)
        return start, start + size

    def render_line(self, y: int) -> Strip:
        index = self._top + y
        width = max(0, self.size.width - 1)  # the last column holds the scroll thumb
        base = self._style("base")
        t0, t1 = self._thumb()
        thumb = Segment("▐" if t0 <= y < t1 else " ", base + self._style("story-list--thumb"))
        if not self._ids:
            if y == 0:
                return Strip([Segment(fit(" " + self.empty_text, width), base), thumb])
            return Strip([Segment(" " * width, base), thumb])
        row = self._row(index) if index < len(self._ids) else None
        if row is None:
            return Strip([Segment(" " * width, base), thumb])
        key = (row.id, width, index == self.cursor)
        segs = self._painted.get(key)
        if segs is None:
            if len(self._painted) > 4 * CACHE_ROWS // 10:
                self._painted.clear()
            segs = self._painted[key] = self._render_row(row, width, index == self.cursor)
        return Strip([*segs, thumb])

    def _render_row(self, row: StoryRow, width: int, is_cursor: bool) -> list[Segment]:
        base = self._style("base")
        text_style = self._style("story-list--read" if row.read else "story-list--unread")
        cells = row_text(row, width)
        segs = [
            Segment(cells.mark, base + text_style),
            Segment(cells.star, base + self._style("story-list--star")),
            Segment(cells.title, base + text_style),
            Segment(cells.tail, base + self._style("story-list--meta")),
        ]
        strip = Strip(segs).crop_extend(0, width, base)
        if is_cursor:
            strip = strip.apply_style(self._style("cursor"))
        return list(strip)

    def on_resize(self, event: events.Resize) -> None:
        self._top = self._clamp_top(self._top)
        self.scroll_to_region_for_cursor()
        self.refresh()

    # -- scrolling -------------------------------------------------------------

    def _clamp_top(self, top: int) -> int:
        return max(0, min(top, len(self._ids) - max(1, self.size.height)))

    def _scroll_top(self, top: int) -> bool:
        """Show ``top`` on the first line; True when that changed anything."""
        top = self._clamp_top(top)
        if top == self._top:
            return False
        self._top = top
        self.refresh()
        return True

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._scroll_top(self._top + WHEEL_STEP)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._scroll_top(self._top - WHEEL_STEP)

    # -- cursor ----------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        n = len(self._ids)
        if n and not 0 <= new < n:
            self.cursor = max(0, min(new, n - 1))
            return
        if not (n and self.scroll_to_region_for_cursor()):
            # No scroll: only the two rows whose highlight changed are painted again.
            for index in {old, new}:
                if 0 <= index - self._top < self.size.height:
                    self.refresh(Region(0, index - self._top, self.size.width, 1))
        self.post_message(self.Highlighted(self.current))

    def scroll_to_region_for_cursor(self) -> bool:
        """Scroll so the cursor is visible; True when that scrolled."""
        height = self.size.height or 1
        if self.cursor < self._top:
            return self._scroll_top(self.cursor)
        if self.cursor >= self._top + height:
            return self._scroll_top(self.cursor - height + 1)
        return False

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
        if event.x >= self.size.width - 1 and len(self._ids) > self.size.height:
            # The thumb column: jump there, as on a scrollbar.
            frac = event.y / max(1, self.size.height - 1)
            self._scroll_top(round(frac * (len(self._ids) - self.size.height)))
            return
        index = self._top + event.y
        if 0 <= index < len(self._ids):
            already = index == self.cursor
            self.cursor = index
            if already or event.chain >= 2:
                self.action_open()
