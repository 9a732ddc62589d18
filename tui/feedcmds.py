"""Feed subcommands (add, refresh, import-opml, export-opml) on the ``newsreader`` CLI.

They are thin: feeds.py, fetch.py and opml.py do the work; this module joins
them to the config (feeds listed in config.yaml), the store (the ``feeds``
table and its HTTP validators) and the importer (entries become articles).
The store is only touched from the main thread: ``refresh_all`` reports each
finished feed there, so entries are imported while other feeds still download.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from tui.feeds import FeedEntry, FeedResult, FeedSpec, FeedState


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the feed subcommands to the ``newsreader`` parser."""
    p = sub.add_parser("add", help="subscribe to a feed (RSS, Atom or JSON Feed URL)")
    p.add_argument("url", metavar="URL")
    p.add_argument("--name", help="name shown for the feed (default: the feed's title)")
    p.add_argument("--tag", action="append", default=[], metavar="TAG", help="a tag (repeatable)")
    p.set_defaults(func=_cmd_add)

    p = sub.add_parser("refresh", help="download new entries of every feed (or one)")
    p.add_argument("--feed", metavar="URL", help="refresh only this feed")
    p.add_argument("--no-full-text", action="store_true", help="keep feed summaries; do not fetch article pages")
    p.add_argument("--workers", type=int, default=4, help="feeds downloaded at once (default 4)")
    p.set_defaults(func=_cmd_refresh)

    p = sub.add_parser("import-opml", help="subscribe to the feeds of an OPML file")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=_cmd_import_opml)

    p = sub.add_parser("export-opml", help="write the subscriptions as OPML 2.0 (to FILE or stdout)")
    p.add_argument("file", nargs="?", metavar="FILE")
    p.set_defaults(func=_cmd_export_opml)


def _err(msg: str) -> None:
    from tui.sanitize import display_line

    print(f"newsreader: {display_line(msg, 1000)}", file=sys.stderr)


def _config_and_store(args: argparse.Namespace) -> tuple[Any, Any]:
    from tui.config import load_config, user_config_path
    from tui.store import Store

    cfg = load_config(user_config_path(getattr(args, "config", None)))
    return cfg, Store(cfg.store_path())


def _sync_config_feeds(cfg: Any, store: Any) -> None:
    """Feeds listed in config.yaml are subscriptions too; the config's name and tags win."""
    for f in cfg.feeds:
        store.add_feed(f["url"], f.get("name"), list(f.get("tags") or []))


def _spec(row: dict[str, Any]) -> FeedSpec:
    return FeedSpec(row["url"], row.get("name"), tuple(row.get("tags") or ()))


def _cmd_add(args: argparse.Namespace) -> int:
    from tui.fetch import check_url

    url = args.url.strip()
    problem = check_url(url)
    if problem:
        _err(f"{url}: {problem}")
        return 2
    cfg, store = _config_and_store(args)
    with store:
        store.add_feed(url, args.name, list(dict.fromkeys(t.strip() for t in args.tag if t.strip())))
    print(f"added {url}")
    return 0


def _fetcher(cfg: Any) -> Any:
    from tui.fetch import Fetcher

    total = float(cfg.get("limits.download_timeout"))
    return Fetcher(
        connect_timeout=min(10.0, total),
        total_timeout=total,
        max_bytes=int(cfg.get("limits.max_download_bytes")),
    )


def _entry_page_and_digest(entry: FeedEntry) -> tuple[Any, str] | None:
    from tui.importer import content_hash

    page = entry.to_page()
    if not page.body.strip():
        if not page.title:
            return None
        # A headline-only item is still news; the headline is its text.
        page.body = page.title
    digest = content_hash("\n".join([page.title or "", page.body, page.url or ""]).encode("utf-8"))
    return page, digest


def _import_result(result: FeedResult, feed_id: int, store: Any, importer: Any) -> tuple[int, int]:
    """Store a feed's new entries and its new state; (imported, updated)."""
    imported = updated = 0
    failed: list[str] = []
    for entry in result.entries:
        prepared = _entry_page_and_digest(entry)
        if prepared is None:
            continue
        page, digest = prepared
        try:
            outcome = importer.import_page(entry.key, page, digest, feed_id=feed_id, full_text=entry.full_text)
        except Exception as exc:  # noqa: BLE001 - one bad entry must not stop the feed or the refresh
            failed.append(f"{type(exc).__name__}: {exc}")
            continue
        imported += outcome == "imported"
        updated += outcome == "updated"
    if failed:
        result.status += f" ({len(failed)} not imported: {failed[0]})"
    store.update_feed_state(
        feed_id, etag=result.state.etag, last_modified=result.state.last_modified, status=result.status
    )
    if not result.spec.name and result.title:
        # Remember the feed's own title, so lists and "not modified" lines can name it.
        store.add_feed(result.spec.url, result.title, list(result.spec.tags))
    return imported, updated


@dataclass(slots=True)
class RefreshSummary:
    """What a refresh into the store did."""

    feeds: int = 0
    imported: int = 0
    updated: int = 0
    errors: int = 0
    results: list[FeedResult] = field(default_factory=list)

    def line(self) -> str:
        feeds = f"{self.feeds} feed" + ("" if self.feeds == 1 else "s")
        return f"{feeds}: {self.imported} new articles, {self.updated} updated, {self.errors} with errors"


def refresh_store(
    cfg: Any,
    store: Any,
    *,
    feed_url: str | None = None,
    full_text: bool = True,
    workers: int = 4,
    on_result: Callable[[int, int, FeedResult], None] | None = None,
) -> RefreshSummary:
    """Refresh the subscribed feeds (or only ``feed_url``) and import their new entries.

    For the CLI and the app alike. ``store`` is used only in the calling thread
    (feeds download in a pool; each finished feed is imported here), so a UI
    calls this from its own worker thread with that thread's Store.
    ``on_result(done, total, result)`` follows each feed's import.
    """
    from tui.feeds import refresh_all
    from tui.importer import importer_for

    _sync_config_feeds(cfg, store)
    rows = store.feeds()
    if feed_url is not None:
        rows = [r for r in rows if r["url"] == feed_url.strip()]
    ids = {r["url"]: r["id"] for r in rows}
    feeds = [(_spec(r), FeedState(r.get("etag"), r.get("last_modified"))) for r in rows]
    importer = importer_for(store, cfg)
    summary = RefreshSummary(feeds=len(feeds))

    def on_progress(done: int, total: int, result: FeedResult) -> None:
        imported, updated = _import_result(result, ids[result.spec.url], store, importer)
        summary.imported += imported
        summary.updated += updated
        summary.errors += not result.ok
        if on_result is not None:
            on_result(done, total, result)

    summary.results = refresh_all(
        feeds,
        _fetcher(cfg),
        known=frozenset(store.known_hashes()),
        full_text=full_text,
        workers=max(1, workers),
        on_progress=on_progress,
    )
    return summary


def _cmd_refresh(args: argparse.Namespace) -> int:
    from tui.sanitize import display_line

    cfg, store = _config_and_store(args)
    out: TextIO = sys.stdout

    def show(done: int, total: int, result: FeedResult) -> None:
        label = display_line(result.spec.name or result.title or result.spec.url, 80)
        out.write(f"[{done}/{total}] {label}: {display_line(result.status, 200)}\n")
        out.flush()

    with store:
        if args.feed and args.feed.strip() not in {r["url"] for r in store.feeds()} | {
            f["url"] for f in cfg.feeds
        }:
            _err(f"{args.feed}: not a subscribed feed (add it with 'newsreader add URL')")
            return 2
        summary = refresh_store(
            cfg,
            store,
            feed_url=args.feed,
            full_text=not args.no_full_text,
            workers=args.workers,
            on_result=show,
        )
    if not summary.feeds:
        print("no feeds: add one with 'newsreader add URL' or list them under feeds: in config.yaml")
        return 0
    out.write(summary.line() + "\n")
    return 1 if summary.errors else 0


def _cmd_import_opml(args: argparse.Namespace) -> int:
    from tui.opml import OpmlError, parse_opml

    path = Path(args.file)
    try:
        data = path.read_bytes()
        got = parse_opml(data)
    except OSError as exc:
        _err(f"{path}: {exc.strerror or exc}")
        return 1
    except OpmlError as exc:
        _err(f"{path}: {exc}")
        return 1
    cfg, store = _config_and_store(args)
    with store:
        known = {r["url"] for r in store.feeds()}
        added = 0
        for spec in got.feeds:
            added += spec.url not in known
            store.add_feed(spec.url, spec.name, list(spec.tags))
    print(f"{len(got.feeds)} feeds in {path.name}: {added} new, {len(got.feeds) - added} already subscribed"
          + (f", {len(got.skipped)} skipped" if got.skipped else ""))
    from tui.sanitize import display_line

    for what, why in got.skipped:
        print(f"  skipped {display_line(what, 120)}: {why}")
    return 0


def _cmd_export_opml(args: argparse.Namespace) -> int:
    from tui.opml import write_opml

    cfg, store = _config_and_store(args)
    with store:
        _sync_config_feeds(cfg, store)
        specs = [_spec(r) for r in store.feeds()]
    text = write_opml(specs)
    if args.file:
        try:
            Path(args.file).write_text(text, encoding="utf-8")
        except OSError as exc:
            _err(f"{args.file}: {exc.strerror or exc}")
            return 1
        print(f"wrote {len(specs)} feeds to {args.file}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
