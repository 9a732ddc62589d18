"""Direct quotations and who said them (placeholder: pairs quote marks only)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tui.records import Entity, Quote

_PAIR = re.compile(r"[\"“]([^\"“”]{1,2000}?)[\"”]")


def extract_quotes(text: str, entities: Sequence[Entity] | None = None) -> list[Quote]:
    """Return the direct quotations in ``text`` with offsets into it."""
    return [Quote(m.group(1), m.start(1), m.end(1)) for m in _PAIR.finditer(text)]
