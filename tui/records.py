"""Plain records passed between the core modules and stored by the store.

They live apart from the code that fills them so that cleaning, extraction,
clustering and the store agree on one shape without importing each other.
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


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity in a body."""

    text: str
    start: int
    end: int


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
