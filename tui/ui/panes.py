"""The sidebar: the story's entities (by type, by mentions) and its quotes.

Both are ``LineList``s fed with ``Text`` prompts (never markup strings). They
only read what the store holds; the NLP ran at import time.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from tui.sanitize import display_line
from tui.store import EntityRow, QuoteRow
from tui.ui.line_list import Item, LineList

TYPE_TITLES = {"person": "People", "organization": "Organisations", "place": "Places"}


def _norm_quote(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').casefold().split())


def merge_quotes(quotes: list[QuoteRow], canonical_id: int | None) -> list[QuoteRow]:
    """Quotes of all versions, each said once: the canonical version's copy wins."""
    ordered = sorted(quotes, key=lambda q: (q.article_id != canonical_id, q.article_id, q.start))
    seen: list[str] = []
    out: list[QuoteRow] = []
    for q in ordered:
        n = _norm_quote(q.text)
        if any(n == s or (len(n) > 20 and (n in s or s in n)) for s in seen):
            continue
        seen.append(n)
        out.append(q)
    return out


class EntityPane(LineList):
    """People, organisations and places of the story, with mention counts."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", id="panes.cursor_down", show=False),
        Binding("k,up", "cursor_up", "Up", id="panes.cursor_up", show=False),
        Binding("enter", "select", "Filter", id="panes.select", show=False),
        Binding("Q", "speaker_quotes", "Their quotes", id="panes.speaker_quotes", show=False),
        Binding("p", "noop", "", id="panes.group_by_speaker", show=False),
    ]

    class Chosen(Message):
        def __init__(self, entity: EntityRow, quotes: bool = False) -> None:
            super().__init__()
            self.entity = entity
            self.quotes = quotes

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._entities: dict[str, EntityRow] = {}

    def show_entities(self, rows: list[EntityRow]) -> None:
        self._entities = {}
        options: list[Item] = []
        for typ in ("person", "organization", "place"):
            group = [r for r in rows if r.type == typ]
            if not group:
                continue
            group.sort(key=lambda r: (-r.mentions, r.name))
            options.append(Item(Text(f"{TYPE_TITLES[typ]} ({len(group)})", style="bold")))
            for r in group:
                oid = f"e{r.id}"
                self._entities[oid] = r
                options.append(Item(Text(f" {display_line(r.name, 80)}") + Text(f" {r.mentions}", style="dim"), oid))
        if not options:
            options.append(Item(Text("No entities", style="italic")))
        self.set_items(options)

    def _current(self) -> EntityRow | None:
        if self.highlighted is None:
            return None
        return self._entities.get(self.items[self.highlighted].id or "")

    def action_noop(self) -> None:
        pass

    def action_speaker_quotes(self) -> None:
        ent = self._current()
        if ent is not None:
            self.post_message(self.Chosen(ent, quotes=True))

    def on_line_list_selected(self, event: LineList.Selected) -> None:
        event.stop()
        ent = self._entities.get(event.item.id or "")
        if ent is not None:
            self.post_message(self.Chosen(ent))


class QuotePane(LineList):
    """The story's quotes with speakers; Enter jumps to the quote in the text."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", id="panes.cursor_down", show=False),
        Binding("k,up", "cursor_up", "Up", id="panes.cursor_up", show=False),
        Binding("enter", "select", "Jump", id="panes.select", show=False),
        Binding("p", "group_by_speaker", "Group by speaker", id="panes.group_by_speaker", show=False),
        Binding("Q", "noop", "", id="panes.speaker_quotes", show=False),
    ]

    class Jump(Message):
        def __init__(self, quote: QuoteRow) -> None:
            super().__init__()
            self.quote = quote

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._quotes: dict[str, QuoteRow] = {}
        self._rows: list[QuoteRow] = []
        self._title: str | None = None
        self.grouped = False

    def show_quotes(self, rows: list[QuoteRow], *, title: str | None = None) -> None:
        self._rows = rows
        self._title = title
        self._render()

    def _render(self) -> None:
        title = self._title
        self._quotes = {}
        options: list[Item] = []
        if title:
            options.append(Item(Text(display_line(title, 200), style="bold")))
        rows = self._rows
        if self.grouped:
            rows = sorted(rows, key=lambda q: ((q.speaker or "~").casefold(), q.article_id, q.start))
        last_speaker: str | None | object = object()
        for i, q in enumerate(rows):
            oid = f"q{i}"
            self._quotes[oid] = q
            speaker = display_line(q.speaker or "unattributed", 80)
            if self.grouped:
                if q.speaker != last_speaker:
                    options.append(Item(Text(speaker, style="bold")))
                    last_speaker = q.speaker
                prompt = Text("  “" + display_line(q.text, 600) + "”")
            else:
                prompt = Text("“" + display_line(q.text, 600) + "”\n") + Text(f"  — {speaker}", style="italic dim")
            options.append(Item(prompt, oid))
        if not rows:
            options.append(Item(Text("No quotes", style="italic")))
        self.set_items(options)

    def action_noop(self) -> None:
        pass

    def action_group_by_speaker(self) -> None:
        self.grouped = not self.grouped
        self._render()

    def on_line_list_selected(self, event: LineList.Selected) -> None:
        event.stop()
        q = self._quotes.get(event.item.id or "")
        if q is not None:
            self.post_message(self.Jump(q))
