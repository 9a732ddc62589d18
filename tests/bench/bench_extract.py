"""Extraction speed: documents per second of ``newsreader extract`` work, in process.

    python tests/bench/bench_extract.py [DIR ...]   (default: /tmp/eval/polnear-dev /tmp/eval/conll-dev)

Prepare the directories with ``python3 ../shared/eval/prepare.py /tmp/eval``. For each
directory it runs exactly what ``extract --json --no-clean`` runs per file (decode,
clean for metadata, entities, quotes, JSON record) and reports CPU time per document
and documents per second, best of three rounds, without the interpreter's start-up.
Not collected by pytest.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from tui.analysis import analyze_text, contract_record
from tui.entities import extract_entities
from tui.quotes import extract_quotes
from tui.textio import decode_bytes


def bench(folder: Path) -> dict:
    files = sorted(folder.glob("*.txt"))
    texts = [decode_bytes(f.read_bytes()) for f in files]
    best = best_ent = best_q = float("inf")
    for _ in range(3):
        t = time.process_time()
        for f, text in zip(files, texts):
            json.dumps(contract_record(str(f), analyze_text(text, name=str(f), clean=False)))
        best = min(best, time.process_time() - t)
        t = time.process_time()
        ents = [extract_entities(text) for text in texts]
        best_ent = min(best_ent, time.process_time() - t)
        t = time.process_time()
        for text, e in zip(texts, ents):
            extract_quotes(text, e)
        best_q = min(best_q, time.process_time() - t)
    n = len(files)
    chars = sum(map(len, texts))
    return {"folder": str(folder), "docs": n, "avg_chars": round(chars / n),
            "extract_docs_per_s": round(n / best, 1), "entities_docs_per_s": round(n / best_ent, 1),
            "quotes_docs_per_s": round(n / best_q, 1), "extract_ms_per_doc": round(best * 1000 / n, 2)}


def main() -> int:
    dirs = [Path(a) for a in sys.argv[1:]] or [Path("/tmp/eval/polnear-dev"), Path("/tmp/eval/conll-dev")]
    for d in dirs:
        if not d.is_dir():
            print(f"{d}: missing (run python3 ../shared/eval/prepare.py /tmp/eval)", file=sys.stderr)
            return 2
        print(json.dumps(bench(d)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
