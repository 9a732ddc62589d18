"""Main-text extraction score of ``tui.htmlpage.parse_html`` on the Zyte/Scrapinghub
article extraction benchmark (shared/datasets/article-extraction-benchmark).

Metric as the benchmark's README describes it: texts tokenised with ``\\w+``,
compared as multisets of 4-token shingles; per page TP/FP/FN are normalised by
their sum; precision is averaged over pages with a prediction, recall over
pages with a gold text, and F1 is computed from those two means.

Run:  python tests/bench/bench_extraction.py [--limit N] [--worst K]
Published anchor: trafilatura 2.0.0 F1 0.958 (P 0.938, R 0.978).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

DATASET = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "article-extraction-benchmark"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    # A text shorter than n tokens still counts as one (short) shingle.
    grams = [tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))]
    return Counter(g for g in grams if g)


def page_counts(gold: str, pred: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one page."""
    g, p = shingles(gold), shingles(pred)
    tp = float(sum((g & p).values()))
    fp = float(sum((p - g).values()))
    fn = float(sum((g - p).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def score(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    """F1 from mean precision and mean recall, as the benchmark computes it."""
    ps = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    rs = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"f1": f1, "precision": p, "recall": r, "pages": float(len(counts))}


def load_pages(limit: int | None = None) -> list[tuple[str, str, bytes, str]]:
    """(id, url, html bytes, gold body) in a fixed order (sorted ids)."""
    truth = json.loads((DATASET / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for pid in sorted(truth)[:limit]:
        html = gzip.decompress((DATASET / "html" / f"{pid}.html.gz").read_bytes())
        out.append((pid, truth[pid].get("url") or "", html, truth[pid].get("articleBody") or ""))
    return out


def evaluate(limit: int | None = None) -> tuple[dict[str, float], list[tuple[str, float, float]]]:
    from tui.htmlpage import parse_html

    counts = []
    per_page = []
    for pid, url, html, gold in load_pages(limit):
        page = parse_html(html, url)
        c = page_counts(gold, page.body)
        counts.append(c)
        per_page.append((pid, _precision(*c), _recall(*c)))
    return score(counts), per_page


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="first N pages (sorted ids)")
    ap.add_argument("--worst", type=int, default=0, help="list the K pages with the lowest F1")
    args = ap.parse_args(argv)
    if not DATASET.is_dir():
        print(f"dataset not found: {DATASET}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    result, per_page = evaluate(args.limit)
    dt = time.perf_counter() - t0
    print(
        f"pages {int(result['pages'])}  F1 {result['f1']:.3f}  P {result['precision']:.3f}  "
        f"R {result['recall']:.3f}  ({dt:.1f} s)"
    )
    if args.worst:
        ranked = sorted(per_page, key=lambda x: (2 * x[1] * x[2] / (x[1] + x[2]) if x[1] + x[2] else 0.0))
        for pid, p, r in ranked[: args.worst]:
            print(f"  {pid[:16]}  P {p:.3f}  R {r:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
