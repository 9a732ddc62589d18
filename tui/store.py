"""The SQLite store: articles, stories, analysis results and reading state.

Everything the reader shows comes from here, and everything import, refresh
and analysis produce goes here; the UI never reads files. One ``Store`` object
wraps one connection, so each thread opens its own. WAL lets the app read
while an import writes, and each write is one short transaction, so a crash or
``kill -9`` loses at most the article being written, never read/starred state.

Reading state lives on articles and is summarised onto stories: a story is read
when any of its copies is, so a copy that arrives later joins a read story
without making it unread, and rebuilding stories never loses what was read.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tui.records import Entity, Page, Quote
from tui.rows import entity_rows, quote_rows

SCHEMA_VERSION = 5
SEARCH_LIMIT = 5000
SEARCH_FIRST = 300  # matches behind the first screenful of results, shown before the rest
APPLICATION_ID = 0x4E575352  # "NWSR": tells our database from a foreign SQLite file
CACHE_KB = 32_000  # page cache per connection
WAL_PAGES = 1000  # SQLite's default: a commit that grows the log past this copies it back
BULK_CACHE_MB = 256  # see Store.bulk_writes
BULK_WAL_PAGES = 65_536  # 256 MB of log before the importer copies it back itself: see Store.bulk_writes
REBUILD_HINT = "run 'newsreader rebuild' to move it aside (it is kept) and rebuild the store from your sources"

_MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema.
    """
    CREATE TABLE feeds(
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        name TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        etag TEXT,
        last_modified TEXT,
        last_status TEXT,
        last_checked REAL
    );
    CREATE TABLE articles(
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        title TEXT,
        outlet TEXT,
        published TEXT,
        url TEXT,
        body TEXT NOT NULL,
        captions TEXT NOT NULL DEFAULT '[]',
        length INTEGER NOT NULL,
        full_text INTEGER NOT NULL DEFAULT 0,
        feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
        story_id INTEGER,
        imported_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX articles_story ON articles(story_id);
    CREATE TABLE stories(
        id INTEGER PRIMARY KEY,
        canonical_id INTEGER,
        title TEXT,
        published TEXT,
        n_articles INTEGER NOT NULL DEFAULT 0,
        outlets TEXT NOT NULL DEFAULT '',
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX stories_order ON stories(published DESC, id DESC);
    CREATE TABLE quotes(
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        speaker TEXT,
        speaker_start INTEGER,
        speaker_end INTEGER
    );
    CREATE INDEX quotes_article ON quotes(article_id);
    CREATE INDEX quotes_speaker ON quotes(speaker);
    CREATE TABLE entities(
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        UNIQUE(type, name)
    );
    CREATE TABLE article_entities(
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        mentions INTEGER NOT NULL,
        spans TEXT NOT NULL,
        PRIMARY KEY(article_id, entity_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_entities_entity ON article_entities(entity_id);
    CREATE TABLE fingerprints(
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        data BLOB NOT NULL
    );
    CREATE TABLE cluster_keys(
        key INTEGER NOT NULL,
        article_id INTEGER NOT NULL
    );
    CREATE INDEX cluster_keys_key ON cluster_keys(key);
    CREATE INDEX cluster_keys_article ON cluster_keys(article_id);
    CREATE TABLE story_overrides(
        kind TEXT NOT NULL CHECK(kind IN ('split', 'merge')),
        a TEXT NOT NULL,
        b TEXT NOT NULL DEFAULT '',
        PRIMARY KEY(kind, a, b)
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    """,
    # 2: index keys carry their article's story, so placement can count how many
    # distinct stories share a sentence (boilerplate) without joining articles.
    """
    ALTER TABLE cluster_keys ADD COLUMN story_id INTEGER;
    UPDATE cluster_keys SET story_id = (SELECT story_id FROM articles WHERE articles.id = cluster_keys.article_id);
    CREATE INDEX cluster_keys_key_story ON cluster_keys(key, story_id);
    DROP INDEX cluster_keys_key;
    """,
    # 3: article -> story without reading the article row. Search and the entity filter
    # map thousands of matching articles to their stories; rows hold whole bodies, so
    # each lookup through the table touched its own page (~2x slower at 100,000).
    """
    CREATE INDEX articles_id_story ON articles(id, story_id);
    """,
    # 4: new articles are indexed for search by their writer (``put_article_rows``,
    # ``index_articles``), not by a trigger. Every statement that needs a statement
    # journal makes FTS5 flush its pending terms into a new segment, and inserting an
    # article is such a statement: with the trigger, each article became a one-document
    # segment to be merged later (~20% of an import's write time). An import now
    # indexes its whole transaction's articles together, just before committing.
    """
    DROP TRIGGER articles_ai;
    """,
    # 5: the candidate index covers what placement reads of a key (its articles and
    # their stories), so reading a key's rows no longer visits the table row by row;
    # on a store of 100,000 articles that was a quarter of an import's write side.
    """
    CREATE INDEX cluster_keys_key_story_article ON cluster_keys(key, story_id, article_id);
    DROP INDEX cluster_keys_key_story;
    """,
)


class _MultiInsert:
    """One INSERT written as statements of several rows each, in place of ``executemany``.

    An import writes ~45 quote, entity and candidate-index rows per article; executed
    one row at a time, each paid a statement's start and finish (binding, VDBE setup,
    halt, the connection's mutexes) on top of its b-tree writes. Rows go in the order
    given, so row ids and REPLACE outcomes are what ``executemany`` gives. Statements
    hold a power of two of rows (at most ``max_rows``), so only a few distinct SQL
    strings exist and the connection's statement cache keeps them all prepared.
    """

    def __init__(self, head: str, width: int, max_rows: int = 64) -> None:
        row = "(" + ",".join("?" * width) + ")"
        # sql[i]: the statement for 2**i rows.
        self._sql = tuple(head + " VALUES " + ",".join([row] * (1 << i)) for i in range(max_rows.bit_length()))
        self._max = 1 << (len(self._sql) - 1)

    def run(self, conn: sqlite3.Connection, rows: Sequence[tuple]) -> None:
        done, n = 0, len(rows)
        while done < n:
            size = min(self._max, 1 << ((n - done).bit_length() - 1))  # largest power of two that fits
            chunk = rows[done : done + size]
            conn.execute(self._sql[size.bit_length() - 1], [v for row in chunk for v in row])
            done += size


# OR FAIL: a statement of several rows that may abort halfway (a NOT NULL, a foreign key,
# OR REPLACE falling back to abort) makes SQLite copy every page it touches into a
# statement journal first, to undo that statement alone. The candidate index's rows land
# on random pages, so on a big store that journal spilled to a temporary file: ~130
# page writes per imported article, more than the log itself. A failing statement here
# fails its whole transaction anyway (every writer rolls back on an error), so there is
# nothing to undo statement by statement. Foreign keys still make a statement one that
# may abort; ``Store.bulk_writes`` turns them off for an import's own transactions.
_INSERT_QUOTES = _MultiInsert(
    "INSERT OR FAIL INTO quotes(article_id, start, end, text, speaker, speaker_start, speaker_end)", 7)
_INSERT_ENTITIES = _MultiInsert("INSERT OR FAIL INTO article_entities(article_id, entity_id, mentions, spans)", 4)
_INSERT_KEYS = _MultiInsert("INSERT OR FAIL INTO cluster_keys(key, article_id, story_id)", 3)


class StoreError(Exception):
    """The store cannot be opened or used; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class StoryRow:
    """What one line of the story list shows."""

    id: int
    title: str
    published: str | None
    n_articles: int
    outlets: str
    read: bool
    starred: bool


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """One version of a story, without its body."""

    id: int
    source: str
    title: str
    outlet: str | None
    published: str | None
    length: int
    url: str | None
    full_text: bool


@dataclass(frozen=True, slots=True)
class ArticleText:
    """One version with its body, for the full-text pane."""

    info: ArticleInfo
    body: str
    captions: list[str]


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """A stored quote with the article it came from."""

    article_id: int
    story_id: int | None
    text: str
    start: int
    end: int
    speaker: str | None


@dataclass(frozen=True, slots=True)
class EntityRow:
    """An entity with how often a story (or the store) mentions it."""

    id: int
    name: str
    type: str
    mentions: int


class _Checkpointer:
    """A thread with its own connection copying the log back while a bulk import runs."""

    def __init__(self, path: Path, every: float = 0.25) -> None:
        self._path = path
        self._every = every
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="newsreader-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self._path, timeout=30, check_same_thread=False, isolation_level=None)
        except sqlite3.Error:
            return  # the importer's own checkpoints still run
        try:
            conn.execute("PRAGMA synchronous=NORMAL")
            while not self._stopping.wait(self._every):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    pass  # busy (another checkpoint runs) or interrupted: try again later
        finally:
            conn.close()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()


def default_store_path(data_dir: Path) -> Path:
    return data_dir / "newsreader.db"


class Store:
    """One connection to the store; open one per thread."""

    def __init__(self, path: Path | str, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self._entity_ids: dict[tuple[str, str], int] = {}
        self._conn = self._connect(readonly)
        if not readonly:
            self._migrate()
        else:
            self._check_version()

    # -- opening -----------------------------------------------------------

    def _connect(self, readonly: bool) -> sqlite3.Connection:
        if self.path.exists() and self.path.is_file():
            with self.path.open("rb") as fh:
                head = fh.read(16)
            if head and not head.startswith(b"SQLite format 3\x00"):
                raise StoreError(
                    f"{self.path}: not a newsreader store (not an SQLite database); " + REBUILD_HINT
                )
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if readonly:
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30,
                                       check_same_thread=False)
            else:
                conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(f"PRAGMA cache_size=-{CACHE_KB}")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path}: cannot open the store ({exc}); " + REBUILD_HINT
            ) from None
        return conn

    def _check_version(self) -> int:
        try:
            # One statement, so one snapshot: read separately, another process creating
            # the store could commit between the reads and make it look foreign.
            app_id, version, tables = self._conn.execute(
                "SELECT (SELECT application_id FROM pragma_application_id()),"
                " (SELECT user_version FROM pragma_user_version()),"
                " (SELECT count(*) FROM sqlite_master)").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path}: the store is damaged ({exc}); " + REBUILD_HINT
            ) from None
        if tables and app_id != APPLICATION_ID:
            raise StoreError(
                f"{self.path}: this SQLite file is not a newsreader store; it was left untouched; "
                "set store.path to another file, or " + REBUILD_HINT
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema {version} is newer than this newsreader ({SCHEMA_VERSION}); upgrade newsreader"
            )
        return version

    def _migrate(self) -> None:
        version = self._check_version()
        # Only after the file is known to be ours: switching to WAL rewrites the header.
        deadline = time.monotonic() + 30
        while True:
            try:
                if self._conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    self._conn.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as exc:
                # Another process is creating the same new store: the switch does not wait by itself.
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise StoreError(f"{self.path}: cannot use the store ({exc})") from None
                time.sleep(0.05)
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.path}: cannot use the store ({exc})") from None
        for target in range(version + 1, len(_MIGRATIONS) + 1):
            try:
                with self._conn:
                    self._conn.executescript("BEGIN IMMEDIATE;" + _MIGRATIONS[target - 1]
                                             + f";PRAGMA user_version={target};"
                                             f"PRAGMA application_id={APPLICATION_ID};COMMIT;")
            except sqlite3.DatabaseError as exc:
                if self._conn.in_transaction:
                    self._conn.rollback()
                # Two processes opening a new store at once: the other one migrated first.
                if self._conn.execute("PRAGMA user_version").fetchone()[0] >= target:
                    continue
                raise StoreError(f"{self.path}: migration to schema {target} failed: {exc}") from None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    def transaction(self) -> sqlite3.Connection:
        """``with store.transaction():`` groups writes into one atomic commit."""
        return self._conn

    def rollback(self) -> None:
        """Abandon the open transaction (and what this connection cached from it)."""
        self._conn.rollback()
        self._entity_ids.clear()

    @contextmanager
    def immediate(self) -> Iterator[sqlite3.Connection]:
        """A transaction that holds the write lock from its first statement, for a change
        decided by what it reads: no other writer can move those rows in between."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            if self._conn.in_transaction:
                self.rollback()
            raise
        self._conn.commit()

    @contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """While many transactions are written back to back (an import): a bigger page
        cache, and the write-ahead log copied into the store by a thread of its own.

        Copying the log back (a checkpoint) writes every page a transaction changed a
        second time and waits for the disk twice; SQLite does it inside the commit that
        passes 1,000 pages, so the importer waited for it. Here a checkpointer connection
        does it in passive mode, which never blocks the writer and never waits for one,
        and the importer's own checkpoint stays only as a backstop for a log past
        ``BULK_WAL_PAGES`` (it then has little left to copy). The backstop is several
        transactions deep: the log starts over only once a writer finds it all copied,
        which the checkpointer, a transaction behind, never lets the importer see; and a
        transaction on a store of 100,000 articles writes ~18,000 pages (its random index
        leaves), so a backstop of 16,384 pages fired in every commit and the importer did
        all the copying itself, waiting for the disk (``strace``: the checkpointer thread
        copied nothing). Durability is unchanged: commits are the same and checkpoints
        still sync. The cache holds the random index pages one transaction touches, which
        a 32 MB cache re-read from the file.

        Foreign keys are not enforced meanwhile: the importer writes an article's quotes
        and entities with the ids it has just inserted or looked up, and with foreign
        keys on, each multi-row insert would need a statement journal (see ``_INSERT_QUOTES``).
        """
        conn = self._conn
        conn.execute(f"PRAGMA cache_size=-{BULK_CACHE_MB * 1000}")
        conn.execute(f"PRAGMA wal_autocheckpoint={BULK_WAL_PAGES}")
        conn.execute("PRAGMA foreign_keys=OFF")
        checkpointer = _Checkpointer(self.path)
        try:
            yield
        finally:
            checkpointer.stop()
            conn.execute("PRAGMA foreign_keys=ON")  # outside any transaction: writers end theirs
            conn.execute(f"PRAGMA cache_size=-{CACHE_KB}")
            conn.execute(f"PRAGMA wal_autocheckpoint={WAL_PAGES}")
            if not conn.in_transaction:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def integrity_ok(self) -> bool:
        return self._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # -- articles ------------------------------------------------------------

    def article_hash(self, source: str) -> tuple[int, str] | None:
        row = self._conn.execute("SELECT id, content_hash FROM articles WHERE source=?", (source,)).fetchone()
        return (row[0], row[1]) if row else None

    def known_hashes(self) -> dict[str, str]:
        """Every stored source with its content hash (for deciding what changed)."""
        return dict(self._conn.execute("SELECT source, content_hash FROM articles"))

    def put_article(
        self,
        source: str,
        content_hash: str,
        page: Page,
        quotes: Sequence[Quote],
        entities: Sequence[Entity],
        *,
        feed_id: int | None = None,
        full_text: bool = False,
    ) -> tuple[int, bool]:
        """Insert or replace one article and its analysis; return (id, was_new).

        The caller owns the transaction. A replaced article keeps its id and its
        read/starred marks; its analysis rows are rewritten.
        """
        return self.put_article_rows(source, content_hash, page, quote_rows(quotes), entity_rows(entities),
                                     feed_id=feed_id, full_text=full_text)

    def put_article_rows(
        self,
        source: str,
        content_hash: str,
        page: Page,
        quotes: Sequence[tuple[int, int, str, str | None, int | None, int | None]],
        entities: Sequence[tuple[str, str, int, str]],
        *,
        feed_id: int | None = None,
        full_text: bool = False,
        unindexed: list[tuple[int, str, str]] | None = None,
    ) -> tuple[int, bool]:
        """``put_article`` with the analysis already in row form (``quote_rows``,
        ``entity_rows``): what import workers send, cheap to pass between processes.

        A new article is indexed for search at once, or, when ``unindexed`` is given,
        its search row is appended there and the caller must pass the list to
        ``index_articles`` before committing (a batch indexes in one go; see migration 4).
        """
        now = time.time()
        captions = json.dumps(page.captions, ensure_ascii=False)
        title = page.title or _first_words(page.body)
        cur = self._conn.execute("SELECT id FROM articles WHERE source=?", (source,)).fetchone()
        if cur is None:
            c = self._conn.execute(
                "INSERT INTO articles(source, content_hash, title, outlet, published, url, body, captions,"
                " length, full_text, feed_id, imported_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (source, content_hash, title, page.source, page.published, page.url, page.body, captions,
                 len(page.body), int(full_text), feed_id, now, now),
            )
            article_id = int(c.lastrowid or 0)
            new = True
            if unindexed is None:
                self.index_articles([(article_id, title, page.body)])
            else:
                unindexed.append((article_id, title, page.body))
        else:
            article_id = int(cur[0])
            if unindexed and any(row[0] == article_id for row in unindexed):
                # Stored earlier in this batch: the update trigger takes the old text out
                # of the index, so it must be in there first.
                self.index_articles(unindexed)
                unindexed.clear()
            self._conn.execute(
                "UPDATE articles SET content_hash=?, title=?, outlet=?, published=?, url=?, body=?, captions=?,"
                " length=?, full_text=?, feed_id=COALESCE(?, feed_id), updated_at=? WHERE id=?",
                (content_hash, title, page.source, page.published, page.url, page.body, captions,
                 len(page.body), int(full_text), feed_id, now, article_id),
            )
            self._conn.execute("DELETE FROM quotes WHERE article_id=?", (article_id,))
            self._conn.execute("DELETE FROM article_entities WHERE article_id=?", (article_id,))
            new = False
        _INSERT_QUOTES.run(self._conn, [(article_id, *q) for q in quotes])
        known = self._entity_ids  # most entities are known: a dict lookup, not a call
        rows = [(article_id, known.get((type_, name)) or self._entity_id(name, type_), n, spans)
                for name, type_, n, spans in entities]
        if len({r[1] for r in rows}) != len(rows):
            rows = list({r[1]: r for r in rows}.values())  # one row per entity: the last, as REPLACE kept
        _INSERT_ENTITIES.run(self._conn, rows)
        return article_id, new

    def index_articles(self, rows: Sequence[tuple[int, str, str]]) -> None:
        """Make new articles searchable: (id, title, body) rows as ``put_article_rows`` collects them."""
        self._conn.executemany("INSERT INTO articles_fts(rowid, title, body) VALUES (?,?,?)", rows)

    def _entity_id(self, name: str, type_: str) -> int:
        # Entity ids never change once given, so a per-connection cache is safe and
        # saves a query per mention-group on every import.
        key = (type_, name)
        eid = self._entity_ids.get(key)
        if eid is not None:
            return eid
        row = self._conn.execute("SELECT id FROM entities WHERE type=? AND name=?", (type_, name)).fetchone()
        if row:
            eid = int(row[0])
        else:
            eid = int(self._conn.execute("INSERT INTO entities(name, type) VALUES (?,?)", (name, type_)).lastrowid or 0)
        if len(self._entity_ids) < 200_000:
            self._entity_ids[key] = eid
        return eid

    def article_count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def article_story(self, article_id: int) -> int | None:
        row = self._conn.execute("SELECT story_id FROM articles WHERE id=?", (article_id,)).fetchone()
        return row[0] if row else None

    def article_story_source(self, article_id: int) -> tuple[int | None, str | None]:
        """(story id, source) of an article, in one lookup; (None, None) if there is none."""
        row = self._conn.execute("SELECT story_id, source FROM articles WHERE id=?", (article_id,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def article_source(self, article_id: int) -> str | None:
        row = self._conn.execute("SELECT source FROM articles WHERE id=?", (article_id,)).fetchone()
        return row[0] if row else None

    def article_bodies(self, ids: Iterable[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for marks, values in _in_chunks(ids):
            out.update(self._conn.execute(f"SELECT id, body FROM articles WHERE id IN ({marks})", values))
        return out

    # -- clustering index ------------------------------------------------------

    def put_fingerprint(self, article_id: int, data: bytes, keys: Sequence[int], story_id: int | None,
                        *, keys_dropped: bool = False) -> list[int]:
        """Store an article's fingerprint and its candidate-index rows (replacing any it had);
        returns the keys as stored.

        ``keys_dropped``: the caller took the article out of the index earlier in this
        transaction (``drop_keys``), so there is nothing to delete.
        """
        self._conn.execute("INSERT OR REPLACE INTO fingerprints(article_id, data) VALUES (?,?)", (article_id, data))
        if not keys_dropped:
            self._conn.execute("DELETE FROM cluster_keys WHERE article_id=?", (article_id,))
        stored = _i64s(list(set(keys)))
        _INSERT_KEYS.run(self._conn, [(k, article_id, story_id) for k in stored])
        return stored

    def key_story_counts(self, keys: Iterable[int], *, cap: int) -> dict[int, int]:
        """How many distinct stories hold each key, counting no further than ``cap``.

        One bounded lookup per key: the (key, story_id) index answers it alone and the
        LIMIT stops the scan after ``cap`` stories, so a boilerplate sentence held by
        ten thousand articles costs as little as a rare one. (A single GROUP BY over
        all keys has no such bound and grows with the store.)
        """
        ks = list(set(keys))
        if not ks:
            return {}
        ks64 = _i64s(ks)
        # All keys in one statement (json_each), each still counted by its own bounded
        # subquery: thirty keys per article cost one call instead of thirty.
        rows = self._conn.execute(
            "SELECT value, (SELECT COUNT(*) FROM (SELECT DISTINCT story_id FROM cluster_keys WHERE key=value LIMIT ?))"
            " FROM json_each(?)", (cap, "[" + ",".join(map(str, ks64)) + "]"))
        if ks64 is ks:  # every key was in range: stored as given
            return {k: n for k, n in rows if n}
        back = dict(zip(ks64, ks))
        return {back[k]: int(n) for k, n in rows if n}

    def drop_keys(self, article_id: int) -> None:
        """Take an article out of the candidate index (before it is placed again)."""
        self._conn.execute("DELETE FROM cluster_keys WHERE article_id=?", (article_id,))

    def key_rows_bound(self) -> int:
        """At least the number of candidate-index rows, found without counting them."""
        return int(self._conn.execute("SELECT max(rowid) FROM cluster_keys").fetchone()[0] or 0)

    def drop_keys_returning(self, article_id: int) -> list[tuple[int, int | None]]:
        """``drop_keys``, telling which (key, story_id) rows went."""
        return self._conn.execute(
            "DELETE FROM cluster_keys WHERE article_id=? RETURNING key, story_id", (article_id,)).fetchall()

    def articles_sharing(self, keys: Sequence[int], *, limit: int, exclude: int | None = None) -> list[tuple[int, bytes]]:
        """Stored articles holding any of ``keys`` with their fingerprints, most shared keys first."""
        if not keys:
            return []
        keys64 = _i64s(list(set(keys)))[:900]
        marks = ",".join("?" * len(keys64))
        rows = self._conn.execute(
            f"SELECT article_id, COUNT(*) AS n FROM cluster_keys WHERE key IN ({marks}) AND article_id IS NOT ?"
            " GROUP BY article_id ORDER BY n DESC, article_id LIMIT ?", (*keys64, exclude, limit)).fetchall()
        blobs = self.fingerprints([r[0] for r in rows])
        return [(r[0], blobs[r[0]]) for r in rows if r[0] in blobs]

    def fingerprints(self, ids: Sequence[int]) -> dict[int, bytes]:
        out: dict[int, bytes] = {}
        for marks, values in _in_chunks(ids):
            out.update(self._conn.execute(f"SELECT article_id, data FROM fingerprints WHERE article_id IN ({marks})",
                                          values))
        return out

    def all_fingerprints(self) -> Iterable[tuple[int, bytes]]:
        return self._conn.execute("SELECT article_id, data FROM fingerprints ORDER BY article_id")

    # -- stories ---------------------------------------------------------------

    def new_story(self) -> int:
        return int(self._conn.execute("INSERT INTO stories(n_articles) VALUES (0)").lastrowid or 0)

    def new_story_of(self, article_id: int) -> int:
        """A new story whose one member will be ``article_id``, its summary row written at once.

        The row is what ``refresh_story`` would write once the article is moved there
        (``new_story``, move, refresh: three more statements per new story on import).
        The caller moves the article into it in the same transaction.
        """
        row = self._conn.execute(
            "SELECT id, title, outlet, published, read, starred, imported_at FROM articles WHERE id=?",
            (article_id,)).fetchone()
        if row is None:
            return self.new_story()
        return int(self._conn.execute(
            "INSERT INTO stories(canonical_id, title, published, n_articles, outlets, read, starred)"
            " VALUES (?,?,?,?,?,?,?)", _story_summary([row], article_id)).lastrowid or 0)

    def set_article_story(self, article_id: int, story_id: int) -> None:
        self.set_stories([(story_id, article_id)])

    def move_article(self, article_id: int, story_id: int) -> None:
        """``set_article_story`` for an article whose candidate-index rows were dropped
        (``drop_keys``) and are written afresh with the story (``put_fingerprint``)."""
        self._conn.execute("UPDATE articles SET story_id=? WHERE id=?", (story_id, article_id))

    def set_stories(self, pairs: Sequence[tuple[int, int]]) -> None:
        """Move articles to stories: (story_id, article_id) pairs; the candidate index follows."""
        self._conn.executemany("UPDATE articles SET story_id=? WHERE id=?", pairs)
        self._conn.executemany("UPDATE cluster_keys SET story_id=? WHERE article_id=?", pairs)

    def story_members(self, story_id: int) -> list[int]:
        return [r[0] for r in self._conn.execute("SELECT id FROM articles WHERE story_id=? ORDER BY id", (story_id,))]

    def refresh_story(self, story_id: int, canonical_id: int | None) -> None:
        """Recompute a story's summary row from its articles."""
        rows = self._conn.execute(
            "SELECT id, title, outlet, published, read, starred, imported_at FROM articles WHERE story_id=?",
            (story_id,),
        ).fetchall()
        if not rows:
            self._conn.execute("DELETE FROM stories WHERE id=?", (story_id,))
            return
        self._conn.execute(
            "UPDATE stories SET canonical_id=?, title=?, published=?, n_articles=?, outlets=?, read=?, starred=?"
            " WHERE id=?", (*_story_summary(rows, canonical_id), story_id))

    def clear_stories(self) -> None:
        self._conn.execute("UPDATE articles SET story_id=NULL")
        self._conn.execute("UPDATE cluster_keys SET story_id=NULL")
        self._conn.execute("DELETE FROM stories")

    def overrides(self) -> list[tuple[str, str, str]]:
        return [tuple(r) for r in self._conn.execute("SELECT kind, a, b FROM story_overrides")]  # type: ignore[misc]

    def add_override(self, kind: str, a: str, b: str = "") -> None:
        self._conn.execute("INSERT OR IGNORE INTO story_overrides(kind, a, b) VALUES (?,?,?)", (kind, a, b))

    def remove_override(self, kind: str, a: str, b: str = "") -> None:
        self._conn.execute("DELETE FROM story_overrides WHERE kind=? AND a=? AND b=?", (kind, a, b))

    def article_ids_by_source(self, sources: Iterable[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for marks, values in _in_chunks(sources):
            out.update(self._conn.execute(f"SELECT source, id FROM articles WHERE source IN ({marks})", values))
        return out

    # -- reading (the UI's side) ----------------------------------------------

    def story_order(self, limit: int | None = None) -> list[int]:
        """Story ids, newest first (all of them, or the first ``limit``).

        Empty stories never persist (``refresh_story`` deletes them), so no
        filter is needed and the ordering index alone answers this.
        """
        sql = "SELECT id FROM stories ORDER BY published DESC, id DESC"
        if limit is not None:
            return [r[0] for r in self._conn.execute(sql + " LIMIT ?", (limit,))]
        return [r[0] for r in self._conn.execute(sql)]

    def story_rows(self, ids: Sequence[int]) -> dict[int, StoryRow]:
        out: dict[int, StoryRow] = {}
        for marks, values in _in_chunks(ids):
            q = f"SELECT id, title, published, n_articles, outlets, read, starred FROM stories WHERE id IN ({marks})"
            for r in self._conn.execute(q, values):
                out[r[0]] = StoryRow(r[0], r[1] or "(untitled)", r[2], r[3], r[4] or "", bool(r[5]), bool(r[6]))
        return out

    def story_total(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM stories").fetchone()[0])

    def story(self, story_id: int) -> StoryRow | None:
        return self.story_rows([story_id]).get(story_id)

    def story_canonical(self, story_id: int) -> int | None:
        row = self._conn.execute("SELECT canonical_id FROM stories WHERE id=?", (story_id,)).fetchone()
        return row[0] if row else None

    def story_versions(self, story_id: int) -> list[ArticleInfo]:
        """Every copy of a story, the canonical one first."""
        canon = self.story_canonical(story_id)
        rows = self._conn.execute(
            "SELECT id, source, title, outlet, published, length, url, full_text FROM articles WHERE story_id=?",
            (story_id,),
        ).fetchall()
        infos = [ArticleInfo(r[0], r[1], r[2] or "", r[3], r[4], r[5], r[6], bool(r[7])) for r in rows]
        infos.sort(key=lambda a: (a.id != canon, -a.length, a.id))
        return infos

    def article_text(self, article_id: int) -> ArticleText | None:
        r = self._conn.execute(
            "SELECT id, source, title, outlet, published, length, url, full_text, body, captions"
            " FROM articles WHERE id=?", (article_id,)).fetchone()
        if r is None:
            return None
        info = ArticleInfo(r[0], r[1], r[2] or "", r[3], r[4], r[5], r[6], bool(r[7]))
        try:
            captions = [str(c) for c in json.loads(r[9])]
        except (ValueError, TypeError):
            captions = []
        return ArticleText(info, r[8], captions)

    def story_quotes(self, story_id: int) -> list[QuoteRow]:
        rows = self._conn.execute(
            "SELECT q.article_id, a.story_id, q.text, q.start, q.end, q.speaker FROM quotes q"
            " JOIN articles a ON a.id = q.article_id WHERE a.story_id=? ORDER BY q.article_id, q.start",
            (story_id,),
        ).fetchall()
        return [QuoteRow(*r) for r in rows]

    def article_quotes(self, article_id: int) -> list[QuoteRow]:
        rows = self._conn.execute(
            "SELECT q.article_id, a.story_id, q.text, q.start, q.end, q.speaker FROM quotes q"
            " JOIN articles a ON a.id = q.article_id WHERE q.article_id=? ORDER BY q.start",
            (article_id,),
        ).fetchall()
        return [QuoteRow(*r) for r in rows]

    def quotes_by_speaker(self, name: str, limit: int = 500) -> list[QuoteRow]:
        rows = self._conn.execute(
            "SELECT q.article_id, a.story_id, q.text, q.start, q.end, q.speaker FROM quotes q"
            " JOIN articles a ON a.id = q.article_id WHERE q.speaker=? ORDER BY a.published DESC, q.article_id"
            " LIMIT ?", (name, limit)).fetchall()
        return [QuoteRow(*r) for r in rows]

    def story_entities(self, story_id: int) -> list[EntityRow]:
        """Entities of a story's canonical version... and every other version, counted once per story.

        Mentions are taken from the version with the most of them so that five
        copies of one sentence do not count as five mentions.
        """
        rows = self._conn.execute(
            "SELECT e.id, e.name, e.type, MAX(ae.mentions) FROM article_entities ae"
            " JOIN articles a ON a.id = ae.article_id JOIN entities e ON e.id = ae.entity_id"
            " WHERE a.story_id=? GROUP BY e.id ORDER BY e.type, MAX(ae.mentions) DESC, e.name",
            (story_id,),
        ).fetchall()
        return [EntityRow(*r) for r in rows]

    def entity(self, entity_id: int) -> EntityRow | None:
        r = self._conn.execute("SELECT id, name, type FROM entities WHERE id=?", (entity_id,)).fetchone()
        return EntityRow(r[0], r[1], r[2], 0) if r else None

    def stories_with_entity(self, entity_id: int) -> list[int]:
        return [r[0] for r in self._conn.execute(
            "SELECT s.id FROM stories s WHERE s.id IN (SELECT a.story_id FROM article_entities ae"
            " JOIN articles a INDEXED BY articles_id_story ON a.id = ae.article_id WHERE ae.entity_id=?)"
            " ORDER BY s.published DESC, s.id DESC", (entity_id,))]

    def search(self, text: str, limit: int = SEARCH_LIMIT) -> list[int]:
        """Stories whose title or body match every word of ``text`` (last word as a prefix).

        At most the ``limit`` most recently stored matching articles are taken:
        FTS5 walks rowids backwards and stops there, so a word that is in every
        article costs as little as a rare one. Results are newest first.
        """
        query = fts_query(text)
        if not query:
            return []
        try:
            return self._search_ids(query, limit)
        except sqlite3.OperationalError:
            return []

    def search_newest(self, text: str, limit: int = SEARCH_FIRST) -> tuple[list[int], bool]:
        """``search`` over the ``limit`` newest matching articles, and whether more match:
        the first screenful of results, found in a few milliseconds."""
        query = fts_query(text)
        if not query:
            return [], False
        try:
            ids = self._search_ids(query, limit)
            more = bool(ids) and self._conn.execute(
                f"SELECT count(*) FROM ({_NEWEST_MATCHES})", (query, limit + 1)).fetchone()[0] > limit
        except sqlite3.OperationalError:
            return [], False
        return ids, more

    def _search_ids(self, query: str, limit: int) -> list[int]:
        return [r[0] for r in self._conn.execute(
            "SELECT s.id FROM stories s WHERE s.id IN (SELECT a.story_id FROM articles a"
            f" INDEXED BY articles_id_story WHERE a.id IN ({_NEWEST_MATCHES})) ORDER BY s.published DESC, s.id DESC",
            (query, limit))]

    # -- reading state -----------------------------------------------------------

    def set_read(self, story_id: int, read: bool) -> None:
        with self._conn:
            self._conn.execute("UPDATE articles SET read=? WHERE story_id=?", (int(read), story_id))
            self._conn.execute("UPDATE stories SET read=? WHERE id=?", (int(read), story_id))

    def set_starred(self, story_id: int, starred: bool) -> None:
        with self._conn:
            self._conn.execute("UPDATE articles SET starred=? WHERE story_id=?", (int(starred), story_id))
            self._conn.execute("UPDATE stories SET starred=? WHERE id=?", (int(starred), story_id))

    def toggle_read(self, story_id: int) -> bool | None:
        """Flip a story's read state; the new state (None: no such story)."""
        return self._toggle("read", story_id)

    def toggle_starred(self, story_id: int) -> bool | None:
        """Flip a story's starred state; the new state (None: no such story)."""
        return self._toggle("starred", story_id)

    def _toggle(self, column: str, story_id: int) -> bool | None:
        # Read and write in one transaction that holds the write lock from its start, so
        # the flip is of the committed state: two toggles are always two flips.
        assert column in ("read", "starred")
        with self.immediate() as conn:
            row = conn.execute(f"SELECT {column} FROM stories WHERE id=?", (story_id,)).fetchone()
            if row is None:
                return None
            value = int(not row[0])
            conn.execute(f"UPDATE articles SET {column}=? WHERE story_id=?", (value, story_id))
            conn.execute(f"UPDATE stories SET {column}=? WHERE id=?", (value, story_id))
        return bool(value)

    def data_version(self) -> int:
        """Changes when another connection commits: lets the UI notice new stories."""
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    # -- feeds -----------------------------------------------------------------

    def article_feed_url(self, article_id: int) -> str | None:
        row = self._conn.execute(
            "SELECT f.url FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id=?", (article_id,)).fetchone()
        return row[0] if row else None

    def add_feed(self, url: str, name: str | None = None, tags: Sequence[str] = ()) -> int:
        with self._conn:
            self._conn.execute(
                "INSERT INTO feeds(url, name, tags) VALUES (?,?,?) ON CONFLICT(url) DO UPDATE SET"
                " name=COALESCE(excluded.name, feeds.name), tags=excluded.tags",
                (url, name, json.dumps(list(tags))),
            )
        return int(self._conn.execute("SELECT id FROM feeds WHERE url=?", (url,)).fetchone()[0])

    def feeds(self) -> list[dict]:
        rows = self._conn.execute(
            "SELECT id, url, name, tags, etag, last_modified, last_status, last_checked FROM feeds ORDER BY id")
        return [
            {"id": r[0], "url": r[1], "name": r[2], "tags": json.loads(r[3] or "[]"), "etag": r[4],
             "last_modified": r[5], "last_status": r[6], "last_checked": r[7]}
            for r in rows
        ]

    def update_feed_state(self, feed_id: int, *, etag: str | None, last_modified: str | None, status: str) -> None:
        with self._conn:
            self._conn.execute(
                "UPDATE feeds SET etag=?, last_modified=?, last_status=?, last_checked=? WHERE id=?",
                (etag, last_modified, status, time.time(), feed_id),
            )


_NEWEST_MATCHES = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?"


def _story_summary(rows: Sequence[tuple], canonical_id: int | None) -> tuple:
    """A story's summary columns (canonical_id, title, published, n_articles, outlets, read,
    starred) from its members' (id, title, outlet, published, read, starred, imported_at) rows."""
    by_id = {r[0]: r for r in rows}
    canon = by_id.get(canonical_id) if canonical_id is not None else None
    if canon is None:
        canon = max(rows, key=lambda r: r[0])
    outlets: list[str] = []
    for r in sorted(rows, key=lambda r: (r[0] != canon[0], r[0])):
        if r[2] and r[2] not in outlets:
            outlets.append(r[2])
    dates = [r[3] for r in rows if r[3]]
    published = min(dates) if dates else time.strftime("%Y-%m-%d", time.gmtime(min(r[6] for r in rows)))
    return (canon[0], canon[1], published, len(rows), ", ".join(outlets),
            int(any(r[4] for r in rows)), int(any(r[5] for r in rows)))


def fts_query(text: str) -> str:
    """Turn what a person types into a safe FTS5 query: every word required, last one a prefix."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]
    if not words:
        return ""
    parts = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
    return " ".join(parts)


def _first_words(body: str, n: int = 12) -> str:
    words = body.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def _to_i64(k: int) -> int:
    """SQLite integers are signed 64-bit; fold larger hashes into that range."""
    k &= 0xFFFFFFFFFFFFFFFF
    return k - (1 << 64) if k >= (1 << 63) else k


def _i64s(keys: list[int]) -> list[int]:
    """``_to_i64`` over a list; the list itself when every key is already in range
    (cluster keys are 63-bit, so on import this is two C-level scans, not a call per key)."""
    if not keys or (min(keys) >= 0 and max(keys) < (1 << 63)):
        return keys
    return [_to_i64(k) for k in keys]


def _in_list(values: Sequence) -> tuple[str, Sequence]:
    """``?,?,...`` for ``IN (...)`` over ``values``, and the values to bind: padded to a
    power of two by repeating the first (IN ignores repeats).

    A query over n values is n placeholders of SQL text, and the connection keeps only
    128 prepared statements: the import's lookups of 1 to 500 keys, fingerprints and
    bodies could evict each other, and preparing one again costs more than running it
    (~35 us against ~4 us a key). Padded, each query has ten shapes at most.
    """
    n = len(values)
    size = 1 << (n - 1).bit_length() if n > 1 else n
    if size > n:
        values = [*values, *([values[0]] * (size - n))]
    return ",".join("?" * size), values


def _in_chunks(values: Iterable, n: int = 500) -> Iterable[tuple[str, Sequence]]:
    """``_in_list`` over ``values`` taken ``n`` at a time."""
    for chunk in _chunks(list(values), n):
        yield _in_list(chunk)


def _chunks(seq: Sequence, n: int) -> Iterable[Sequence]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]
