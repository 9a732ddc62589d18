"""Loads the shipped name lists (places, first names, surnames) once per process.

The lists are built by tools/build_gazetteer.py from permissively licensed data
(see tui/data/README.md) so that extraction needs no download and no extra
dependency.  Loading is lazy and cached because import of the reader must stay
fast even when no article is analysed.
"""

from __future__ import annotations

import bisect
import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

DATA = Path(__file__).resolve().parent / "data"

# Places smaller than this are only believed with a place cue ("in", "near") or a
# known country/state; otherwise every small town named Police or Bath is a place.
CITY_TRUSTED_POP = 100_000


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    kind: str  # country | state | continent | city
    population: int


@dataclass(frozen=True, slots=True)
class Gazetteer:
    # Sorted "casefolded\tName\tkind\tpopulation" lines, binary-searched on look-up: an
    # article looks up a few dozen names, and building a dict of all 47,000 would cost
    # more start-up time than every look-up of a long import.
    place_lines: tuple[str, ...]
    first_names: frozenset[str]  # casefolded
    surname_rank: Mapping[str, int]  # casefolded -> frequency rank (0 = most common)

    def _line(self, key: str) -> str | None:
        probe = key + "\t"
        i = bisect.bisect_left(self.place_lines, probe)
        if i < len(self.place_lines) and self.place_lines[i].startswith(probe):
            return self.place_lines[i]
        return None

    def has_place(self, key: str) -> bool:
        """Whether any place is called ``key`` (case-folded)."""
        return self._line(key) is not None

    def place(self, key: str) -> Place | None:
        """The best-known place called ``key`` (case-folded), or None."""
        line = self._line(key)
        if line is None:
            return None
        parts = line.split("\t")
        if len(parts) != 4 or not parts[3].isdigit():
            return None
        return Place(parts[1], parts[2], int(parts[3]))


def _read_text(name: str) -> str:
    try:
        with gzip.open(DATA / name, "rt", encoding="utf-8") as f:
            return f.read()
    except OSError:
        # A broken install degrades to rules only rather than failing every import.
        return ""


@cache
def load() -> Gazetteer:
    """Return the shipped gazetteer (read once, then shared read-only)."""
    lines = tuple(_read_text("places.tsv.gz").splitlines())
    first = frozenset(n.casefold() for n in _read_text("first_names.txt.gz").split())
    ranks = {n.casefold(): i for i, n in enumerate(_read_text("surnames.txt.gz").split())}
    return Gazetteer(lines, first, MappingProxyType(ranks))
