"""Import a few thousand new articles into a copy of a big store: the import's write
side at 100,000 articles, reproduced in a minute instead of the bench's hour.

    python tests/bench/bigstore.py --store /tmp/nr-bench-100000-XXXX/data/newsreader/newsreader.db
        [--new 3000] [--workers 2] [--profile] [--runs 1]

The store is copied for each run (the original is never written). Prints wall time,
articles per second and the CPU per article of this process (the importer) and of its
workers, and how long the importer spent inside its write transactions.
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402

from tui import importer  # noqa: E402
from tui.importer import Importer  # noqa: E402
from tui.stories import PlacementCache  # noqa: E402
from tui.store import Store  # noqa: E402


def _articles(n: int, seed: int) -> Path:
    folder = Path(tempfile.gettempdir()) / f"nr-bigstore-new-{n}-{seed}"
    if not (folder / ".done").exists():
        folder.mkdir(exist_ok=True)
        for i, a in enumerate(generate(n, seed=seed)):
            (folder / f"new{i:06d}.txt").write_text(a.page, encoding="utf-8")
        (folder / ".done").touch()
    return folder


def _prepared(folder: Path, files: list[Path]) -> list:
    """The analysed articles, pickled beside them after the first time."""
    cache = folder / "prepared.pkl"
    if cache.exists():
        try:
            with cache.open("rb") as fh:
                cached = pickle.load(fh)
            # A pickle of another build of the records (pure or compiled) can load into
            # objects whose fields are unset: read one to know.
            pages = [r.page for r in cached[:1] if hasattr(r, "page")]
            _ = [(pg.title, pg.body, pg.captions) for pg in pages]
            return cached
        except (AttributeError, TypeError, ValueError, pickle.UnpicklingError):
            pass  # analyse again
    from concurrent.futures import ProcessPoolExecutor

    from tui.importer import HTML_SUFFIXES, _prepare_job, read_article_file, storable_path
    imp = Importer.__new__(Importer)
    Importer.__init__(imp, None)  # type: ignore[arg-type]
    jobs = [(storable_path(str(p.resolve())), read_article_file(p), p.suffix in HTML_SUFFIXES, imp.settings,
             imp.max_bytes, imp.max_quotes, imp.max_entities) for p in files]
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_prepare_job, jobs, chunksize=32))
    with cache.open("wb") as fh:
        pickle.dump(results, fh)
    return results


def _replay(imp: Importer, results: list, *, bulk: bool, commit_every: int | None,
            cache: PlacementCache | None = None) -> importer.ImportSummary:
    """What ``import_paths`` does with the workers' results, in this process only.
    ``cache``: the placement cache to start from (a new one by default)."""
    from contextlib import nullcontext

    summary = importer.ImportSummary()
    imp._cache = cache or PlacementCache(imp.store)
    bulk = bulk and len(results) >= importer.BULK_FROM
    imp._commit_every = commit_every or (importer.BULK_COMMIT_EVERY if bulk else importer.COMMIT_EVERY)
    with imp.store.bulk_writes() if bulk else nullcontext():
        for r in results:
            if not isinstance(r, importer.Skipped):
                imp._write(r, summary)
        imp._commit()
    imp._cache = None
    return summary


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", required=True)
    ap.add_argument("--new", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--no-bulk", action="store_true", help="write as a small import does (an experiment)")
    ap.add_argument("--replay", action="store_true",
                    help="the write side alone: analyse once (cached), then time only storing and placing")
    ap.add_argument("--filters", action="store_true",
                    help="with --replay: read the index first (load_all, untimed), so that placement "
                         "has the key filters a big import into a fresh store has late on")
    ap.add_argument("--pragma", action="append", default=[], help="e.g. cache_size=-256000 (an experiment)")
    ap.add_argument("--commit-every", type=int, help="articles per transaction (an experiment)")
    ap.add_argument("--batch-seconds", type=float, help="seconds per transaction (an experiment)")
    args = ap.parse_args()
    folder = _articles(args.new, args.seed)
    files = sorted(folder.glob("*.txt"))
    prepared = _prepared(folder, files) if args.replay else []
    for _ in range(args.runs):
        work = Path(tempfile.mkdtemp(prefix="nr-bigstore-"))
        try:
            db = work / "newsreader.db"
            shutil.copyfile(args.store, db)
            with Store(db) as store:
                store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                for pragma in args.pragma:
                    store.conn.execute(f"PRAGMA {pragma}")
                if args.commit_every:
                    importer.COMMIT_EVERY = importer.BULK_COMMIT_EVERY = args.commit_every
                if args.no_bulk:
                    importer.BULK_FROM = 10**9
                imp = Importer(store) if args.batch_seconds is None else Importer(store, batch_seconds=args.batch_seconds)
                in_commit = 0.0
                commits = 0
                original = imp._commit

                def timed() -> None:
                    nonlocal in_commit, commits
                    t = time.perf_counter()
                    original()
                    in_commit += time.perf_counter() - t
                    commits += 1

                imp._commit = timed  # type: ignore[method-assign]
                cache = None
                if args.filters:
                    cache = PlacementCache(store)
                    cache.load_all(new_keys=32 * 100_000)
                prof = None
                if args.profile:
                    import cProfile
                    prof = cProfile.Profile()
                    prof.enable()
                self0, kids0 = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
                load = os.getloadavg()[0]
                t = time.perf_counter()
                if args.replay:
                    summary = _replay(imp, prepared, bulk=not args.no_bulk, commit_every=args.commit_every,
                                      cache=cache)
                else:
                    summary = imp.import_paths(files, workers=args.workers)
                wall = time.perf_counter() - t
                self1, kids1 = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
                if prof is not None:
                    prof.disable()
                    import pstats
                    st = pstats.Stats(prof).sort_stats("tottime")
                    st.print_stats(30)
                    st.print_callers("execute|split|count|_read")
                n = len(files)
                print(f"{summary.line()}; {n / wall:.0f}/s ({wall:.1f} s, load {load:.1f}); "
                      f"importer {(self1 - self0) * 1000 / n:.2f} ms/article, "
                      f"workers {(kids1 - kids0) * 1000 / n:.2f} ms/article; "
                      f"{commits} transactions, {in_commit:.1f} s in them; "
                      f"log grew to {_size(db.with_name(db.name + '-wal')) / 1e6:.0f} MB", flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
