"""A selectable list of wrapped text items, painted with the Line API.

Textual's OptionList re-lays out the whole screen whenever its options change,
which made opening a story cost a full layout pass per sidebar pane. This list
wraps its items itself and scrolls itself (``LineView``), so refilling it
costs a repaint of the pane alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.message import Message
from textual.strip import Strip

from tui.ui.line_view import WrappedView


@dataclass(slots=True)
class Item:
    """One entry: a prompt, and an id when it can be selected (headers have none)."""

    prompt: Text
    id: str | None = None

    @property
    def disabled(self) -> bool:
        return self.id is None


class LineList(WrappedView, can_focus=True):
    """Items with a cursor; Enter or a click posts ``Selected``."""

    # Two classes rather than a :focus rule (see StoryList._cursor_style).
    COMPONENT_CLASSES = {"line-list--cursor", "line-list--cursor-blurred"}

    class Selected(Message):
        def __init__(self, item: Item, index: int) -> None:
            super().__init__()
            self.item = item
            self.index = index

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.items: list[Item] = []
        self._highlighted: int | None = None

    # -- OptionList-like access (tests and callers) ------------------------------

    @property
    def option_count(self) -> int:
        return len(self.items)

    def get_option_at_index(self, index: int) -> Item:
        return self.items[index]

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None and not (0 <= index < len(self.items) and not self.items[index].disabled):
            return
        self._highlighted = index
        self._scroll_to_highlight()
        self.refresh()

    # -- content -------------------------------------------------------------------

    def set_items(self, items: list[Item]) -> None:
        self.items = items
        self.rewrap(force=True)
        self._highlighted = next((i for i, it in enumerate(items) if not it.disabled), None)
        self._top = 0
        self.refresh()

    def blocks(self) -> list[Text]:
        return [item.prompt for item in self.items]

    def decorate(self, strip: Strip, block: int) -> Strip:
        if block != self._highlighted:
            return strip
        return self.highlight(strip, self.cached_style(
            "line-list--cursor" if self.has_focus else "line-list--cursor-blurred"))

    # -- cursor ----------------------------------------------------------------------

    def _scroll_to_highlight(self) -> None:
        if self._highlighted is None or not self._first_line:
            return
        top = self._first_line[self._highlighted]
        nxt = self._first_line[self._highlighted + 1] if self._highlighted + 1 < len(self._first_line) else len(self._lines)
        self.keep_in_view(top, nxt)

    def _step(self, step: int) -> None:
        if not self.items:
            return
        i = self._highlighted if self._highlighted is not None else (-1 if step > 0 else len(self.items))
        i += step
        while 0 <= i < len(self.items):
            if not self.items[i].disabled:
                self.highlighted = i
                return
            i += step

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_select(self) -> None:
        if self._highlighted is not None:
            self.post_message(self.Selected(self.items[self._highlighted], self._highlighted))

    def on_click(self, event: events.Click) -> None:
        if self.thumb_click(event):
            return
        line = self._top + event.get_content_offset_capture(self).y
        if 0 <= line < len(self._lines):
            item = self._lines[line][2]
            if not self.items[item].disabled:
                self.highlighted = item
                self.action_select()
