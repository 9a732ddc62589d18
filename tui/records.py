"""Plain records passed between the core modules and stored by the store.

They live apart from the code that fills them so that cleaning, extraction,
clustering and the store agree on one shape without importing each other.
They are compiled with the analysis (setup.py): an article's analysis builds
dozens of them, and an interpreted frozen dataclass's ``__init__`` cost some
4,000 instructions each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["person", "organization", "place"]
ENTITY_TYPES: tuple[EntityType, ...] = ("person", "organization", "place")


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation; offsets index the body it was extracted from."""

    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None

    def __reduce__(self) -> tuple[type[Quote], tuple[str, int, int, str | None, int | None, int | None]]:
        # Compiled (setup.py), a frozen dataclass cannot be unpickled the default way
        # (attribute by attribute); see tests/test_native.py.
        return (Quote, (self.text, self.start, self.end, self.speaker, self.speaker_start, self.speaker_end))


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity in a body."""

    text: str
    start: int
    end: int

    def __reduce__(self) -> tuple[type[Mention], tuple[str, int, int]]:
        return (Mention, (self.text, self.start, self.end))  # as Quote.__reduce__


@dataclass(slots=True)
class Entity:
    """A person, organisation or place with every mention folded into it."""

    name: str
    type: EntityType
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Page:
    """What cleaning makes of one document: metadata, body and captions apart."""

    title: str | None
    body: str
    source: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    captions: list[str] = field(default_factory=list)
    url: str | None = None
