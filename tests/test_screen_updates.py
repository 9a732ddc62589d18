"""What reaches the terminal: the reader sends only the cells a key changes, and
repaints lines it painted before without painting them again (tui/ui/compositor.py,
tui/ui/line_view.py). Whatever it skips, the screen a person sees after any run of
keys must be exactly the screen a fresh full paint gives."""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import ControlType, Segment
from rich.style import Style

from conftest import write_articles
from test_app import make_app, settle
from tui.importer import Importer
from tui.store import Store
from tui.ui.story_list import StoryList


class VirtualTerminal:
    """A grid of (character, style) cells fed the updates the app writes to the terminal."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells: list[list[tuple[str, Style | None]]] = [[(" ", None)] * width for _ in range(height)]
        self.updates = 0

    def apply(self, app, update) -> None:
        self.updates += 1
        x = y = 0
        for seg in update.__rich_console__(app.console, app.console.options):
            seg: Segment
            if seg.control:
                for code in seg.control:
                    if code[0] == ControlType.CURSOR_MOVE_TO:
                        x, y = code[1], code[2]
                continue
            for ch in seg.text:
                if ch == "\n":
                    x, y = 0, y + 1
                    continue
                if 0 <= y < self.height and 0 <= x < self.width:
                    self.cells[y][x] = (ch, seg.style)
                x += cell_len(ch)

    def lines(self) -> list[str]:
        return ["".join(ch for ch, _ in row) for row in self.cells]


def capture(app) -> VirtualTerminal:
    """Send what the app would write to the terminal to a virtual one (headless apps write nothing)."""
    term = VirtualTerminal(app.size.width, app.size.height)
    app._display = lambda screen, update: update is not None and term.apply(app, update)
    app.screen.refresh()  # a first full frame, as a real terminal gets at start
    return term


def fresh_paint(app) -> VirtualTerminal:
    term = VirtualTerminal(app.size.width, app.size.height)
    term.apply(app, app.screen._compositor.render_update(full=True))
    return term


def assert_fresh(app, term: VirtualTerminal) -> None:
    seen = term.cells
    expected = fresh_paint(app).cells
    wrong = [y for y in range(len(seen)) if seen[y] != expected[y]]
    assert not wrong, "\n".join(f"{y}: shown {''.join(c for c, _ in seen[y])!r}\n"
                                f"{y}: fresh {''.join(c for c, _ in expected[y])!r}" for y in wrong)


async def test_the_screen_after_moves_scrolls_marks_and_focus_changes_is_a_fresh_paint(store_path, tmp_path):
    write_articles(tmp_path / "more", 24, seed=7)
    with Store(store_path) as store:
        Importer(store).import_paths([tmp_path / "more"])
    app = make_app(store_path)
    async with app.run_test(size=(100, 12)) as pilot:
        await settle(pilot)
        term = capture(app)
        lst = app.query_one(StoryList)
        assert lst.line_count() > 2 * lst.size.height, "enough stories to scroll"
        for _ in range(lst.size.height + 4):  # past the bottom: every key scrolls the list by a line
            await pilot.press("j")
        assert lst.top > 0
        await pilot.press("k", "k", "m", "s")  # marks change the row's look
        await settle(pilot)
        await pilot.press("k")
        assert_fresh(app, term)
        for _ in range(lst.size.height + 2):  # back up past the top: rows painted before come back
            await pilot.press("k")
        await pilot.press("pagedown", "j", "tab")  # the cursor dims when focus leaves the list
        await settle(pilot)
        await pilot.press("shift+tab", "shift+tab", "j", "G", "k")
        await settle(pilot)
        await pilot.press("slash", "x")  # the search box pushes the list down, filtered
        await settle(pilot)
        assert_fresh(app, term)
        await pilot.press("escape", "j")
        await settle(pilot)
        assert term.updates > 20
        assert_fresh(app, term)
