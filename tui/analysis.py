"""One article's analysis: clean it, find its entities, then its quotes.

Import, ``newsreader extract`` and the benchmarks all go through ``analyze`` so
that what the scorers measure is exactly what the reader stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.entities import extract_entities
from tui.pages import parse_page
from tui.quotes import extract_quotes
from tui.records import Entity, Page, Quote

MAX_QUOTES = 500
MAX_ENTITIES = 1000


@dataclass(slots=True)
class Analysis:
    """A cleaned page plus what was extracted from its body."""

    page: Page
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)


def analyze_page(page: Page, *, max_quotes: int = MAX_QUOTES, max_entities: int = MAX_ENTITIES) -> Analysis:
    """Extract entities and quotes from an already cleaned page."""
    entities = extract_entities(page.body)[:max_entities]
    quotes = extract_quotes(page.body, entities)[:max_quotes]
    return Analysis(page=page, quotes=quotes, entities=entities)


def analyze_text(text: str, *, name: str | None = None, clean: bool = True) -> Analysis:
    """Analyse a decoded document; with ``clean=False`` the body is the text as is."""
    page = parse_page(text, name=name)
    if not clean:
        page.body = text
    return analyze_page(page)


def contract_record(path: str, analysis: Analysis) -> dict:
    """The JSON object ``newsreader extract --json`` prints (eval/CONTRACT.md)."""
    page = analysis.page
    return {
        "path": path,
        "title": page.title,
        "published": page.published,
        "source": page.source,
        "body": page.body,
        "quotes": [
            {
                "text": q.text,
                "start": q.start,
                "end": q.end,
                "speaker": q.speaker,
                "speaker_start": q.speaker_start,
                "speaker_end": q.speaker_end,
            }
            for q in analysis.quotes
        ],
        "entities": [
            {
                "name": e.name,
                "type": e.type,
                "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in e.mentions],
            }
            for e in analysis.entities
        ],
    }
