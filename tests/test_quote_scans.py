"""The shortcuts in quote finding and attribution find what a plain scan finds.

Quote marks are listed with str.find (the regex scan is kept for huge texts),
sentence ends are searched only between quotes, and a rule asking for speech
verbs in a short stretch scans that stretch alone. Each is checked here against
the plain way on random texts made of the pieces those scans look at.
"""

from __future__ import annotations

import random
import re
from bisect import bisect_right

import pytest

from tui import quotes, speakers

_PIECES = ["said", "says", "saidx", " ", " ", "\n", "according", " to", "pointed", " out", "Mrs", "'s ", "’", "so-",
           "called", "Said", "é", "x", ",", ". ", ".", "told", "Hope", "_", "2", "\"", "“", "”", "'", "‘", "Mr", "U.S",
           "A", "!", "? ", "(", "years", "reporters", "``", "''"]


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 50))) for _ in range(count)]


def _spans(rng: random.Random, n: int) -> list[tuple[int, int]]:
    return [(s, s + rng.randint(1, 30)) for s in sorted(rng.randint(0, n) for _ in range(rng.randint(0, 4)))]


def _plain_verbs(r: speakers.SpeakerResolver, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """Verbs in text[lo:hi] from a scan of every line the stretch touches."""
    text, limit = r.text, r.limit
    end, a = min(hi, limit), max(lo, r.scan_lo)
    out: list[tuple[int, int, str]] = []
    if a >= end:
        return out
    a = text.rfind("\n", 0, a) + 1
    while a < end:
        b = text.find("\n", a, limit)
        b = limit if b < 0 else b
        out += [tuple(v) for v in speakers._verbs(text, max(a, r.scan_lo), b) if lo <= v.start < hi and v.end <= hi]
        a = b + 1
    return out


@pytest.mark.parametrize("window", [0, 5, 20, speakers._VERB_WINDOW])
def test_verbs_in_a_stretch_are_those_of_its_lines(monkeypatch: pytest.MonkeyPatch, window: int) -> None:
    monkeypatch.setattr(speakers, "_VERB_WINDOW", window)
    rng = random.Random(window)
    for text in _texts(window + 1, 1500):
        n = len(text)
        r = speakers.SpeakerResolver(text, None, _spans(rng, n), rng.randint(0, n))
        r.scan_lo = rng.randint(0, n)
        for _ in range(4):
            lo = rng.randint(0, n)
            hi = rng.randint(lo, n + 2)
            assert [tuple(v) for v in r._verbs_in(lo, hi)] == _plain_verbs(r, lo, hi), (text, lo, hi)


_CANDIDATE = re.compile(r"[.!?](?=[\"”'’]?\s+[\"“'‘`A-Z(])")


def _plain_sentence_ends(text: str, lo: int, hi: int, spans: list[tuple[int, int]]) -> list[int]:
    """Every candidate in text[lo:hi], dropped when the quote opened last before it holds it."""
    starts = [a for a, _ in spans]
    out = []
    for m in _CANDIDATE.finditer(text, lo, hi):
        pos = m.start()
        if m.group() == ".":
            chunk = text[max(0, pos - 20):pos]
            word = chunk.rsplit(None, 1)[-1].lstrip("\"'“‘(") if chunk and not chunk[-1].isspace() else ""
            if (len(word) == 1 and word.isupper()) or "." in word or word.lower() in speakers._ABBREVIATIONS:
                continue
        k = bisect_right(starts, pos) - 1
        if not (k >= 0 and pos < spans[k][1]):
            out.append(pos + 1)
    return out


def test_sentence_ends_between_quotes_are_those_of_a_plain_scan() -> None:
    rng = random.Random(7)
    for text in _texts(8, 4000) + ["He met Mr. Lee. Then the U.S. team left! Why? Because reporters said so."]:
        n = len(text)
        spans = _spans(rng, n)
        lo, hi = rng.randint(0, n), rng.randint(0, n)
        assert speakers._sentence_ends_outside(text, lo, hi, spans) == _plain_sentence_ends(text, lo, hi, spans), text


def test_listed_marks_pair_like_the_line_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts(9, 3000)
    listed = [quotes.find_spans(t) for t in texts]
    monkeypatch.setattr(quotes, "_LIST_MARKS_UP_TO", -1)  # every text takes the line-by-line scan
    scanned = [quotes.find_spans(t) for t in texts]
    assert [[(vars(s) if hasattr(s, "__dict__") else repr(s), lo, hi) for s, lo, hi in f] for f in listed] == \
        [[(vars(s) if hasattr(s, "__dict__") else repr(s), lo, hi) for s, lo, hi in f] for f in scanned]
