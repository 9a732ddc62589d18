"""Which story each stored article belongs to, kept up to date in the store.

``tui.cluster`` decides whether two texts are one story; this module applies
those decisions to the store: placing one new article through the persisted
candidate index (no pass over the store), rebuilding every story from scratch,
and the reader's own corrections (split a version out, merge two stories),
which are stored by article source so they survive any re-clustering.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection, Container, Iterable, Sequence
from dataclasses import dataclass

from tui import cluster as clu
from tui.keyfilter import KeyFilter
from tui.store import Store, _i64s, _in_list


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a newly stored article went."""

    story_id: int
    joined: bool  # True when it joined an existing story


class PlacementCache:
    """What placement reads from the store, in memory while one import writes: the
    candidate index (``cluster_keys`` rows, fingerprints), the overrides and the bodies'
    completeness. Placing an article then asks dicts what it asked in four or five
    queries (key story counts, articles sharing keys, their fingerprints, overrides, two
    bodies to normalise when it joins a story; ~12% of the import's write time).

    It answers exactly as the store would. It holds rows read from the store and the rows
    placement writes through it; a key it has not read is read when asked for. ``begin``
    (each transaction's start, under the write lock) forgets everything when any other
    connection committed, or this one wrote without the cache, since ``end`` (after the
    previous commit); a rolled-back transaction must ``clear`` it. Memory is bounded:
    past ``max_rows`` it forgets rows and reads again.

    After ``load_all`` it also knows, through two ``KeyFilter``, which keys the index may
    hold and which it may hold under two stories or more, whatever rows it has forgotten:
    a key the first has never seen is not read (most of a new article's own keys), nor,
    for boilerplate (``boilerplate_counts``), a key the second has never seen (nearly all
    of its candidates' keys: a story's reprints share its keys, but under one story).
    """

    def __init__(self, store: Store, *, max_rows: int = 500_000, max_fingerprints: int = 2048,
                 max_measures: int = 200_000) -> None:
        self._store = store
        self._max_rows = max_rows
        self._max_fps = max_fingerprints
        # Measures are three ints per article, and every article an import writes comes
        # with its own: held for all of them, a story's canonical version is never re-read.
        self._max_measures = max_measures
        # key -> its (article_id, story_id) rows, for every key read (an empty list: none).
        self._rows: dict[int, list[tuple[int, int | None]]] = {}
        self._held = 0  # keys + rows held, against max_rows
        self._complete = False  # every row of the table is held: a key not in _rows has none
        self._fps: OrderedDict[int, clu.Fingerprint] = OrderedDict()  # most recently used last
        self._overrides: list[tuple[str, str, str]] | None = None
        self._completeness: dict[int, tuple[int, int, int]] = {}  # article id -> clu.completeness(body)
        self._stamp: tuple[int, int] | None = None
        # Every key the index holds may be in the first; every key it holds under two
        # stories or more, in the second. None: not known (no load_all since the last clear).
        self._indexed: KeyFilter | None = None
        self._spread: KeyFilter | None = None

    def _now(self) -> tuple[int, int]:
        # data_version moves when another connection commits; total_changes when this one writes.
        conn = self._store.conn
        return int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes

    def load_all(self, new_keys: int = 0) -> None:
        """Read the whole index (when it is small next to the import): hold its rows while
        they fit, and its keys in the filters always. ``new_keys``: about how many keys
        the import will write (it sizes the filters)."""
        self.clear()
        self._stamp = self._now()
        expected = self._store.key_rows_bound() + new_keys
        indexed, spread = KeyFilter(expected), KeyFilter(expected)
        holding = True
        keys: list[int] = []
        spread_keys: list[int] = []
        prev_key: int | None = None
        prev_sid: int | None = None
        # In key order (the covering index): a key's rows come together, so whether they
        # span two stories is known without holding every key.
        for key, aid, sid in self._store.conn.execute(
                "SELECT key, article_id, story_id FROM cluster_keys ORDER BY key, story_id"):
            if key != prev_key:
                keys.append(key)
                if len(keys) >= 4096:
                    indexed.add_all(keys)
                    keys.clear()
                prev_key, prev_sid = key, sid
            elif sid != prev_sid:
                if not spread_keys or spread_keys[-1] != key:
                    spread_keys.append(key)
                prev_sid = sid
            if not holding:
                continue
            rows = self._rows.get(key)
            if rows is None:
                rows = self._rows[key] = []
                self._held += 1
            rows.append((aid, sid))
            self._held += 1
            if self._held > self._max_rows:  # too big to hold: keys are read when asked for
                self._forget_rows()
                holding = False
        indexed.add_all(keys)
        spread.add_all(spread_keys)
        self._complete = holding
        self._indexed, self._spread = indexed, spread

    def begin(self) -> None:
        """At the start of a write transaction: forget what may have changed since ``end``."""
        if self._stamp is None or self._now() != self._stamp:
            self.clear()

    def end(self) -> None:
        """After a commit: what the cache holds is what the store holds."""
        self._stamp = self._now()

    def clear(self) -> None:
        """Forget everything: the store may have changed behind the cache."""
        self._forget_rows()
        self._fps.clear()
        self._overrides = None
        self._completeness.clear()
        self._stamp = None
        self._indexed = self._spread = None

    def _forget_rows(self) -> None:
        # Past the memory bound only the index rows go: fingerprints and measures have
        # bounds of their own and stay true, and a story's canonical version is compared
        # with each newcomer, so forgetting measures meant re-reading bodies (~5% of the
        # import's write side at 100,000 articles, where rows are forgotten every ~10,000).
        self._rows.clear()
        self._held = 0
        self._complete = False

    def _read(self, keys: Sequence[int]) -> None:
        if self._complete:
            return
        missing = [k for k in keys if k not in self._rows]
        if self._indexed is not None:
            missing = self._indexed.maybe(missing)  # the others have no rows: nothing to hold
        if not missing:
            return
        if self._held + len(missing) > self._max_rows:
            self._forget_rows()
            missing = list(dict.fromkeys(keys))  # what was held went too
            if self._indexed is not None:
                missing = self._indexed.maybe(missing)
        conn, rows_of = self._store.conn, self._rows
        for i in range(0, len(missing), 500):
            chunk = missing[i : i + 500]
            for k in chunk:
                rows_of[k] = []
            marks, values = _in_list(chunk)
            got = conn.execute(f"SELECT key, article_id, story_id FROM cluster_keys WHERE key IN ({marks})",
                               values).fetchall()
            for key, aid, sid in got:  # a boilerplate key brings thousands: keep this loop bare
                rows_of[key].append((aid, sid))
            self._held += len(chunk) + len(got)

    def story_counts(self, keys: Collection[int], cap: int) -> dict[int, int]:
        """``Store.key_story_counts``."""
        ks = list(set(keys))
        ks64 = _i64s(ks)
        self._read(ks64)
        out: dict[int, int] = {}
        if cap == 0:  # SQL: LIMIT 0 (a negative cap is no limit)
            return out
        get = self._rows.get
        for k, k64 in zip(ks, ks64):
            rows = get(k64)
            if not rows:
                continue
            if len(rows) == 1:
                out[k] = 1
                continue
            stories: set[int | None] = set()
            for _, sid in rows:
                stories.add(sid)
                if len(stories) == cap:
                    break
            out[k] = len(stories)
        return out

    def boilerplate_counts(self, keys: Collection[int], cap: int) -> dict[int, int]:
        """``story_counts`` exact for keys held by two stories or more; a key held by one
        story or none may be left out. Boilerplate (``cap`` stories, two or more) cannot
        tell the difference, and those keys then need no reading."""
        if self._spread is None or cap < 2:
            return self.story_counts(keys, cap)
        ks = list(set(keys))
        ks64 = _i64s(ks)
        if ks64 is ks:
            ks = self._spread.maybe(ks)
        else:
            spread = self._spread
            ks = [k for k, k64 in zip(ks, ks64) if k64 in spread]
        return self.story_counts(ks, cap)

    def sharing(self, keys: Sequence[int], limit: int, exclude: int | None) -> list[tuple[int, clu.Fingerprint]]:
        """``Store.articles_sharing`` with the fingerprints decoded."""
        if not keys:
            return []
        keys64 = list(dict.fromkeys(_i64s(list(set(keys)))[:900]))
        self._read(keys64)
        counts: dict[int, int] = {}
        for k in keys64:
            for aid, _ in self._rows.get(k, ()):
                counts[aid] = counts.get(aid, 0) + 1
        counts.pop(exclude, None)  # type: ignore[arg-type]
        ranked = sorted(counts.items(), key=lambda t: (-t[1], t[0]))
        if limit >= 0:
            ranked = ranked[:limit]
        fps = self._fingerprints([aid for aid, _ in ranked])
        return [(aid, fps[aid]) for aid, _ in ranked if aid in fps]

    def _fingerprints(self, ids: list[int]) -> dict[int, clu.Fingerprint]:
        out: dict[int, clu.Fingerprint] = {}
        missing: list[int] = []
        for aid in ids:
            fp = self._fps.get(aid)
            if fp is None:
                missing.append(aid)
            else:
                self._fps.move_to_end(aid)
                out[aid] = fp
        if missing:
            for aid, blob in self._store.fingerprints(missing).items():
                out[aid] = self._remember(aid, clu.Fingerprint.from_bytes(blob))
        return out

    def _remember(self, article_id: int, fp: clu.Fingerprint) -> clu.Fingerprint:
        self._fps[article_id] = fp
        self._fps.move_to_end(article_id)
        if len(self._fps) > self._max_fps:
            self._fps.popitem(last=False)
        return fp

    def overrides(self) -> list[tuple[str, str, str]]:
        """``Store.overrides`` (placement never changes them)."""
        if self._overrides is None:
            self._overrides = self._store.overrides()
        return self._overrides

    def completeness(self, ids: Sequence[int]) -> dict[int, tuple[int, int, int]]:
        """``clu.completeness`` of the articles' bodies (a missing article's body is "")."""
        missing = [a for a in ids if a not in self._completeness]
        if missing:
            if len(self._completeness) + len(missing) > self._max_measures:
                self._completeness.clear()
                missing = list(ids)
            bodies = self._store.article_bodies(missing)
            for a in missing:
                self._completeness[a] = clu.completeness(bodies.get(a, ""))
        return {a: self._completeness[a] for a in ids}

    def measured(self, article_id: int, measure: tuple[int, int, int]) -> None:
        """The article's body measures ``measure`` (``clu.completeness``), as of this transaction."""
        if len(self._completeness) >= self._max_measures:
            self._completeness.clear()
        self._completeness[article_id] = measure

    def dropped(self, article_id: int, rows: Iterable[tuple[int, int | None]]) -> None:
        """The article is being placed (again): the store deleted these (key, story_id)
        rows of it, and its body may have just changed."""
        self._completeness.pop(article_id, None)
        for key, sid in rows:
            held = self._rows.get(key)
            if held is not None:
                held.remove((article_id, sid))
                self._held -= 1

    def written(self, article_id: int, fp: clu.Fingerprint, keys: Iterable[int], story_id: int) -> None:
        """The store wrote the article's fingerprint and these keys' rows (``put_fingerprint``)."""
        self._remember(article_id, fp)
        get, complete = self._rows.get, self._complete
        fresh: Container[int] = ()  # keys the index held no row of: this row is all they have
        if self._indexed is not None and self._spread is not None:
            keys = list(keys)
            seen = self._indexed.maybe(keys)  # the others are new to the index
            spread: list[int] = []
            for key in seen:
                held = get(key)
                if held is None:
                    if not complete:  # rows not read (or forgotten): it may be spread
                        spread.append(key)
                    continue
                for _, sid in held:
                    if sid != story_id:
                        spread.append(key)
                        break
            self._indexed.add_all(keys)
            self._spread.add_all(spread)
            if not complete and len(seen) < len(keys):
                # Held at once, a new key's one row is found in memory by the reprints that
                # follow; otherwise each would read it back from the store.
                fresh = set(keys).difference(seen)
        row = (article_id, story_id)
        for key in keys:
            held = get(key)
            if held is not None:
                held.append(row)
            elif complete or key in fresh:
                self._rows[key] = [row]
                self._held += 1
            else:
                continue  # not read yet: it will be read from the store, this row included
            self._held += 1
        if self._held > self._max_rows:
            self._forget_rows()


def _canonical_of(store: Store, members: list[int]) -> int:
    if len(members) == 1:
        return members[0]
    bodies = store.article_bodies(members)
    return clu.canonical([(aid, bodies.get(aid, "")) for aid in members])


def _refresh(store: Store, story_id: int) -> None:
    members = store.story_members(story_id)
    store.refresh_story(story_id, _canonical_of(store, members) if members else None)


def _refresh_joined(store: Store, story_id: int, joined: int, cache: PlacementCache | None = None) -> None:
    """``_refresh`` after ``joined`` was added to the story: the canonical version is the
    old one or the newcomer (completeness is per body, ties go to the lower id), so two
    bodies are compared instead of every member's."""
    old = store.story_canonical(story_id)
    if old is None or old == joined:
        _refresh(store, story_id)
        return
    pair = sorted((old, joined))
    if cache is None:
        bodies = store.article_bodies(pair)
        canon = clu.canonical([(a, bodies.get(a, "")) for a in pair])
    else:
        measure = cache.completeness(pair)
        canon = clu.most_complete([(a, measure[a]) for a in pair])
    store.refresh_story(story_id, canon)


def place_article(store: Store, article_id: int, fp: clu.Fingerprint, settings: clu.ClusterSettings,
                  fp_bytes: bytes | None = None, cache: PlacementCache | None = None,
                  known: tuple[int | None, str] | None = None,
                  completeness: tuple[int, int, int] | None = None) -> Placement:
    """Put one stored article into the story of its best verified match, or a new story.

    Decides as ``cluster.place`` does (see its docstring): candidates come from
    the persisted key index, boilerplate is counted in stories. The caller owns
    the transaction; the article's fingerprint and keys are (re)written here.
    ``fp_bytes`` must be ``fp.to_bytes()`` when given; ``cache``: see ``PlacementCache``;
    ``known``: (None, source) when the caller has just inserted the article in this
    transaction: it has no story and no index rows yet, so none are looked up;
    ``completeness``: ``clu.completeness`` of its body, when the caller measured it.
    """
    old_story, stored_source = known if known is not None else store.article_story_source(article_id)
    source = stored_source or ""
    overrides = store.overrides() if cache is None else cache.overrides()
    split = {a for kind, a, _ in overrides if kind == "split"}
    target: int | None = None
    # An updated article must not find itself: its old keys leave the index first
    # (they are written again below), which also keeps the key counts index-only.
    if known is not None and known[0] is None:
        pass  # just inserted: it has no keys yet
    elif cache is None:
        store.drop_keys(article_id)
    else:
        cache.dropped(article_id, store.drop_keys_returning(article_id))
    if cache is not None and completeness is not None:
        cache.measured(article_id, completeness)
    if source not in split:
        split_ids = set(store.article_ids_by_source(split).values()) if split else set()

        def story_counts(keys):
            if cache is not None:  # clu.place asks only which keys are boilerplate
                return cache.boilerplate_counts(keys, settings.boilerplate_stories)
            return store.key_story_counts(keys, cap=settings.boilerplate_stories)

        def fetch(keys, limit):
            if cache is not None:
                return [(aid, c) for aid, c in cache.sharing(keys, limit, article_id) if aid not in split_ids]
            return [(aid, clu.Fingerprint.from_bytes(blob))
                    for aid, blob in store.articles_sharing(keys, limit=limit, exclude=article_id)
                    if aid not in split_ids]

        match = clu.place(fp, story_counts, fetch, settings)
        if match is not None:
            target = store.article_story(match)
    for kind, a, b in overrides:
        if kind == "merge" and source in (a, b):
            other = b if source == a else a
            ids = store.article_ids_by_source([other])
            if other in ids:
                st = store.article_story(ids[other])
                if st is not None and st != old_story:
                    target = st
    created = False  # a new story, its summary already written
    if target is None:
        if old_story is not None and len(store.story_members(old_story)) == 1:
            target = old_story
        else:
            target, created = store.new_story_of(article_id), True
    # The index rows were dropped above and are written with the story below.
    store.move_article(article_id, target)
    keys = store.put_fingerprint(article_id, fp_bytes if fp_bytes is not None else fp.to_bytes(), fp.keys, target,
                                 keys_dropped=True)
    if cache is not None:
        cache.written(article_id, fp, keys, target)
    if old_story is not None and old_story != target:
        _refresh(store, old_story)
    if created:
        return Placement(target, False)
    if old_story == target:
        _refresh(store, target)
        return Placement(target, len(store.story_members(target)) > 1)
    # Another article's story (its match's, or a merge's): now two members at least.
    _refresh_joined(store, target, article_id, cache)
    return Placement(target, True)


def rebuild_stories(store: Store, settings: clu.ClusterSettings,
                    progress: Callable[[str], None] | None = None) -> int:
    """Re-cluster every stored article from scratch; keeps reading state and overrides. Returns the story count."""
    rows = store.conn.execute("SELECT id, source, body FROM articles ORDER BY id").fetchall()
    if progress:
        progress(f"clustering {len(rows):,} articles")
    groups = clu.cluster([(r[0], r[2]) for r in rows], settings)
    group_of: dict[int, int] = {}
    for gi, g in enumerate(groups):
        for aid in g:
            group_of[aid] = gi
    source_id = {r[1]: r[0] for r in rows}
    next_group = len(groups)
    for kind, a, b in store.overrides():
        if kind == "split" and a in source_id:
            group_of[source_id[a]] = next_group
            next_group += 1
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for kind, a, b in store.overrides():
        if kind == "merge" and a in source_id and b in source_id:
            ga, gb = find(group_of[source_id[a]]), find(group_of[source_id[b]])
            if ga != gb:
                parent[gb] = ga
    final: dict[int, list[int]] = {}
    for aid, group in group_of.items():
        final.setdefault(find(group), []).append(aid)
    bodies = {r[0]: r[2] for r in rows}
    with store.conn:
        store.clear_stories()
        for members in final.values():
            sid = store.new_story()
            store.set_stories([(sid, a) for a in members])
            canon = clu.canonical([(a, bodies[a]) for a in members])
            store.refresh_story(sid, canon)
    return len(final)


def split_version(store: Store, article_id: int) -> int:
    """Take one version out of its story into a story of its own, and remember that."""
    with store.immediate():
        source = store.article_source(article_id)
        old = store.article_story(article_id)
        if source is None or old is None:
            raise ValueError(f"no article {article_id}")
        for kind, a, b in store.overrides():
            if kind == "merge" and source in (a, b):
                store.remove_override(kind, a, b)
        store.add_override("split", source)
        sid = store.new_story()
        store.set_article_story(article_id, sid)
        # The split copy keeps the reading state the story had.
        _refresh(store, sid)
        _refresh(store, old)
    return sid


def merge_stories(store: Store, keep: int, other: int) -> int:
    """Merge story ``other`` into ``keep`` by hand, and remember that.

    The members are read under the write lock: an import placing a copy into either
    story meanwhile would otherwise be left behind in ``other``.
    """
    if keep == other:
        return keep
    with store.immediate():
        a_members, b_members = store.story_members(keep), store.story_members(other)
        if not a_members or not b_members:
            raise ValueError("both stories must exist")
        a_src = store.article_source(_canonical_of(store, a_members)) or ""
        b_src = store.article_source(_canonical_of(store, b_members)) or ""
        for aid in a_members + b_members:
            src = store.article_source(aid) or ""
            store.remove_override("split", src)
        store.add_override("merge", a_src, b_src)
        store.set_stories([(keep, a) for a in b_members])
        _refresh(store, keep)
        _refresh(store, other)
    return keep
