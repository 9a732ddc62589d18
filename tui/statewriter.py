"""The reader's writes (read, starred, split, merge), applied off the UI thread, in order.

Why this exists: the reader's UI thread used to write to the store itself. When
another process holds the write lock (``newsreader import`` holds it for up to
a few seconds at a time in a large import, ``newsreader recluster`` longer), SQLite's busy wait
froze the whole UI until the lock was free, up to the 30 s busy timeout, and
then let an ``OperationalError`` escape. A ``StateWriter`` is one thread with
its own store connection that takes those writes from a queue and applies them
one by one, in the order they were asked for; the caller gets each one's
outcome through a callback, called in the writer thread (the UI posts it back
to itself). A toggle is decided here, in the transaction that writes it, so
two quick toggles are two flips even when the first has not landed yet.

``close`` applies every write still queued, then closes the connection: what
the person did before quitting is in the store. Nothing here imports Textual.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tui.store import Store

log = logging.getLogger(__name__)

DEFAULT_BUSY_TIMEOUT = 30.0  # seconds a write waits for another process's lock: the store's own


@dataclass(frozen=True, slots=True)
class WriteResult:
    """How one write ended: its ``value`` (the new state for read/starred, None when the
    story is gone; the new story's id for a split, the kept one's for a merge) or, when it
    failed, ``error``, one line saying why (nothing was written then)."""

    value: bool | int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


Done = Callable[[WriteResult], None]
_Job = tuple[Callable[[Store], "bool | int | None"], Done]


class StateWriter:
    """A thread with its own ``Store`` connection applying the reader's writes in order."""

    def __init__(self, path: Path | str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        self._store = Store(path)  # opened here, so an unusable store fails the caller at once
        self._store.conn.execute(f"PRAGMA busy_timeout={max(0, int(busy_timeout * 1000))}")
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._pending = 0
        self._closed = False
        # Held while a write uses the connection (data_version must not wait for one).
        self._conn_lock = threading.Lock()
        self._conn_open = True
        # A daemon: an app that dies without closing it must not hang the interpreter's exit
        # (SQLite rolls back a transaction cut short; nothing half-written remains).
        self._thread = threading.Thread(target=self._run, name="newsreader-statewriter", daemon=True)
        self._thread.start()

    # -- the writes -------------------------------------------------------------

    def set_read(self, story_id: int, read: bool, done: Done) -> None:
        """Mark a story read or unread (no write when it already is)."""
        def job(store: Store) -> bool | None:
            row = store.story(story_id)
            if row is None:
                return None
            if row.read != read:
                store.set_read(story_id, read)
            return read

        self._submit(job, done)

    def toggle_read(self, story_id: int, done: Done) -> None:
        self._submit(lambda store: store.toggle_read(story_id), done)

    def toggle_starred(self, story_id: int, done: Done) -> None:
        self._submit(lambda store: store.toggle_starred(story_id), done)

    def split_version(self, article_id: int, done: Done) -> None:
        from tui.stories import split_version

        self._submit(lambda store: split_version(store, article_id), done)

    def merge_stories(self, keep: int, other: int, done: Done) -> None:
        from tui.stories import merge_stories

        self._submit(lambda store: merge_stories(store, keep, other), done)

    # -- the thread -------------------------------------------------------------

    def data_version(self) -> int | None:
        """SQLite's ``data_version`` as this writer's connection sees it, or None while a
        write is using the connection (or after ``close``). It moves with every commit of
        another connection (an import, a refresh) and never with this writer's own: the
        reader polls it to notice new stories without reloading its whole list after each
        of its own marks."""
        if not self._conn_lock.acquire(blocking=False):
            return None
        try:
            return self._store.data_version() if self._conn_open else None
        finally:
            self._conn_lock.release()

    @property
    def pending(self) -> int:
        """Writes asked for whose callback has not returned yet."""
        with self._lock:
            return self._pending

    def close(self) -> None:
        """Apply every queued write, then close the connection. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._queue.put(None)
        self._thread.join()

    def _submit(self, fn: Callable[[Store], bool | int | None], done: Done) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError("the state writer is closed")
            self._pending += 1
        self._queue.put((fn, done))

    def _run(self) -> None:
        store = self._store
        try:
            while True:
                job = self._queue.get()
                if job is None:
                    return
                fn, done = job
                with self._conn_lock:
                    try:
                        result = WriteResult(value=fn(store))
                    except Exception as exc:  # noqa: BLE001 - every failure is reported, none kills the thread
                        if store.conn.in_transaction:
                            try:
                                store.rollback()
                            except Exception:  # noqa: BLE001
                                pass
                        result = WriteResult(error=_one_line(exc))
                try:
                    done(result)
                except Exception:  # noqa: BLE001 - the caller's callback must not stop later writes
                    log.exception("state writer callback failed")
                finally:
                    with self._lock:
                        self._pending -= 1
        finally:
            with self._conn_lock:
                self._conn_open = False
                store.close()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]
