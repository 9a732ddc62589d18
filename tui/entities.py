"""People, organisations and places (placeholder: capitalised runs)."""

from __future__ import annotations

import re

from tui.records import Entity, Mention

_RUN = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b")


def extract_entities(text: str) -> list[Entity]:
    """Return entities of ``text``, aliases folded, offsets into ``text``."""
    found: dict[str, Entity] = {}
    for m in _RUN.finditer(text):
        ent = found.setdefault(m.group(), Entity(m.group(), "person"))
        ent.mentions.append(Mention(m.group(), m.start(), m.end()))
    return list(found.values())
