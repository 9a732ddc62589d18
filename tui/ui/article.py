"""The full-text pane: headline, outlet and date, body paragraphs, captions apart.

Text is built as ``rich.text.Text`` from sanitised strings, never as markup, so
"[/]" in a headline is just three characters. Paragraphs are separate widgets so
a quote can be scrolled into view and highlighted.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.diff import DiffLine
from tui.sanitize import display_line, strip_controls
from tui.store import ArticleText

MAX_PARAGRAPH_WIDGETS = 400
MAX_SHOWN_CHARS = 400_000


class Paragraph(Static):
    """One paragraph of the body; ``start`` is its offset in the body."""

    def __init__(self, text: Text, start: int, end: int, **kwargs) -> None:
        super().__init__(text, **kwargs)
        self.start = start
        self.end = end
        self.plain = text


class ArticleView(VerticalScroll, can_focus=True):
    """Scrollable full text of one version of a story."""

    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", id="article.scroll_down", show=False),
        Binding("k,up", "scroll_up", "Up", id="article.scroll_up", show=False),
        Binding("pagedown,space", "page_down", "Page down", id="article.page_down", show=False),
        Binding("pageup,b", "page_up", "Page up", id="article.page_up", show=False),
        Binding("g,home", "scroll_home", "Top", id="article.top", show=False),
        Binding("G,end", "scroll_end", "Bottom", id="article.bottom", show=False),
        Binding("h,left", "back", "Back", id="article.back", show=False),
    ]

    def action_back(self) -> None:
        self.app.action_focus_list()  # type: ignore[attr-defined]

    async def show_message(self, message: str) -> None:
        await self.remove_children()
        await self.mount(Static(Text(message, style="italic"), classes="article-empty"))

    async def show_article(self, art: ArticleText, *, version: int, versions: int, show_captions: bool,
                           highlight: tuple[int, int] | None = None) -> None:
        info = art.info
        await self.remove_children()
        widgets: list[Static] = []
        head = Text(display_line(info.title or "(untitled)", 1000), style="bold")
        widgets.append(Static(head, classes="article-title"))
        meta_parts = [display_line(info.outlet or "unknown outlet"), info.published or "undated",
                      f"{info.length:,} chars"]
        if versions > 1:
            meta_parts.append(f"version {version + 1}/{versions}" + (" (canonical)" if version == 0 else ""))
        if info.full_text:
            meta_parts.append("full text fetched")
        widgets.append(Static(Text(" · ".join(meta_parts)), classes="article-meta"))
        body = art.body
        truncated = len(body) > MAX_SHOWN_CHARS
        if truncated:
            body = body[:MAX_SHOWN_CHARS]
        pos = 0
        count = 0
        chunks = body.split("\n\n")
        for i, chunk in enumerate(chunks):
            start = body.find(chunk, pos)
            end = start + len(chunk)
            pos = end
            if not chunk.strip():
                continue
            if count >= MAX_PARAGRAPH_WIDGETS - 1 and i < len(chunks) - 1:
                rest = body[start:]
                widgets.append(Paragraph(self._para(rest, start, highlight), start, len(body), classes="para"))
                break
            widgets.append(Paragraph(self._para(chunk, start, highlight), start, end, classes="para"))
            count += 1
        if truncated:
            widgets.append(Static(Text(f"[… {len(art.body) - MAX_SHOWN_CHARS:,} more characters not shown]",
                                       style="italic"), classes="article-meta"))
        if show_captions and art.captions:
            widgets.append(Static(Text("Captions", style="bold"), classes="captions-head"))
            for cap in art.captions[:100]:
                widgets.append(Static(Text(display_line(cap, 2000)), classes="caption"))
        await self.mount_all(widgets)
        self.scroll_home(animate=False)
        if highlight:
            self.call_after_refresh(self._scroll_to_offset, highlight[0])

    def _para(self, chunk: str, start: int, highlight: tuple[int, int] | None) -> Text:
        clean = strip_controls(chunk).replace("\n", " ")
        text = Text(clean)
        # Offsets only line up when sanitising removed nothing; otherwise skip the highlight.
        if highlight and len(clean) == len(chunk):
            s, e = max(highlight[0], start) - start, min(highlight[1], start + len(chunk)) - start
            if s < e:
                text.stylize("reverse bold", s, e)
        return text

    def _scroll_to_offset(self, offset: int) -> None:
        for para in self.query(Paragraph):
            if para.start <= offset <= para.end:
                self.scroll_to_widget(para, animate=False, top=True)
                break

    async def show_diff(self, title: str, lines: list[DiffLine], summary: str) -> None:
        await self.remove_children()
        widgets: list[Static] = [Static(Text(display_line(title, 1000), style="bold"), classes="article-title"),
                                 Static(Text(summary), classes="article-meta")]
        marks = {"same": "  ", "cut": "− ", "added": "+ "}
        for d in lines[:MAX_PARAGRAPH_WIDGETS]:
            t = Text(marks[d.op]) + Text(strip_controls(d.text))
            widgets.append(Static(t, classes=f"para diff-{d.op}"))
        await self.mount_all(widgets)
        self.scroll_home(animate=False)
