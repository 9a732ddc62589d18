"""Feeds: RSS, Atom and JSON Feed documents into entry records, and refreshing them.

Parsing is feedparser's job for XML (it copes with two decades of broken
feeds and sanitises their HTML); JSON Feed, which feedparser 6 does not read,
is parsed here with ``json``. Every document is first checked by
``tui.xmlguard`` so entity bombs and external entities never reach a parser.

A feed that cannot be read is never an exception: parsing returns a
``ParsedFeed`` with ``problem`` set, and refreshing returns a ``FeedResult``
whose status line says what happened ("ok: 12 new", "not modified",
"error: HTTP 404"). ``refresh_all`` runs feeds concurrently so one slow or
broken feed delays nobody, while the fetcher's per-host limiter keeps the
reader polite to sites that serve many of them.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from tui.fetch import Fetcher, FetchResult
from tui.htmlpage import fragment_to_paragraphs, parse_html
from tui.records import Page
from tui.xmlguard import guard_feed

# feedparser spends ~0.1 ms per element; a 10 MB document of nothing but tags
# would hold a refresh for minutes. Real feeds have a few thousand.
MAX_MARKUP = 150_000
# And its time grows with the square of nesting depth; feeds nest a few dozen deep.
MAX_DEPTH = 1000
_TAG = re.compile(rb"<(/?)[A-Za-z_][^<>]*?(/?)>")
# New entries taken from one feed per refresh.
MAX_NEW_ENTRIES = 500
# Below this many words a feed entry is a teaser, not the article.
SHORT_WORDS = 150
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.8, application/json;q=0.7, */*;q=0.5"
)
# Teasers often end by pointing at the real article.
_TRUNCATED = re.compile(r"(…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading|weiterlesen|lire la suite)\W*$", re.I)
_WS = re.compile(r"\s+")
_HTML_ROOT = re.compile(rb"(?:<!--.*?-->\s*)*(?:<!doctype html[^>]*>\s*)?(?:<!--.*?-->\s*)*<html\b", re.I | re.S)


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """A feed the user subscribed to."""

    url: str
    name: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FeedState:
    """HTTP validators from the last successful fetch (for conditional GET)."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class FeedEntry:
    """One feed item, as plain text ready to become a ``Page``."""

    key: str  # stable identity for the store: the link, else feed URL + id
    url: str | None
    title: str | None
    published: str | None  # YYYY-MM-DD (UTC)
    author: str | None
    outlet: str | None
    body: str  # paragraphs separated by blank lines
    captions: list[str] = field(default_factory=list)
    summary_only: bool = False  # short teaser: fetch the full text from ``url``
    full_text: bool = False  # ``body`` was replaced by the fetched page's text

    def to_page(self) -> Page:
        return Page(
            title=self.title,
            body=self.body,
            source=self.outlet,
            published=self.published,
            captions=list(self.captions),
            url=self.url,
        )


@dataclass(slots=True)
class ParsedFeed:
    """A parsed feed document, or the reason it could not be read."""

    title: str | None = None
    link: str | None = None
    subtitle: str | None = None
    updated: str | None = None  # YYYY-MM-DD
    version: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    problem: str | None = None  # set when nothing usable came out
    warning: str | None = None  # ill-formed but recovered


@dataclass(slots=True)
class FeedResult:
    """The outcome of refreshing one feed; ``status`` is the line shown to the user."""

    spec: FeedSpec
    status: str
    ok: bool
    state: FeedState
    entries: list[FeedEntry] = field(default_factory=list)
    title: str | None = None
    http_status: int | None = None
    final_url: str | None = None
    not_modified: bool = False


# -- parsing ------------------------------------------------------------------


def _fold(text: str | None) -> str | None:
    if not text:
        return None
    out = _WS.sub(" ", text).strip()
    return out or None


def _http_url(url: Any, base: str | None = None) -> str | None:
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    if base:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _is_summary_only(body: str, url: str | None, had_full_content: bool) -> bool:
    if not url:
        return False  # nothing to fetch
    words = len(body.split())
    if words < SHORT_WORDS:
        return True
    return not had_full_content and bool(_TRUNCATED.search(body))


def _struct_date(t: Any) -> str | None:
    try:
        if t and 1900 <= t.tm_year <= 2200:
            return time.strftime("%Y-%m-%d", t)
    except (AttributeError, TypeError, ValueError):
        pass
    return None


def _iso_date(value: Any) -> str | None:
    """RFC 3339 timestamp (JSON Feed) to a UTC date."""
    if not isinstance(value, str) or not value.strip():
        return None
    v = value.strip()
    try:
        dt = datetime.fromisoformat(v.replace("Z", "+00:00") if v.endswith("Z") else v)
    except ValueError:
        m = re.match(r"(\d{4}-\d{2}-\d{2})", v)
        return m.group(1) if m else None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%d") if 1900 <= dt.year <= 2200 else None


def _text_of(detail: Any, value: Any) -> tuple[list[str], list[str]]:
    """Paragraphs and captions of a feed text construct (HTML or plain)."""
    if not isinstance(value, str) or not value.strip():
        return [], []
    ctype = str(getattr(detail, "get", lambda *_: "")("type", "") or "").lower()
    # Declared plain text keeps its angle brackets; undeclared text that looks
    # like markup is treated as HTML, as feeds in the wild mean it.
    if "html" in ctype or (not ctype.startswith("text/plain") and "<" in value):
        return fragment_to_paragraphs(value)
    return [p for p in (_fold(x) for x in re.split(r"\n\s*\n", value)) if p], []


def _entry_key(url: str | None, entry_id: Any, feed_url: str, title: str | None, published: str | None) -> str:
    if url:
        return url
    if isinstance(entry_id, str) and entry_id.strip():
        return f"{feed_url}#{entry_id.strip()}"
    return f"{feed_url}#{title or ''}|{published or ''}"


def _make_entry(
    *,
    feed_url: str,
    url: str | None,
    entry_id: Any,
    title: str | None,
    published: str | None,
    author: str | None,
    outlet: str | None,
    content: tuple[list[str], list[str]],
    summary: tuple[list[str], list[str]],
) -> FeedEntry:
    c_words = len(" ".join(content[0]).split())
    s_words = len(" ".join(summary[0]).split())
    # The longer of content and summary is the text; only content counts as full.
    if content[0] and c_words >= s_words:
        (paras, caps), had_full = content, True
    else:
        (paras, caps), had_full = summary, False
    body = "\n\n".join(paras)
    return FeedEntry(
        key=_entry_key(url, entry_id, feed_url, title, published),
        url=url,
        title=title,
        published=published,
        author=author,
        outlet=outlet,
        body=body,
        captions=caps,
        summary_only=_is_summary_only(body, url, had_full),
    )


class _AlternateLinks(HTMLParser):
    """Collects ``<link rel="alternate">`` feed URLs of an HTML page's head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            raise _StopParsing
        if tag != "link":
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        rels = a.get("rel", "").lower().split()
        ctype = a.get("type", "").lower()
        if "alternate" in rels and any(t in ctype for t in ("rss", "atom", "feed+json", "rdf")) and a.get("href"):
            self.found.append(a["href"])


class _StopParsing(Exception):
    pass


def discover_feeds(html: bytes, base_url: str = "") -> list[str]:
    """Feed URLs an HTML page advertises (``<link rel="alternate" type="application/rss+xml">``)."""
    parser = _AlternateLinks()
    try:
        parser.feed(html[:256 * 1024].decode("utf-8", "replace"))
    except _StopParsing:
        pass
    except (AssertionError, ValueError):
        pass
    out: list[str] = []
    for href in parser.found:
        u = _http_url(href, base_url or None)
        if u and u not in out:
            out.append(u)
    return out


def _parse_xml(data: bytes, url: str, content_type: str | None, outlet: str | None) -> ParsedFeed:
    import feedparser

    # Without a declared type feedparser flags every feed; XML is what we asked for.
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    # A BytesIO, never the bytes: feedparser treats a bare string as a URL or path.
    d = feedparser.parse(io.BytesIO(data), response_headers=headers)
    feed = d.get("feed", {})
    title = _fold(" ".join(_text_of(feed.get("title_detail"), feed.get("title"))[0])) or _fold(feed.get("title"))
    link = _http_url(feed.get("link"), url)
    source_name = outlet or title or (urlsplit(url).hostname if url else None)
    entries: list[FeedEntry] = []
    for e in d.get("entries", []):
        link_e = _http_url(e.get("link"), url)
        etitle_paras = _text_of(e.get("title_detail"), e.get("title"))[0]
        etitle = _fold(" ".join(etitle_paras)) if etitle_paras else _fold(e.get("title"))
        content_parts: tuple[list[str], list[str]] = ([], [])
        for c in e.get("content", []) or []:
            cand = _text_of(c, c.get("value"))
            if len(" ".join(cand[0])) > len(" ".join(content_parts[0])):
                content_parts = cand
        summary_parts = _text_of(e.get("summary_detail"), e.get("summary"))
        published = (
            _struct_date(dict.get(e, "published_parsed"))
            or _struct_date(dict.get(e, "updated_parsed"))
            or _struct_date(dict.get(e, "created_parsed"))
        )
        src = e.get("source") or {}
        entry_outlet = _fold(src.get("title")) if hasattr(src, "get") else None
        entries.append(
            _make_entry(
                feed_url=url,
                url=link_e,
                entry_id=e.get("id"),
                title=etitle,
                published=published,
                author=_fold(e.get("author")),
                outlet=entry_outlet or source_name,
                content=content_parts,
                summary=summary_parts,
            )
        )
    version = d.get("version") or ""
    warning = None
    problem = None
    # feedparser reads any markup as some feed (an HTML body becomes a summary);
    # with no entries and no feed format recognised, only real metadata counts.
    has_meta = bool(version) or any(feed.get(k) for k in ("title", "link", "subtitle", "updated", "id", "author"))
    if not entries and _HTML_ROOT.match(data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")):
        found = discover_feeds(data, url)
        problem = "not a feed (an HTML page" + (f"; its feed: {found[0]})" if found else ")")
    elif d.get("bozo"):
        exc = d.get("bozo_exception")
        reason = _fold(str(exc)) or type(exc).__name__
        reason = re.sub(r"^<unknown>:(\d+):(\d+):", r"line \1, column \2:", reason)
        if not entries and not has_meta:
            problem = f"not a feed ({reason})"
        else:
            warning = f"ill-formed feed, recovered ({reason})"
    elif not entries and not has_meta:
        problem = "not a feed (no RSS, Atom or RDF elements)"
    subtitle = _fold(" ".join(_text_of(feed.get("subtitle_detail"), feed.get("subtitle"))[0]))
    return ParsedFeed(
        title=title,
        link=link,
        subtitle=subtitle,
        # dict.get: feedparser's own get() warns about its updated/published aliasing.
        updated=_struct_date(dict.get(feed, "updated_parsed")) or _struct_date(dict.get(feed, "published_parsed")),
        version=version,
        entries=entries,
        problem=problem,
        warning=warning,
    )


def _first_author(obj: dict[str, Any]) -> str | None:
    authors = obj.get("authors")
    if isinstance(authors, list):
        for a in authors:
            if isinstance(a, dict) and isinstance(a.get("name"), str):
                return _fold(a["name"])
    a = obj.get("author")
    if isinstance(a, dict) and isinstance(a.get("name"), str):
        return _fold(a["name"])
    return None


def _parse_json(data: bytes, url: str, outlet: str | None) -> ParsedFeed:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return ParsedFeed(problem="not a feed (JSON is not UTF-8)")
    except (ValueError, RecursionError) as exc:
        return ParsedFeed(problem=f"not a feed (invalid JSON: {_fold(str(exc))})")
    if not isinstance(doc, dict):
        return ParsedFeed(problem="not a feed (JSON, but not a JSON Feed object)")
    version = doc.get("version")
    items = doc.get("items")
    if not (isinstance(version, str) and "jsonfeed.org" in version) and not isinstance(items, list):
        return ParsedFeed(problem="not a feed (JSON without a JSON Feed version or items)")
    title = _fold(doc.get("title")) if isinstance(doc.get("title"), str) else None
    home = _http_url(doc.get("home_page_url"), url)
    feed_author = _first_author(doc)
    source_name = outlet or title or (urlsplit(url).hostname if url else None)
    entries: list[FeedEntry] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        link = _http_url(item.get("url"), home or url) or _http_url(item.get("external_url"), home or url)
        if isinstance(item.get("content_html"), str):
            content = fragment_to_paragraphs(item["content_html"])
        else:
            content = _text_of({"type": "text"}, item.get("content_text"))
        summary = _text_of({"type": "text"}, item.get("summary"))
        ititle = item.get("title")
        entries.append(
            _make_entry(
                feed_url=url,
                url=link,
                entry_id=item.get("id") if isinstance(item.get("id"), str) else str(item.get("id") or "") or None,
                title=_fold(ititle) if isinstance(ititle, str) else None,
                published=_iso_date(item.get("date_published")) or _iso_date(item.get("date_modified")),
                author=_first_author(item) or feed_author,
                outlet=source_name,
                content=content,
                summary=summary,
            )
        )
    v = version.rsplit("/", 1)[-1] if isinstance(version, str) else ""
    desc = doc.get("description")
    return ParsedFeed(
        title=title,
        link=home,
        subtitle=_fold(desc) if isinstance(desc, str) else None,
        version=f"json{v}",
        entries=entries,
    )


def _looks_json(data: bytes, content_type: str | None) -> bool:
    if content_type and "json" in content_type.lower():
        return True
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


def _max_depth(data: bytes) -> int:
    """Deepest element nesting, estimated from the tags alone (fast, approximate)."""
    if b"\x00" in data[:64]:
        data = data.replace(b"\x00", b"")  # UTF-16/32: markup is ASCII between NULs
    depth = deepest = 0
    for m in _TAG.finditer(data):
        if m.group(1):
            depth = max(0, depth - 1)
        elif not m.group(2):
            depth += 1
            if depth > deepest:
                deepest = depth
    return deepest


def parse_feed(data: bytes, url: str = "", *, content_type: str | None = None, outlet: str | None = None) -> ParsedFeed:
    """Parse RSS/Atom/RDF/JSON Feed bytes; never raises for bad input.

    ``url`` is the feed's address (relative links resolve against it);
    ``outlet`` names the publication on every entry, else the feed title is used.
    """
    if not data or not data.strip():
        return ParsedFeed(problem="empty document")
    try:
        if _looks_json(data, content_type):
            return _parse_json(data, url, outlet)
        tags = data.count(b"<")
        if tags > MAX_MARKUP:
            return ParsedFeed(problem=f"refused: too much markup ({tags:,} tags; limit {MAX_MARKUP:,})")
        depth = _max_depth(data)
        if depth > MAX_DEPTH:
            return ParsedFeed(problem=f"refused: elements nested {depth:,} deep (limit {MAX_DEPTH:,})")
        guarded = guard_feed(data)
        if guarded.problem:
            return ParsedFeed(problem=guarded.problem)
        parsed = _parse_xml(guarded.data, url, content_type, outlet)
        if guarded.note and not parsed.problem:
            parsed.warning = "; ".join(w for w in (guarded.note, parsed.warning) if w)
        return parsed
    except RecursionError:
        return ParsedFeed(problem="not a feed (too deeply nested)")
    except Exception as exc:  # noqa: BLE001 - a hostile feed must not take the refresh down
        return ParsedFeed(problem=f"unreadable feed ({type(exc).__name__}: {_fold(str(exc)) or ''})")


# -- refreshing ---------------------------------------------------------------


def fetch_full_text(entry: FeedEntry, fetcher: Fetcher) -> tuple[FeedEntry, str | None]:
    """The entry with its body replaced by the linked page's main text.

    Returns the entry unchanged and the reason when the page cannot be used;
    a page whose extracted text is shorter than the teaser is not used.
    """
    if not entry.url:
        return entry, "no link"
    res = fetcher.fetch(entry.url, accept="text/html, application/xhtml+xml;q=0.9, */*;q=0.5")
    if res.error:
        return entry, res.error
    if not res.ok:
        return entry, f"HTTP {res.status}"
    ctype = res.content_type
    if ctype and "html" not in ctype and "xml" not in ctype and not ctype.startswith("text/"):
        return entry, f"not a web page ({ctype})"
    page = parse_html(res.body, res.final_url)
    if len(page.body.split()) <= len(entry.body.split()):
        return entry, "page text no longer than the summary"
    return (
        replace(
            entry,
            body=page.body,
            captions=page.captions or entry.captions,
            title=entry.title or page.title,
            published=entry.published or page.published,
            full_text=True,
        ),
        None,
    )


def _status_error(spec: FeedSpec, state: FeedState, res: FetchResult | None, msg: str) -> FeedResult:
    return FeedResult(
        spec=spec,
        status=f"error: {msg}",
        ok=False,
        state=state,
        http_status=res.status if res else None,
        final_url=res.final_url if res else None,
    )


def refresh_feed(
    spec: FeedSpec,
    state: FeedState,
    fetcher: Fetcher,
    *,
    known: Collection[str] = frozenset(),
    full_text: bool = False,
    max_full_text: int = 20,
    max_entries: int = MAX_NEW_ENTRIES,
) -> FeedResult:
    """Fetch and parse one feed; entries whose ``key`` is in ``known`` are left out.

    With ``full_text``, up to ``max_full_text`` new teaser-only entries get the
    linked page's main text. Never raises.
    """
    try:
        res = fetcher.fetch(spec.url, etag=state.etag, last_modified=state.last_modified, accept=FEED_ACCEPT)
        if res.error:
            return _status_error(spec, state, res, res.error)
        if res.not_modified:
            return FeedResult(
                spec=spec,
                status="not modified",
                ok=True,
                state=FeedState(res.etag or state.etag, res.last_modified or state.last_modified),
                http_status=304,
                final_url=res.final_url,
                not_modified=True,
            )
        parsed = parse_feed(res.body, res.final_url, content_type=res.headers.get("content-type"), outlet=spec.name)
        if parsed.problem:
            # Old validators kept: the next refresh fetches the whole feed again.
            return _status_error(spec, state, res, parsed.problem)
        new = [e for e in parsed.entries if e.key not in known]
        seen: set[str] = set()
        new = [e for e in new if not (e.key in seen or seen.add(e.key))]  # type: ignore[func-returns-value]
        dropped = max(0, len(new) - max_entries)
        # Feeds list newest first; a feed of 50,000 items must not flood the store.
        new = new[:max_entries]
        if full_text:
            budget = max_full_text
            for i, e in enumerate(new):
                if budget <= 0:
                    break
                if e.summary_only and e.url:
                    budget -= 1
                    new[i], _ = fetch_full_text(e, fetcher)
        return FeedResult(
            spec=spec,
            status=f"ok: {len(new)} new"
            + (f" ({dropped:,} more left out; limit {max_entries})" if dropped else "")
            + (" (ill-formed feed)" if parsed.warning else ""),
            ok=True,
            state=FeedState(res.etag, res.last_modified),
            entries=new,
            title=parsed.title,
            http_status=res.status,
            final_url=res.final_url,
        )
    except Exception as exc:  # noqa: BLE001 - one feed's bug must not stop the others
        return _status_error(spec, state, None, f"unexpected {type(exc).__name__}: {exc}")


def _interleave_hosts(feeds: Sequence[tuple[FeedSpec, FeedState]]) -> list[int]:
    """Indexes of ``feeds`` taking one host at a time in turn.

    Workers that pick up feeds of one host only wait on its limiter; spreading
    hosts keeps the pool busy with sites that can be asked now.
    """
    by_host: dict[str, list[int]] = {}
    for i, (spec, _) in enumerate(feeds):
        try:
            host = (urlsplit(spec.url).hostname or "").lower()
        except ValueError:
            host = ""
        by_host.setdefault(host, []).append(i)
    queues = list(by_host.values())
    order: list[int] = []
    while queues:
        order.extend(q.pop(0) for q in queues)
        queues = [q for q in queues if q]
    return order


def refresh_all(
    feeds: Sequence[tuple[FeedSpec, FeedState]],
    fetcher: Fetcher,
    *,
    known: Collection[str] = frozenset(),
    full_text: bool = False,
    workers: int = 4,
    on_progress: Callable[[int, int, FeedResult], None] | None = None,
) -> list[FeedResult]:
    """Refresh feeds concurrently; results in the order of ``feeds``.

    ``on_progress(done, total, result)`` is called in the caller's thread as
    each feed finishes (so a UI or store may be touched from it).
    """
    total = len(feeds)
    results: list[FeedResult | None] = [None] * total
    if not feeds:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, total))) as pool:
        futures = {
            pool.submit(refresh_feed, feeds[i][0], feeds[i][1], fetcher, known=known, full_text=full_text): i
            for i in _interleave_hosts(feeds)
        }
        done = 0
        for fut in as_completed(futures):
            i = futures[fut]
            spec, state = feeds[i]
            try:
                result = fut.result()
            except Exception as exc:  # noqa: BLE001 - refresh_feed does not raise; belt and braces
                result = _status_error(spec, state, None, f"unexpected {type(exc).__name__}: {exc}")
            results[i] = result
            done += 1
            if on_progress is not None:
                on_progress(done, total, result)
    return [r for r in results if r is not None]
