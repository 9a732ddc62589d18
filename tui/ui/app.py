"""The reader: story list, full text, entities and quotes, driven by keyboard.

The app only reads the store and records what the person does (read, starred,
split, merge). Those writes go through a ``StateWriter`` (its own thread and
connection, so another process's write lock never freezes the UI), which posts
each outcome back as a message. Import and refresh run in thread workers with
their own store connection and report progress back through ``call_from_thread``;
the list notices their commits through SQLite's ``data_version`` and reloads in place.
"""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, ProgressBar, Static

from tui import keymap as km
from tui.config import Config
from tui.paths import bundled_samples
from tui.sanitize import display_line
from tui.statewriter import DEFAULT_BUSY_TIMEOUT, StateWriter, WriteResult
from tui.store import REBUILD_HINT, ArticleInfo, Store
from tui.ui import compositor
from tui.ui.article import ArticleView
from tui.ui.panes import EntityPane, QuotePane, merge_quotes
from tui.ui.story_list import StoryList

PREVIEW_DELAY = 0.08  # seconds the cursor rests before the story under it is shown
BUSY_DELAY = 0.1  # seconds a filter may take before the bar says "searching…"
STATE_WRITE_TIMEOUT = DEFAULT_BUSY_TIMEOUT  # seconds a read/star/split/merge waits for another process's lock

# Global action id -> the App action it runs.
_GLOBAL_ACTIONS = {
    "quit": "quit",
    "help": "show_help",
    "search": "start_search",
    "clear_filter": "clear_filter",
    "focus_next": "focus_next",
    "focus_previous": "focus_previous",
    "toggle_read": "toggle_read",
    "toggle_starred": "toggle_starred",
    "next_unread": "next_unread",
    "previous_unread": "previous_unread",
    "versions": "versions",
    "next_version": "next_version",
    "previous_version": "previous_version",
    "diff": "diff",
    "split_version": "split_version",
    "mark_merge": "mark_merge",
    "open_browser": "open_browser",
    "refresh": "refresh",
    "refresh_all": "refresh_all",
    "toggle_sidebar": "toggle_sidebar",
}


def _global_bindings() -> list[Binding]:
    out = []
    for a in km.ACTIONS:
        if a.context != "global":
            continue
        keys = ",".join(km.normalize_key(k) or k for k in a.keys)
        out.append(Binding(keys, _GLOBAL_ACTIONS[a.name], a.description.split(":")[0], id=a.id, show=a.show))
    return out


class StateWritten(Message):
    """A write of the ``StateWriter`` landed (or failed): ``then`` handles it on the UI thread."""

    def __init__(self, result: WriteResult, then: Callable[[WriteResult], None]) -> None:
        super().__init__()
        self.result = result
        self.then = then


class ReaderScreen(Screen):
    """The main screen. A focus change repaints the two widgets whose :focus style
    changes (Textual restyles them) rather than the whole screen: Textual's screen
    repaints everything on focus, which made opening a story cost a full-screen frame."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if compositor.supported():
            self._compositor = compositor.LineCroppingCompositor()


class NewsReaderApp(App[None]):
    """newsreader's Textual app."""

    CSS_PATH = "app.tcss"
    TITLE = "newsreader"
    BINDINGS = _global_bindings()

    def __init__(self, config: Config, *, store_path: Path | None = None, samples: Path | None = None) -> None:
        super().__init__()
        self.config = config
        self.store_path = store_path or config.store_path()
        self.samples_dir = samples or bundled_samples()
        self.store = Store(self.store_path)
        self.state_writer: StateWriter | None = None  # started on mount
        self.filter_label: str | None = None
        self.current_story: int | None = None
        self.versions: list[ArticleInfo] = []
        self.version_index = 0
        self.merge_mark: int | None = None
        self._data_version: int | None = None  # what the state writer saw last (see _poll_store)
        self._pending_story: int | None = None
        self._pending_at = 0.0
        self._preview_timer = None
        self._closed = False
        # One read-only connection for list loads, kept open: a fresh one starts with a
        # cold page cache (a 10 ms entity query took 25 ms). Loads take turns on it; a
        # newer load interrupts an older one still running.
        self._reader: Store | None = None
        self._reader_lock = threading.Lock()
        self._importing = False
        self._load_generation = 0
        self._shown_generation = 0  # the last load whose results are on screen
        self._focus_list_when_shown = False
        self._filter_query: tuple[str, str] | None = None

    # -- layout ------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return ReaderScreen(id="_default")

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Input(placeholder="search stories (Enter: go to list, Esc: clear)", id="search")
                yield Static("", id="filter-bar")
                yield StoryList(self.store.story_rows, id="stories")
            # A box of its own: Textual re-composes every widget whose container overlaps
            # a change, so the text sitting directly beside the list was re-rendered on
            # every cursor move.
            with Vertical(id="article-box"):
                yield ArticleView(id="article")
            with Vertical(id="side"):
                yield Static(Text("Entities", style="bold"), classes="pane-title")
                yield EntityPane(id="entities")
                yield Static(Text("Quotes", style="bold"), classes="pane-title")
                yield QuotePane(id="quotes")
        with Horizontal(id="status"):
            yield Static("", id="status-text")
            yield ProgressBar(id="progress", show_eta=False)
        yield Static(self._key_hints(), id="key-hints")

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Notifications carry outlet names, feed titles and errors: never parse them as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _handle_exception(self, error: Exception) -> None:
        # A store damaged past its header opens fine and fails on a later read: say so in
        # one line (the CLI prints it and exits 3) instead of a traceback.
        if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.ProgrammingError):
            self.exit(return_code=3, message=f"newsreader: {self.store_path}: the store is damaged ({error}); "
                                              f"{REBUILD_HINT}")
            return
        super()._handle_exception(error)

    def _key_hints(self) -> Text:
        """The bottom line: the main keys as configured. Static on purpose: Textual's
        Footer rebuilds itself on every focus change, which costs more than opening a story."""
        hints = Text()
        for action in km.ACTIONS:
            keys = self.config.keys.get(action.id, ())
            if not action.show or not keys:
                continue
            hints.append(f" {km.display_key(keys[0])} ", style="bold reverse")
            hints.append(f"{action.hint or action.description} ")
        return hints

    def on_mount(self) -> None:
        self.state_writer = StateWriter(self.store_path, busy_timeout=STATE_WRITE_TIMEOUT)
        # Only what the user changed: Textual re-applies a non-empty keymap on every key
        # press, and the defaults are already the bindings' own keys.
        defaults = km.default_keymap()
        changed = {aid: keys for aid, keys in self.config.keys.items() if defaults.get(aid) != keys}
        if changed:
            self.set_keymap(km.textual_keymap(changed))
        theme = self.config.get("ui.theme")
        if theme in self.available_themes:
            self.theme = theme
        self._apply_width(self.size.width)
        self._data_version = self._writer.data_version()
        # Paint the first screenful at once; the full list arrives from a worker.
        first = self.store.story_order(limit=max(100, self.size.height * 2))
        self.query_one(StoryList).set_ids(first)
        self._update_filter_bar(self.store.story_total())
        self.reload_stories()
        self._focus(self.query_one(StoryList))
        if not first and self.store.article_count() == 0 and self.config.get("store.import_samples"):
            self.import_samples()
        self.set_interval(2.0, self._poll_store)

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.screen.set_class(width < int(self.config.get("ui.sidebar_min_width")), "narrow")

    # -- the list -------------------------------------------------------------------

    def reload_stories(self, *, focus_list: bool = False) -> None:
        """Reload the list for the current filter, off the UI thread (and focus the list
        with the results). "searching…" shows only if they take a moment: results
        that arrive at once are painted in one frame, not two."""
        self._load_generation += 1
        generation = self._load_generation
        self._focus_list_when_shown = focus_list
        if self.filter_label:
            self.set_timer(BUSY_DELAY, lambda: self._show_busy(generation))
        self._load_ids(self._filter_query, generation)

    def _show_busy(self, generation: int) -> None:
        if generation == self._load_generation and self._shown_generation != generation and not self._closed:
            self._update_filter_bar(None)
            self._focus_list_if_asked()

    def _focus_list_if_asked(self) -> None:
        if self._focus_list_when_shown:
            self._focus_list_when_shown = False
            self._focus(self.query_one(StoryList))

    @work(thread=True, exclusive=True, group="load")
    def _load_ids(self, query: tuple[str, str] | None, generation: int) -> None:
        def read(fn):
            # Never hold the lock while waiting on the UI thread (call_from_thread).
            with self._reader_lock:
                if self._closed or generation != self._load_generation:
                    return None
                if self._reader is None:
                    self._reader = Store(self.store_path, readonly=True)
                try:
                    return fn(self._reader)
                except sqlite3.OperationalError:
                    if generation == self._load_generation and not self._closed:
                        raise  # not interrupted by a newer load: a real error
                    return None

        reader = self._reader
        if reader is not None:
            try:
                reader.conn.interrupt()  # an older load still running is not wanted any more
            except sqlite3.ProgrammingError:
                return  # closed meanwhile: the app is quitting
        if query is None:
            ids = read(lambda st: st.story_order())
        elif query[0] == "search":
            # The newest matches first: a screenful of results in a few ms, the
            # full list (thousands of matches for a common word) right after.
            found = read(lambda st: st.search_newest(query[1]))
            if found is None:
                return
            first, more = found
            self.call_from_thread(self._ids_loaded, first, generation, partial=more)
            if not more:
                return
            ids = read(lambda st: st.search(query[1]))
        else:
            ids = read(lambda st: st.stories_with_entity(int(query[1])))
        if ids is not None:
            self.call_from_thread(self._ids_loaded, ids, generation)

    def _ids_loaded(self, ids: list[int], generation: int, partial: bool = False) -> None:
        if generation != self._load_generation:
            return  # a newer filter was asked for meanwhile
        self._shown_generation = generation
        lst = self.query_one(StoryList)
        lst.set_ids(ids, keep=lst.current)
        self._update_filter_bar(len(ids), partial=partial)
        self._focus_list_if_asked()
        if not ids:
            lst.empty_text = "No stories match." if self.filter_label else (
                "Importing the bundled samples…" if self._importing else
                "No stories yet. Import some with: newsreader import PATH")
            self.current_story = None
            self.query_one(ArticleView).show_message("Nothing to show." if not self._importing else "Importing…")

    def _update_filter_bar(self, n: int | None, *, partial: bool = False) -> None:
        """The line above the list: the filter in force and how many stories it leaves
        (``partial``: the newest matches are shown, the rest are still being read)."""
        bar = self.query_one("#filter-bar", Static)
        if self.filter_label:
            # Count first: a narrow list cuts the end of the line, never the number.
            count = "searching…" if n is None else f"{n:,}+ stories" if partial else f"{n:,} stories"
            bar.update(Text(f"{count} · {self.filter_label} · Esc clears", style="bold"), layout=False)
        else:
            bar.update(Text(f"{n:,} stories", style="dim"), layout=False)

    def _poll_store(self) -> None:
        if self._closed:
            return
        # The writer's view, not this connection's: the reader's own marks (committed by
        # the writer) must not reload the whole list, tens of ms at 100,000 stories.
        version = self._writer.data_version()
        if version is not None and version != self._data_version:
            self._data_version = version
            self.reload_stories()
            self.query_one(StoryList).invalidate()
            if self.current_story is not None and self.focused is not self.query_one(ArticleView):
                self.show_story(self.current_story, version=self.version_index)

    @on(StoryList.Highlighted)
    def _story_highlighted(self, event: StoryList.Highlighted) -> None:
        if event.story_id is None or event.story_id == self.current_story:
            self._pending_story = None  # back on the story shown: nothing to preview
            return
        # While the cursor moves (key repeat), only the list repaints; the story under
        # the cursor is previewed once it rests. Enter opens at once. One timer serves a
        # whole run of keys (re-armed when it fires early), not one timer per key.
        self._pending_story = event.story_id
        self._pending_at = time.monotonic()
        if self._preview_timer is None:
            self._preview_timer = self.set_timer(PREVIEW_DELAY, self._show_pending)

    def _show_pending(self) -> None:
        self._preview_timer = None
        if self._closed or self._pending_story is None:
            return
        rested = time.monotonic() - self._pending_at
        if rested < PREVIEW_DELAY:
            self._preview_timer = self.set_timer(PREVIEW_DELAY - rested, self._show_pending)
            return
        sid, self._pending_story = self._pending_story, None
        if sid != self.current_story:
            self.show_story(sid)

    @on(StoryList.Opened)
    def _story_opened(self, event: StoryList.Opened) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
            self._pending_story = None
        if self.current_story != event.story_id:
            self.show_story(event.story_id)
        self._mark_read_on_open(event.story_id)
        self._focus(self.query_one(ArticleView))

    def _mark_read_on_open(self, story_id: int) -> None:
        if not self.config.get("ui.mark_read_on_open"):
            return
        # Asked even when the store says read: a toggle still queued may be about to unread it.
        self._writer.set_read(story_id, True, self._after_write(
            lambda r: self._mark_landed(story_id), "mark the story read"))

    # -- the reader's writes (see tui.statewriter) ------------------------------------

    @property
    def _writer(self) -> StateWriter:
        assert self.state_writer is not None, "the state writer starts on mount"
        return self.state_writer

    def _after_write(self, landed: Callable[[WriteResult], None], what: str) -> Callable[[WriteResult], None]:
        """The callback for a ``StateWriter`` job: in the writer thread, post the outcome
        back (a message never waits for the UI, which may be waiting for the writer to
        finish at quit); on the UI thread, ``landed`` or a one-line error."""
        def then(result: WriteResult) -> None:
            if self._closed:
                return
            if result.ok:
                landed(result)
            else:
                self.notify(f"Could not {what}: {display_line(result.error or '', 120)}", severity="error",
                            timeout=6)

        return lambda result: self.post_message(StateWritten(result, then))

    @on(StateWritten)
    def _state_written(self, event: StateWritten) -> None:
        event.then(event.result)

    def _mark_landed(self, story_id: int) -> None:
        self.query_one(StoryList).invalidate(story_id)

    # -- showing a story ------------------------------------------------------------

    def show_story(self, story_id: int, *, version: int = 0, highlight: tuple[int, int] | None = None) -> None:
        self.current_story = story_id
        self.versions = self.store.story_versions(story_id)
        if not self.versions:
            return
        self.version_index = max(0, min(version, len(self.versions) - 1))
        self._show_version(highlight)
        self.query_one(EntityPane).show_entities(self.store.story_entities(story_id))
        quotes = merge_quotes(self.store.story_quotes(story_id), self.versions[0].id)
        self.query_one(QuotePane).show_quotes(quotes)

    def _show_version(self, highlight: tuple[int, int] | None = None) -> None:
        art = self.store.article_text(self.versions[self.version_index].id)
        if art is None:
            return
        self.query_one(ArticleView).show_article(
            art, version=self.version_index, versions=len(self.versions),
            show_captions=bool(self.config.get("ui.show_captions")), highlight=highlight)

    # -- actions ---------------------------------------------------------------------

    def _focus(self, widget: Widget) -> None:
        """Focus ``widget`` at once. ``Widget.focus()`` also repaints the whole widget,
        which on every open and back cost a repaint of the list or the text."""
        self.screen.set_focus(widget, scroll_visible=False)

    def action_focus_list(self) -> None:
        self._focus(self.query_one(StoryList))

    def action_show_help(self) -> None:
        from tui.ui.screens import HelpScreen

        self.push_screen(HelpScreen(self.config.keys, self.config.source))

    def action_start_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        if text:
            self._filter_query = ("search", text)
            self.filter_label = f"search: {display_line(text, 60)}"
        else:
            self._filter_query = None
            self.filter_label = None
        self.reload_stories()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self._focus(self.query_one(StoryList))

    def action_clear_filter(self) -> None:
        box = self.query_one("#search", Input)
        had = self._filter_query is not None or box.display
        self._filter_query = None
        self.filter_label = None
        with box.prevent(Input.Changed):
            box.value = ""
        box.display = False
        if had:
            self.reload_stories()
        self._focus(self.query_one(StoryList))

    @on(EntityPane.Chosen)
    def _entity_chosen(self, event: EntityPane.Chosen) -> None:
        ent = event.entity
        if event.quotes:
            quotes = self.store.quotes_by_speaker(ent.name)
            self.query_one(QuotePane).show_quotes(quotes, title=f"All quotes of {ent.name} ({len(quotes)})")
            return
        self._filter_query = ("entity", str(ent.id))
        self.filter_label = f"{ent.type}: {display_line(ent.name, 60)}"
        self.reload_stories(focus_list=True)

    @on(QuotePane.Jump)
    def _quote_jump(self, event: QuotePane.Jump) -> None:
        q = event.quote
        if q.story_id is None:
            return
        if q.story_id != self.current_story:
            self.query_one(StoryList).move_to(q.story_id)
            self.show_story(q.story_id)
        index = next((i for i, v in enumerate(self.versions) if v.id == q.article_id), 0)
        self.version_index = index
        self._show_version(highlight=(q.start, q.end))

    def _current_row(self):
        sid = self.current_story
        return self.store.story(sid) if sid is not None else None

    def action_toggle_read(self) -> None:
        # Decided by the writer, on the state the writes before it left: never on a
        # possibly stale read here.
        sid = self.current_story
        if sid is None:
            return
        self._writer.toggle_read(sid, self._after_write(lambda r: self._mark_landed(sid), "toggle read"))

    def action_toggle_starred(self) -> None:
        sid = self.current_story
        if sid is None:
            return
        self._writer.toggle_starred(sid, self._after_write(lambda r: self._mark_landed(sid), "toggle starred"))

    def _jump_unread(self, step: int) -> None:
        lst = self.query_one(StoryList)
        ids = lst.story_ids
        i = lst.cursor + step
        while 0 <= i < len(ids):
            chunk = ids[i : i + 200] if step > 0 else ids[max(0, i - 199) : i + 1]
            rows = self.store.story_rows(chunk)
            order = chunk if step > 0 else list(reversed(chunk))
            for sid in order:
                r = rows.get(sid)
                if r is not None and not r.read:
                    lst.move_to(sid)
                    return
            i += step * len(chunk)
        self.notify("No more unread stories.", timeout=2)

    def action_next_unread(self) -> None:
        self._jump_unread(1)

    def action_previous_unread(self) -> None:
        self._jump_unread(-1)

    def action_versions(self) -> None:
        if not self.versions or self.current_story is None:
            return
        row = self._current_row()
        title = row.title if row else ""
        from tui.ui.screens import VersionsScreen

        self.push_screen(VersionsScreen(title, self.versions, self.version_index), self._versions_done)

    def _versions_done(self, result: tuple[str, int] | None) -> None:
        if result is None:
            return
        what, index = result
        self.version_index = index
        if what == "show":
            self._show_version()
        elif what == "diff":
            self.action_diff()
        elif what == "split":
            self.action_split_version()

    def _step_version(self, step: int) -> None:
        if len(self.versions) < 2:
            self.notify("This story has one version.", timeout=2)
            return
        self.version_index = (self.version_index + step) % len(self.versions)
        self._show_version()

    def action_next_version(self) -> None:
        self._step_version(1)

    def action_previous_version(self) -> None:
        self._step_version(-1)

    def action_diff(self) -> None:
        if len(self.versions) < 2:
            self.notify("This story has one version: nothing to compare.", timeout=2)
            return
        index = self.version_index or 1
        ref = self.store.article_text(self.versions[0].id)
        ver = self.store.article_text(self.versions[index].id)
        if ref is None or ver is None:
            return
        from tui.diff import diff_versions, summary

        lines = diff_versions(ref.body, ver.body)
        who = ver.info.outlet or Path(ver.info.source).name
        title = f"{who} against the canonical ({self.versions[0].outlet or Path(ref.info.source).name})"
        self.query_one(ArticleView).show_diff(title, lines, summary(lines))

    def action_split_version(self) -> None:
        if len(self.versions) < 2:
            self.notify("Only one version: nothing to split.", timeout=2)
            return
        index = self.version_index or len(self.versions) - 1
        art = self.versions[index]
        story = self.current_story

        def landed(result: WriteResult) -> None:
            self.notify(f"Split {display_line(art.outlet or Path(art.source).name)} into its own story.", timeout=3)
            self.reload_stories()
            if story is not None and self.current_story == story:
                self.show_story(self.current_story)

        self._writer.split_version(art.id, self._after_write(landed, "split the version"))

    def action_mark_merge(self) -> None:
        sid = self.current_story
        if sid is None:
            return
        if self.merge_mark is None or self.merge_mark == sid:
            self.merge_mark = sid
            self.notify("Story marked. Press the merge key on another story to merge it here.", timeout=4)
            return
        other, self.merge_mark = self.merge_mark, None

        def landed(result: WriteResult) -> None:
            self.notify("Stories merged.", timeout=3)
            self.reload_stories()
            if self.current_story in (sid, other):  # still on it (or on the story merged away)
                self.show_story(sid)

        self._writer.merge_stories(sid, other, self._after_write(landed, "merge the stories"))

    def action_open_browser(self) -> None:
        if not self.versions:
            return
        url = self.versions[self.version_index].url or ""
        if not url.lower().startswith(("http://", "https://")):
            self.notify("This version has no web link.", timeout=2)
            return
        argv = list(self.config.get("ui.browser") or [])
        try:
            if argv:
                # An argv list, never a shell: the URL cannot inject a command.
                subprocess.Popen([*map(str, argv), url], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
            else:
                webbrowser.open(url)
        except OSError as exc:
            self.notify(f"Could not open a browser: {exc}", severity="error")

    def action_refresh(self) -> None:
        url = self.store.article_feed_url(self.versions[self.version_index].id) if self.versions else None
        if url is None:
            self.notify("This story did not come from a feed; R refreshes every feed.", timeout=3)
            return
        self.refresh_feeds(url)

    def action_refresh_all(self) -> None:
        self.refresh_feeds(None)

    @work(thread=True, exclusive=True, group="refresh")
    def refresh_feeds(self, feed_url: str | None) -> None:
        from tui.feedcmds import refresh_store

        if not self.config.feeds and not self.store_has_feeds():
            self.call_from_thread(self.notify, "No feeds yet: add one with 'newsreader add URL' or in config.yaml.")
            return
        self.call_from_thread(self._set_progress, "Refreshing feeds…")
        store = Store(self.store_path)
        try:
            summary_ = refresh_store(
                self.config, store, feed_url=feed_url,
                on_result=lambda done, total, r: self.call_from_thread(
                    self._set_progress, f"{done}/{total} {display_line(r.spec.name or r.spec.url, 50)}: "
                    f"{display_line(r.status, 60)}", done, total))
        finally:
            store.close()
        errors = [f"{display_line(r.spec.name or r.spec.url, 40)}: {display_line(r.status, 60)}"
                  for r in summary_.results if not r.ok]
        self.call_from_thread(self._refresh_finished, summary_.line(), errors)

    def store_has_feeds(self) -> bool:
        store = Store(self.store_path, readonly=True)
        try:
            return bool(store.feeds())
        finally:
            store.close()

    def _refresh_finished(self, line: str, errors: list[str]) -> None:
        self._hide_progress()
        self.notify(line, timeout=5, severity="warning" if errors else "information")
        for err in errors[:5]:
            self.notify(err, severity="error", timeout=8)
        self._poll_store()

    def action_toggle_sidebar(self) -> None:
        self.screen.toggle_class("show-side")
        self.screen.toggle_class("hide-side")

    # -- background import ---------------------------------------------------------------

    def _set_progress(self, text: str, done: int | None = None, total: int | None = None) -> None:
        status = self.query_one("#status")
        status.display = True
        self.query_one("#status-text", Static).update(Text(text), layout=False)
        bar = self.query_one(ProgressBar)
        if total:
            bar.update(total=total, progress=done or 0)

    def _hide_progress(self) -> None:
        self.query_one("#status").display = False

    @work(thread=True, exclusive=True, group="import")
    def import_samples(self) -> None:
        from tui.importer import importer_for

        self._importing = True
        self.call_from_thread(self._set_progress, "Importing the bundled samples…")
        store = Store(self.store_path)
        try:
            summary_ = importer_for(store, self.config).import_paths(
                [self.samples_dir], workers=0,
                progress=lambda p: self.call_from_thread(self._set_progress,
                                                         f"Importing samples {p.done}/{p.total}", p.done, p.total))
        finally:
            store.close()
            self._importing = False
        self.call_from_thread(self._import_finished, summary_.line())

    def _import_finished(self, line: str) -> None:
        self._hide_progress()
        self.notify(f"Samples: {line}", timeout=4)
        version = self._writer.data_version()
        if version is not None:  # else the next poll reloads once more
            self._data_version = version
        self.reload_stories()
        self.query_one(StoryList).invalidate()

    def on_unmount(self) -> None:
        self._closed = True
        if self.state_writer is not None:
            self.state_writer.close()  # what was asked for before quitting lands first
        reader = self._reader
        if reader is not None:
            reader.conn.interrupt()
            if self._reader_lock.acquire(timeout=2):
                reader.close()
                self._reader = None
                self._reader_lock.release()
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self.store.close()
