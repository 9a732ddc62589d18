"""Hostile content: stored as given, shown inertly; hostile URLs and XML refused; no shell.

Article text comes from strangers. Terminal escape sequences (cursor moves,
OSC 52 clipboard writes, OSC 8 links, OSC 0/2 title changes, DCS, 8-bit C1),
Rich markup and bidi overrides must reach the store unchanged (it is the
reader's record) and the screen as inert characters. Feeds and pages are only
fetched over http(s), XML entity tricks are refused, and "open in browser"
passes the URL as one argv element.
"""

from __future__ import annotations

import json
import re
import stat
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.config import ConfigError, load_config
from tui.feeds import parse_feed
from tui.importer import Importer
from tui.opml import parse_opml
from tui.records import Page
from tui.sanitize import display_line, strip_controls
from tui.store import Store

# Characters that must never reach a terminal from article text.
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE = [
    "\x1b[2J\x1b[H",  # clear screen, cursor home
    "\x1b[10;20H\x1b[1A\x1b[999C",  # cursor moves
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",  # OSC 52 clipboard write (BEL)
    "\x1b]52;c;ZWNobyBwd25lZA==\x1b\\",  # OSC 52 (ST)
    "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1b]0;pwned title\x07",  # OSC 0 window title
    "\x1b]2;pwned title\x1b\\",  # OSC 2
    "\x1bP+q544e\x1b\\",  # DCS (XTGETTCAP)
    "\x1bPq#0;2;0;0;0#0~~@@vv\x1b\\",  # DCS sixel
    "\x9b31m\x9b2J",  # 8-bit CSI
    "\x9d0;title\x9c",  # 8-bit OSC
    "\x90+q\x9c",  # 8-bit DCS
    "\x1b_apc\x1b\\\x1b^pm\x1b\\\x1bXsos\x1b\\",  # APC, PM, SOS
    "\x1bc\x1b7\x1b8\x1b=",  # RIS, save/restore cursor, keypad
    "\x07\x08\x0b\x0c\x0e\x0f\x7f",  # BEL, BS, VT, FF, SO, SI, DEL
    "\u202eevil\u202c \u2066iso\u2069 \u202a\u202b\u202d",  # bidi overrides and isolates
]
MARKUP = ["[bold red]x[/]", "[/]", "[link=https://evil.example]y[/link]", "[@click=app.quit]z[/]", "[/bold]"]


@pytest.mark.parametrize("seq", HOSTILE)
def test_every_escape_sequence_is_stripped_and_the_text_around_it_kept(seq: str) -> None:
    text = f"Before {seq} after"
    for out in (strip_controls(text), display_line(text)):
        assert not UNSAFE.search(out), repr(out)
        assert out.startswith("Before") and out.endswith("after")


def test_a_truncated_escape_sequence_at_the_end_is_stripped() -> None:
    for seq in ("\x1b", "\x1b[", "\x1b[12;", "\x1b]52;c;AAAA", "\x1bP", "\x9b", "\x9d0;t"):
        assert not UNSAFE.search(strip_controls("tail " + seq)), repr(seq)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(["\x1b", "\x9b", "\x9d", "\x07",
                                                                                "[", "]", ";", "\u202e"]))))
def test_nothing_unsafe_survives_any_text(text: str) -> None:
    assert not UNSAFE.search(strip_controls(text))
    line = display_line(text)
    assert not UNSAFE.search(line) and "\n" not in line and len(line) <= 500


def test_markup_is_left_alone_by_the_sanitizer() -> None:
    for m in MARKUP:
        assert strip_controls(m) == m  # shown literally by the UI (rich Text, never markup)


def _hostile_title() -> str:
    return "Dam opens " + "".join(HOSTILE) + " " + " ".join(MARKUP) + " end"


def _hostile_body() -> str:
    para = ("Residents of the valley gathered on Saturday to watch the new dam open. "
            '"We will never [bold]comply[/] with this \x1b]52;c;cGF5bG9hZA==\x07order," said Mayor Jane Doe '
            "of Riverton \u202eCity\u202c. ")
    return "\n\n".join([para + "".join(HOSTILE) + " " + " ".join(MARKUP)] * 4)


@pytest.fixture
def hostile_store(tmp_path: Path) -> Path:
    db = tmp_path / "hostile.db"
    with Store(db) as store:
        imp = Importer(store)
        for i, outlet in enumerate(["[red]Herald\x1b[31m", "\x1b]0;x\x07[/]Gazette"]):
            imp.import_page(f"https://example.org/dam/{i}",
                            Page(title=_hostile_title(), body=_hostile_body(), source=outlet, published="2026-03-14",
                                 url=f"https://example.org/dam/{i}"), f"d{i}")
    return db


def test_hostile_text_is_stored_exactly_as_given(hostile_store: Path) -> None:
    with Store(hostile_store) as store:
        (sid,) = store.story_order()
        versions = store.story_versions(sid)
        assert len(versions) == 2
        art = store.article_text(versions[0].id)
        assert art is not None
        assert art.info.title == _hostile_title() and art.body == _hostile_body()


def _screen_text(app) -> str:
    """Every line of the story list as painted, plus the article, entity and quote panes."""
    from tui.ui.article import ArticleView
    from tui.ui.panes import EntityPane, QuotePane
    from tui.ui.story_list import StoryList

    lst = app.query_one(StoryList)
    rows = [lst.render_line(y).text for y in range(lst.size.height)]
    panes = [app.query_one(ArticleView).plain_text]
    for pane in (app.query_one(EntityPane), app.query_one(QuotePane)):
        panes += [str(pane.get_option_at_index(i).prompt) for i in range(pane.option_count)]
    return "\n".join(rows + panes)


async def test_hostile_article_is_shown_inertly_in_the_app(hostile_store: Path) -> None:
    from test_app import settle

    from tui.ui.app import NewsReaderApp

    app = NewsReaderApp(load_config(None), store_path=hostile_store)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        text = _screen_text(app)
        assert not UNSAFE.search(text), repr(UNSAFE.findall(text))
        # Markup is shown as the characters it is made of.
        assert "[bold red]x[/]" in text and "[link=https://evil.example]y[/link]" in text
        assert "[bold]comply[/]" in text
        assert "Dam opens" in text and "Mayor Jane Doe" in text
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\u202e" not in svg and "\x9b" not in svg
        # Versions screen, with the hostile outlets.
        await pilot.press("v")
        await settle(pilot)
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\u202e" not in svg
        assert "[red]Herald" in svg.replace("&#160;", " ") or "Herald" in svg


def _shown(note) -> str:
    """What a notification puts on screen (markup parsed as Textual's toast does)."""
    from textual.content import Content

    return Content.from_markup(note.message).plain if note.markup else note.message


async def test_notifications_show_outlet_names_literally(hostile_store: Path) -> None:
    from test_app import settle

    from tui.ui.app import NewsReaderApp

    app = NewsReaderApp(load_config(None), store_path=hostile_store)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("x")  # "Split <outlet> into its own story."
        await settle(pilot)
        notes = [n for n in app._notifications if "Split" in n.message]
        assert notes
        assert "[/]Gazette" in _shown(notes[-1])


# -- open in browser: an argv list, never a shell ------------------------------------------


def _recorder(tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "argv.json"
    script = tmp_path / "record-browser"
    script.write_text(f"#!{sys.executable}\nimport json, sys\n"
                      f"open({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, out


async def _open_in_browser(tmp_path: Path, url: str) -> Path:
    from test_app import settle

    from tui.ui.app import NewsReaderApp

    db = tmp_path / "b.db"
    with Store(db) as store:
        Importer(store).import_page(url, Page(title="Dam opens", body="The dam opened on Saturday. " * 20,
                                              source="Herald", url=url), "d")
    script, out = _recorder(tmp_path)
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"store:\n  import_samples: false\nui:\n  browser: [{json.dumps(str(script))}, --new-tab]\n",
                   encoding="utf-8")
    app = NewsReaderApp(load_config(cfg), store_path=db)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
    return out


async def test_open_in_browser_passes_the_url_as_one_argument_never_through_a_shell(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = (f"https://example.org/a;touch {tmp_path}/pwned1;$(touch {tmp_path}/pwned2)"
           f"`touch {tmp_path}/pwned3`&x=1|cat /etc/passwd>{tmp_path}/pwned4 'q\"")
    out = await _open_in_browser(tmp_path, url)
    deadline = time.monotonic() + 10
    while not out.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)
    assert json.loads(out.read_text()) == ["--new-tab", url]
    assert not list(tmp_path.glob("pwned*"))


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>",
                                 "ftp://example.org/x"])
async def test_open_in_browser_refuses_links_other_than_http(tmp_path: Path, url: str) -> None:
    out = await _open_in_browser(tmp_path, url)
    time.sleep(0.5)
    assert not out.exists()


# -- URLs other than http(s) ------------------------------------------------------------------

BAD_URLS = ["file:///etc/passwd", "FILE:/etc/passwd", "javascript:alert(1)", "data:text/xml,<rss/>",
            "ftp://example.org/feed", "gopher://example.org/", "/etc/passwd", "example.org/feed",
            " file:///etc/passwd", "view-source:http://example.org/"]


@pytest.mark.parametrize("url", BAD_URLS)
def test_add_refuses_urls_other_than_http(tmp_path: Path, capsys, url: str) -> None:
    from tui.cli import main

    cfg = tmp_path / "config.yaml"
    db = tmp_path / "s.db"
    cfg.write_text(f"store:\n  path: {db}\n", encoding="utf-8")
    assert main(["--config", str(cfg), "add", url]) == 2
    assert "http" in capsys.readouterr().err
    if db.exists():
        with Store(db) as store:
            assert store.feeds() == []


@pytest.mark.parametrize("url", [u for u in BAD_URLS if u.strip() and ":" in u])
def test_config_refuses_feed_urls_other_than_http(tmp_path: Path, url: str) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"feeds:\n  - {json.dumps(url)}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r":2: feeds\[0\]\.url: expected an http:// or https:// URL"):
        load_config(cfg)


def test_opml_subscriptions_other_than_http_are_skipped() -> None:
    data = (b'<?xml version="1.0"?><opml version="2.0"><head/><body>'
            b'<outline type="rss" xmlUrl="file:///etc/passwd"/><outline type="rss" xmlUrl="javascript:alert(1)"/>'
            b'<outline type="rss" xmlUrl="https://ok.example/f"/></body></opml>')
    got = parse_opml(data)
    assert [s.url for s in got.feeds] == ["https://ok.example/f"]
    assert len(got.skipped) == 2


def test_feed_links_other_than_http_are_never_fetched_as_pages() -> None:
    from tui.fetch import Fetcher

    f = Fetcher(connect_timeout=1.0, total_timeout=1.0)
    for url in BAD_URLS:
        r = f.fetch(url)
        assert r.error is not None and r.body == b""


# -- XML: entity tricks beyond the billion laughs (tests/test_feeds.py has that one) -------------


def _secret(tmp_path: Path) -> tuple[Path, Path]:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY xxe SYSTEM "file://{secret}">')
    return secret, dtd


ITEM = '<rss version="2.0"><channel><title>t &xxe;</title><item><title>a</title><description>b &xxe;</description></item></channel></rss>'


def test_external_dtd_and_parameter_entities_are_never_loaded(tmp_path: Path) -> None:
    secret, dtd = _secret(tmp_path)
    for doc in (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file://{dtd}">' + ITEM,
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "file://{dtd}"> %p;]>' + ITEM,
        f'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//X//Y" "file://{dtd}">' + ITEM,
    ):
        feed = parse_feed(doc.encode(), "https://x.example/feed")
        assert "TOP-SECRET-TOKEN" not in repr(feed)


def test_xinclude_is_not_processed(tmp_path: Path) -> None:
    secret, _ = _secret(tmp_path)
    doc = (f'<?xml version="1.0"?><rss version="2.0" xmlns:xi="http://www.w3.org/2001/XInclude"><channel>'
           f'<title>t</title><item><title>a</title><description><xi:include href="file://{secret}" parse="text"/>'
           "</description></item></channel></rss>")
    assert "TOP-SECRET-TOKEN" not in repr(parse_feed(doc.encode(), "https://x.example/feed"))


def test_quadratic_entity_blowup_is_bounded() -> None:
    doc = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + b"x" * 50_000 + b'">]><rss version="2.0">'
           b"<channel><title>t</title><item><title>a</title><description>" + b"&a;" * 20_000
           + b"</description></item></channel></rss>")
    t = time.perf_counter()
    feed = parse_feed(doc, "https://x.example/feed")
    assert time.perf_counter() - t < 5
    assert len(repr(feed)) < 2_000_000  # 50 KB x 20,000 = 1 GB were it expanded


def test_file_names_with_escape_sequences_are_printed_inertly(tmp_path: Path, capsys) -> None:
    from tui.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "\x1b]52;c;cHduZWQ=\x07evil\x1b[2J.txt").write_bytes(b"\x00\x01binary")
    (folder / "ok\x1b[31m.txt").write_text("Dam opens\n\nThe new dam opened on Saturday. " * 5)
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"store:\n  path: {tmp_path / 's.db'}\n", encoding="utf-8")
    assert main(["--config", str(cfg), "import", str(folder)]) == 0
    assert main(["--config", str(cfg), "cluster", str(folder)]) == 1
    got = capsys.readouterr()
    assert "skipped" in got.out and "evil" in got.out and "ok" in got.out
    assert not UNSAFE.search(got.out.replace("\n", "")) and not UNSAFE.search(got.err.replace("\n", ""))


def test_an_unterminated_string_sequence_does_not_hide_the_rest_of_the_paragraph() -> None:
    # A stray 0x9D byte in a Latin-1 page, or a cut-off OSC: the text after it stays visible (inert).
    assert strip_controls("Mayor \x9dJane Doe said yes.") == "Mayor Jane Doe said yes."
    assert "Jane Doe said yes." in strip_controls("Mayor \x1b]0;Jane Doe said yes.")
    assert "Jane Doe said yes." in strip_controls("Mayor \x1bPJane Doe said yes.")
    # Terminated ones are removed whole.
    assert strip_controls("a\x1b]52;c;QUJD\x07b\x1bP+q\x1b\\c\x9d0;t\x9cd") == "abcd"


@pytest.mark.parametrize("seq", ["\x9d", "\x9dx", "\x1b]x", "\x1bPx", "\x9b1", "\x1b[1", "\x1b]\x9d\x1bP\x9b"])
def test_sanitizing_is_linear_in_the_length_of_the_text(seq: str) -> None:
    text = seq * (400_000 // len(seq))
    t = time.perf_counter()
    out = strip_controls(text)
    assert time.perf_counter() - t < 2
    assert not UNSAFE.search(out)


def test_a_hostile_date_cannot_reach_the_terminal_through_the_story_list():
    from tui.store import StoryRow
    from tui.ui.rowtext import row_text

    row = StoryRow(1, "Title", "2024-\x1b]52;c;cm0gLXJmIH4=\x07-01\x1b[2J", 2, "Outlet A, Outlet B", False, False)
    for width in (40, 100):
        cells = row_text(row, width)
        text = cells.mark + cells.star + cells.title + cells.tail
        assert "\x1b" not in text and "\x07" not in text
