"""``newsreader rebuild``: a new store from a damaged (or foreign) one, keeping what can be kept.

The damaged file is never deleted or written: it is read in place (read-only),
the new store is built beside it, and only then is the old file (with its
``-wal``/``-shm``) moved aside to ``newsreader.db.broken-YYYYmmdd-HHMMSS`` and
the new one renamed into its place, so an interrupted rebuild can simply be run
again. Whatever SQLite can
still read from it is salvaged row by row (a bad page ends one table's scan,
not the rebuild): article sources, the saved text of articles whose file is
gone (feed entries), feed subscriptions, story corrections and read/starred
marks. Local files are imported again (fresh analysis), saved texts are stored
as they were, the given PATHs are imported too, and the marks are put back.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui.records import Page


@dataclass(slots=True)
class Salvage:
    """What could be read from the old store."""

    articles: dict[str, dict] = field(default_factory=dict)  # source -> row (body may be missing)
    feeds: list[dict] = field(default_factory=list)
    overrides: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RebuildReport:
    moved_to: Path | None
    salvage: Salvage
    files: int = 0
    saved_copies: int = 0
    import_line: str = ""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    read: int = 0
    starred: int = 0


def aside_name(path: Path, now: float | None = None) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    target = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while target.exists() or Path(f"{target}-wal").exists():
        target = path.with_name(f"{path.name}.broken-{stamp}-{n}")
        n += 1
    return target


def move_aside(path: Path) -> Path | None:
    """Rename the store and its WAL files out of the way (same folder); None if there is no store."""
    sidecars = [Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]
    if not path.exists() and not any(p.exists() for p in sidecars):
        return None
    target = aside_name(path)
    # The WAL first: if we are interrupted, the main file is still where it was.
    for side, suffix in zip(sidecars, ("-wal", "-shm", "-journal")):
        if side.exists():
            os.rename(side, f"{target}{suffix}")
    if path.exists():
        os.rename(path, target)
    return target


def _rows(conn: sqlite3.Connection, sql: str, problems: list[str], what: str):
    """Yield rows until SQLite gives up on the file; note why it stopped."""
    try:
        cur = conn.execute(sql)
        while True:
            try:
                row = cur.fetchone()
            except sqlite3.DatabaseError as exc:
                problems.append(f"{what}: stopped reading ({exc})")
                return
            if row is None:
                return
            yield row
    except sqlite3.DatabaseError as exc:
        problems.append(f"{what}: unreadable ({exc})")


def _article_rows(conn: sqlite3.Connection, columns: str, problems: list[str], what: str):
    """Every readable row of ``articles``: a scan, then one lookup per id past a damaged page."""
    seen: set[int] = set()
    before = len(problems)
    for row in _rows(conn, f"SELECT id, {columns} FROM articles", problems, what):
        seen.add(row[0])
        yield row[1:]
    if len(problems) == before:
        return
    # The highest article id, from whichever table can still say it.
    top = max(seen, default=0)
    for sql in ("SELECT max(id) FROM articles", "SELECT max(article_id) FROM fingerprints",
                "SELECT max(canonical_id) FROM stories", "SELECT max(article_id) FROM quotes",
                "SELECT max(rowid) FROM articles_fts"):
        try:
            top = max(top, int(conn.execute(sql).fetchone()[0] or 0))
        except (sqlite3.DatabaseError, TypeError, ValueError):
            continue
    lost = 0
    for aid in range(1, top + 1):
        if aid in seen:
            continue
        try:
            row = conn.execute(f"SELECT {columns} FROM articles WHERE id=?", (aid,)).fetchone()
        except sqlite3.DatabaseError:
            lost += 1
            continue
        if row is not None:
            yield row
    problems.append(f"{what}: {lost} of {top} ids unreadable after looking up each one")


def salvage(path: Path) -> Salvage:
    """Read what can be read from a (possibly damaged) store file, without writing it."""
    out = Salvage()
    if not path.is_file():
        return out
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        out.problems.append(f"not readable as a database ({exc})")
        return out
    try:
        for r in _article_rows(conn, "source, read, starred", out.problems, "reading marks"):
            if isinstance(r[0], str):
                out.articles[r[0]] = {"source": r[0], "read": bool(r[1]), "starred": bool(r[2])}
        feed_url: dict[int, str] = {}
        for r in _rows(conn, "SELECT id, url, name, tags FROM feeds", out.problems, "feeds"):
            try:
                tags = [str(t) for t in json.loads(r[3] or "[]")]
            except (ValueError, TypeError):
                tags = []
            if isinstance(r[1], str):
                feed_url[r[0]] = r[1]
                out.feeds.append({"url": r[1], "name": r[2], "tags": tags})
        for r in _rows(conn, "SELECT kind, a, b FROM story_overrides", out.problems, "story corrections"):
            out.overrides.append((str(r[0]), str(r[1]), str(r[2] or "")))
        columns = "source, content_hash, title, outlet, published, url, body, captions, full_text, feed_id, read, starred"
        for r in _article_rows(conn, columns, out.problems, "article texts"):
            if not isinstance(r[0], str) or not isinstance(r[6], str):
                continue
            try:
                captions = [str(c) for c in json.loads(r[7] or "[]")]
            except (ValueError, TypeError):
                captions = []
            row = out.articles.setdefault(r[0], {"source": r[0], "read": bool(r[10]), "starred": bool(r[11])})
            row.update(hash=r[1], page=Page(title=r[2], body=r[6], source=r[3], published=r[4], captions=captions,
                                            url=r[5]), full_text=bool(r[8]), feed_url=feed_url.get(r[9]))
    finally:
        conn.close()
    return out


def rebuild(store_path: Path, paths: Sequence[str], cfg, say: Callable[[str], None] = print) -> RebuildReport:
    """Salvage the store, build a new one from its sources plus ``paths``, move the old one aside."""
    from tui.importer import importer_for
    from tui.sanitize import display_line
    from tui.store import Store

    # The new store is built beside the old one and only then swapped in: a rebuild that is
    # interrupted leaves the old file where it was, so running it again loses nothing.
    building = store_path.with_name(store_path.name + ".rebuilding")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm"), Path(f"{building}-journal")):
        leftover.unlink(missing_ok=True)  # our own unfinished output from an interrupted rebuild
    sal = salvage(store_path)
    for problem in sal.problems:
        say(f"old store: {problem}")
    report = RebuildReport(None, sal)
    files = sorted(src for src in sal.articles if os.path.isabs(src) and os.path.isfile(src))
    report.files = len(files)
    with Store(building) as store:
        feed_ids: dict[str, int] = {}
        for f in sal.feeds:
            feed_ids[f["url"]] = store.add_feed(f["url"], f["name"], f["tags"])
        with store.conn:
            for kind, a, b in sal.overrides:
                if kind in ("split", "merge"):
                    store.add_override(kind, a, b)
        importer = importer_for(store, cfg)
        summary = importer.import_paths([*files, *paths])
        report.import_line = summary.line()
        report.skipped = [(s.source, s.reason) for s in summary.skipped]
        present = store.known_hashes()
        for src, row in sal.articles.items():
            if src in present or "page" not in row:
                continue
            try:
                importer.import_page(src, row["page"], row["hash"] or "", feed_id=feed_ids.get(row.get("feed_url")),
                                     full_text=row.get("full_text", False))
                report.saved_copies += 1
            except Exception as exc:  # noqa: BLE001 - one bad saved copy must not stop the rebuild
                report.skipped.append((src, f"saved copy not stored ({type(exc).__name__}: {exc})"))
        ids = store.article_ids_by_source([s for s, r in sal.articles.items() if r["read"] or r["starred"]])
        stories: set[int] = set()
        with store.conn:
            for src, aid in ids.items():
                row = sal.articles[src]
                store.conn.execute("UPDATE articles SET read=?, starred=? WHERE id=?",
                                   (int(row["read"]), int(row["starred"]), aid))
                report.read += row["read"]
                report.starred += row["starred"]
                sid = store.article_story(aid)
                if sid is not None:
                    stories.add(sid)
            for sid in stories:
                store.refresh_story(sid, store.story_canonical(sid))
        total = store.article_count()
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    report.moved_to = move_aside(store_path)
    if report.moved_to is not None:
        say(f"moved the old store to {report.moved_to} (kept; delete it yourself once you are happy)")
    for suffix in ("-wal", "-shm"):
        if Path(f"{building}{suffix}").exists():
            os.rename(f"{building}{suffix}", f"{store_path}{suffix}")
    os.rename(building, store_path)
    lost = sum(1 for src in sal.articles if src not in ids and (sal.articles[src]["read"] or sal.articles[src]["starred"]))
    say(f"salvaged {len(sal.articles)} articles, {len(sal.feeds)} feeds, {len(sal.overrides)} story corrections")
    say(f"re-imported {report.files} source files" + (f" and {len(paths)} given paths" if paths else "")
        + f": {report.import_line}; stored {report.saved_copies} saved copies (feed entries, missing files)")
    for src, reason in report.skipped[:20]:
        say(f"  skipped {display_line(src, 300)}: {display_line(reason, 300)}")
    say(f"restored {report.read} read and {report.starred} starred marks"
        + (f"; {lost} marks belonged to articles that could not be recovered" if lost else ""))
    say(f"the new store at {store_path} holds {total} articles")
    return report
