"""The ``newsreader`` command: the reader by default, and subcommands for import,
extraction, clustering and feeds.

Every failure a user can cause ends here as one line on stderr and a non-zero
status; tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from tui import NATIVE, __version__


def _cmd_extract(args: argparse.Namespace) -> int:
    from tui.analysis import analyze_text, contract_record
    from tui.textio import UnreadableError, decode_bytes

    status = 0
    out = sys.stdout
    for path in args.files:
        try:
            text = decode_bytes(_read_article(Path(path)))
        except (OSError, UnreadableError) as exc:
            print(f"newsreader: {_safe(path)}: skipped: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
            status = 1
            continue
        analysis = analyze_text(text, name=path, clean=not args.no_clean)
        rec = contract_record(_storable(path), analysis)
        if args.json:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            _print_extract_listing(rec, out)
    return status


def _read_article(path: Path) -> bytes:
    """A file's bytes, refusing one over the article size cap before reading it."""
    from tui.importer import read_article_file

    return read_article_file(path)


def _print_extract_listing(rec: dict, out) -> None:
    from tui.sanitize import display_line

    out.write(f"== {display_line(rec['path'])}\n")
    out.write(f"title:     {display_line(rec['title'] or '-')}\n")
    out.write(f"source:    {display_line(rec['source'] or '-')}   published: {rec['published'] or '-'}\n")
    out.write(f"quotes ({len(rec['quotes'])}):\n")
    for q in rec["quotes"]:
        out.write(f"  “{display_line(q['text'], 120)}” — {display_line(q['speaker'] or '?')}\n")
    out.write(f"entities ({len(rec['entities'])}):\n")
    for e in sorted(rec["entities"], key=lambda e: (e["type"], -len(e["mentions"]))):
        out.write(f"  {e['type']:<12} {display_line(e['name'])} ×{len(e['mentions'])}\n")
    out.write("\n")


def _cmd_cluster(args: argparse.Namespace) -> int:
    from tui.cluster import canonical, cluster
    from tui.pages import parse_page
    from tui.sources import iter_article_paths
    from tui.textio import UnreadableError, decode_bytes

    items: list[tuple[str, str]] = []
    status = 0
    for p in iter_article_paths(args.paths):
        try:
            text = decode_bytes(_read_article(p))
        except (OSError, UnreadableError) as exc:
            print(f"newsreader: {_safe(p)}: skipped: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
            status = 1
            continue
        items.append((_storable(str(p)), parse_page(text, name=str(p)).body))
    settings = _load_config(args).cluster_settings()
    bodies = dict(items)
    groups = cluster(items, settings)
    stories = [{"articles": g, "canonical": canonical([(k, bodies[k]) for k in g])} for g in groups]
    if args.json:
        json.dump({"stories": stories}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for s in stories:
            print(f"{len(s['articles'])}  {_safe(s['canonical'])}")
            for a in s["articles"]:
                if a != s["canonical"]:
                    print(f"   {_safe(a)}")
    return status


def _storable(path: str) -> str:
    from tui.importer import storable_path

    return storable_path(path)


def _safe(text: object) -> str:
    """A file name or reason as one inert line: names on disk can hold escape sequences too."""
    from tui.importer import storable_path
    from tui.sanitize import display_line

    return display_line(storable_path(str(text)), 1000)


def _load_config(args: argparse.Namespace):
    from tui.config import load_config, user_config_path

    return load_config(user_config_path(args.config))


def _open_store(cfg):
    from tui.store import Store

    return Store(cfg.store_path())


class _Bar:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self, stream, label: str) -> None:
        self.stream = stream
        self.label = label
        self.on = stream.isatty()
        self._last = 0.0

    def __call__(self, p) -> None:
        import time

        if not self.on or not p.total:
            return
        now = time.monotonic()
        if p.done < p.total and now - self._last < 0.1:
            return
        self._last = now
        width = 30
        fill = int(width * p.done / p.total)
        self.stream.write(f"\r{self.label} [{'#' * fill}{'.' * (width - fill)}] {p.done}/{p.total}")
        self.stream.flush()

    def close(self) -> None:
        if self.on:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _cmd_import(args: argparse.Namespace) -> int:
    from tui.importer import importer_for

    cfg = _load_config(args)
    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        print(f"newsreader: {p}: no such file or folder", file=sys.stderr)
    paths = [p for p in args.paths if Path(p).exists()]
    with _open_store(cfg) as store:
        bar = _Bar(sys.stderr, "importing")
        importer = importer_for(store, cfg)
        try:
            summary = importer.import_paths(paths, progress=bar, workers=args.workers)
        finally:
            bar.close()
    print(summary.line() + f" in {summary.seconds:.1f} s")
    for s in summary.skipped:
        print(f"  skipped {_safe(s.source)}: {_safe(s.reason)}")
    for w in summary.warnings:
        print(f"newsreader: warning: {_safe(w)}", file=sys.stderr)
    return 1 if missing else 0


def _cmd_recluster(args: argparse.Namespace) -> int:
    from tui.stories import rebuild_stories

    cfg = _load_config(args)
    with _open_store(cfg) as store:
        n = rebuild_stories(store, cfg.cluster_settings(), progress=lambda msg: print(msg, file=sys.stderr))
        print(f"{store.article_count():,} articles in {n:,} stories")
    return 0


def _cmd_rebuild(args: argparse.Namespace) -> int:
    from tui.rebuild import rebuild

    cfg = _load_config(args)
    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        print(f"newsreader: {p}: no such file or folder", file=sys.stderr)
        return 1
    rebuild(cfg.store_path(), args.paths, cfg)
    return 0


def _cmd_app(args: argparse.Namespace) -> int:
    cfg = _load_config(args)
    if args.print_config:
        from tui.config import effective_yaml

        sys.stdout.write(effective_yaml(cfg))
        return 0
    if args.check_config:
        print(f"config ok: {cfg.source or 'built-in defaults'}")
        return 0
    from tui.store import Store

    path = cfg.store_path()
    # Open (and migrate) once here, so a damaged store is a one-line error, not a crash inside the UI.
    Store(path).close()
    # Importing Textual takes longer than reading and painting the first screenful:
    # paint it now (only on a terminal, only with stories), let Textual repaint it.
    from tui.ui.firstpaint import paint

    handoff = paint(cfg, path)
    # Textual paints at most MAX_FPS times a second and a change waits for the next
    # tick: at its default 60 that adds up to 17 ms to every key's response. Changes
    # are still coalesced per tick; a user's own TEXTUAL_FPS wins.
    os.environ.setdefault("TEXTUAL_FPS", "120")
    try:
        from tui.ui.app import NewsReaderApp

        app = NewsReaderApp(cfg)
        if handoff is not None:
            _hand_over(app, handoff)
        app.run()
    finally:
        if handoff is not None:
            # Textual never started (an error, Ctrl+C): leave the painted screen, restore
            # the terminal. After a normal run this only re-applies the original mode.
            handoff.release()
    return int(app.return_code or 0)


def _hand_over(app, handoff) -> None:
    """Let Textual's driver keep the first paint on screen; any other driver (a
    TEXTUAL_DRIVER override, Windows) gets the terminal back as it was first."""
    from textual.drivers.linux_driver import LinuxDriver

    base = app.driver_class
    if isinstance(base, type) and issubclass(base, LinuxDriver):
        app.driver_class = handoff.driver_class(base)
    else:
        handoff.release()


def build_parser(*, feeds: bool = True) -> argparse.ArgumentParser:
    """The whole command line; ``feeds=False`` leaves out the feed subcommands, whose
    module pulls in HTTP and e-mail parsing (~0.1 s) that starting the reader never needs."""
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="A terminal news reader: duplicate stories collapsed, quotes and entities extracted.",
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__} ({NATIVE.line()})")
    parser.add_argument("--config", metavar="PATH", help="config file (default: $NEWSREADER_CONFIG, then "
                        "$XDG_CONFIG_HOME/newsreader/config.yaml)")
    parser.add_argument("--print-config", action="store_true", help="print the effective config and exit")
    parser.add_argument("--check-config", action="store_true", help="check the config and exit (status 2 if bad)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("extract", help="print title, body, quotes and entities of article files")
    p.add_argument("--json", action="store_true", help="JSON Lines, one object per file (eval/CONTRACT.md)")
    p.add_argument("--no-clean", action="store_true", help="analyse the file text as is (offsets into the file)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser("import", help="store article files and folders (recursively)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--workers", type=int, default=None, help="analysis processes (default: by size)")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("recluster", help="rebuild every story in the store from scratch (keeps your splits/merges)")
    p.set_defaults(func=_cmd_recluster)

    p = sub.add_parser("rebuild", help="move a damaged store aside (kept) and rebuild it from your sources")
    p.add_argument("paths", nargs="*", metavar="PATH", help="more files and folders to import into the new store")
    p.set_defaults(func=_cmd_rebuild)

    p = sub.add_parser("cluster", help="group article files into stories")
    p.add_argument("--json", action="store_true", help="one JSON object (eval/CONTRACT.md)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=_cmd_cluster)

    if feeds:
        from tui import feedcmds

        feedcmds.register(sub)
    return parser


def _starts_the_reader(argv: Sequence[str]) -> bool:
    """True when ``argv`` names no subcommand and asks for no help: the reader starts,
    and every moment before its first paint counts."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--config":
            skip = True  # its value may look like anything, a command name included
        elif arg in ("-h", "--help") or arg == "--" or not arg.startswith("-"):
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(feeds=not _starts_the_reader(argv))
    args = parser.parse_args(argv)
    from tui.config import ConfigError
    from tui.store import StoreError

    try:
        if args.command is None:
            return _cmd_app(args)
        return int(args.func(args) or 0)
    except ConfigError as exc:
        # One line, whatever the file holds: setting names from the file may contain newlines or controls.
        print(f"newsreader: {_safe(exc)}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"newsreader: {_safe(exc)}", file=sys.stderr)
        return 3
    except sqlite3.DatabaseError as exc:
        # Damage found after opening (a bad page deep in the file), or a lock held past the timeout.
        from tui.store import REBUILD_HINT

        msg = " ".join(str(exc).split()) or type(exc).__name__
        if "locked" in msg or "busy" in msg:
            print(f"newsreader: the store is busy ({msg}); another program holds it, try again", file=sys.stderr)
        elif any(w in msg for w in ("malformed", "not a database", "corrupt", "disk image")):
            print(f"newsreader: the store is damaged ({msg}); {REBUILD_HINT}", file=sys.stderr)
        else:  # read-only file, full disk, I/O error: nothing to rebuild, the cause is outside
            print(f"newsreader: cannot use the store ({msg})", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
