"""Near-duplicate detection: which articles are one story.

Syndicated wire copy reappears with the outlet's chrome, a dateline, photo
captions, an "UPDATE:" paragraph, different quote marks and dashes, wrapped or
merged paragraphs -- and often cut short. Cleaning (``tui.pages``) removes the
page around the story; this module decides which cleaned bodies tell the same
story, in near-linear time:

1. ``fingerprint``: the body is normalised (case, typography, whitespace; the
   leading dateline and "UPDATE:" additions dropped, since outlets add those)
   into a token text. Its *keys* are stable 64-bit BLAKE2b hashes of its
   sentences (five tokens or more). Reprints share most sentences verbatim; a
   story that borrows one background paragraph shares a few.
2. Candidates: articles sharing a key. Keys found in more than
   ``max_key_df`` stories are boilerplate and ignored (performance guard; the
   verification below already ignores text that is not the story's bulk).
3. ``same_story`` verifies a candidate pair exactly with rapidfuzz: the longest
   common token subsequence must cover ``min_containment`` of the *shorter*
   text. Containment, not symmetric similarity, so a reprint cut short still
   joins the full version, while a story sharing one paragraph (a few percent
   of its tokens) does not. Fragments shorter than ``short_tokens`` must match
   both ways, so a one-line item never glues two long stories.
4. ``cluster``: union-find over verified pairs, skipping pairs already joined.

Incremental placement (the store), so that it decides like ``cluster``:

* keep ``fp.to_bytes()`` per article and one ``(key, article_id)`` row per key
  in ``fp.keys`` (indexed on ``key``);
* for a new article: ``fp = fingerprint(body, settings)``; for its keys, count
  the stories already holding each key (``COUNT(DISTINCT story_id)``, or
  articles if stories are not at hand) and drop keys with a count above
  ``settings.max_key_df``; load the fingerprints of the articles sharing any
  remaining key (``candidate_order`` ranks them, most shared keys first; at
  most ``settings.max_candidates`` are checked); the first candidate whose story
  passes ``same_story(fp, cand_fp, settings)`` -- ``best_match`` picks the one
  with the highest containment -- gives the story to join; none: a new story.
* counting df per story rather than per article keeps a story reprinted by
  hundreds of outlets findable, while an outlet's boilerplate sentence, which
  sits under many different stories, is still ignored.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz.distance import LCSseq

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Thresholds, read from the ``clustering:`` section of config.yaml."""

    min_containment: float = 0.9
    """Share of the shorter text's tokens that must lie in the longest common
    token subsequence with the longer text for the two to be one story."""

    short_tokens: int = 40
    """Texts shorter than this many tokens must also cover ``min_containment``
    of the longer text: a fragment is not "contained" in every story quoting it."""

    min_sentence_tokens: int = 5
    """Sentences shorter than this ("he said.") are too common to be keys."""

    max_key_df: int = 100
    """A key held by more stories (or articles) than this is boilerplate and
    is not used to find candidates."""

    min_key_overlap: float = 0.2
    """Cheap pre-check before the exact one: share of the smaller key set that
    the two must have in common (reprints share most sentences verbatim)."""

    max_candidates: int = 50
    """Incremental placement verifies at most this many candidates."""


# ------------------------------------------------------------ normalisation

# Outlet additions, not story text: from the marker to the end of its paragraph.
_UPDATE = re.compile(
    r"(?:^|(?<=[.!?\"'\u201d\u2019)] ))(?:UPDATE[D]?|Update[d]?)\b[^:\n]{0,40}:[^\n]*",
    re.M,
)
# A leading dateline, possibly doubled: "NEW YORK (AP) -- ", "WASHINGTON DC: ",
# "CAMBRIDGE, Mass., Dec. 11 (UPI) -- ". The story's words start after it.
_DATELINE = re.compile(
    r"\A\s*(?:"
    r"[A-Z][A-Za-z.'-]*(?:[ ,]+[A-Za-z0-9][A-Za-z0-9.'-]*){0,6}\s*\([A-Za-z][A-Za-z .&'-]{0,30}\)\s*(?:--|[\u2014\u2013-]|:)\s*"
    r"|[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][A-Z.'-]*){0,4}\s*(?:--|[\u2014\u2013-]|:)\s+"
    r"){1,3}"
)
# Typography that differs between reprints of one text.
_TYPO = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u201b", "'"),
    ("\u2032", "'"),
    ("`", "'"),
    ("\u00b4", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u201e", '"'),
    ("\u2033", '"'),
    ("''", '"'),
    ("\u2014", " -- "),
    ("\u2013", "-"),
    ("\u2012", "-"),
    ("\u2010", "-"),
    ("\u2011", "-"),
    ("--", " -- "),
    ("\u2026", "..."),
)


def normalize(body: str) -> str:
    """The story's words as one lower-case line: tokens split by single spaces.

    Reprints of one text normalise to the same tokens whatever their quote
    marks, dashes, case, wrapping or paragraphing.
    """
    if "pdate" in body or "PDATE" in body:
        body = _UPDATE.sub("", body)
    m = _DATELINE.match(body)
    if m:
        body = body[m.end() :]
    for old, new in _TYPO:
        if old in body:
            body = body.replace(old, new)
    return " ".join(body.lower().split())


def _key(sentence: str) -> int:
    """Stable signed 64-bit hash (fits an SQLite INTEGER); never ``hash()``."""
    return int.from_bytes(hashlib.blake2b(sentence.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def _keys(text: str, min_tokens: int) -> tuple[int, ...]:
    # Splitting on ". " alone is enough: boundaries only need to fall in the same
    # places in every copy, and normalisation makes the copies' text identical.
    keys = {_key(s) for s in text.split(". ") if s.count(" ") >= min_tokens - 1}
    if not keys and text:
        keys.add(_key(text))  # a very short text: only its exact copies find it
    return tuple(sorted(keys))


# ------------------------------------------------------------ fingerprints

_MAGIC = b"NRF1"


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What the store keeps per article to place new articles without a full pass.

    ``keys`` are the candidate-index keys (sentence hashes, stable across
    processes and versions of Python); ``text`` the normalised token text that
    ``same_story`` verifies against.
    """

    keys: tuple[int, ...]
    text: str

    @property
    def n_tokens(self) -> int:
        return self.text.count(" ") + 1 if self.text else 0

    def to_bytes(self) -> bytes:
        payload = zlib.compress(self.text.encode("utf-8"), 6)
        return _MAGIC + struct.pack(f"<I{len(self.keys)}q", len(self.keys), *self.keys) + payload

    @classmethod
    def from_bytes(cls, data: bytes) -> "Fingerprint":
        if data[:4] != _MAGIC:
            raise ValueError("not a newsreader fingerprint")
        (n,) = struct.unpack_from("<I", data, 4)
        keys = struct.unpack_from(f"<{n}q", data, 8)
        text = zlib.decompress(data[8 + 8 * n :]).decode("utf-8")
        return cls(keys=tuple(keys), text=text)


def fingerprint(body: str, settings: ClusterSettings = ClusterSettings()) -> Fingerprint:
    """Normalise a cleaned body and compute its candidate keys."""
    text = normalize(body)
    return Fingerprint(keys=_keys(text, settings.min_sentence_tokens), text=text)


# ------------------------------------------------------------ verification


def containment(a: str, b: str, settings: ClusterSettings = ClusterSettings()) -> float:
    """How much of the shorter normalised text the longer one contains, 0..1.

    Word-level longest common subsequence (rapidfuzz), divided by the shorter
    length; for fragments (< ``short_tokens``) by the longer length, so that
    both must match.
    """
    ta, tb = a.split(), b.split()
    if not ta or not tb:
        return 0.0
    if len(ta) > len(tb):
        ta, tb = tb, ta
    denom = len(ta) if len(ta) >= settings.short_tokens else len(tb)
    # A subsequence cannot exceed the shorter length; skip hopeless pairs cheaply.
    if len(ta) < settings.min_containment * denom:
        return len(ta) / denom
    return LCSseq.similarity(ta, tb) / denom


def _keys_overlap(a: Sequence[int], b: Sequence[int], settings: ClusterSettings) -> bool:
    if not a or not b:
        return False
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return len(set(big).intersection(small)) >= settings.min_key_overlap * len(small)


def same_story(a: Fingerprint, b: Fingerprint, settings: ClusterSettings = ClusterSettings()) -> bool:
    """Exact check that two fingerprints are one story (see module docstring)."""
    return _keys_overlap(a.keys, b.keys, settings) and containment(a.text, b.text, settings) >= settings.min_containment


def candidate_order(fp: Fingerprint, candidates: Iterable[tuple[K, Fingerprint]]) -> list[tuple[K, Fingerprint]]:
    """Candidates ranked by keys shared with ``fp``, most first (ties: input order)."""
    own = set(fp.keys)
    scored = [(-len(own.intersection(c.keys)), i, k, c) for i, (k, c) in enumerate(candidates)]
    scored.sort(key=lambda t: (t[0], t[1]))
    return [(k, c) for _, _, k, c in scored]


def best_match(
    fp: Fingerprint,
    candidates: Iterable[tuple[K, Fingerprint]],
    settings: ClusterSettings = ClusterSettings(),
) -> K | None:
    """The candidate key with the highest containment that passes, or None."""
    best: tuple[float, K] | None = None
    for k, c in candidate_order(fp, candidates)[: settings.max_candidates]:
        if not _keys_overlap(fp.keys, c.keys, settings):
            continue
        score = containment(fp.text, c.text, settings)
        if score >= settings.min_containment and (best is None or score > best[0]):
            best = (score, k)
    return None if best is None else best[1]


# ------------------------------------------------------------ batch


class _UnionFind:
    """Disjoint sets over 0..n-1 with path halving and union by size."""

    __slots__ = ("parent", "size")

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


def cluster(items: Sequence[tuple[K, str]], settings: ClusterSettings = ClusterSettings()) -> list[list[K]]:
    """Group (key, cleaned body) items into stories, from scratch.

    Groups keep input order inside and are ordered by their first member.
    """
    n = len(items)
    texts = [normalize(body) for _, body in items]
    # Exact copies (after normalisation) count once for key frequencies, so a
    # story reprinted verbatim everywhere does not look like boilerplate.
    first_of: dict[str, int] = {}
    uf = _UnionFind(n)
    postings: dict[int, int | list[int]] = {}
    doc_keys: list[tuple[int, ...]] = [()] * n
    for i, text in enumerate(texts):
        if not text:
            continue  # empty pages are not all one story
        j = first_of.setdefault(text, i)
        if j != i:
            uf.union(j, i)
            continue
        doc_keys[i] = keys = _keys(text, settings.min_sentence_tokens)
        for key in keys:
            p = postings.get(key)
            if p is None:
                postings[key] = i
            elif isinstance(p, int):
                postings[key] = [p, i]
            else:
                p.append(i)
    lists = [p for p in postings.values() if isinstance(p, list)]
    del postings, first_of

    failed: set[tuple[int, int]] = set()

    def verify(a: int, b: int) -> bool:
        pair = (a, b) if a < b else (b, a)
        if pair in failed:
            return False
        ok = (
            _keys_overlap(doc_keys[a], doc_keys[b], settings)
            and containment(texts[a], texts[b], settings) >= settings.min_containment
        )
        if not ok:
            failed.add(pair)
        return ok

    def link(plist: list[int]) -> None:
        find = uf.find
        roots = {find(d) for d in plist}
        if len(roots) == 1:
            return
        for x in range(1, len(plist)):
            for y in range(x):
                a, b = plist[y], plist[x]
                if find(a) != find(b) and verify(a, b):
                    uf.union(a, b)

    deferred: list[list[int]] = []
    for plist in lists:
        if len(plist) <= settings.max_key_df:
            link(plist)
        else:
            deferred.append(plist)
    # A frequent key is boilerplate only if it spans many *stories*: after the
    # first pass, count distinct stories and use the key if they are few.
    for plist in deferred:
        by_root: dict[int, int] = {}
        for d in plist:
            by_root.setdefault(uf.find(d), d)
        if 1 < len(by_root) <= settings.max_key_df:
            link(list(by_root.values()))

    groups: dict[int, list[K]] = {}
    for i, (key, _) in enumerate(items):
        groups.setdefault(uf.find(i), []).append(key)
    return list(groups.values())


def canonical(items: Sequence[tuple[K, str]]) -> K:
    """The most complete clean version of a story.

    Most story tokens first (outlet additions such as datelines and "UPDATE:"
    paragraphs do not count), then the shortest raw body (least left-over
    chrome), then input order.
    """
    best = min(
        range(len(items)),
        key=lambda i: (-fingerprint(items[i][1]).n_tokens, len(items[i][1]), i),
    )
    return items[best][0]
