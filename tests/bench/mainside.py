"""The import's main-process write side, timed without the workers' noise.

    python tests/bench/mainside.py prep N FILE.pkl     # analyse the first N bench files once
    python tests/bench/mainside.py run FILE.pkl [prof] # store + place them into a fresh store
    python tests/bench/mainside.py dump STORE.db       # what must not change, as JSON on stdout
    python tests/bench/mainside.py compare A.db B.db   # exit 1 unless both hold the same

``run`` prints the CPU ms per article of ``Importer._write``/``_commit`` alone (no
file reading, no pickling), so two versions of the write side can be compared
back to back; ``dump`` lets two stores be compared (story groups as sets of sources,
canonical source per story, article/quote/entity rows).
"""

from __future__ import annotations

import glob
import json
import pickle
import sys
import tempfile
import time
from pathlib import Path

CORPUS = "/tmp/nr-bench-10000-bh97j8co/articles/*.txt"


def prep(n: int, out: str) -> None:
    """Analyse the first ``n`` corpus files in workers and pickle the Prepared results."""
    from concurrent.futures import ProcessPoolExecutor

    from tui import cluster as clu
    from tui.importer import _prepare_job, read_article_file, storable_path

    settings = clu.ClusterSettings()
    files = [Path(p) for p in sorted(glob.glob(CORPUS))[:n]]
    jobs = [(storable_path(str(p.resolve())), read_article_file(p), False, settings, 10**7, 10**4, 10**4)
            for p in files]
    from tui.analysis import MAX_ENTITIES, MAX_QUOTES
    from tui.textio import MAX_ARTICLE_BYTES
    jobs = [(s, d, h, st, MAX_ARTICLE_BYTES, MAX_QUOTES, MAX_ENTITIES) for s, d, h, st, *_ in jobs]
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_prepare_job, jobs, chunksize=32))
    with open(out, "wb") as fh:
        pickle.dump(results, fh)


def run(pkl: str, profile: bool = False) -> None:
    """Write the pickled results into a fresh store the way ``import_paths`` does."""
    from tui.importer import Importer, ImportSummary, Skipped
    from tui.store import Store

    with open(pkl, "rb") as fh:
        results = pickle.load(fh)
    d = tempfile.mkdtemp()
    store = Store(Path(d) / "x.db")
    imp = Importer(store)
    summary = ImportSummary()
    prof = None
    if profile:
        import cProfile
        prof = cProfile.Profile()
        prof.enable()
    c0, t0 = time.process_time(), time.perf_counter()
    for r in results:
        if not isinstance(r, Skipped):
            imp._write(r, summary)
    imp._commit()
    c1, t1 = time.process_time(), time.perf_counter()
    if prof is not None:
        prof.disable()
        import pstats
        pstats.Stats(prof).sort_stats("tottime").print_stats(40)
    n = len(results)
    print(f"{n} articles: cpu {(c1 - c0) * 1000 / n:.3f} ms/art, wall {(t1 - t0) * 1000 / n:.3f} ms/art; "
          f"store {d}/x.db")


def dump(db: str) -> dict:
    """The store's observable contents, keyed by source (ids may differ between versions)."""
    import sqlite3

    conn = sqlite3.connect(db)
    src = dict(conn.execute("SELECT id, source FROM articles"))
    groups: dict[int, list[str]] = {}
    for aid, sid in conn.execute("SELECT id, story_id FROM articles"):
        groups.setdefault(sid, []).append(src[aid])
    stories = {}
    for sid, canon, title, published, n, outlets, read, starred in conn.execute(
            "SELECT id, canonical_id, title, published, n_articles, outlets, read, starred FROM stories"):
        members = sorted(groups.get(sid, []))
        stories[members[0] if members else f"empty{sid}"] = {
            "members": members, "canonical": src.get(canon), "title": title, "published": published,
            "n": n, "outlets": outlets, "read": read, "starred": starred}
    articles = {r[0]: list(r[1:]) for r in conn.execute(
        "SELECT source, content_hash, title, outlet, published, url, body, captions, length, full_text, feed_id,"
        " read, starred FROM articles")}
    quotes = sorted(tuple(r) for r in conn.execute(
        "SELECT a.source, q.start, q.end, q.text, q.speaker, q.speaker_start, q.speaker_end"
        " FROM quotes q JOIN articles a ON a.id=q.article_id"))
    ents = sorted(tuple(r) for r in conn.execute(
        "SELECT a.source, e.name, e.type, ae.mentions, ae.spans FROM article_entities ae"
        " JOIN articles a ON a.id=ae.article_id JOIN entities e ON e.id=ae.entity_id"))
    fps = {src[a]: d.hex() for a, d in conn.execute("SELECT article_id, data FROM fingerprints")}
    # A key's story named by its first member's source: story ids may differ.
    keys = sorted((src[a], k, min(groups[s]) if s in groups else None)
                  for k, a, s in conn.execute("SELECT key, article_id, story_id FROM cluster_keys"))
    fts = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")  # raises if damaged
    # What search finds: a sample of the words of titles and bodies, mapped to sources.
    words = sorted({w for t, b in conn.execute("SELECT title, body FROM articles ORDER BY source LIMIT 300")
                    for w in f"{t} {b}".split() if w.isalpha()})[::2]
    search = {w: sorted(src[r] for (r,) in conn.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (f'"{w}"',))) for w in words}
    return {"stories": stories, "articles": articles, "quotes": quotes, "entities": ents,
            "fingerprints": fps, "keys": keys, "fts_rows": fts, "search": search,
            "n_stories": len(stories), "n_articles": len(articles)}


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "prep":
        prep(int(sys.argv[2]), sys.argv[3])
    elif cmd == "run":
        run(sys.argv[2], len(sys.argv) > 3)
    elif cmd == "dump":
        json.dump(dump(sys.argv[2]), sys.stdout, sort_keys=True, default=str)
    elif cmd == "compare":
        a, b = dump(sys.argv[2]), dump(sys.argv[3])
        diff = [k for k in a if a[k] != b.get(k)]
        print(f"{a['n_articles']} articles, {a['n_stories']} stories, {len(a['search'])} searches: "
              + ("identical" if not diff else f"DIFFERENT in {diff}"))
        raise SystemExit(1 if diff else 0)
    else:
        raise SystemExit(__doc__)
