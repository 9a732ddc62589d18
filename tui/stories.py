"""Which story each stored article belongs to, kept up to date in the store.

``tui.cluster`` decides whether two texts are one story; this module applies
those decisions to the store: placing one new article through the persisted
candidate index (no pass over the store), rebuilding every story from scratch,
and the reader's own corrections (split a version out, merge two stories),
which are stored by article source so they survive any re-clustering.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui import cluster as clu
from tui.store import Store


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a newly stored article went."""

    story_id: int
    joined: bool  # True when it joined an existing story


def _canonical_of(store: Store, members: list[int]) -> int:
    if len(members) == 1:
        return members[0]
    bodies = store.article_bodies(members)
    return clu.canonical([(aid, bodies.get(aid, "")) for aid in members])


def _refresh(store: Store, story_id: int) -> None:
    members = store.story_members(story_id)
    store.refresh_story(story_id, _canonical_of(store, members) if members else None)


def _refresh_joined(store: Store, story_id: int, joined: int) -> None:
    """``_refresh`` after ``joined`` was added to the story: the canonical version is the
    old one or the newcomer (completeness is per body, ties go to the lower id), so two
    bodies are compared instead of every member's."""
    old = store.story_canonical(story_id)
    if old is None or old == joined:
        _refresh(store, story_id)
        return
    bodies = store.article_bodies([old, joined])
    pair = sorted((old, joined))
    store.refresh_story(story_id, clu.canonical([(a, bodies.get(a, "")) for a in pair]))


def place_article(store: Store, article_id: int, fp: clu.Fingerprint, settings: clu.ClusterSettings,
                  fp_bytes: bytes | None = None) -> Placement:
    """Put one stored article into the story of its best verified match, or a new story.

    Decides as ``cluster.place`` does (see its docstring): candidates come from
    the persisted key index, boilerplate is counted in stories. The caller owns
    the transaction; the article's fingerprint and keys are (re)written here.
    """
    old_story, stored_source = store.article_story_source(article_id)
    source = stored_source or ""
    overrides = store.overrides()
    split = {a for kind, a, _ in overrides if kind == "split"}
    target: int | None = None
    # An updated article must not find itself: its old keys leave the index first
    # (they are written again below), which also keeps the key counts index-only.
    store.drop_keys(article_id)
    if source not in split:
        split_ids = set(store.article_ids_by_source(split).values()) if split else set()

        def story_counts(keys):
            return store.key_story_counts(keys, cap=settings.boilerplate_stories)

        def fetch(keys, limit):
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
    store.put_fingerprint(article_id, fp_bytes if fp_bytes is not None else fp.to_bytes(), fp.keys, target,
                          keys_dropped=True)
    if old_story is not None and old_story != target:
        _refresh(store, old_story)
    if created:
        return Placement(target, False)
    if old_story == target:
        _refresh(store, target)
    else:
        _refresh_joined(store, target, article_id)
    return Placement(target, len(store.story_members(target)) > 1)


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
    for aid, g in group_of.items():
        final.setdefault(find(g), []).append(aid)
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
    source = store.article_source(article_id)
    old = store.article_story(article_id)
    if source is None or old is None:
        raise ValueError(f"no article {article_id}")
    with store.conn:
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
    """Merge story ``other`` into ``keep`` by hand, and remember that."""
    if keep == other:
        return keep
    a_members, b_members = store.story_members(keep), store.story_members(other)
    if not a_members or not b_members:
        raise ValueError("both stories must exist")
    a_src = store.article_source(_canonical_of(store, a_members)) or ""
    b_src = store.article_source(_canonical_of(store, b_members)) or ""
    with store.conn:
        for aid in a_members + b_members:
            src = store.article_source(aid) or ""
            store.remove_override("split", src)
        store.add_override("merge", a_src, b_src)
        store.set_stories([(keep, a) for a in b_members])
        _refresh(store, keep)
        _refresh(store, other)
    return keep
