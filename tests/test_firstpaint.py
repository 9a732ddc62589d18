"""The first paint: the story list's first screenful written before Textual loads.

It must put every title where Textual's list will (or Textual's first frame
visibly jumps), stay inert with hostile titles, write nothing off a terminal or
without stories, and leave the terminal as it found it.
"""

from __future__ import annotations

import io
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import fcntl
import pytest

from tui.config import load_config
from tui.store import Store
from tui.ui import firstpaint as fp

CSI = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])")
# The escapes the paint itself writes: cursor moves, clear, its four styles, modes.
OWN = re.compile(r"\x1b\[(?:\d+;\d+H|H|2J|[0127]m|\?1049h|\?25l)")


def frame(store_path: Path, width: int, height: int) -> str:
    cfg = load_config(None)
    rows, total = fp.read_rows(store_path, height - 2)
    return fp.render(rows, total, width, height, narrow_below=int(cfg.get("ui.sidebar_min_width")),
                     hints=fp.hint_cells(cfg))


def screen(data: str, width: int, height: int) -> list[str]:
    """What a terminal shows after ``data``: cursor moves, clears and text (styles ignored)."""
    grid = [[" "] * width for _ in range(height)]
    y = x = 0
    pos = 0
    while pos < len(data):
        m = CSI.match(data, pos)
        if m:
            params, final = m.groups()
            if final == "H":
                parts = [int(p or 1) for p in params.split(";")] if params else [1, 1]
                y, x = parts[0] - 1, (parts[1] - 1 if len(parts) > 1 else 0)
            elif final == "J" and params == "2":
                grid = [[" "] * width for _ in range(height)]
            pos = m.end()
            continue
        ch = data[pos]
        assert ch >= " ", f"unexpected control {ch!r} at {pos}"
        if 0 <= y < height and 0 <= x < width:
            grid[y][x] = ch
        x += max(1, fp._char_width(ch))
        pos += 1
    return ["".join(r) for r in grid]


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (220, 30)])
async def test_rows_land_where_the_textual_list_puts_them(store_path, size):
    from tui.ui.app import NewsReaderApp
    from tui.ui.story_list import StoryList

    width, height = size
    shown = screen(frame(store_path, width, height), width, height)
    app = NewsReaderApp(load_config(None), store_path=store_path)
    async with app.run_test(size=size) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
        lst = app.query_one(StoryList)
        region = lst.region
        assert region.height == height - 2
        for y in range(min(region.height, len(lst.story_ids) + 1)):
            want = "".join(seg.text for seg in lst.render_line(y))
            got = shown[region.y + y][region.x : region.x + region.width]
            assert got == want, f"row {y}"
        bar = app.query_one("#filter-bar").region
        assert shown[bar.y][bar.x : bar.right].strip() == f"{len(lst.story_ids):,} stories"
        left = app.query_one("#left").region
        assert all(shown[y][left.right - 1] == fp.BORDER for y in range(left.y, left.bottom))
        assert shown[height - 1].rstrip() == app._key_hints().plain[:width].rstrip()


def test_hostile_title_and_date_are_inert(store_path):
    with Store(store_path) as store:
        first = store.story_order(limit=1)[0]
        store.conn.execute(
            "UPDATE stories SET title=?, published=?, outlets=?, n_articles=3 WHERE id=?",
            ("Evil\x1b]52;c;aGk=\x07 \x1b[2J\x9b31m\x07\x08\rtitle\u202e end", "2099\x9d\x1b[5m-01-02",
             "Bad\x1b]0;pwned\x07Outlet", first))
        store.conn.commit()
    for width in (220, 80):  # wide (ISO date) and narrow (short date) layouts
        out = frame(store_path, width, 24)
        assert "\x07" not in out and "\x08" not in out and "\r" not in out and "\u202e" not in out
        assert not any(0x80 <= ord(c) < 0xA0 for c in out)
        # Every escape left is one of the paint's own.
        assert "\x1b" not in OWN.sub("", out)
        rows = screen(out, width, 24)
        assert "Evil" in rows[1] and "title" in rows[1]


def _pty() -> tuple[int, int]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    return master, slave


def _drain(fd: int, wait: float = 0.2) -> bytes:
    out = b""
    while select.select([fd], [], [], wait)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        wait = 0.05
    return out


def test_nothing_is_written_off_a_terminal(store_path):
    read, write = os.pipe()
    try:
        with open(write, "w", closefd=False) as pipe:
            env = {"TERM": "xterm-256color", "CI": "true"}
            assert fp.paint(load_config(None), store_path, stdin=io.StringIO(), stdout=pipe, stderr=pipe,
                            environ=env) is None
        assert not select.select([read], [], [], 0)[0]
    finally:
        os.close(read)
        os.close(write)


@pytest.mark.parametrize("case", ["missing", "empty", "dumb"])
def test_nothing_is_written_without_stories_or_without_escapes(tmp_path, store_path, case):
    master, slave = _pty()
    tty_file = open(slave, "w", closefd=False)
    try:
        path = store_path
        env = {"TERM": "xterm-256color"}
        if case == "missing":
            path = tmp_path / "nowhere.db"
        elif case == "empty":
            path = tmp_path / "empty.db"
            Store(path).close()
        else:
            env = {"TERM": "dumb"}
        assert fp.paint(load_config(None), path, stdin=tty_file, stdout=tty_file, stderr=tty_file,
                        environ=env) is None
        assert _drain(master, 0.1) == b""
        assert termios.tcgetattr(slave)[3] & termios.ECHO
    finally:
        tty_file.close()
        os.close(slave)
        os.close(master)


def test_paint_quiets_the_terminal_and_release_restores_it_keeping_typed_keys(store_path):
    master, slave = _pty()
    tty_file = open(slave, "w", closefd=False)
    try:
        before = termios.tcgetattr(slave)
        handoff = fp.paint(load_config(None), store_path, stdin=tty_file, stdout=tty_file, stderr=tty_file,
                           environ={"TERM": "xterm-256color"})
        assert handoff is not None
        shown = _drain(master).decode()
        with Store(store_path, readonly=True) as store:
            title = store.story(store.story_order(limit=1)[0]).title
        assert shown.startswith(fp.ALT_SCREEN_ON) and title[:15] in shown
        assert not termios.tcgetattr(slave)[3] & (termios.ECHO | termios.ICANON)
        os.write(master, b"jj")  # typed while Textual loads
        time.sleep(0.05)
        assert _drain(master, 0.1) == b""  # not echoed over the picture
        handoff.release()
        assert _drain(master).decode().endswith(fp.ALT_SCREEN_OFF + fp.SHOW_CURSOR)
        assert termios.tcgetattr(slave) == before
        assert os.read(slave, 10) == b"jj"  # still queued for the app
        handoff.release()  # twice is harmless
        assert _drain(master, 0.05) == b""
    finally:
        tty_file.close()
        os.close(slave)
        os.close(master)


def test_driver_keeps_the_picture_once_and_restores_the_mode_from_before():
    written: list[str] = []

    class Base:
        attrs_before = None

        def start_application_mode(self) -> None:
            self.attrs_before = ["quiet"]
            self.write(fp.ALT_SCREEN_ON)
            self.write("\x1b[?25l")

        def write(self, data: str) -> None:
            written.append(data)

    handoff = fp.Handoff(in_fd=-1, out_fd=-1, saved=["original"])
    driver = handoff.driver_class(Base)()
    driver.start_application_mode()
    assert written == ["\x1b[?25l"] and driver.attrs_before == ["original"] and handoff.taken_over
    written.clear()
    driver.start_application_mode()  # resumed after Ctrl+Z: back from the main screen
    assert written == [fp.ALT_SCREEN_ON, "\x1b[?25l"]


def test_textual_driver_still_enters_the_alternate_screen_the_way_we_skip():
    """The skip matches Textual's write exactly; a Textual that writes it differently
    would let VTE terminals blank the picture until its first frame."""
    import inspect

    from textual.drivers.linux_driver import LinuxDriver

    src = inspect.getsource(LinuxDriver.start_application_mode)
    assert 'self.write("\\x1b[?1049h")' in src
    assert "2J" not in src


def test_the_module_does_not_import_textual_or_rich():
    code = "import sys, tui.ui.firstpaint; sys.exit(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_launch_paints_the_list_before_textual_starts(tmp_path, store_path):
    """The real command in a pseudo-terminal: a title is on screen before Textual's
    driver writes anything, Textual does not re-enter (clear) the alternate screen, and
    quitting leaves the terminal as it was."""
    import pty

    data = Path(os.environ["XDG_DATA_HOME"]) / "newsreader"
    data.mkdir(parents=True)
    (data / "newsreader.db").write_bytes(store_path.read_bytes())
    with Store(store_path, readonly=True) as store:
        title = store.story(store.story_order(limit=1)[0]).title[:15]
    env = dict(os.environ, TERM="xterm-256color")
    env.pop("CI", None)
    env.pop("TEXTUAL_DRIVER", None)
    pid, master = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-m", "tui"], env)
    try:
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        before = termios.tcgetattr(master)
        out = b""
        deadline = time.monotonic() + 30
        while b"\x1b[?1000h" not in out and time.monotonic() < deadline:  # Textual's driver has started
            out += _drain(master, 0.5)
        out += _drain(master, 1.0)
        start = out.index(b"\x1b[?1000h")
        assert title.encode() in out[:start]
        assert out.count(fp.ALT_SCREEN_ON.encode()) == 1 and out.count(b"\x1b[2J") == 1
        os.write(master, b"q")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            out += _drain(master, 0.2)
        else:
            pytest.fail("the app did not quit")
        assert os.waitstatus_to_exitcode(status) == 0
        after = termios.tcgetattr(master)
        assert after[3] & termios.ECHO and after[3] == before[3]
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(master)


@pytest.mark.parametrize("argv, reader", [
    ([], True), (["--config", "add"], True), (["--config=x.yaml"], True), (["--print-config"], True),
    (["add", "https://example.org/feed"], False), (["--help"], False), (["-h"], False),
    (["--config", "c.yaml", "refresh"], False), (["import", "x"], False),
])
def test_only_a_bare_start_skips_the_feed_commands(argv, reader):
    """Starting the reader skips building the feed subcommands (their imports cost
    ~0.1 s before the first paint); anything that could name them, or help, keeps them."""
    from tui.cli import _starts_the_reader, build_parser

    assert _starts_the_reader(argv) is reader
    commands = build_parser(feeds=not reader)._subparsers._group_actions[0].choices
    assert ("add" in commands) is not reader
