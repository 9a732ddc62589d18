"""Clustering benchmark: time, peak memory and accuracy at 1k / 10k / 100k articles.

Run as ``python tests/bench/bench_cluster.py [N ...]`` (default 1000 10000 100000).
Each size runs in a fresh child process so its peak memory is its own: the
child generates the corpus (tests/bench/corpus.py, not timed), then clusters
the bodies from scratch with the default ``ClusterSettings``. Reported: the
clustering time, the process peak RSS and the part of it that clustering added
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
    t0 = time.perf_counter()
    groups = cluster(items, ClusterSettings())
    secs = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p, r, f1 = _pairwise(truth, groups)
    return {
        "n": n,
        "generate_s": round(gen_s, 1),
        "cluster_s": round(secs, 2),
        "peak_rss_mb": round(peak),
        "corpus_rss_mb": round(base),
        "stories_true": len(set(truth.values())),
        "stories_found": len(groups),
        "pair_p": round(p, 4),
        "pair_r": round(r, 4),
        "pair_f1": round(f1, 4),
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        print(json.dumps(run_one(int(argv[1]))))
        return 0
    sizes = [int(a) for a in argv] or [1000, 10000, 100000]
    print(f"{'N':>7} {'cluster s':>9} {'per 1k':>7} {'peak RSS MB':>11} {'corpus MB':>9} "
          f"{'stories':>15} {'pair P':>7} {'pair R':>7} {'F1':>7}")
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(n)], capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{row['n']:>7} {row['cluster_s']:>9.2f} {row['cluster_s'] / row['n'] * 1000:>7.2f} "
            f"{row['peak_rss_mb']:>11} {row['corpus_rss_mb']:>9} "
            f"{row['stories_found']:>7}/{row['stories_true']:<7} {row['pair_p']:>7.4f} {row['pair_r']:>7.4f} {row['pair_f1']:>7.4f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
