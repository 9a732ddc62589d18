"""Quotes and entities as the rows the store keeps.

Apart from tui/store.py so that it can be compiled (setup.py): import workers turn
every article's analysis into rows, some sixty entity mentions an article, and the
interpreted version of this loop cost about 4,500 instructions a mention.
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.records import Entity, Quote


def quote_rows(quotes: Sequence[Quote]) -> list[tuple[int, int, str, str | None, int | None, int | None]]:
    """Quotes as stored: (start, end, text, speaker, speaker_start, speaker_end)."""
    return [(q.start, q.end, q.text, q.speaker, q.speaker_start, q.speaker_end) for q in quotes]


def entity_rows(entities: Sequence[Entity]) -> list[tuple[str, str, int, str]]:
    """Entities as stored: (name, type, mentions, spans as JSON)."""
    rows: list[tuple[str, str, int, str]] = []
    for e in entities:
        # The same JSON json.dumps would write ("[[0,5],[17,22]]"), built directly.
        spans: list[str] = []
        for m in e.mentions:
            start: int = m.start
            end: int = m.end
            spans.append(f"[{start},{end}]")  # compiled: one string built, no concatenations
        rows.append((e.name, e.type, len(e.mentions), "[" + ",".join(spans) + "]"))
    return rows
