"""Loads the shipped name lists (places, first names, surnames) once per process.

The lists are built by tools/build_gazetteer.py from permissively licensed data
(see tui/data/README.md) so that extraction needs no download and no extra
dependency.  Loading is lazy and cached because import of the reader must stay
fast even when no article is analysed.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import tui

# The package's folder rather than this file's: compiled (setup.py), the module's own
# ``__file__`` does not yet name the extension while its top level runs.
DATA = Path(tui.__file__).resolve().parent / "data"

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
    # casefolded name -> "Name\tkind\tpopulation", parsed on look-up: building 47,000
    # Place records up front would cost more start-up time than it ever saves.
    raw_places: Mapping[str, str]
    first_names: frozenset[str]  # casefolded
    surname_rank: Mapping[str, int]  # casefolded -> frequency rank (0 = most common)

    def has_place(self, key: str) -> bool:
        """Whether any place is called ``key`` (case-folded)."""
        return key in self.raw_places

    def place(self, key: str) -> Place | None:
        """The best-known place called ``key`` (case-folded), or None."""
        raw = self.raw_places.get(key)
        if raw is None:
            return None
        parts = raw.split("\t")
        if len(parts) != 3 or not parts[2].isdigit():
            return None
        return Place(parts[0], parts[1], int(parts[2]))


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
    places = dict(line.split("\t", 1) for line in _read_text("places.tsv.gz").splitlines() if "\t" in line)
    first = frozenset(n.casefold() for n in _read_text("first_names.txt.gz").split())
    ranks = {n.casefold(): i for i, n in enumerate(_read_text("surnames.txt.gz").split())}
    return Gazetteer(MappingProxyType(places), first, MappingProxyType(ranks))
