"""The reader driven by keyboard through Textual's Pilot, on the bundled samples."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from tui.config import load_config
from tui.importer import Importer
from tui.store import Store
from tui.ui.app import NewsReaderApp
from tui.ui.article import ArticleView
from tui.ui.panes import EntityPane, QuotePane
from tui.ui.screens import HelpScreen, VersionsScreen
from tui.ui.story_list import StoryList

REPO = Path(__file__).resolve().parents[1]


def make_app(store_path: Path, config_path: Path | None = None) -> NewsReaderApp:
    return NewsReaderApp(load_config(config_path), store_path=store_path)


async def settle(pilot) -> None:
    """Let list loads (thread workers), the reader's writes and the timers after them finish
    (the story preview's timer too: on a loaded machine it can fire well after its delay)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await writes_landed(pilot)
        await pilot.pause(0.05)
        await until(pilot, lambda: getattr(pilot.app, "_preview_timer", None) is None)


async def until(pilot, condition, timeout: float = 10.0) -> bool:
    """Wait (at most ``timeout`` s) for ``condition``. Timers (the preview delay, the store
    poll) fire late on a loaded machine, so tests wait for what they expect, not a fixed time."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.02)
    return True


async def writes_landed(pilot, timeout: float = 10.0) -> None:
    """Wait (at most ``timeout`` s) until the state writer has applied everything asked of it."""
    writer = pilot.app.state_writer
    deadline = time.monotonic() + timeout
    while writer is not None and writer.pending and time.monotonic() < deadline:
        await pilot.pause(0.02)


async def show_seed_story(app: NewsReaderApp, pilot) -> int:
    """Put the list cursor on the VOA seed story and let its preview load; its id."""
    lst = app.query_one(StoryList)
    voa = next(i for i in lst.story_ids if "North Korea" in app.store.story(i).title)
    lst.move_to(voa)
    await settle(pilot)
    return voa


def titles(app: NewsReaderApp) -> list[str]:
    lst = app.query_one(StoryList)
    rows = app.store.story_rows(lst.story_ids)
    return [rows[i].title for i in lst.story_ids]


def article_text(app: NewsReaderApp) -> str:
    return app.query_one(ArticleView).plain_text


async def test_first_run_imports_the_samples_in_the_background(tmp_path):
    app = NewsReaderApp(load_config(None), store_path=tmp_path / "fresh.db")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert len(app.query_one(StoryList).story_ids) >= 6


async def test_list_navigation_shows_each_story_newest_first(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        lst = app.query_one(StoryList)
        dates = [app.store.story(i).published for i in lst.story_ids]
        assert dates == sorted(dates, reverse=True)
        first = lst.current
        await pilot.press("j")
        await settle(pilot)
        assert lst.current != first and app.current_story == lst.current
        await pilot.press("G")
        assert lst.cursor == len(lst.story_ids) - 1
        await pilot.press("g")
        assert lst.cursor == 0
        await pilot.press("down", "down", "up")
        assert lst.cursor == 1


async def test_tab_moves_focus_between_panes_and_enter_opens_the_story(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, StoryList)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, ArticleView)
        assert article_text(app)
        await pilot.press("tab")
        assert isinstance(app.focused, EntityPane)
        await pilot.press("tab")
        assert isinstance(app.focused, QuotePane)
        await pilot.press("tab")
        assert isinstance(app.focused, StoryList)


async def test_help_lists_the_effective_bindings(store_path, tmp_path):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("keys:\n  global:\n    toggle_starred: f\n")
    app = make_app(store_path, cfg)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        from tui.ui.screens import help_table
        from rich.console import Console

        console = Console(width=100, record=True)
        console.print(help_table(app.config.keys))
        text = console.export_text()
        starred_line = next(line for line in text.splitlines() if "Toggle starred" in line)
        assert starred_line.split()[0] == "f"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_search_filters_the_list_and_escape_clears(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        total = len(app.query_one(StoryList).story_ids)
        await pilot.press("slash", *"aquifer")
        await settle(pilot)
        found = titles(app)
        assert 0 < len(found) < total
        assert all("quifer" in t or "groundwater" in t.lower() or "irrigation" in t.lower() for t in found)
        await pilot.press("enter")
        assert isinstance(app.focused, StoryList)
        await pilot.press("escape")
        await settle(pilot)
        assert len(app.query_one(StoryList).story_ids) == total


async def test_read_and_starred_persist_across_restarts(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        lst = app.query_one(StoryList)
        first, second = lst.story_ids[0], lst.story_ids[1]
        await pilot.press("enter")  # opening marks read
        await settle(pilot)
        await pilot.press("h", "j")
        await settle(pilot)
        await pilot.press("s")  # star the second
        await settle(pilot)
    app2 = make_app(store_path)
    async with app2.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app2.store.story(first).read
        assert app2.store.story(second).starred and not app2.store.story(second).read
        await pilot.press("m")  # toggle read on the highlighted (first) story
        await settle(pilot)
        assert not app2.store.story(first).read


async def test_a_remapped_key_from_the_user_config_takes_effect(store_path, tmp_path):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("keys:\n  list:\n    cursor_down: [e, down]\n")
    app = make_app(store_path, cfg)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        lst = app.query_one(StoryList)
        await pilot.press("e")
        assert lst.cursor == 1
        await pilot.press("j")  # no longer bound
        assert lst.cursor == 1


async def test_entity_enter_filters_stories_and_quote_enter_highlights_it(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        total = len(app.query_one(StoryList).story_ids)
        await pilot.press("tab", "tab")  # article, then entities
        await settle(pilot)
        assert isinstance(app.focused, EntityPane)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.filter_label and 0 < len(app.query_one(StoryList).story_ids) <= total
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("tab", "tab", "tab")
        assert isinstance(app.focused, QuotePane)
        await pilot.press("down", "enter")
        await settle(pilot)
        shown = app.query_one(ArticleView).highlighted_text()
        assert shown and shown[0] in app.query_one(ArticleView).plain_text, "the quote is highlighted"


async def test_versions_view_switches_version_and_diff_shows_the_cut(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await show_seed_story(app, pilot)
        assert len(app.versions) == 2
        full = article_text(app)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, VersionsScreen)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.version_index == 1
        assert len(article_text(app)) < len(full)
        await pilot.press("d")
        await settle(pilot)
        view = app.query_one(ArticleView)
        assert view.kind == "diff"
        cut = [p.text.plain for p in view.parts if p.text.plain.startswith("− ")]
        assert any("Bonnie Glaser" in t for t in cut)  # the reprint stops before Glaser


async def test_narrow_terminal_hides_the_sidebar_and_i_shows_it(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.query_one("#side").display or app.screen.has_class("narrow")
        assert app.query_one(ArticleView).region.width >= 30
        await pilot.press("i")
        await settle(pilot)
        assert app.query_one("#side").region.width > 30


def test_main_screen_snapshot(snap_compare, store_path):
    app = make_app(store_path)

    assert snap_compare(app, terminal_size=(120, 36), run_before=settle)


async def test_R_refreshes_feeds_in_the_background_and_new_stories_appear(tmp_path, monkeypatch):
    from httpserver import LocalServer, Route

    from tui import feedcmds

    real = feedcmds._fetcher

    def fast(c):
        f = real(c)
        f.limiter.min_interval = 0.0
        return f

    monkeypatch.setattr(feedcmds, "_fetcher", fast)
    body = " ".join(["The harbour ferry resumed service on Monday after a week of storms."] * 20)
    with LocalServer() as server:
        items = "".join(
            f"<item><title>Ferry story {i}</title><link>{server.url(f'/s/{i}')}</link>"
            f"<pubDate>Mon, 16 Mar 2026 10:00:00 GMT</pubDate><description>{body} {i} {'x' * i}</description></item>"
            for i in range(2))
        server.routes["/feed"] = Route(
            body=f'<?xml version="1.0"?><rss version="2.0"><channel><title>Ferry News</title>{items}'
                 f"</channel></rss>".encode())
        cfg = tmp_path / "config.yaml"
        cfg.write_text(f"store:\n  import_samples: false\nfeeds:\n  - {server.url('/feed')}\n")
        app = make_app(tmp_path / "feeds.db", cfg)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            assert app.query_one(StoryList).story_ids == []
            await pilot.press("R")
            await settle(pilot)
            app._poll_store()
            await settle(pilot)
            assert any("Ferry story" in t for t in titles(app))


async def test_quotes_group_by_speaker_and_a_persons_quotes_across_stories(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await show_seed_story(app, pilot)
        quotes = app.query_one(QuotePane)
        await pilot.press("tab", "tab", "tab")
        assert app.focused is quotes
        await pilot.press("p")
        await settle(pilot)
        headers = [str(quotes.get_option_at_index(i).prompt) for i in range(quotes.option_count)
                   if quotes.get_option_at_index(i).disabled]
        assert "Patricia Kim" in headers and len(headers) == len(set(headers))
        # From a person in the entity sidebar: all their quotes across stories.
        entities = app.query_one(EntityPane)
        index = next(i for i in range(entities.option_count)
                     if str(entities.get_option_at_index(i).prompt).strip().startswith("Patricia Kim"))
        entities.focus()
        entities.highlighted = index
        await pilot.press("Q")
        await settle(pilot)
        prompts = [str(quotes.get_option_at_index(i).prompt) for i in range(quotes.option_count)]
        assert prompts[0].startswith("All quotes of Patricia Kim")
        assert any("tricky situation" in p for p in prompts)


async def test_stories_imported_while_the_app_is_open_appear_without_restart(store_path, tmp_path):
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = len(app.query_one(StoryList).story_ids)
        extra = tmp_path / "extra.txt"
        extra.write_text("Lighthouse keeper retires after forty years\n\n"
                         "The last keeper of the Gull Point light handed over the keys on Friday, "
                         "ending four decades of nightly watches over the harbour entrance.\n")
        with Store(store_path) as other:  # another process's connection, as `newsreader import` would use
            Importer(other).import_paths([extra])
        # the app polls the store every 2 s
        assert await until(pilot, lambda: len(app.query_one(StoryList).story_ids) == before + 1)
        assert any("Lighthouse keeper" in t for t in titles(app))


async def test_quotes_of_all_versions_are_merged_without_duplicates(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        voa = await show_seed_story(app, pilot)
        per_version = {}
        for q in app.store.story_quotes(voa):
            per_version.setdefault(q.article_id, []).append(q.text)
        assert len(per_version) == 2 and min(map(len, per_version.values())) >= 3  # the reprint repeats quotes
        shown = [o for o in (app.query_one(QuotePane).get_option_at_index(i)
                             for i in range(app.query_one(QuotePane).option_count)) if not o.disabled]
        assert len(shown) == max(map(len, per_version.values()))


async def test_a_store_damaged_past_its_header_stops_the_reader_with_one_line(store_path):
    with Store(store_path) as s:
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(store_path.read_bytes())
    for i in range(len(data) // 3, len(data)):  # the schema opens; bodies and indexes are ruined
        data[i] = 0x5A
    for side in ("-wal", "-shm"):
        Path(f"{store_path}{side}").unlink(missing_ok=True)
    store_path.write_bytes(bytes(data))
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
    assert app.return_code == 3


async def test_list_and_text_scroll_with_keys_and_a_click_on_the_thumb(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(100, 10)) as pilot:
        await settle(pilot)
        lst = app.query_one(StoryList)
        assert lst.line_count() > lst.size.height, "the samples overflow a 10-line terminal"
        await pilot.press("G")
        assert lst.current == lst.story_ids[-1] and lst.top > 0, "the cursor drags the list along"
        await pilot.press("g")
        assert lst.top == 0 and lst.current == lst.story_ids[0]
        # The mouse wheel scrolls the view and leaves the cursor where it was
        # (Pilot has no wheel of its own: its private event helper posts one).
        from textual import events

        await pilot._post_mouse_events([events.MouseScrollDown], StoryList, offset=(5, 2))
        await pilot.pause(0.05)
        assert lst.top == min(3, lst.max_top) > 0 and lst.current == lst.story_ids[0]
        await pilot._post_mouse_events([events.MouseScrollUp], StoryList, offset=(5, 2))
        await pilot.pause(0.05)
        assert lst.top == 0
        # A click in the thumb column at the bottom scrolls to the end, the cursor stays.
        await pilot.click(StoryList, offset=(lst.outer_size.width - 1, lst.outer_size.height - 1))
        assert lst.top == lst.max_top and lst.current == lst.story_ids[0]
        await show_seed_story(app, pilot)
        await pilot.press("enter")
        art = app.query_one(ArticleView)
        assert app.focused is art and art.top == 0
        await pilot.press("space")
        assert art.top == art.size.height - 1, "space pages the text down"
        await pilot.press("G")
        assert art.top == art.max_top > 0
        last_page = " ".join(art.render_line(y).text for y in range(art.size.height))
        last_words = " ".join(art.plain_text.split()[-3:])
        assert last_words in " ".join(last_page.split()), "the last page shows the end of the text"


async def test_the_cursor_row_is_highlighted_in_the_list_and_the_panes(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await show_seed_story(app, pilot)

        def backgrounds(widget, y: int) -> set:
            segments = list(widget.render_line(y))[:-1]  # the last column is the scroll thumb
            return {seg.style.bgcolor for seg in segments if seg.text.strip()}

        lst = app.query_one(StoryList)
        y = lst.cursor - lst.top
        other = 1 if y == 0 else 0
        assert backgrounds(lst, y) and backgrounds(lst, y).isdisjoint(backgrounds(lst, other)), \
            "the cursor row stands out from the others"
        entities = app.query_one(EntityPane)
        entities.focus()
        await pilot.pause(0.05)
        row = entities._first_line[entities.highlighted] - entities.top
        assert backgrounds(entities, row).isdisjoint(backgrounds(entities, 0)), "the pane's cursor shows too"


async def test_the_list_cursor_dims_when_focus_leaves_the_list_and_returns_with_it(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        lst = app.query_one(StoryList)

        def cursor_bg() -> set:
            return {seg.style.bgcolor for seg in list(lst.render_line(lst.cursor - lst.top))[:-1] if seg.text.strip()}

        focused = cursor_bg()
        await pilot.press("enter")
        assert app.focused is not lst and lst.has_focus is False
        blurred = cursor_bg()
        assert blurred and blurred.isdisjoint(focused), "an unfocused list shows its cursor dimmed"
        await pilot.press("h")
        assert app.focused is lst and lst.has_focus is True
        assert cursor_bg() == focused


def test_no_style_rule_depends_on_the_list_having_focus():
    # StoryList sets has_focus without Textual's restyle (tui/ui/story_list.py); a
    # :focus rule for it would then never apply.  Its cursor classes carry focus instead.
    import re

    tcss = (REPO / "tui" / "ui" / "app.tcss").read_text(encoding="utf-8")
    selectors = re.findall(r"([^{}]+)\{", tcss)
    offending = [s.strip() for s in selectors if "StoryList" in s and re.search(r":(focus|blur)", s)]
    assert offending == []


async def test_moving_away_and_back_before_the_preview_keeps_the_story_shown(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        lst = app.query_one(StoryList)
        first = lst.current
        await pilot.press("j")
        assert await until(pilot, lambda: app.current_story == lst.current != first), \
            "the story under the resting cursor is previewed"
        shown = app.current_story
        await pilot.press("j", "k")  # away and back within the preview delay
        await pilot.pause(0.3)  # a wrong preview would show by now (a late one cannot fail this)
        assert app.current_story == shown == lst.current
        assert article_text(app).startswith(app.store.story(shown).title[:20])


# -- the reader's writes go through a thread of their own (tui/statewriter.py) --------------


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another process's write transaction, as ``newsreader import`` or ``recluster`` holds one."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def release(conn: sqlite3.Connection) -> None:
    conn.rollback()
    conn.close()


def stored(path: Path, story_id: int):
    """The story's row as a fresh connection (another process) reads it."""
    with Store(path, readonly=True) as s:
        return s.story(story_id)


def list_line(app: NewsReaderApp, story_id: int) -> str:
    """The story's line in the list as painted: "●" first when unread, then "★" when starred."""
    lst = app.query_one(StoryList)
    return lst.render_content_line(lst.story_ids.index(story_id), lst.size.width).text


def shows_read(app: NewsReaderApp, story_id: int) -> bool:
    return not list_line(app, story_id).startswith("●")


def shows_starred(app: NewsReaderApp, story_id: int) -> bool:
    return "★" in list_line(app, story_id)[:3]


def error_notes(app: NewsReaderApp) -> list:
    return [n for n in app._notifications if n.severity == "error"]


async def test_marking_read_while_another_process_holds_the_write_lock_keeps_the_keys_working(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        lst = app.query_one(StoryList)
        first = lst.current
        assert app.current_story == first and not shows_read(app, first)
        blocker = hold_write_lock(store_path)
        try:
            await pilot.press("m", "j")
            assert lst.cursor == 1, "the key after the mark was handled while the lock is held"
            assert await until(pilot, lambda: app.current_story == lst.current != first), \
                "and the story under the cursor is shown"
            assert not stored(store_path, first).read and not shows_read(app, first), "nothing landed yet"
        finally:
            release(blocker)
        assert await until(pilot, lambda: shows_read(app, first)), "the list shows it read once the lock is free"
        assert stored(store_path, first).read
        assert error_notes(app) == []


async def test_two_quick_star_toggles_end_where_they_started(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        sid = app.current_story
        blocker = hold_write_lock(store_path)
        try:
            await pilot.press("s", "s")  # the second before the first has landed
        finally:
            release(blocker)
        await settle(pilot)
        assert not stored(store_path, sid).starred and not shows_starred(app, sid)
        await pilot.press("s")
        await settle(pilot)
        assert stored(store_path, sid).starred and shows_starred(app, sid)


async def test_a_write_that_cannot_get_the_lock_is_a_one_line_error_and_the_reader_carries_on(store_path,
                                                                                             monkeypatch):
    from tui.ui import app as app_module

    monkeypatch.setattr(app_module, "STATE_WRITE_TIMEOUT", 0.2)
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        sid = app.current_story
        blocker = hold_write_lock(store_path)
        try:
            await pilot.press("s")
            assert await until(pilot, lambda: error_notes(app)), "the failure is reported"
            await pilot.press("j")
            assert app.query_one(StoryList).cursor == 1
        finally:
            release(blocker)
        (note,) = error_notes(app)
        assert note.message.startswith("Could not toggle starred") and "locked" in note.message
        assert "\n" not in note.message and "Traceback" not in note.message
        assert app.return_code is None, "the reader is still running"
        assert not stored(store_path, sid).starred and not shows_starred(app, sid)
        await pilot.press("k")
        assert await until(pilot, lambda: app.current_story == sid)
        await pilot.press("s")  # with the lock free the same key works
        await settle(pilot)
        assert stored(store_path, sid).starred and shows_starred(app, sid)


async def test_quitting_with_a_write_still_queued_lands_it(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        sid = app.current_story
        blocker = hold_write_lock(store_path)
        await pilot.press("s")
        assert app.state_writer.pending == 1 and not stored(store_path, sid).starred
        # The other process commits a moment after the reader was told to quit.
        releaser = threading.Timer(0.5, release, (blocker,))
        releaser.start()
        await pilot.press("q")
    releaser.join()
    assert app.state_writer.pending == 0
    assert stored(store_path, sid).starred


async def test_the_readers_own_marks_do_not_reload_the_list_but_another_processs_writes_do(store_path):
    # A reload reads the whole story list again (tens of ms at 100,000 stories): it is
    # for others' commits (an import, a refresh), not for the reader's own read/star marks.
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        sid = await show_seed_story(app, pilot)
        lst = app.query_one(StoryList)
        reloads: list[bool] = []
        reload = app.reload_stories

        def counted(**kwargs) -> None:
            reloads.append(True)
            reload(**kwargs)

        app.reload_stories = counted  # type: ignore[method-assign]

        def row_shown(story: int) -> str:
            return lst.render_line(lst.story_ids.index(story) - lst.top).text

        was_read = app.store.story(sid).read
        await pilot.press("m", "s")
        await settle(pilot)
        app._poll_store()  # what the 2 s poll does
        await settle(pilot)
        assert app.store.story(sid).read is not was_read and app.store.story(sid).starred
        assert row_shown(sid).startswith(("●" if was_read else " ") + "★"), "the marks show in the list"
        assert reloads == [], "the reader's own marks do not reload the list"

        other_id = next(i for i in lst.story_ids if i != sid and not app.store.story(i).starred)
        with Store(store_path) as other:  # another process's connection
            other.set_starred(other_id, True)
        app._poll_store()
        await settle(pilot)
        assert len(reloads) == 1, "another process's write reloads the list"
        assert row_shown(other_id)[1] == "★"
