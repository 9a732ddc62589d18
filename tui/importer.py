"""Import: files (and fetched pages) into the store, analysed and clustered.

The pipeline is sources -> decode -> clean -> entities/quotes -> fingerprint ->
store -> story placement. Everything up to the fingerprint is pure and runs in
worker processes for large imports; only this process writes the store, in
short batched transactions, so an interrupted import keeps every committed
article and the next run resumes where it stopped (unchanged files are skipped
by content hash). A bad file is skipped with a reason; the rest imports.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from tui import cluster as clu
from tui.analysis import MAX_ENTITIES, MAX_QUOTES, analyze_page
from tui.pages import parse_page
from tui.records import Page
from tui.rows import entity_rows, quote_rows
from tui.sources import iter_article_paths
from tui.stories import PlacementCache, place_article
from tui.store import Store
from tui.textio import MAX_ARTICLE_BYTES, UnreadableError, decode_bytes

COMMIT_EVERY = 100  # articles per transaction at most (and at least every batch_seconds)
BULK_FROM = 500  # files in one import from which it writes in bulk mode (Store.bulk_writes)
# Bulk mode: fewer, larger transactions write each page of the random-order indexes fewer
# times (the importer's CPU per article, 3,000 written into a 100,000-article store: 1.6-1.8
# ms at 300 per transaction, 1.4-1.5 at 1,000). A kill loses at most one transaction's
# articles, which the next import reads again; the reader's writes wait off its UI thread.
BULK_COMMIT_EVERY = 1000
BULK_BATCH_SECONDS = 2.0
IMPORT_BATCH = 1024  # files read and analysed per round: bounds memory at any corpus size
# Batches handed to the workers ahead of the one being written. With one ahead, the
# workers sat idle whenever they finished it before the importer finished writing;
# in-flight files are IMPORT_BATCH * (BATCHES_AHEAD + 1), as with 2,048 and one ahead.
BATCHES_AHEAD = 3
WORKER_NICENESS = 10  # analysis workers run below the importer and the UI: see _lower_priority
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


@dataclass(slots=True)
class Prepared:
    """An article analysed and ready to store."""

    source: str
    content_hash: str
    page: Page
    # Rows rather than Quote/Entity objects: a worker sends them to this process, and
    # pickling hundreds of small dataclasses per article cost ~0.8 ms of CPU each way.
    quotes: list[tuple[int, int, str, str | None, int | None, int | None]]
    entities: list[tuple[str, str, int, str]]
    fingerprint: bytes
    # The fingerprint's text as well as its compressed bytes: decompressing it again here
    # cost more (~80k instructions per article) than sending it.
    fingerprint_text: str | None = None
    # ``clu.completeness`` of the body, measured beside the fingerprint (which usually
    # spares it a second normalisation): placement compares it with its story's
    # canonical version, and measuring it here was 7% of the importer's instructions.
    completeness: tuple[int, int, int] | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    source: str
    reason: str


@dataclass(slots=True)
class ImportSummary:
    """What an import did, for the one-line report and the tests."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    # What went wrong with the import itself though nothing was lost (a worker died, so
    # the rest was analysed in this one process): said once each, after the summary.
    warnings: list[str] = field(default_factory=list)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def line(self) -> str:
        return (f"imported {self.imported}, updated {self.updated}, unchanged {self.unchanged}, "
                f"skipped {len(self.skipped)}")


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int
    source: str


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def storable_path(text: str) -> str:
    """A file name as text SQLite can store and a terminal can print: name bytes that are not
    UTF-8 (Python keeps them as lone surrogates) become ``\\xNN`` escapes."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def read_article_file(path: Path, max_bytes: int = MAX_ARTICLE_BYTES, st: os.stat_result | None = None) -> bytes:
    """A file's bytes, or UnreadableError: only regular files (a FIFO or /dev/zero named
    ``x.txt`` would block or never end), and never more than ``max_bytes`` read, even if
    the file grows after its size was checked.

    ``st``: the file's stat (following links) when the caller has it already.
    """
    if st is None:
        st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableError("not a regular file")
    if st.st_size > max_bytes:
        raise UnreadableError(f"too large ({st.st_size:,} bytes; limit {max_bytes:,})")
    # Unbuffered, sized reads: a file object and a max_bytes buffer per file cost more
    # than reading a few kilobytes does, and import reads thousands.
    limit = max_bytes + 1
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        parts: list[bytes] = []
        got = 0
        want = min(st.st_size + 1, limit)  # one byte more shows whether it grew
        while got < limit:
            chunk = os.read(fd, min(want, limit - got))
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
            want = 1 << 16
    finally:
        os.close(fd)
    data = parts[0] if len(parts) == 1 else b"".join(parts)
    if len(data) > max_bytes:
        raise UnreadableError(f"too large (over {max_bytes:,} bytes)")
    return data


def _source_and_stat(path: Path, parents: dict[Path, str]) -> tuple[str, os.stat_result | None]:
    """What ``path`` is stored as (resolved, as ``storable_path``), and its stat when it is
    no symlink (else None: ``read_article_file`` stats it).

    Resolving walks every folder of the path (a syscall each); files of one folder share
    it, so ``parents`` keeps each folder's resolution for the run. A file that is not a
    symlink resolves to its resolved folder plus its name.
    """
    try:
        st = os.lstat(path)
    except OSError:
        return storable_path(str(path)), None
    if stat.S_ISLNK(st.st_mode):
        return storable_path(str(path.resolve()) if path.exists() else str(path)), None
    parent = parents.get(path.parent)
    if parent is None:
        parent = parents[path.parent] = str(path.parent.resolve())
    return storable_path(os.path.join(parent, path.name)), st


def parse_document(data: bytes, source: str, *, html: bool, max_bytes: int = MAX_ARTICLE_BYTES) -> Page:
    """Bytes of a saved page into a cleaned Page (raises UnreadableError)."""
    if html:
        try:
            from tui.htmlpage import parse_html
        except ImportError:  # pragma: no cover - the module ships with the package
            raise UnreadableError("HTML import is not available") from None
        if len(data) > max_bytes:
            raise UnreadableError(f"too large ({len(data):,} bytes; limit {max_bytes:,})")
        page = parse_html(data, None)
    else:
        page = parse_page(decode_bytes(data, max_bytes=max_bytes), name=source)
    if not page.body.strip():
        raise UnreadableError("no article text found")
    return page


def prepare_page(source: str, digest: str, page: Page, settings: clu.ClusterSettings,
                 max_quotes: int = MAX_QUOTES, max_entities: int = MAX_ENTITIES) -> Prepared:
    """Analyse a cleaned page and fingerprint it (pure; safe in a worker process)."""
    analysis = analyze_page(page, max_quotes=max_quotes, max_entities=max_entities)
    fp = clu.fingerprint(page.body, settings)
    return Prepared(source, digest, page, quote_rows(analysis.quotes), entity_rows(analysis.entities), fp.to_bytes(),
                    fp.text, clu.completeness(page.body, fp.text))


def prepare_bytes(source: str, data: bytes, html: bool, settings: clu.ClusterSettings,
                  max_bytes: int = MAX_ARTICLE_BYTES, max_quotes: int = MAX_QUOTES,
                  max_entities: int = MAX_ENTITIES) -> Prepared | Skipped:
    try:
        page = parse_document(data, source, html=html, max_bytes=max_bytes)
        return prepare_page(source, content_hash(data), page, settings, max_quotes, max_entities)
    except UnreadableError as exc:
        return Skipped(source, str(exc))
    except RecursionError:
        return Skipped(source, "too deeply nested to analyse")


def _prepare_job(job: tuple[str, bytes, bool, clu.ClusterSettings, int, int, int]) -> Prepared | Skipped:
    try:
        return prepare_bytes(*job)
    except Exception as exc:  # noqa: BLE001 - a bug on one article must not stop the import
        return Skipped(job[0], f"could not be analysed ({type(exc).__name__}: {str(exc)[:200]})")


class Importer:
    """Writes prepared articles into a store and places them into stories."""

    def __init__(self, store: Store, settings: clu.ClusterSettings | None = None,
                 *, max_bytes: int = MAX_ARTICLE_BYTES, batch_seconds: float = 0.5,
                 max_quotes: int = MAX_QUOTES, max_entities: int = MAX_ENTITIES) -> None:
        self.store = store
        self.settings = settings or clu.ClusterSettings()
        self.max_bytes = max_bytes
        self.max_quotes = max_quotes
        self.max_entities = max_entities
        self.batch_seconds = batch_seconds

    def store_prepared(self, prep: Prepared, *, feed_id: int | None = None, full_text: bool = False,
                       unindexed: list[tuple[int, str, str]] | None = None,
                       cache: PlacementCache | None = None) -> bool:
        """Write one prepared article inside the caller's transaction; True if it was new.

        ``unindexed``: see ``Store.put_article_rows`` (the caller indexes before committing);
        ``cache``: see ``PlacementCache`` (the caller keeps it in step with the transaction).
        """
        aid, new = self.store.put_article_rows(prep.source, prep.content_hash, prep.page, prep.quotes,
                                               prep.entities, feed_id=feed_id, full_text=full_text,
                                               unindexed=unindexed)
        fp = clu.Fingerprint.from_bytes(prep.fingerprint, prep.fingerprint_text)
        place_article(self.store, aid, fp, self.settings, prep.fingerprint, cache,
                      known=(None, prep.source) if new else None, completeness=prep.completeness)
        return new

    def import_page(self, source: str, page: Page, digest: str, *, feed_id: int | None = None,
                    full_text: bool = False) -> str:
        """Store one page from a feed or fetch: 'imported', 'updated' or 'unchanged'.

        Raises UnreadableError when the text is over the per-article size cap, as for files.
        """
        known = self.store.article_hash(source)
        if known and known[1] == digest:
            return "unchanged"
        size = len(page.body.encode("utf-8", "surrogatepass")) if len(page.body) * 4 > self.max_bytes else 0
        if size > self.max_bytes:
            raise UnreadableError(f"too large ({size:,} bytes; limit {self.max_bytes:,})")
        prep = prepare_page(source, digest, page, self.settings, self.max_quotes, self.max_entities)
        with self.store.conn:
            new = self.store_prepared(prep, feed_id=feed_id, full_text=full_text)
        return "imported" if new else "updated"

    def import_paths(self, paths: Sequence[str | os.PathLike[str]], *,
                     progress: Callable[[Progress], None] | None = None,
                     workers: int | None = None) -> ImportSummary:
        """Import files and folders (recursively); see the module docstring.

        Files are read and analysed in batches, so memory stays flat however
        many there are; with ``workers`` > 1 analysis runs in that many processes
        while this one writes the store.
        """
        started = time.perf_counter()
        summary = ImportSummary()
        files = list(iter_article_paths(paths))
        known = self.store.known_hashes()
        total = len(files)
        if workers is None:
            workers = min(os.cpu_count() or 1, 4) if total >= 200 else 0
        if progress:
            progress(Progress(0, total, ""))
        self._cache = PlacementCache(self.store)
        bulk = total >= BULK_FROM
        self._commit_every = BULK_COMMIT_EVERY if bulk else COMMIT_EVERY
        self._commit_seconds = max(self.batch_seconds, BULK_BATCH_SECONDS) if bulk else self.batch_seconds
        try:
            self._import_files(files, known, summary, progress, workers, bulk)
        finally:
            self._cache = None
            self._commit_every = COMMIT_EVERY
            self._commit_seconds = None
        if progress:
            progress(Progress(total, total, ""))
        summary.seconds = time.perf_counter() - started
        return summary

    def _import_files(self, files: list[Path], known: dict[str, str], summary: ImportSummary,
                      progress: Callable[[Progress], None] | None, workers: int, bulk: bool) -> None:
        """Read, analyse (in ``workers`` processes) and write ``files``; see ``import_paths``.

        ``bulk``: write as ``Store.bulk_writes`` says (its thread starts after the workers
        are forked: a process forked while another thread runs may inherit a held lock).
        """
        total = len(files)
        done = 0
        parents: dict[Path, str] = {}
        if self._cache is not None and self.store.key_rows_bound() <= 32 * total:
            # The index is small next to what comes: read all of it (PlacementCache.load_all).
            self._cache.load_all(new_keys=32 * total)

        def write_results(batch: _Batch) -> None:
            nonlocal done
            for result in batch.results():
                done += 1
                if isinstance(result, Skipped):
                    summary.skipped.append(result)
                else:
                    self._write(result, summary)
                if progress:
                    progress(Progress(done, total, result.source))

        with _worker_pool(workers, summary.warn) as pool, self.store.bulk_writes() if bulk else nullcontext():
            # Batches in flight: the workers analyse those ahead while this process reads
            # the next and writes the results of the oldest (no idle workers at batch
            # boundaries, nor while one batch takes this process longer to write).
            ahead: deque[_Batch] = deque()
            for start in range(0, total, IMPORT_BATCH):
                jobs: list[tuple[str, bytes, bool, clu.ClusterSettings, int, int, int]] = []
                for p in files[start : start + IMPORT_BATCH]:
                    source, st = _source_and_stat(p, parents)
                    try:
                        data = read_article_file(p, self.max_bytes, st)
                    except UnreadableError as exc:
                        summary.skipped.append(Skipped(storable_path(str(p)), str(exc)))
                        done += 1
                        continue
                    except OSError as exc:
                        summary.skipped.append(Skipped(storable_path(str(p)), exc.strerror or str(exc)))
                        done += 1
                        continue
                    # The workers hash what they store; here only a known file needs it.
                    if source in known and known[source] == content_hash(data):
                        summary.unchanged += 1
                        done += 1
                        continue
                    jobs.append((source, data, p.suffix.lower() in HTML_SUFFIXES, self.settings, self.max_bytes,
                                 self.max_quotes, self.max_entities))
                ahead.append(_Batch(jobs, pool, workers, summary.warn))
                if len(ahead) > BATCHES_AHEAD:
                    write_results(ahead.popleft())
            while ahead:
                write_results(ahead.popleft())
            self._commit()

    # Writes are grouped into short transactions: fast, and a kill loses at most one batch.
    # Analysis runs outside the transaction, so the write lock is held only while a batch
    # is written (milliseconds), never while the next articles are analysed: the reader
    # marking a story read, a refresh or a second import never wait for our analysis.
    _batch_started: float | None = None
    _pending: list[tuple[Prepared, ImportSummary]] | None = None
    _cache: PlacementCache | None = None  # during import_paths
    _commit_every = COMMIT_EVERY
    _commit_seconds: float | None = None  # during import_paths: batch_seconds, or longer in bulk mode

    def _write(self, prep: Prepared, summary: ImportSummary) -> None:
        if self._batch_started is None or self._pending is None:
            self._batch_started = time.monotonic()
            self._pending = []
        self._pending.append((prep, summary))
        seconds = self.batch_seconds if self._commit_seconds is None else self._commit_seconds
        if time.monotonic() - self._batch_started >= seconds or len(self._pending) >= self._commit_every:
            self._commit()

    def _commit(self) -> None:
        pending, self._pending, self._batch_started = self._pending or [], None, None
        if not pending:
            return
        cache = self._cache
        try:
            with self.store.immediate():
                if cache is not None:
                    cache.begin()
                # Search rows are written last, all together: see the store's migration 4.
                unindexed: list[tuple[int, str, str]] = []
                outcomes = [self.store_prepared(prep, unindexed=unindexed, cache=cache) for prep, _ in pending]
                self.store.index_articles(unindexed)
        except BaseException:
            if cache is not None:
                cache.clear()
            raise
        if cache is not None:
            cache.end()
        for (_, summary), new in zip(pending, outcomes):
            if new:
                summary.imported += 1
            else:
                summary.updated += 1



@contextmanager
def _worker_pool(workers: int, warn: Callable[[str], None]) -> Iterator[ProcessPoolExecutor | None]:
    """Analysis processes, or None to analyse here.

    Forked when this process runs no other thread (the command line: workers
    start at once with everything already imported), spawned otherwise. A pool
    that cannot start is reported through ``warn`` and the import runs here.
    """
    if workers <= 1:
        yield None
        return
    method = "fork" if threading.active_count() == 1 and "fork" in get_all_start_methods() else "spawn"
    started = ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context(method), initializer=_worker_start, initargs=(os.getpid(),))
    pool: ProcessPoolExecutor | None = started
    try:
        # Start the workers now (forked ones all at once), before this process starts
        # any thread of its own, and know at once whether they run.
        started.submit(os.getpid).result()
    except (BrokenProcessPool, OSError) as exc:
        warn(f"analysis workers could not start ({type(exc).__name__}: {exc}); analysed in one process instead")
        started.shutdown(wait=False, cancel_futures=True)
        pool = None
    try:
        yield pool
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _worker_start(parent: int) -> None:
    """Each worker's first step."""
    _exit_with_parent(parent)
    _lower_priority()


def _exit_with_parent(parent: int) -> None:
    """In a worker: exit when the importer dies (even by kill -9).

    Otherwise the workers wait forever on a queue their siblings keep open, and
    hold the importer's stdout, so whoever waits for the importer hangs too.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _lower_priority() -> None:
    """In a worker: yield the CPU to the importer and to the reader's UI.

    The importer is the pipeline's one serial stage (it alone writes the store); with
    two workers on two cores, it got two thirds of a core and the workers then waited
    for it: cores were 1.67 busy on average in a 20,000-article import, 1.90 with the
    workers niced (the same work, 20% less wall time). In the reader, the same keeps
    key presses ahead of a background import.
    """
    try:
        os.nice(WORKER_NICENESS)
    except (AttributeError, OSError):  # pragma: no cover - no nice() (Windows) or not allowed
        pass


class _Batch:
    """One batch of jobs, handed to the worker pool as soon as it is read."""

    def __init__(self, jobs: list, pool: ProcessPoolExecutor | None, workers: int,
                 warn: Callable[[str], None]) -> None:
        self.jobs = jobs
        self.warn = warn
        self.pending: Iterator[Prepared | Skipped] | None = None
        if pool is not None and len(jobs) >= 2:
            chunk = max(1, min(64, len(jobs) // (4 * workers)))
            try:
                self.pending = pool.map(_prepare_job, jobs, chunksize=chunk)  # submits now
            except (BrokenProcessPool, RuntimeError):
                self.pending = None  # the pool is gone (and said so): this batch is analysed here

    def results(self) -> Iterator[Prepared | Skipped]:
        done = 0
        if self.pending is not None:
            try:
                for result in self.pending:
                    done += 1
                    yield result
                return
            except BrokenProcessPool:
                # A worker died (killed, out of memory): finish here, one by one.
                self.warn("an analysis worker stopped (killed or out of memory); "
                          "the rest was analysed in one process, more slowly")
        yield from map(_prepare_job, self.jobs[done:])


def importer_for(store: Store, cfg) -> Importer:
    """An Importer with the config's clustering settings and limits (``limits.*``)."""
    return Importer(store, cfg.cluster_settings(), max_bytes=int(cfg.get("limits.max_article_bytes")),
                    max_quotes=int(cfg.get("limits.max_quotes_per_article")),
                    max_entities=int(cfg.get("limits.max_entities_per_article")))


def import_samples(store: Store, samples_dir: Path, settings: clu.ClusterSettings | None = None,
                   progress: Callable[[Progress], None] | None = None) -> ImportSummary:
    """First run: fill an empty store with the bundled samples."""
    return Importer(store, settings).import_paths([samples_dir], progress=progress, workers=0)
