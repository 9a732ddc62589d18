"""Golden output and per-stage timing of the per-article analysis (cleaning, entities, quotes).

    python tests/bench/golden_analysis.py --save FILE      write the dump
    python tests/bench/golden_analysis.py --check FILE     compare with a saved dump, print differences
    python tests/bench/golden_analysis.py --time [--rounds N] [--sets a,b]   timing only

The corpus is fixed: the CoNLL-2003 dev documents and the PolNeAR dev and train
texts from the shared datasets (analysed raw, as ``extract --no-clean`` does, and
also cleaned), ``samples/*``, and 2,000 synthetic pages from tests/bench/corpus.py
(``generate(2000, seed=7)``, cleaned with ``parse_page``).  The dump holds, per
document, the cleaned page's metadata and a hash of its body, and every quote and
entity with offsets, so that a speed-up can be shown to change nothing.

Timing is CPU time (``time.process_time``) per stage, the median of several rounds,
reported as ms per article: another process may share the machine.
Not collected by pytest.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "bench"))

from corpus import generate  # noqa: E402

from tui.analysis import analyze_page  # noqa: E402
from tui.entities import extract_entities  # noqa: E402
from tui.pages import parse_page  # noqa: E402
from tui.quotes import extract_quotes  # noqa: E402
from tui.records import Page  # noqa: E402
from tui.textio import decode_bytes  # noqa: E402

SHARED = REPO.parent / "shared"
DATASETS = SHARED / "datasets"


def _conll_texts() -> list[tuple[str, str]]:
    sys.path.insert(0, str(SHARED / "eval"))
    try:
        import prepare  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(SHARED / "eval"))
    docs = prepare.read_conll(str(DATASETS / "conll2003-en" / "valid.txt"))
    return [("conll-dev-%03d" % i, prepare.conll_doc_to_text(d)[0]) for i, d in enumerate(docs, 1)]


def _files(folder: Path, pattern: str) -> list[tuple[str, str]]:
    return [(str(p.relative_to(folder.parent)), decode_bytes(p.read_bytes())) for p in sorted(folder.glob(pattern))]


def corpora() -> dict[str, list[tuple[str, str]]]:
    """Named sets of (document name, raw text)."""
    synth = generate(2000, seed=7)
    return {
        "conll-dev": _conll_texts(),
        "polnear-dev": _files(DATASETS / "polnear" / "dev" / "text", "*.txt"),
        "polnear-train": _files(DATASETS / "polnear" / "train" / "text", "*.txt"),
        "samples": _files(REPO / "samples", "*.*"),
        "synthetic": [(a.key, a.page) for a in synth],
    }


# Sets analysed as raw text (offsets into the file, as the scorers want) besides cleaned.
RAW_SETS = ("conll-dev", "polnear-dev", "polnear-train")


def _record(page: Page, quotes: list, entities: list) -> dict:
    return {
        "title": page.title,
        "source": page.source,
        "published": page.published,
        "captions": page.captions,
        "body_sha1": hashlib.sha1(page.body.encode("utf-8")).hexdigest(),
        "body_len": len(page.body),
        "quotes": [[q.text, q.start, q.end, q.speaker, q.speaker_start, q.speaker_end] for q in quotes],
        "entities": [[e.name, e.type, [[m.text, m.start, m.end] for m in e.mentions]] for e in entities],
    }


def dump() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for set_name, docs in corpora().items():
        for name, text in docs:
            page = parse_page(text, name=name)
            a = analyze_page(page)
            out[f"{set_name}/clean/{name}"] = _record(page, a.quotes, a.entities)
            if set_name in RAW_SETS:
                raw = Page(title=None, body=text)
                a = analyze_page(raw)
                out[f"{set_name}/raw/{name}"] = _record(raw, a.quotes, a.entities)
    return out


def check(saved: dict, now: dict, limit: int = 40) -> int:
    """Print the differences; return how many documents differ."""
    bad = 0
    for key in sorted(set(saved) | set(now)):
        a, b = saved.get(key), now.get(key)
        if a == b:
            continue
        bad += 1
        if bad > limit:
            continue
        if a is None or b is None:
            print(f"{key}: only in {'saved' if b is None else 'current'}")
            continue
        for field in a:
            if a[field] == b.get(field):
                continue
            if isinstance(a[field], list):
                sa = {json.dumps(x) for x in a[field]}
                sb = {json.dumps(x) for x in b[field]}
                for x in sorted(sa - sb)[:5]:
                    print(f"{key} {field} - {x[:300]}")
                for x in sorted(sb - sa)[:5]:
                    print(f"{key} {field} + {x[:300]}")
                if sa == sb:
                    print(f"{key} {field}: same items, different order")
            else:
                print(f"{key} {field}: {a[field]!r} -> {b.get(field)!r}")
    print(f"{bad} of {len(set(saved) | set(now))} documents differ")
    return bad


def timing(sets: list[str], rounds: int) -> None:
    """ms per article for cleaning, entities, quotes and the whole analyze_page, median of rounds."""
    all_sets = corpora()
    for set_name in sets:
        texts = [t for _, t in all_sets[set_name]]
        raw = set_name in RAW_SETS
        runs: dict[str, list[float]] = {"clean": [], "entities": [], "quotes": [], "analyze_page": []}
        for _ in range(rounds):
            t0 = time.process_time()
            pages = [parse_page(t) for t in texts]
            t1 = time.process_time()
            bodies = texts if raw else [p.body for p in pages]
            ents = [extract_entities(b) for b in bodies]
            t2 = time.process_time()
            for b, e in zip(bodies, ents):
                extract_quotes(b, e)
            t3 = time.process_time()
            for p, b in zip(pages, bodies):
                analyze_page(Page(title=None, body=b) if raw else p)
            t4 = time.process_time()
            for k, v in zip(runs, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                runs[k].append(v)
        n = len(texts)
        ms = {k: round(statistics.median(v) * 1000 / n, 3) for k, v in runs.items()}
        ms["clean+analyze"] = round(ms["clean"] + ms["analyze_page"], 3)
        print(json.dumps({"set": set_name, "docs": n, "rounds": rounds, "ms_per_article": ms}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--save", metavar="FILE")
    g.add_argument("--check", metavar="FILE")
    g.add_argument("--time", action="store_true")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sets", default="synthetic,polnear-dev,conll-dev")
    args = ap.parse_args()
    if args.time:
        timing(args.sets.split(","), args.rounds)
        return 0
    now = dump()
    if args.save:
        Path(args.save).write_text(json.dumps(now, sort_keys=True, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"saved {len(now)} documents to {args.save}")
        return 0
    saved = json.loads(Path(args.check).read_text(encoding="utf-8"))
    return 1 if check(saved, now) else 0


if __name__ == "__main__":
    raise SystemExit(main())
