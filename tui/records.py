"""Plain records passed between the core modules and stored by the store.

They live apart from the code that fills them so that cleaning, extraction,
clustering and the store agree on one shape without importing each other.
They are compiled with the analysis (setup.py): an article's analysis builds
dozens of them, and an interpreted frozen dataclass's ``__init__`` cost some
4,000 instructions each. Compiled dataclasses still run that ``__init__``, so the
two built by the hundred (``Quote``, ``Mention``) are plain classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["person", "organization", "place"]
ENTITY_TYPES: tuple[EntityType, ...] = ("person", "organization", "place")


class Quote:
    """A direct quotation; offsets index the body it was extracted from. Immutable by
    convention: see ``Mention`` for why it is not a frozen dataclass."""

    __slots__ = ("text", "start", "end", "speaker", "speaker_start", "speaker_end")

    def __init__(self, text: str, start: int, end: int, speaker: str | None = None,
                 speaker_start: int | None = None, speaker_end: int | None = None) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.speaker = speaker
        self.speaker_start = speaker_start
        self.speaker_end = speaker_end

    def _fields(self) -> tuple[str, int, int, str | None, int | None, int | None]:
        return (self.text, self.start, self.end, self.speaker, self.speaker_start, self.speaker_end)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Quote) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return ("Quote(text={!r}, start={!r}, end={!r}, speaker={!r}, speaker_start={!r}, speaker_end={!r})"
                .format(*self._fields()))

    def __reduce__(self) -> tuple[type[Quote], tuple[str, int, int, str | None, int | None, int | None]]:
        # Compiled (setup.py), a class with slots cannot be unpickled the default way
        # (attribute by attribute); see tests/test_native.py.
        return (Quote, self._fields())


class Mention:
    """One occurrence of an entity in a body.

    A plain class, not a frozen dataclass: compiled (setup.py), a dataclass keeps the
    ``__init__`` the dataclasses module writes, which runs interpreted and sets each
    field through ``object.__setattr__`` (~3.5% of an article's analysis, in the
    workers, went to building these and quotes). Written out, it is a native
    constructor. Equality and hashing are the frozen dataclass's: by value.
    """

    __slots__ = ("text", "start", "end")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Mention) and self.text == other.text and self.start == other.start
                and self.end == other.end)

    def __hash__(self) -> int:
        return hash((self.text, self.start, self.end))

    def __repr__(self) -> str:
        return f"Mention(text={self.text!r}, start={self.start!r}, end={self.end!r})"

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
