"""Modal screens: help (the effective keys), and the versions of a story."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui import keymap as km
from tui.sanitize import display_line
from tui.store import ArticleInfo

CONTEXT_TITLES = {
    "global": "Everywhere",
    "list": "Story list",
    "article": "Full text",
    "panes": "Entities and quotes",
}


def help_table(keys: dict[str, tuple[str, ...]]) -> Table:
    """The effective bindings by context, as the user configured them."""
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold")
    table.add_column()
    for ctx in km.CONTEXTS:
        table.add_row(Text(CONTEXT_TITLES[ctx], style="bold underline"), Text(""))
        for action in km.ACTIONS:
            if action.context != ctx:
                continue
            shown = ", ".join(km.display_key(k) for k in keys.get(action.id, ())) or "(unbound)"
            table.add_row(Text(shown), Text(action.description))
        table.add_row(Text(""), Text(""))
    return table


class HelpScreen(ModalScreen[None]):
    """Lists every action with the keys it has now (after the user's config)."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, keys: dict[str, tuple[str, ...]], config_source: str | None) -> None:
        super().__init__()
        self._keys = keys
        self._source = config_source

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Text("newsreader — keys", style="bold"), id="help-title")
            src = self._source or "built-in defaults (no user config)"
            yield Static(Text(f"config: {display_line(src)}", style="dim"))
            with VerticalScroll(id="help-scroll"):
                yield Static(help_table(self._keys))
            yield Static(Text("Esc closes", style="dim"))

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(None)


class VersionsScreen(ModalScreen[tuple[str, int] | None]):
    """Every copy of the story: Enter shows it, d diffs it against the canonical, x splits it out."""

    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("d", "diff", "Diff"),
        Binding("x", "split", "Split out"),
    ]

    def __init__(self, title: str, versions: list[ArticleInfo], current: int) -> None:
        super().__init__()
        self._title = title
        self._versions = versions
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="versions-box"):
            yield Static(Text(f"Versions of: {display_line(self._title, 200)}", style="bold"))
            options = []
            for i, v in enumerate(self._versions):
                label = Text(f"{'canonical' if i == 0 else f'version {i + 1}':<10} ", style="bold" if i == 0 else "")
                label += Text(f"{display_line(v.outlet or 'unknown outlet', 40):<24} {v.published or 'undated':<10} "
                              f"{v.length:>8,} chars  ")
                label += Text(display_line(v.source, 200), style="dim")
                options.append(Option(label, id=f"v{i}"))
            ol = OptionList(*options, id="versions-list")
            yield ol
            yield Static(Text("Enter: show   d: diff against canonical   x: split this version out   Esc: close",
                              style="dim"))

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.highlighted = self._current
        ol.focus()

    def _index(self) -> int | None:
        return self.query_one(OptionList).highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(("show", event.option_index))

    def action_diff(self) -> None:
        i = self._index()
        if i is not None:
            self.dismiss(("diff", i))

    def action_split(self) -> None:
        i = self._index()
        if i is not None:
            self.dismiss(("split", i))

    def action_close(self) -> None:
        self.dismiss(None)
