"""Refusing XML documents that declare dangerous entities, before any parser sees them.

Feeds and OPML files come from strangers. An XML document can declare entities
that expand exponentially ("billion laughs"), or that name a local file or a
URL ("external entities"). feedparser strips most declarations and expat caps
amplification, but both are defences in depth we do not want to depend on, so
every XML input is scanned first: entity declarations can only live in the
DOCTYPE's internal subset, before the root element, and a news feed never
needs one that is external, parametric or nested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Things a prolog may hold before the DOCTYPE; stray text is skipped too, since
# the lenient parsers read past it.
_PROLOG_ITEM = re.compile(rb"(?:<\?.*?\?>|<!--.*?-->|[^<]+)", re.DOTALL)
_DOCTYPE = re.compile(rb"\s*<!DOCTYPE\b", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s>]+)\s*(.*?)>", re.DOTALL | re.IGNORECASE)
_ENTITY_REF = re.compile(rb"[&%][A-Za-z_:][\w.:-]*;")
MAX_ENTITIES = 100
_SCAN_LIMIT = 1024 * 1024


def _ascii_view(data: bytes) -> bytes:
    """The document's markup as single bytes, whatever the UTF-16/32 encoding."""
    head = data[:_SCAN_LIMIT]
    if b"\x00" in head[:64]:
        # UTF-16/32: ASCII markup is interleaved with NULs; dropping them is
        # enough to see declarations.
        return head.replace(b"\x00", b"")
    return head


def _doctype_span(data: bytes) -> tuple[bytes, int, int, bool] | None:
    """The prolog's DOCTYPE declaration (with its internal subset), if any.

    Returns (view, start, end, same): offsets into ``view``; ``same`` says the
    view is the original bytes, so the offsets can cut ``data`` too.
    """
    view = _ascii_view(data)
    same = len(view) == len(data) or view == data[: len(view)]
    pos = 0
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if view.startswith(bom):
            pos = len(bom)
            break
    while True:
        m = _PROLOG_ITEM.match(view, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    m = _DOCTYPE.match(view, pos)
    if not m:
        return None
    # The DOCTYPE ends at the first ">" outside brackets and quotes.
    depth = 0
    quote = 0
    i = m.end()
    while i < len(view):
        c = view[i]
        if quote:
            if c == quote:
                quote = 0
        elif c in (0x22, 0x27):  # " '
            quote = c
        elif c == 0x5B:  # [
            depth += 1
        elif c == 0x5D:  # ]
            depth -= 1
        elif c == 0x3E and depth <= 0:  # >
            return view, m.start(), i + 1, same
        i += 1
    return view, m.start(), len(view), same


def _judge(doctype: bytes) -> tuple[str | None, str | None]:
    """(bomb reason, external reason) for one DOCTYPE declaration."""
    decls = _ENTITY.findall(doctype)
    if len(decls) > MAX_ENTITIES:
        return f"refused: {len(decls)} XML entity declarations (limit {MAX_ENTITIES})", None
    external = None
    for percent, name, rest in decls:
        label = name.decode("ascii", "replace")
        if _ENTITY_REF.search(rest):
            return f"refused: nested XML entity {label} (entity expansion bomb)", None
        if external is None:
            if percent:
                external = f"XML parameter entity {label}"
            elif rest.lstrip()[:6].upper().startswith((b"SYSTEM", b"PUBLIC")):
                external = f"external XML entity {label}"
    return None, external


def entity_problem(data: bytes | str) -> str | None:
    """Why the XML ``data`` must not be parsed, or None if its DTD is harmless.

    Refused: entities whose value refers to other entities (the nesting that
    bombs are made of), more than ``MAX_ENTITIES`` declarations, and external
    (SYSTEM/PUBLIC) or parameter entities. Plain text and character reference
    entities (``<!ENTITY copy "&#169;">``) pass.
    """
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    span = _doctype_span(raw)
    if span is None:
        return None
    view, start, end, _ = span
    bomb, external = _judge(view[start:end])
    if bomb:
        return bomb
    if external:
        return f"refused: {external} declared"
    return None


@dataclass(frozen=True, slots=True)
class Guarded:
    """A document made safe to parse, or the reason it is refused."""

    data: bytes
    problem: str | None = None  # refused: do not parse
    note: str | None = None  # what was removed


def guard_feed(data: bytes) -> Guarded:
    """Refuse entity bombs; drop a DOCTYPE that only pulls in external entities.

    Real feeds sometimes declare the XHTML entity sets by PUBLIC identifier;
    those are never fetched, so the DOCTYPE is cut out and the lenient parser
    reads the entity references as HTML ones. Only when the bytes cannot be cut
    safely (UTF-16/32) is such a feed refused.
    """
    span = _doctype_span(data)
    if span is None:
        return Guarded(data)
    view, start, end, same = span
    bomb, external = _judge(view[start:end])
    if bomb:
        return Guarded(data, problem=bomb)
    if not external:
        return Guarded(data)
    if not same:
        return Guarded(data, problem=f"refused: {external} declared")
    return Guarded(data[:start] + data[end:], note=f"ignored {external}")
