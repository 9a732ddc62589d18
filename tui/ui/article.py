"""The full-text pane: headline, outlet and date, body paragraphs, captions apart.

It is a Line-API widget: the article is wrapped once per width into lines and
only the visible ones are painted, so opening a story mounts nothing and costs
no layout pass. Text is built as ``rich.text.Text`` from sanitised strings,
never as markup, so "[/]" in a headline is just three characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding

from tui.sanitize import display_line, strip_controls
from tui.store import ArticleText
from tui.ui.line_view import WrappedView

if TYPE_CHECKING:
    from tui.diff import DiffLine

MAX_SHOWN_CHARS = 400_000
MAX_PARTS = 5000


@dataclass(slots=True)
class Part:
    """A block of the page: title, meta line, a body paragraph, a caption."""

    text: Text
    start: int = -1  # body offsets, for paragraphs
    end: int = -1


def _para(chunk: str, start: int, highlight: tuple[int, int] | None) -> Text:
    clean = strip_controls(chunk).replace("\n", " ")
    text = Text(clean)
    # Offsets only line up when sanitising removed nothing; otherwise skip the highlight.
    if highlight and len(clean) == len(chunk):
        s, e = max(highlight[0], start) - start, min(highlight[1], start + len(chunk)) - start
        if s < e:
            text.stylize("reverse bold", s, e)
    return text


def article_parts(art: ArticleText, *, version: int, versions: int, show_captions: bool,
                  highlight: tuple[int, int] | None = None) -> list[Part]:
    """The blocks of one version, in reading order."""
    info = art.info
    parts = [Part(Text(display_line(info.title or "(untitled)", 1000), style="bold"))]
    meta = [display_line(info.outlet or "unknown outlet"), info.published or "undated", f"{info.length:,} chars"]
    if versions > 1:
        meta.append(f"version {version + 1}/{versions}" + (" (canonical)" if version == 0 else ""))
    if info.full_text:
        meta.append("full text fetched")
    parts.append(Part(Text(" · ".join(meta), style="dim")))
    body = art.body[:MAX_SHOWN_CHARS]
    pos = 0
    for chunk in body.split("\n\n"):
        start = pos
        pos += len(chunk) + 2
        if not chunk.strip():
            continue
        if len(parts) >= MAX_PARTS:
            break
        parts.append(Part(_para(chunk, start, highlight), start, start + len(chunk)))
    if len(art.body) > MAX_SHOWN_CHARS:
        parts.append(Part(Text(f"[… {len(art.body) - MAX_SHOWN_CHARS:,} more characters not shown]",
                               style="italic dim")))
    if show_captions and art.captions:
        parts.append(Part(Text("Captions", style="bold dim")))
        for cap in art.captions[:100]:
            parts.append(Part(Text(display_line(cap, 2000), style="italic dim")))
    return parts


def diff_parts(title: str, lines: list[DiffLine], summary: str) -> list[Part]:
    parts = [Part(Text(display_line(title, 1000), style="bold")), Part(Text(summary, style="dim"))]
    marks = {"same": ("  ", "dim"), "cut": ("− ", "red"), "added": ("+ ", "green")}
    for d in lines[:MAX_PARTS]:
        mark, style = marks[d.op]
        parts.append(Part(Text(mark + strip_controls(d.text).replace("\n", " "), style=style)))
    return parts


class ArticleView(WrappedView, can_focus=True):
    """Scrollable full text of one version of a story (or a diff of two)."""

    GAP_AFTER_BLOCK = True  # paragraphs apart
    WRAP_MARGIN = 1  # text never touches the thumb
    MIN_WIDTH = 10

    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", id="article.scroll_down", show=False),
        Binding("k,up", "scroll_up", "Up", id="article.scroll_up", show=False),
        Binding("pagedown,space", "page_down", "Page down", id="article.page_down", show=False),
        Binding("pageup,b", "page_up", "Page up", id="article.page_up", show=False),
        Binding("g,home", "scroll_home", "Top", id="article.top", show=False),
        Binding("G,end", "scroll_end", "Bottom", id="article.bottom", show=False),
        Binding("h,left", "back", "Back", id="article.back", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.parts: list[Part] = []
        self._scroll_to_offset: int | None = None
        self.kind = "empty"  # empty | article | diff

    # -- content -------------------------------------------------------------

    def show_message(self, message: str) -> None:
        self.kind = "empty"
        self._set_parts([Part(Text(message, style="italic"))])

    def show_article(self, art: ArticleText, *, version: int, versions: int, show_captions: bool,
                     highlight: tuple[int, int] | None = None) -> None:
        self.kind = "article"
        self._scroll_to_offset = highlight[0] if highlight else None
        self._set_parts(article_parts(art, version=version, versions=versions, show_captions=show_captions,
                                      highlight=highlight))

    def show_diff(self, title: str, lines: list[DiffLine], summary: str) -> None:
        self.kind = "diff"
        self._scroll_to_offset = None
        self._set_parts(diff_parts(title, lines, summary))

    @property
    def plain_text(self) -> str:
        """What the pane holds, as plain text (for tests and copy)."""
        return "\n\n".join(p.text.plain for p in self.parts)

    def _set_parts(self, parts: list[Part]) -> None:
        self.parts = parts
        self.rewrap(force=True)
        target = 0
        if self._scroll_to_offset is not None:
            for i, p in enumerate(parts):
                if p.start <= self._scroll_to_offset <= p.end and p.start >= 0:
                    target = max(0, self._first_line[i] - 2)
                    break
        self._top = max(0, min(target, self.max_top))
        self.refresh()

    def blocks(self) -> list[Text]:
        return [p.text for p in self.parts]

    def highlighted_text(self) -> list[str]:
        """Text spans shown highlighted (a quote jumped to)."""
        out = []
        for p in self.parts:
            for span in p.text.spans:
                if "reverse" in str(span.style):
                    out.append(p.text.plain[span.start : span.end])
        return out

    def action_back(self) -> None:
        self.app.action_focus_list()  # type: ignore[attr-defined]

