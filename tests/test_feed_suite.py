"""Every file of feedparser's own test suite (2,107 feeds: ill-formed XML, odd
encodings, entities, every feed format) through ``parse_feed``.

Each must parse into entries or feed metadata, or be reported with a reason;
none may raise. Titles the suite's labels spell out must come through as text.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tui.feeds import ParsedFeed, parse_feed
from tui.htmlpage import fragment_to_text

SUITE = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "feedparser-tests"
# Labels of the form: Expect: not bozo and feed['title'] == u'...'
_TITLE_LABEL = re.compile(r"Expect:\s*not bozo and (feed|entries\[0\])\['title'\] == u?('[^']*')\s*$", re.M)


def _suite_files() -> list[Path]:
    return sorted(p for p in SUITE.rglob("*") if p.is_file() and p.suffix in (".xml", ".json"))


@pytest.fixture(scope="module")
def parsed() -> dict[str, tuple[bytes, ParsedFeed]]:
    if not SUITE.is_dir():
        pytest.skip("shared/datasets/feedparser-tests absent")
    out = {}
    for path in _suite_files():
        data = path.read_bytes()
        out[str(path.relative_to(SUITE))] = (data, parse_feed(data, "http://example.org/feed/"))
    return out


def _has_content(f: ParsedFeed) -> bool:
    return bool(f.entries or f.title or f.link or f.subtitle or f.updated or f.version)


def test_every_file_parses_or_is_reported_with_a_reason(parsed: dict[str, tuple[bytes, ParsedFeed]]) -> None:
    assert len(parsed) == 2107
    silent = [name for name, (_, f) in parsed.items() if not f.problem and not _has_content(f)]
    assert silent == []
    reported = {name: f.problem for name, (_, f) in parsed.items() if f.problem}
    with_entries = sum(1 for _, f in parsed.values() if f.entries)
    # Nearly the whole suite is meant to be read; only a handful of files are
    # not feeds at all (an empty document, a DTD that pulls in external entities).
    assert len(reported) <= 20, reported
    assert with_entries >= 1000
    assert all(isinstance(r, str) and r for r in reported.values())
    assert "illformed/rss_empty_document.xml" in reported


def test_labelled_titles_come_through_as_text(parsed: dict[str, tuple[bytes, ParsedFeed]]) -> None:
    checked = wrong = 0
    misses = []
    for name, (data, f) in parsed.items():
        try:
            m = _TITLE_LABEL.search(data.decode("utf-8"))
        except UnicodeDecodeError:
            continue
        if not m:
            continue
        expected = ast.literal_eval(m.group(2))
        got = f.title if m.group(1) == "feed" else (f.entries[0].title if f.entries else None)
        checked += 1
        # Markup in a title is shown as its text, as the reader displays it.
        if got not in (expected, fragment_to_text(expected), " ".join(expected.split())):
            wrong += 1
            misses.append((name, expected, got))
    assert checked >= 100
    assert wrong <= checked // 50, misses[:10]


def test_entry_text_is_plain(parsed: dict[str, tuple[bytes, ParsedFeed]]) -> None:
    # feedparser sanitises; our conversion must leave no script text or tags behind.
    leaks = [
        name
        for name, (_, f) in parsed.items()
        for e in f.entries
        if re.search(r"<\s*(script|style|iframe)\b|alert\(|javascript:", e.body, re.I)
    ]
    assert leaks == []
