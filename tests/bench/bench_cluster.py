"""Clustering benchmark: time, peak memory and accuracy at 1k / 10k / 100k articles.

Run as ``python tests/bench/bench_cluster.py [N ...]`` (default 1000 10000 100000).
``--placement [N]`` instead times incremental placement the way the store does
it (tui.cluster's module docstring): N articles clustered into an SQLite key
table, then 500 more placed one at a time with ``place``.
Each size runs in a fresh child process so its peak memory is its own: the
child generates the corpus (tests/bench/corpus.py, not timed), then clusters
the bodies from scratch with the default ``ClusterSettings``. Reported: the
clustering time (wall and CPU: other load on the machine inflates the first), the process peak RSS and the part of it that clustering added
over the loaded corpus, and pairwise precision/recall/F1 against the generator's
truth. Not collected by pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections import Counter
from math import comb
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))


def _rss_mb() -> float:
    """Current resident set size (Linux /proc), else the peak so far."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pairwise(truth: dict[str, int], groups: list[list[str]]) -> tuple[float, float, float]:
    pred = {k: i for i, g in enumerate(groups) for k in g}
    both = sum(comb(c, 2) for c in Counter((truth[k], pred[k]) for k in truth).values())
    gold = sum(comb(c, 2) for c in Counter(truth.values()).values())
    got = sum(comb(c, 2) for c in Counter(pred.values()).values())
    p = both / got if got else 1.0
    r = both / gold if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run_one(n: int, seed: int = 7) -> dict:
    from corpus import generate

    from tui.cluster import ClusterSettings, cluster

    t0 = time.perf_counter()
    articles = generate(n, seed, pages=False)
    gen_s = time.perf_counter() - t0
    items = [(a.key, a.body) for a in articles]
    truth = {a.key: a.story for a in articles}
    del articles
    base = _rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    groups = cluster(items, ClusterSettings())
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p, r, f1 = _pairwise(truth, groups)
    return {
        "n": n,
        "generate_s": round(gen_s, 1),
        "cluster_s": round(secs, 2),
        "cpu_s": round(cpu, 2),
        "peak_rss_mb": round(peak),
        "corpus_rss_mb": round(base),
        "stories_true": len(set(truth.values())),
        "stories_found": len(groups),
        "pair_p": round(p, 4),
        "pair_r": round(r, 4),
        "pair_f1": round(f1, 4),
    }


def run_placement(n: int, extra: int = 500, seed: int = 11) -> None:
    import sqlite3
    import statistics
    import tempfile

    from corpus import generate

    from tui.cluster import ClusterSettings, Fingerprint, cluster, fingerprint, place

    settings = ClusterSettings()
    articles = generate(n + extra, seed, pages=False)
    stored, new = articles[:n], articles[n:]
    t0 = time.perf_counter()
    groups = cluster([(a.key, a.body) for a in stored], settings)
    story_of = {k: sid for sid, g in enumerate(groups) for k in g}
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(f"{tmp}/store.db")
        db.executescript(
            "CREATE TABLE article(id INTEGER PRIMARY KEY, key TEXT, story_id INTEGER, fp BLOB);"
            "CREATE TABLE fp_key(key INTEGER, article_id INTEGER, story_id INTEGER);"
        )
        rows, key_rows = [], []
        for i, a in enumerate(stored):
            fp = fingerprint(a.body, settings)
            rows.append((i, a.key, story_of[a.key], fp.to_bytes()))
            key_rows.extend((k, i, story_of[a.key]) for k in fp.keys)
        db.executemany("INSERT INTO article VALUES (?,?,?,?)", rows)
        db.executemany("INSERT INTO fp_key VALUES (?,?,?)", key_rows)
        db.execute("CREATE INDEX fp_key_key ON fp_key(key, story_id)")
        db.commit()
        del rows, key_rows
        build = time.perf_counter() - t0
        floor = settings.boilerplate_stories

        def story_counts(keys):
            q = "SELECT COUNT(*) FROM (SELECT DISTINCT story_id FROM fp_key WHERE key = ? LIMIT ?)"
            return {k: db.execute(q, (k, floor)).fetchone()[0] for k in keys}

        def fetch(keys, limit):
            marks = ",".join("?" * len(keys))
            ids = db.execute(
                f"SELECT article_id, COUNT(*) AS n FROM fp_key WHERE key IN ({marks}) "
                "GROUP BY article_id ORDER BY n DESC, article_id LIMIT ?",
                (*keys, limit),
            ).fetchall()
            blobs = dict(db.execute(f"SELECT id, fp FROM article WHERE id IN ({','.join('?' * len(ids))})",
                                    [i for i, _ in ids]))
            return [(i, Fingerprint.from_bytes(blobs[i])) for i, _ in ids]

        truth_story = {a.key: a.story for a in articles}
        first_key_of_story: dict[int, str] = {}
        for a in stored:
            first_key_of_story.setdefault(a.story, a.key)
        lat, right = [], 0
        next_story = len(groups)
        key_of_id = {i: a.key for i, a in enumerate(stored)}
        for j, a in enumerate(new, start=n):
            t = time.perf_counter()
            fp = fingerprint(a.body, settings)
            match = place(fp, story_counts, fetch, settings)
            if match is None:
                sid, next_story = next_story, next_story + 1
            else:
                sid = db.execute("SELECT story_id FROM article WHERE id = ?", (match,)).fetchone()[0]
            db.execute("INSERT INTO article VALUES (?,?,?,?)", (j, a.key, sid, fp.to_bytes()))
            db.executemany("INSERT INTO fp_key VALUES (?,?,?)", [(k, j, sid) for k in fp.keys])
            lat.append((time.perf_counter() - t) * 1000)
            # Right: joined an article of its own story, or started one when none was stored.
            expected_new = a.story not in first_key_of_story
            got = None if match is None else truth_story[key_of_id[match]]
            right += (got is None) if expected_new else (got == a.story)
            key_of_id[j] = a.key
            first_key_of_story.setdefault(a.story, a.key)
        db.commit()
        db.close()
    lat.sort()
    print(f"store of {n} articles built in {build:.1f} s; placed {len(new)} new articles:")
    print(f"  latency ms: mean {statistics.mean(lat):.1f}  p50 {lat[len(lat) // 2]:.1f}  "
          f"p95 {lat[int(len(lat) * 0.95)]:.1f}  max {lat[-1]:.1f}")
    print(f"  placed in the right story (or correctly new): {right}/{len(new)}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        print(json.dumps(run_one(int(argv[1]))))
        return 0
    if argv[:1] == ["--placement"]:
        run_placement(int(argv[1]) if len(argv) > 1 else 100000)
        return 0
    sizes = [int(a) for a in argv] or [1000, 10000, 100000]
    print(f"{'N':>7} {'cluster s':>9} {'cpu s':>7} {'per 1k':>7} {'peak RSS MB':>11} {'corpus MB':>9} "
          f"{'stories':>15} {'pair P':>7} {'pair R':>7} {'F1':>7}")
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(n)], capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{row['n']:>7} {row['cluster_s']:>9.2f} {row['cpu_s']:>7.2f} {row['cluster_s'] / row['n'] * 1000:>7.2f} "
            f"{row['peak_rss_mb']:>11} {row['corpus_rss_mb']:>9} "
            f"{row['stories_found']:>7}/{row['stories_true']:<7} {row['pair_p']:>7.4f} {row['pair_r']:>7.4f} {row['pair_f1']:>7.4f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
