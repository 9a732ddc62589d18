"""Quote quality on a fixed slice of the PolNeAR dev split, scored by the shared scorer.

The floors sit a little below what the extractor measured on this slice (the
first 30 dev documents by name: quote F1 0.949, speaker accuracy 0.951,
end-to-end F1 0.902), so a change that loses quotations or pins them on the
wrong people fails here.  Entities are not passed in, so the slice measures the
quote module on its own.  Skipped when the shared datasets are not next to the repo.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tui.quotes import extract_quotes

SHARED = Path(__file__).resolve().parents[2] / "shared"
EVAL = SHARED / "eval"
POLNEAR_DEV = SHARED / "datasets" / "polnear" / "dev"
N_DOCS = 30


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not (EVAL / "prepare.py").is_file() or not (EVAL / "score_quotes.py").is_file() or not POLNEAR_DEV.is_dir():
        pytest.skip("shared eval data not available")
    sys.path.insert(0, str(EVAL))
    try:
        import prepare  # type: ignore[import-not-found]
        import score_quotes  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(EVAL))
    out = tmp_path_factory.mktemp("polnear")
    meta = prepare.prepare_polnear(str(POLNEAR_DEV), str(out), "polnear-dev")
    names = sorted(meta["documents"])[:N_DOCS]
    preds = []
    for name in names:
        text = (out / name).read_bytes().decode("utf-8")
        preds.append(
            {
                "path": name,
                "body": text,
                "quotes": [
                    {
                        "text": q.text,
                        "start": q.start,
                        "end": q.end,
                        "speaker": q.speaker,
                        "speaker_start": q.speaker_start,
                        "speaker_end": q.speaker_end,
                    }
                    for q in extract_quotes(text)
                ],
            }
        )
    gold = {"dataset": "polnear-dev-slice", "documents": {n: meta["documents"][n] for n in names}}
    gold_path = out / "gold-slice.json"
    gold_path.write_text(json.dumps(gold), encoding="utf-8")
    pred_path = out / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    result = score_quotes.score(str(gold_path), str(pred_path))
    assert result["missing"] == 0 and result["body_mismatch"] == 0
    return result["default"]


def test_quotes_are_found(scored: dict) -> None:
    assert scored["gold"] > 100  # the slice really holds quotations
    assert scored["f1"] >= 0.93


def test_speakers_are_right(scored: dict) -> None:
    assert scored["speaker_acc"] >= 0.93


def test_quote_and_speaker_end_to_end(scored: dict) -> None:
    assert scored["e2e_f1"] >= 0.88
