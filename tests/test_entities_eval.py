"""Entity quality on a fixed slice of the CoNLL-2003 dev set, scored by the shared scorer.

The floors sit a little below what the extractor measured on this slice, so a
change that makes names worse for readers fails here.  Skipped when the shared
datasets are not next to the repo.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tui.entities import extract_entities

SHARED = Path(__file__).resolve().parents[2] / "shared"
EVAL = SHARED / "eval"
CONLL_DEV = SHARED / "datasets" / "conll2003-en" / "valid.txt"
N_DOCS = 60


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not (EVAL / "prepare.py").is_file() or not (EVAL / "score_entities.py").is_file() or not CONLL_DEV.is_file():
        pytest.skip("shared eval data not available")
    sys.path.insert(0, str(EVAL))
    try:
        import prepare  # type: ignore[import-not-found]
        import score_entities  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(EVAL))
    out = tmp_path_factory.mktemp("conll")
    docs = prepare.read_conll(str(CONLL_DEV))[:N_DOCS]
    gold_docs = {}
    preds = []
    for i, doc in enumerate(docs, 1):
        name = "conll-dev-%03d.txt" % i
        text, ents = prepare.conll_doc_to_text(doc)
        (out / name).write_text(text, encoding="utf-8", newline="")
        gold_docs[name] = {"entities": ents}
        preds.append(
            {
                "path": name,
                "body": text,
                "entities": [
                    {
                        "name": e.name,
                        "type": e.type,
                        "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in e.mentions],
                    }
                    for e in extract_entities(text)
                ],
            }
        )
    gold_path = out / "gold.json"
    gold_path.write_text(json.dumps({"dataset": "conll-dev-slice", "documents": gold_docs}), encoding="utf-8")
    pred_path = out / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    return score_entities.score(str(gold_path), str(pred_path))


def test_document_level_f1(scored: dict) -> None:
    assert scored["missing"] == 0 and scored["mention_text_mismatch"] == 0
    assert scored["doc"]["micro"]["f1"] >= 0.85


def test_per_type_mention_f1(scored: dict) -> None:
    m = scored["mention"]
    assert m["person"]["f1"] >= 0.89
    assert m["organization"]["f1"] >= 0.71
    assert m["place"]["f1"] >= 0.88
