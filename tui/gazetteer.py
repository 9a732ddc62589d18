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
    places: Mapping[str, Place]  # casefolded name -> best place of that name
    first_names: frozenset[str]  # casefolded
    surname_rank: Mapping[str, int]  # casefolded -> frequency rank (0 = most common)


_KIND_ORDER = {"country": 3, "continent": 2, "state": 1, "city": 0}


def _read_lines(name: str) -> list[str]:
    path = DATA / name
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return [line.rstrip("\n") for line in f if line.strip()]
    except OSError:
        # A broken install degrades to rules only rather than failing every import.
        return []


@cache
def load() -> Gazetteer:
    """Return the shipped gazetteer (read once, then shared read-only)."""
    places: dict[str, Place] = {}
    for line in _read_lines("places.tsv.gz"):
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        name, kind, pop = parts[0], parts[1], int(parts[2] or 0)
        key = name.casefold()
        old = places.get(key)
        new = Place(name, kind, pop)
        if old is None or (_KIND_ORDER.get(kind, 0), pop) > (_KIND_ORDER.get(old.kind, 0), old.population):
            places[key] = new
    first = frozenset(n.casefold() for n in _read_lines("first_names.txt.gz"))
    ranks = {n.casefold(): i for i, n in enumerate(_read_lines("surnames.txt.gz"))}
    return Gazetteer(MappingProxyType(places), first, MappingProxyType(ranks))
