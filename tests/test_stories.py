"""Stories in the store: shared reading state, late copies, manual split/merge that survive re-clustering."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui.cluster import ClusterSettings
from tui.diff import diff_versions
from tui.importer import Importer
from tui.stories import merge_stories, rebuild_stories, split_version
from tui.store import Store

from conftest import SAMPLES

FULL = SAMPLES / "voa-north-korea-troops.txt"
REPRINT = SAMPLES / "voa-north-korea-troops-reprint.txt"


def groups(store: Store) -> set[frozenset[str]]:
    return {frozenset(Path(v.source).name for v in store.story_versions(s)) for s in store.story_order()}


def story_of(store: Store, name: str) -> int:
    for sid in store.story_order():
        if any(Path(v.source).name == name for v in store.story_versions(sid)):
            return sid
    raise KeyError(name)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.db") as s:
        yield s


def test_reading_any_copy_marks_the_story_read_and_a_late_copy_does_not_unread_it(store, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FULL, src)
    Importer(store).import_paths([src])
    (sid,) = store.story_order()
    store.set_read(sid, True)
    shutil.copy(REPRINT, src)
    summary = Importer(store).import_paths([src])
    assert summary.imported == 1
    (sid2,) = store.story_order()
    row = store.story(sid2)
    assert row.n_articles == 2
    assert row.read, "a copy arriving later must not resurrect the story as unread"


def test_split_version_persists_across_reclustering_and_reimport(store):
    Importer(store).import_paths([SAMPLES])
    before = groups(store)
    sid = story_of(store, REPRINT.name)
    reprint_id = next(v.id for v in store.story_versions(sid) if Path(v.source).name == REPRINT.name)
    split_version(store, reprint_id)
    after = groups(store)
    assert frozenset({REPRINT.name}) in after and frozenset({FULL.name}) in after
    rebuild_stories(store, ClusterSettings())
    assert groups(store) == after
    store.conn.execute("UPDATE articles SET content_hash='changed' WHERE id=?", (reprint_id,))
    store.conn.commit()
    Importer(store).import_paths([SAMPLES])  # re-import re-places the "changed" reprint
    assert groups(store) == after
    assert len(after) == len(before) + 1


def test_manual_merge_persists_across_reclustering(store):
    Importer(store).import_paths([SAMPLES])
    a = story_of(store, "harbourledger-kestrel-bay-libraries.txt")
    b = story_of(store, "eastgateherald-voss-symphony.txt")
    merge_stories(store, a, b)
    merged = frozenset(Path(v.source).name for v in store.story_versions(a))
    assert {"harbourledger-kestrel-bay-libraries.txt", "eastgateherald-voss-symphony.txt"} <= merged
    rebuild_stories(store, ClusterSettings())
    assert merged in groups(store)


def test_rebuild_keeps_reading_state(store):
    Importer(store).import_paths([SAMPLES])
    sid = story_of(store, FULL.name)
    store.set_starred(sid, True)
    store.set_read(sid, True)
    rebuild_stories(store, ClusterSettings())
    row = store.story(story_of(store, FULL.name))
    assert row.read and row.starred


def test_diff_of_the_reprint_shows_what_it_cut(store):
    Importer(store).import_paths([FULL, REPRINT])
    (sid,) = store.story_order()
    canon, other = store.story_versions(sid)
    lines = diff_versions(store.article_text(canon.id).body, store.article_text(other.id).body)
    cut = [d.text for d in lines if d.op == "cut"]
    same = [d.text for d in lines if d.op == "same"]
    assert any("Bonnie Glaser" in t for t in cut)
    assert any("Patricia Kim" in t for t in same)
    assert not any(d.op == "added" and "KATHMANDU" in d.text for d in lines)
    # The reprint ends after the Patricia Kim quotes: nothing after them is shared.
    last_same = max(i for i, d in enumerate(lines) if d.op == "same")
    assert "At the same time, Beijing believes" in lines[last_same].text


def test_diff_treats_typography_changes_as_the_same_paragraph():
    a = "First “quoted” paragraph — with a dash.\n\nSecond paragraph here."
    b = 'First "quoted" paragraph - with a dash.\n\nSecond paragraph here.\n\nAn UPDATE: added later.'
    ops = [(d.op, d.text[:6]) for d in diff_versions(a, b)]
    assert ops == [("same", "First "), ("same", "Second"), ("added", "An UPD")]


def test_a_copy_imported_while_a_merge_runs_ends_in_the_merged_story(tmp_path):
    """The merge reads both stories' members; a copy an import places meanwhile must not be
    left behind in the story that was merged away."""
    import threading

    src, late = tmp_path / "in", tmp_path / "late"
    src.mkdir()
    late.mkdir()
    for p in SAMPLES.iterdir():
        if p.suffix in (".txt", ".md") and p != REPRINT:
            shutil.copy(p, src)
    shutil.copy(REPRINT, late)
    path = tmp_path / "s.db"
    with Store(path) as store:
        Importer(store).import_paths([src], workers=0)
        keep = story_of(store, "harbourledger-kestrel-bay-libraries.txt")
        other = story_of(store, FULL.name)

        def import_the_reprint() -> None:
            with Store(path) as second:
                Importer(second).import_paths([late], workers=0)

        importer_thread = threading.Thread(target=import_the_reprint)
        real_members = store.story_members

        def members_then_an_import(story_id: int) -> list[int]:
            members = real_members(story_id)
            if story_id == other and importer_thread.ident is None:
                importer_thread.start()
                importer_thread.join(timeout=3)  # it finishes here unless the merge holds the lock
            return members

        store.story_members = members_then_an_import  # type: ignore[method-assign]
        merge_stories(store, keep, other)
        importer_thread.join()
        store.story_members = real_members  # type: ignore[method-assign]
        assert story_of(store, REPRINT.name) == story_of(store, FULL.name) == keep
        assert frozenset({REPRINT.name}) not in groups(store)
