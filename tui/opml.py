"""OPML subscription lists in and out: how readers hand feed lists to each other.

Import reads nested outlines, turns folders and ``category`` paths into tags,
and keeps only http/https feed URLs, saying why any other outline was left
out. OPML files come from other programs and other people, so the same
entity guard as for feeds runs before the XML parser. Export writes OPML 2.0
with one folder per feed's first tag and every tag in ``category``, so the
file imports back into the same specs here and as folders elsewhere.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import formatdate

from tui.feeds import FeedSpec
from tui.fetch import check_url
from tui.xmlguard import entity_problem

MAX_OPML_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 50
# XML 1.0 cannot carry these; a feed name containing one would make the export unreadable.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class OpmlError(ValueError):
    """The file is not an OPML list we can read; the message is the reason."""


@dataclass(slots=True)
class OpmlImport:
    """Feeds found in an OPML file, and outlines left out with the reason."""

    title: str | None = None
    feeds: list[FeedSpec] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)


def _attr(el: ET.Element, name: str) -> str | None:
    """Attribute lookup ignoring case: exporters write xmlUrl, xmlurl and XMLURL."""
    for k, v in el.attrib.items():
        if k.lower() == name.lower():
            v = " ".join(v.split())
            return v or None
    return None


def _category_tags(value: str | None) -> list[str]:
    tags: list[str] = []
    for path in (value or "").split(","):
        for part in path.split("/"):
            part = part.strip()
            if part and part not in tags:
                tags.append(part)
    return tags


def _merge_tags(*groups: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for g in groups:
        for t in g:
            if t not in out:
                out.append(t)
    return tuple(out)


def parse_opml(data: bytes) -> OpmlImport:
    """Feeds of an OPML document; raises OpmlError when it is not one."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"too large ({len(data):,} bytes; limit {MAX_OPML_BYTES:,})")
    if not data.strip():
        raise OpmlError("empty file")
    problem = entity_problem(data)
    if problem:
        raise OpmlError(problem)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"not XML ({exc})") from None
    if root.tag.lower() != "opml":
        raise OpmlError(f"not OPML (root element is <{root.tag}>)")
    result = OpmlImport()
    head = root.find("head")
    if head is not None:
        t = head.find("title")
        if t is not None and t.text and t.text.strip():
            result.title = " ".join(t.text.split())
    body = root.find("body")
    if body is None:
        raise OpmlError("not OPML (no <body>)")
    index: dict[str, int] = {}
    # Iterative walk: a hostile file may nest outlines thousands deep.
    stack: list[tuple[ET.Element, tuple[str, ...], int]] = [(c, (), 1) for c in reversed(list(body))]
    while stack:
        el, folders, depth = stack.pop()
        if el.tag.lower() != "outline":
            continue
        label = _attr(el, "title") or _attr(el, "text")
        url = _attr(el, "xmlUrl")
        if url and label == url:
            label = None  # exporters (ours too) write the URL when a feed has no name
        if url:
            why = check_url(url)
            if why:
                result.skipped.append((label or url, why))
            else:
                tags = _merge_tags(folders, _category_tags(_attr(el, "category")))
                if url in index:
                    old = result.feeds[index[url]]
                    result.feeds[index[url]] = FeedSpec(old.url, old.name or label, _merge_tags(old.tags, tags))
                else:
                    index[url] = len(result.feeds)
                    result.feeds.append(FeedSpec(url, label, tags))
        children = list(el)
        if children:
            if depth >= MAX_DEPTH:
                result.skipped.append((label or "outline", f"nested deeper than {MAX_DEPTH} levels"))
                continue
            # A folder's name tags everything under it; a feed with children is rare but kept as a folder too.
            sub = folders + ((label,) if label and not url and label not in folders else ())
            stack.extend((c, sub, depth + 1) for c in reversed(children))
    return result


def _clean(value: str) -> str:
    return _XML_INVALID.sub("", value)


def write_opml(feeds: Sequence[FeedSpec], title: str = "newsreader feeds") -> str:
    """OPML 2.0 text for ``feeds``: folders by first tag, all tags in ``category``."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _clean(title)
    ET.SubElement(head, "dateCreated").text = formatdate(usegmt=True)
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for spec in feeds:
        parent = body
        if spec.tags:
            first = _clean(spec.tags[0])
            parent = folders.get(first)  # type: ignore[assignment]
            if parent is None:
                parent = folders[first] = ET.SubElement(body, "outline", text=first, title=first)
        name = _clean(spec.name or spec.url)
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": _clean(spec.url)}
        if spec.tags:
            attrs["category"] = ",".join("/" + _clean(t).replace(",", " ").replace("/", " ") for t in spec.tags)
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
