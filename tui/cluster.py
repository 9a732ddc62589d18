"""Near-duplicate detection: which articles are one story.

Syndicated wire copy reappears with the outlet's chrome, a dateline, photo
captions, an "UPDATE:" paragraph, different quote marks and dashes, wrapped or
merged paragraphs -- and often cut short. Cleaning (``tui.pages``) removes the
page around the story; this module decides which cleaned bodies tell the same
story, in near-linear time:

1. ``fingerprint``: the body is normalised (case, typography, whitespace; the
   leading dateline and "UPDATE:" additions dropped, since outlets add those)
   into a token text. Its *keys* are stable 63-bit hashes (CRC-32 and
   Adler-32) of its sentences (five tokens or more). Reprints share most sentences verbatim; a
   story that borrows one background paragraph shares a few.
2. Candidates: articles sharing enough keys (``min_key_overlap``). Keys
   found in ``boilerplate_stories`` or more stories are boilerplate (an
   outlet's sign-off, a stock line): they find nothing, and their sentences
   do not count in verification, so they neither glue nor split stories.
3. ``same_story`` verifies a candidate pair exactly with rapidfuzz: the longest
   common token subsequence must cover ``min_containment`` of the *shorter*
   text. Containment, not symmetric similarity, so a reprint cut short still
   joins the full version, while a story sharing one paragraph (a few percent
   of its tokens) does not. Fragments shorter than ``short_tokens`` must match
   both ways, so a one-line item never glues two long stories.
4. ``cluster``: each article goes through the same gates against the articles
   before it, joined by union-find; a second pass re-checks the articles that
   hold boilerplate once the first pass has formed the stories that tell it.

Incremental placement (the store), so that it decides like ``cluster``:

* per article keep ``fp.to_bytes()`` and one row per key in ``fp.keys``, with
  the article's story: ``fp_key(key INTEGER, article_id INTEGER, story_id
  INTEGER)``, indexed on ``(key, story_id)`` (keys are non-negative 63-bit ints);
* to place a new article: ``fp = fingerprint(parse_page(text).body, settings)``
  then ``place(fp, story_counts, fetch, settings)``, where
  ``story_counts(keys)`` gives each key's number of distinct stories, e.g.
  ``SELECT COUNT(*) FROM (SELECT DISTINCT story_id FROM fp_key WHERE key = ?
  LIMIT {boilerplate_stories})`` per key, and ``fetch(keys, limit)`` the
  articles sharing the most of ``keys``: ``SELECT article_id, COUNT(*) AS n
  FROM fp_key WHERE key IN (...) GROUP BY article_id ORDER BY n DESC LIMIT ?``
  with their fingerprints ``Fingerprint.from_bytes(blob)``;
* ``place`` returns the article whose story to join, or None (a new story);
  then insert the new rows. Story ids of earlier rows never change (placement
  never merges two stories; a periodic ``cluster`` rebuild can).
* counting stories, not articles, keeps a story reprinted by hundreds of
  outlets findable while an outlet's sign-off, which sits under many
  different stories, is boilerplate. ``tests/bench/bench_cluster.py
  --placement`` runs this protocol on SQLite and times it.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Container, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TypeVar

from rapidfuzz.distance import LCSseq

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Thresholds, read from the ``clustering:`` section of config.yaml."""

    min_containment: float = 0.88
    """Share of the shorter text's tokens that must lie in the longest common
    token subsequence with the longer text for the two to be one story."""

    short_tokens: int = 40
    """Texts shorter than this many tokens must also cover ``min_containment``
    of the longer text: a fragment is not "contained" in every story quoting it."""

    min_sentence_tokens: int = 5
    """Sentences shorter than this ("he said.") are too common to be keys."""

    boilerplate_stories: int = 5
    """A sentence found in this many different stories is boilerplate (an
    outlet's sign-off, a stock line): it neither finds candidates nor counts
    when two texts are compared."""

    max_key_df: int = 50
    """Performance guard of the batch's first pass: keys held by more articles
    wait until stories are formed, then count as boilerplate or not by the
    number of stories they span."""

    min_key_overlap: float = 0.4
    """Cheap pre-check before the exact one: share of the smaller key set that
    the two must have in common (reprints share most sentences verbatim)."""

    max_candidates: int = 50
    """Incremental placement verifies at most this many candidates."""

    def __reduce__(self) -> tuple[type[ClusterSettings], tuple[object, ...]]:
        # Import sends the settings to its workers by pickle, and compiled (mypyc) frozen
        # dataclasses cannot be unpickled the default way (attribute by attribute).
        return (ClusterSettings, tuple(getattr(self, f.name) for f in fields(self)))


# ------------------------------------------------------------ normalisation

# Outlet additions, not story text: from the marker to the end of its paragraph.
_UPDATE = re.compile(r"(?:UPDATE[D]?|Update[d]?)\b[^:\n]{0,40}:")
_AFTER_SENTENCE = tuple(".!?\"'\u201d\u2019)")
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
        body = _drop_updates(body)
    m = _DATELINE.match(body)
    if m:
        body = body[m.end() :]
    for old, new in _TYPO:
        if old in body:
            body = body.replace(old, new)
    return " ".join(body.lower().split())


def _n_tokens(text: str) -> int:
    return text.count(" ") + 1 if text else 0


def _drop_updates(body: str) -> str:
    """Remove "UPDATE:" additions: from the marker (at a paragraph start or
    after a sentence) to the end of its paragraph."""
    out, pos = [], 0
    for m in _UPDATE.finditer(body):
        start = m.start()
        if start < pos:
            continue
        before = body[:start].rstrip(" ")
        if before and not before.endswith("\n") and not before.endswith(_AFTER_SENTENCE):
            continue  # "the update: ..." inside a sentence is the story's
        end = body.find("\n", m.end())
        end = len(body) if end < 0 else end
        out.append(body[pos:start])
        pos = end
    out.append(body[pos:])
    return "".join(out)


def _key(sentence: str) -> int:
    """Stable 63-bit hash (fits an SQLite INTEGER); never ``hash()``."""
    return _keys_of([sentence])[0]


def _keys_of(sentences: list[str]) -> list[int]:
    # CRC-32 and Adler-32 of the UTF-8 bytes side by side: stable everywhere,
    # computed in C over the whole list (a key clash only adds a candidate,
    # which verification then rejects).
    data = [s.encode("utf-8") for s in sentences]
    return [(a & 0x7FFFFFFF) << 32 | c for a, c in zip(map(zlib.adler32, data), map(zlib.crc32, data))]


def _keys(text: str, min_tokens: int) -> tuple[int, ...]:
    # Splitting on ". " alone is enough: boundaries only need to fall in the same
    # places in every copy, and normalisation makes the copies' text identical.
    m = min_tokens - 1
    keys = set(_keys_of([s for s in text.split(". ") if s.count(" ") >= m]))
    if not keys and text:
        keys.add(_key(text))  # a very short text: only its exact copies find it
    return tuple(sorted(keys))


# ------------------------------------------------------------ fingerprints

_MAGIC = b"NRF1"  # key count, keys, zlib'd text: written until the text's token count was kept
_MAGIC2 = b"NRF2"  # key count, token count, keys, zlib'd text


class Fingerprint:
    """What the store keeps per article to place new articles without a full pass.

    ``keys`` are the candidate-index keys (sentence hashes, stable across
    processes and versions of Python); ``text`` the normalised token text that
    ``same_story`` verifies against, and ``n_tokens`` its length in tokens.

    Read from the store, the text stays compressed until asked for: placement
    fetches a few candidates per article, compares their keys and token counts, and
    verifies the text of only the few that pass (a third of them when importing).
    By value (keys and text), like the frozen dataclass it was.
    """

    __slots__ = ("keys", "_text", "_packed", "_n_tokens")

    def __init__(self, keys: tuple[int, ...], text: str | None, packed: bytes = b"", n_tokens: int = -1) -> None:
        """``text`` None: it is ``packed`` (zlib'd UTF-8), decompressed when first read."""
        self.keys = keys
        self._text = text
        self._packed = packed
        self._n_tokens = n_tokens

    @property
    def text(self) -> str:
        t = self._text
        if t is None:
            t = self._text = zlib.decompress(self._packed).decode("utf-8")
        return t

    @property
    def n_tokens(self) -> int:
        n = self._n_tokens
        if n < 0:
            n = self._n_tokens = _n_tokens(self.text)
        return n

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fingerprint) and self.keys == other.keys and self.text == other.text

    def __hash__(self) -> int:
        return hash((self.keys, self.text))

    def __repr__(self) -> str:
        return f"Fingerprint(keys={self.keys!r}, text={self.text!r})"

    def __reduce__(self) -> tuple[type[Fingerprint], tuple[tuple[int, ...], str]]:
        return (Fingerprint, (self.keys, self.text))  # see ClusterSettings.__reduce__

    def to_bytes(self) -> bytes:
        packed = self._packed or zlib.compress(self.text.encode("utf-8"), 1)
        n = len(self.keys)
        return _MAGIC2 + struct.pack(f"<II{n}q", n, self.n_tokens, *self.keys) + packed

    @classmethod
    def from_bytes(cls, data: bytes, text: str | None = None) -> "Fingerprint":
        """``text``: the fingerprint's text, when the caller has it (not decompressed then)."""
        keys = cls.keys_of_bytes(data)
        if data[:4] == _MAGIC2:
            (n_tokens,) = struct.unpack_from("<I", data, 8)
            return cls(keys, text, data[12 + 8 * len(keys) :], n_tokens)
        return cls(keys, text, data[8 + 8 * len(keys) :])

    @staticmethod
    def keys_of_bytes(data: bytes) -> tuple[int, ...]:
        """``from_bytes(data).keys`` without decompressing the text."""
        magic = data[:4]
        if magic != _MAGIC2 and magic != _MAGIC:
            raise ValueError("not a newsreader fingerprint")
        (n,) = struct.unpack_from("<I", data, 4)
        return tuple(struct.unpack_from(f"<{n}q", data, 12 if magic == _MAGIC2 else 8))


def fingerprint(body: str, settings: ClusterSettings = ClusterSettings()) -> Fingerprint:
    """Normalise a cleaned body and compute its candidate keys."""
    text = normalize(body)
    return Fingerprint(_keys(text, settings.min_sentence_tokens), text)


# ------------------------------------------------------------ verification

_NONE: frozenset[int] = frozenset()


def strip_boilerplate(text: str, boilerplate: Container[int], settings: ClusterSettings = ClusterSettings()) -> str:
    """A normalised text without its sentences whose keys are boilerplate."""
    if not boilerplate:
        return text
    m = settings.min_sentence_tokens - 1
    sents = text.split(". ")
    kept = [s for s, k in zip(sents, _keys_of(sents)) if k not in boilerplate or s.count(" ") < m]
    return ". ".join(kept)


def containment(
    a: str, b: str, settings: ClusterSettings = ClusterSettings(), boilerplate: Container[int] = _NONE
) -> float:
    """How much of the shorter normalised text the longer one contains, 0..1.

    Word-level longest common subsequence (rapidfuzz), divided by the shorter
    length; for fragments (< ``short_tokens``) by the longer length, so that
    both must match. Boilerplate sentences count on neither side.
    """
    a, b = strip_boilerplate(a, boilerplate, settings), strip_boilerplate(b, boilerplate, settings)
    return _containment_seq(a.split(), b.split(), settings)


def _containment_seq(ta: Sequence[str], tb: Sequence[str], settings: ClusterSettings) -> float:
    """``containment`` over token lists."""
    if not ta or not tb:
        return 0.0
    if len(ta) > len(tb):
        ta, tb = tb, ta
    denom = len(ta) if len(ta) >= settings.short_tokens else len(tb)
    # A subsequence cannot exceed the shorter length; skip hopeless pairs cheaply.
    if len(ta) < settings.min_containment * denom:
        return len(ta) / denom
    return LCSseq.similarity(ta, tb) / denom


def enough_shared(shared: int, n_a: int, n_b: int, settings: ClusterSettings = ClusterSettings()) -> bool:
    """Whether two articles sharing ``shared`` usable keys are worth verifying.

    ``n_a``, ``n_b``: their usable key counts. Reprints share most sentences
    verbatim, so a pair must share ``min_key_overlap`` of the smaller key set.
    """
    return shared >= 1 and shared >= settings.min_key_overlap * min(n_a, n_b)


def same_story(
    a: Fingerprint, b: Fingerprint, settings: ClusterSettings = ClusterSettings(), boilerplate: Container[int] = _NONE
) -> bool:
    """Exact check that two fingerprints are one story (see module docstring).

    ``boilerplate``: keys found in ``boilerplate_stories`` or more stories; their
    sentences are ignored, so an outlet's sign-off neither joins nor splits.
    """
    return containment(a.text, b.text, settings, boilerplate) >= settings.min_containment


def _tokens(fp: Fingerprint, boilerplate: Container[int], settings: ClusterSettings) -> list[str]:
    """``strip_boilerplate(fp.text, ...).split()``.

    Only a sentence long enough to have a key can be boilerplate, and its key is one of
    ``fp.keys`` (made with the same ``min_sentence_tokens``): when none of them is
    boilerplate, as for nearly every article, no sentence needs hashing again.
    """
    for k in fp.keys:
        if k in boilerplate:
            return strip_boilerplate(fp.text, boilerplate, settings).split()
    return fp.text.split()


def _usable(keys: Sequence[int], boilerplate: Container[int]) -> set[int]:
    return {k for k in keys if k not in boilerplate}


def _ranked(own: set[int], candidates: Iterable[tuple[K, Fingerprint]]) -> list[tuple[int, K, Fingerprint]]:
    """(usable keys shared with ``own``, id, fingerprint), most shared first (ties: input order).

    ``own`` holds no boilerplate key, so a candidate's shared keys are counted without
    taking its own boilerplate out first (a fingerprint's keys are distinct).
    """
    scored: list[tuple[int, int, K, Fingerprint]] = []
    for i, (k, c) in enumerate(candidates):
        n = 0
        for key in c.keys:
            if key in own:
                n += 1
        scored.append((-n, i, k, c))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [(-n, k, c) for n, _, k, c in scored]


def best_match(
    fp: Fingerprint,
    candidates: Iterable[tuple[K, Fingerprint]],
    settings: ClusterSettings = ClusterSettings(),
    boilerplate: Container[int] = _NONE,
) -> K | None:
    """The candidate that is the same story with the highest containment, or None.

    Applies the same gates as ``cluster``: ``enough_shared`` on usable keys,
    then ``same_story``; at most ``max_candidates`` are verified.
    """
    best: tuple[float, K] | None = None
    own: list[str] | None = None  # fp's side of ``containment``, the same for every candidate
    usable = _usable(fp.keys, boilerplate)
    for shared, k, c in _ranked(usable, candidates)[: settings.max_candidates]:
        if shared < 1:
            break  # ranked: none after this one shares a key either
        n_c = 0
        for key in c.keys:
            if key not in boilerplate:
                n_c += 1
        if not enough_shared(shared, len(usable), n_c, settings):
            continue
        if own is None:
            own = _tokens(fp, boilerplate, settings)
        score = _containment_seq(own, _tokens(c, boilerplate, settings), settings)
        if score >= settings.min_containment and (best is None or score > best[0]):
            best = (score, k)
            if score >= 1.0:
                break  # containment cannot exceed 1: no later candidate can replace this one
    return None if best is None else best[1]


def place(
    fp: Fingerprint,
    story_counts: Callable[[Collection[int]], Mapping[int, int]],
    fetch: Callable[[Sequence[int], int], Iterable[tuple[K, Fingerprint]]],
    settings: ClusterSettings = ClusterSettings(),
) -> K | None:
    """Which stored article a new article's story is, or None for a new story.

    The store's side of incremental placement, in one call:

    * ``story_counts(keys)``: for each key, how many distinct stories hold it
      (capping at ``settings.boilerplate_stories`` is fine; missing = 0);
    * ``fetch(keys, limit)``: the stored articles holding any of ``keys`` as
      ``(id, Fingerprint)``, those sharing the most keys first, at most ``limit``.

    Keys held by ``boilerplate_stories`` stories or more are boilerplate: not
    used to fetch, and their sentences ignored in the comparison -- for the
    candidates too, whose own boilerplate is looked up when they are not much
    longer than the new article (only then can it lower the containment).
    """
    floor = settings.boilerplate_stories
    counts = story_counts(fp.keys)
    boiler = {k for k in fp.keys if counts.get(k, 0) >= floor}
    usable = [k for k in fp.keys if k not in boiler]
    if not usable:
        return None
    candidates = list(fetch(usable, settings.max_candidates))
    if not candidates:
        return None
    own = set(fp.keys)
    limit = 2 * fp.n_tokens
    extra = {k for _, c in candidates if c.n_tokens <= limit for k in c.keys if k not in own}
    if extra:
        counts = story_counts(extra)
        boiler.update(k for k in extra if counts.get(k, 0) >= floor)
    return best_match(fp, candidates, settings, boiler)


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
    Decisions are those of ``enough_shared`` + ``same_story``; the batch only
    orders the checks. Two passes, because boilerplate is a property of
    stories: the first pass forms stories from keys of modest article
    frequency; keys then found in ``boilerplate_stories`` or more of them are
    boilerplate, and the second pass re-checks the articles holding such keys
    with those sentences ignored (and uses frequent keys that turn out to
    belong to few stories).
    """
    n = len(items)
    m = settings.min_sentence_tokens
    uf = _UnionFind(n)
    find, union = uf.find, uf.union
    texts: list[str] = [""] * n
    doc_keys: list[tuple[int, ...]] = [()] * n
    # Exact copies (after normalisation) are one article for key frequencies,
    # so a story reprinted verbatim everywhere does not look like boilerplate.
    first_of: dict[str, int] = {}
    first: dict[int, int] = {}
    multi: dict[int, list[int]] = {}
    for i, (_, body) in enumerate(items):
        text = normalize(body)
        if not text:
            continue  # empty pages are not all one story
        j = first_of.setdefault(text, i)
        if j != i:
            union(j, i)
            continue
        texts[i] = text
        doc_keys[i] = keys = _keys(text, m)
        for key in keys:
            j = first.setdefault(key, i)
            if j != i:
                p = multi.get(key)
                if p is None:
                    multi[key] = [j, i]
                else:
                    p.append(i)
    del first, first_of
    usable: dict[int, list[int]] = {}
    frequent: dict[int, list[int]] = {}
    for key, p in multi.items():
        (usable if len(p) <= settings.max_key_df else frequent)[key] = p
    del multi

    def tokens(i: int) -> list[str]:
        return texts[i].split()

    checked: set[tuple[int, int]] = set()

    def check(i: int, index: dict[int, list[int]], earlier_only: bool, boiler: Container[int], seq) -> None:
        # ``place`` for one article against the others (pass 1: those before it).
        found: list[int] = []
        for key in doc_keys[i]:
            p = index.get(key)
            if p is not None:
                found += p
        if not found:
            return
        shared = Counter(found)
        del shared[i]
        n_i = sum(1 for k in doc_keys[i] if k not in boiler) if boiler else len(doc_keys[i])
        seq_i: list[str] | None = None
        for j, count in shared.most_common():
            if earlier_only and j > i:
                continue
            if find(i) == find(j):
                continue
            n_j = sum(1 for k in doc_keys[j] if k not in boiler) if boiler else len(doc_keys[j])
            if not enough_shared(count, n_i, n_j, settings):
                continue
            pair = (j, i) if j < i else (i, j)
            if pair in checked:
                continue
            checked.add(pair)
            if seq_i is None:
                seq_i = seq(i)
            if _containment_seq(seq_i, seq(j), settings) >= settings.min_containment:
                union(i, j)

    for i in range(n):
        if doc_keys[i]:
            check(i, usable, True, _NONE, tokens)

    # Frequent keys: a story reprinted very often, or boilerplate? Let each
    # article try the few longest articles holding the key (linear, not
    # quadratic): copies of one story join them, boilerplate stays apart.
    leaders = 3
    key_sets: dict[int, set[int]] = {}

    def keyset(d: int) -> set[int]:
        ks = key_sets.get(d)
        if ks is None:
            ks = key_sets[d] = set(doc_keys[d])
        return ks

    for p in frequent.values():
        reps: list[int] = []
        for d in sorted(p, key=lambda d: -len(texts[d])):
            rd = find(d)
            if any(find(r) == rd for r in reps):
                continue
            for r in reps:
                pair = (r, d) if r < d else (d, r)
                if pair in checked:
                    continue
                checked.add(pair)
                ks_d, ks_r = keyset(d), keyset(r)
                if enough_shared(len(ks_d & ks_r), len(ks_d), len(ks_r), settings) and (
                    _containment_seq(tokens(d), tokens(r), settings) >= settings.min_containment
                ):
                    union(d, r)
                    break
            else:
                if len(reps) < leaders:
                    reps.append(d)
    key_sets.clear()

    # Pass 2: boilerplate is what many stories share.
    floor = settings.boilerplate_stories
    boiler: set[int] = set()
    promoted: dict[int, list[int]] = {}
    touched: set[int] = set()
    for index, is_frequent in ((usable, False), (frequent, True)):
        for key, p in index.items():
            if len(p) < floor and not is_frequent:
                continue
            if len({find(d) for d in p}) >= floor:
                boiler.add(key)
                touched.update(p)
            elif is_frequent:
                promoted[key] = p
                touched.update(p)
    if not touched:
        return _groups(items, find)
    for key in boiler:
        usable.pop(key, None)
    usable.update(promoted)
    checked.clear()

    def stripped(i: int) -> list[str]:
        if not any(k in boiler for k in doc_keys[i]):
            return texts[i].split()
        return strip_boilerplate(texts[i], boiler, settings).split()

    for i in sorted(touched):
        check(i, usable, False, boiler, stripped)
    return _groups(items, find)


def _groups(items: Sequence[tuple[K, str]], find) -> list[list[K]]:
    groups: dict[int, list[K]] = {}
    for i, (key, _) in enumerate(items):
        groups.setdefault(find(i), []).append(key)
    return list(groups.values())


def canonical(items: Sequence[tuple[K, str]]) -> K:
    """The most complete clean version of a story.

    Most story tokens first -- sentences only: outlet additions (dateline,
    "UPDATE:" paragraphs) and sub-heads do not count -- then the fewest
    inserted sub-heads (the wire original has its own, reprints add some), then
    the longest body, then input order.
    """
    if len(items) == 1:
        return items[0][0]
    return most_complete([(k, completeness(body)) for k, body in items])


def most_complete(measured: Sequence[tuple[K, tuple[int, int, int]]]) -> K:
    """``canonical`` over bodies already measured with ``completeness`` (ties: input order)."""
    best = min(range(len(measured)), key=lambda i: (*measured[i][1], i))
    return measured[best][0]


def completeness(body: str, normalized: str | None = None) -> tuple[int, int, int]:
    """``canonical``'s measure of one body, least is most complete (ties: input order).

    ``normalized``: ``normalize(body)`` when the caller has it (a fingerprint's text);
    a body whose every paragraph counts is then measured without normalising it again.
    """
    paras = body.split("\n\n")
    sentences = [p for p in paras if len(p) >= 80 or p.rstrip().endswith(_SENTENCE_END)]
    if normalized is not None and len(sentences) == len(paras):
        tokens = _n_tokens(normalized)
    else:
        tokens = _n_tokens(normalize("\n\n".join(sentences)))
    return -tokens, len(paras) - len(sentences), -len(body)


_SENTENCE_END = tuple(".!?\"'\u201d\u2019)")
