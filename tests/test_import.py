"""Import into the store: summary counts, re-import, updates, bad files, reading state, search."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from tui.cli import main
from tui.importer import Importer
from tui.store import Store, StoreError

from conftest import SAMPLES, write_articles


def _store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store.db")


def test_samples_import_and_reimport_is_a_no_op(tmp_path):
    with _store(tmp_path) as store:
        first = Importer(store).import_paths([SAMPLES])
        n = store.article_count()
        assert first.imported == n >= 15 and not first.skipped
        again = Importer(store).import_paths([SAMPLES])
        assert (again.imported, again.updated, again.unchanged) == (0, 0, n)
        assert store.article_count() == n


def test_changed_file_is_updated_and_keeps_its_reading_state(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    f = src / "a.txt"
    f.write_text("Bridge vote\n\nThe council voted to replace the bridge on Tuesday night.\n", encoding="utf-8")
    with _store(tmp_path) as store:
        Importer(store).import_paths([src])
        sid = store.story_order()[0]
        store.set_read(sid, True)
        store.set_starred(sid, True)
        f.write_text("Bridge vote\n\nThe council voted 7-2 to replace the bridge on Tuesday night.\n",
                     encoding="utf-8")
        s = Importer(store).import_paths([src])
        assert (s.imported, s.updated, s.unchanged) == (0, 1, 0)
        assert store.article_count() == 1
        (sid,) = store.story_order()
        row = store.story(sid)
        assert row.read and row.starred
        art = store.article_text(store.story_versions(sid)[0].id)
        assert "7-2" in art.body


def test_bad_files_are_skipped_with_a_reason_and_the_rest_imports(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text("Headline\n\nA perfectly fine article body about the harbour.\n")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (src / "big.txt").write_bytes(b"x " * 600_000)
    with _store(tmp_path) as store:
        s = Importer(store, max_bytes=1_000_000).import_paths([src, tmp_path / "missing.txt"])
        reasons = {Path(x.source).name: x.reason for x in s.skipped}
        assert s.imported == 1
        assert "empty" in reasons["empty.txt"]
        assert "binary" in reasons["binary.txt"]
        assert "too large" in reasons["big.txt"]
        assert "missing.txt" in reasons


def test_import_command_prints_a_summary(tmp_path, capsys):
    assert main(["import", str(SAMPLES)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("imported ")
    assert "updated 0, unchanged 0, skipped 0" in out
    assert main(["import", str(SAMPLES)]) == 0
    assert "imported 0, updated 0" in capsys.readouterr().out


def test_read_and_starred_state_survive_reopening(tmp_path):
    with _store(tmp_path) as store:
        Importer(store).import_paths([SAMPLES])
        ids = store.story_order()
        store.set_read(ids[0], True)
        store.set_starred(ids[1], True)
    with _store(tmp_path) as store:
        assert store.story(ids[0]).read and not store.story(ids[0]).starred
        assert store.story(ids[1]).starred and not store.story(ids[1]).read


def test_search_finds_stories_by_body_words_and_prefix(tmp_path):
    with _store(tmp_path) as store:
        Importer(store).import_paths([SAMPLES])
        hits = store.search("Patricia Kim")
        titles = [store.story(i).title for i in hits]
        assert titles and all("North Korea" in t for t in titles)
        assert store.search("aquif") and store.search("aquifer") == store.search("aquif")
        assert store.search('"; DROP TABLE articles; --') == []
        assert store.article_count() > 0


def test_seed_copies_form_one_story_with_the_full_original_as_canonical(tmp_path, shared_dir):
    with _store(tmp_path) as store:
        Importer(store).import_paths([shared_dir / "seeds"])
        (sid,) = store.story_order()
        versions = store.story_versions(sid)
        assert len(versions) == 2
        assert Path(versions[0].source).name == "001_65642de56bddba02.txt"


def test_samples_group_as_their_readme_says(tmp_path):
    expected = yaml.safe_load((SAMPLES / "stories.yaml").read_text(encoding="utf-8"))
    with _store(tmp_path) as store:
        Importer(store).import_paths([SAMPLES])
        got = {frozenset(Path(v.source).name for v in store.story_versions(sid)) for sid in store.story_order()}
    want = {frozenset(s["files"]) for s in expected["stories"]}
    assert got == want


def test_a_foreign_sqlite_file_is_refused_and_left_untouched(tmp_path):
    p = tmp_path / "other.db"
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE mine(x)")
    conn.commit()
    conn.close()
    before = p.read_bytes()
    with pytest.raises(StoreError, match="not a newsreader store"):
        Store(p)
    assert p.read_bytes() == before


def test_a_non_database_file_is_refused(tmp_path):
    p = tmp_path / "junk.db"
    p.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a newsreader store"):
        Store(p)
    assert p.read_bytes().startswith(b"this is not")


def test_store_is_in_xdg_data_home_and_in_wal_mode(tmp_path, isolated_home):
    assert main(["import", str(SAMPLES / "voa-north-korea-troops.txt")]) == 0
    db = isolated_home / ".local" / "share" / "newsreader" / "newsreader.db"
    assert db.exists()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_folder_walk_skips_readme_and_hidden_files(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(SAMPLES, src)
    (src / ".hidden.txt").write_text("Hidden\n\nShould not be imported at all.\n")
    with _store(tmp_path) as store:
        Importer(store).import_paths([src])
        sources = [Path(r[0]).name for r in store.conn.execute("SELECT source FROM articles")]
    assert "README.md" not in sources and ".hidden.txt" not in sources


def test_a_schema_1_store_is_migrated_and_keeps_its_stories(tmp_path):
    from tui import store as store_mod

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(store_mod._MIGRATIONS[0])
    conn.execute(f"PRAGMA application_id={store_mod.APPLICATION_ID}")
    conn.execute("PRAGMA user_version=1")
    conn.execute("INSERT INTO articles(id, source, content_hash, title, body, length, story_id, imported_at,"
                 " updated_at, read) VALUES (1, '/a.txt', 'h', 'Old story', 'Some body text here.', 20, 7, 0, 0, 1)")
    conn.execute("INSERT INTO stories(id, canonical_id, title, n_articles, read) VALUES (7, 1, 'Old story', 1, 1)")
    conn.execute("INSERT INTO cluster_keys(key, article_id) VALUES (42, 1)")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == store_mod.SCHEMA_VERSION
        assert store.conn.execute("SELECT story_id FROM cluster_keys WHERE key=42").fetchone()[0] == 7
        assert store.story(7).read and store.story(7).title == "Old story"
        assert store.key_story_counts([42], cap=5) == {42: 1}
        assert store.search("body") == [7], "search uses the index migration 3 adds"


def test_an_article_that_breaks_analysis_is_skipped_and_the_rest_imports(tmp_path, monkeypatch):
    import tui.importer as imp

    real = imp.analyze_page

    def fragile(page, **kw):
        if "poison" in page.body:
            raise ValueError("boom")
        return real(page, **kw)

    monkeypatch.setattr(imp, "analyze_page", fragile)
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Fine story\n\nThe ferry ran on time all week, the operator said.\n")
    (src / "b.txt").write_text("Bad story\n\nThis body contains poison for the analyser.\n")
    with _store(tmp_path) as store:
        s = Importer(store).import_paths([src], workers=0)
        assert s.imported == 1
        assert [Path(x.source).name for x in s.skipped] == ["b.txt"]
        assert "could not be analysed (ValueError: boom)" in s.skipped[0].reason


def test_search_shows_the_newest_matches_first_and_says_when_there_are_more(tmp_path):
    src = tmp_path / "src"
    write_articles(src, 12, seed=5, title="Harbour story {i}", lead="The harbour ")
    write_articles(tmp_path / "inland", 1, seed=6, title="Inland story {i}")
    shutil.copy(tmp_path / "inland" / "000.txt", src / "zz.txt")
    with Store(tmp_path / "s.db") as store:
        Importer(store).import_paths([src], workers=0)
        every = store.search("harbour")
        assert len(every) == 12
        first, more = store.search_newest("harbour", 5)
        assert more and len(first) == 5
        newest = {r[0] for r in store.conn.execute(
            "SELECT story_id FROM articles WHERE title LIKE 'Harbour%' ORDER BY id DESC LIMIT 5")}
        assert set(first) == newest, "the first screenful is the most recently stored matches"
        assert store.search_newest("harbour", 50) == (every, False)
        assert store.search_newest("inland", 5) == (store.search("inland"), False)


def test_an_import_of_many_batches_in_worker_processes_stores_every_article_once(tmp_path, monkeypatch):
    import tui.importer as imp

    monkeypatch.setattr(imp, "IMPORT_BATCH", 7)  # batches overlap: read, analyse, write
    src = tmp_path / "src"
    write_articles(src, 40, seed=11, title="Story number {i}")
    (src / "empty.txt").write_text("\n\n")
    (src / "bad.txt").write_bytes(b"\x00" * 50)
    with Store(tmp_path / "s.db") as store:
        summary = Importer(store).import_paths([src], workers=2)
        titles = sorted(r[0] for r in store.conn.execute("SELECT title FROM articles"))
        assert summary.imported == 40 and len(summary.skipped) == 2, summary.line()
        assert titles == sorted(f"Story number {i}" for i in range(40))
        again = Importer(store).import_paths([src], workers=2)
        assert again.unchanged == 40 and again.imported == 0


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")
def test_analysis_workers_run_below_the_importer_and_the_reader(tmp_path):
    """The importer (the one process writing the store) and the reader's UI come first:
    a background import must not take the CPU from either."""
    from tui.importer import _worker_pool

    ours = os.nice(0)
    with _worker_pool(2, print) as pool:
        theirs = {pool.submit(os.nice, 0).result(timeout=60) for _ in range(4)}
    assert pool is not None and all(n > ours for n in theirs), (ours, theirs)


_MAIN_PID = os.getpid()


def _dies_in_a_worker(job):
    """``_prepare_job`` whose worker process dies (as if killed) on the file named die.txt."""
    import tui.importer as imp

    if job[0].endswith("die.txt") and os.getpid() != _MAIN_PID:
        os._exit(9)
    return imp._prepare_job_unpatched(job)


def test_a_worker_that_dies_loses_nothing_and_the_import_says_so(tmp_path, monkeypatch, capsys):
    import tui.importer as imp

    monkeypatch.setattr(imp, "_prepare_job_unpatched", imp._prepare_job, raising=False)
    monkeypatch.setattr(imp, "_prepare_job", _dies_in_a_worker)
    monkeypatch.setattr(imp, "IMPORT_BATCH", 16)
    src = tmp_path / "src"
    write_articles(src, 60, seed=5, title="Story number {i}")
    (src / "die.txt").write_text("A story the worker dies on.\n\nIt still gets imported in the end.\n")
    with Store(tmp_path / "s.db") as store:
        summary = Importer(store).import_paths([src], workers=2)
        assert summary.imported == 61 and not summary.skipped, summary.line()
        assert store.article_count() == 61
    assert summary.warnings == ["an analysis worker stopped (killed or out of memory); "
                                "the rest was analysed in one process, more slowly"]


def test_the_import_command_prints_the_import_s_warnings(tmp_path, monkeypatch, capsys, isolated_home):
    import tui.importer as imp

    monkeypatch.setattr(imp, "_prepare_job_unpatched", imp._prepare_job, raising=False)
    monkeypatch.setattr(imp, "_prepare_job", _dies_in_a_worker)
    src = tmp_path / "src"
    write_articles(src, 30, seed=6)
    (src / "die.txt").write_text("A story the worker dies on.\n\nIt still gets imported in the end.\n")
    assert main(["import", str(src), "--workers", "2"]) == 0
    out = capsys.readouterr()
    assert "imported 31," in out.out
    assert "newsreader: warning: an analysis worker stopped" in out.err


def test_workers_that_cannot_start_leave_the_import_to_one_process_and_say_so(tmp_path, monkeypatch):
    import tui.importer as imp

    class NoProcesses(imp.ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(imp, "ProcessPoolExecutor", NoProcesses)
    src = tmp_path / "src"
    write_articles(src, 20, seed=8)
    with Store(tmp_path / "s.db") as store:
        summary = Importer(store).import_paths([src], workers=2)
    assert summary.imported == 20
    assert len(summary.warnings) == 1 and summary.warnings[0].startswith("analysis workers could not start")


def test_a_bulk_import_hands_the_store_back_as_it_found_it(tmp_path, monkeypatch):
    """Bulk mode (big cache, log copied back by a thread) ends with the import: the
    thread is gone, the connection's settings are back, and the log is copied back."""
    import threading

    import tui.importer as imp
    from tui.store import CACHE_KB, WAL_PAGES

    monkeypatch.setattr(imp, "BULK_FROM", 10)
    src = tmp_path / "src"
    write_articles(src, 40, seed=9)
    with Store(tmp_path / "s.db") as store:
        seen: list[str] = []
        summary = Importer(store).import_paths(
            [src], workers=0, progress=lambda p: seen.extend(t.name for t in threading.enumerate()))
        assert summary.imported == 40 and store.article_count() == 40
        assert "newsreader-checkpoint" in seen  # it did run in bulk mode
        assert "newsreader-checkpoint" not in [t.name for t in threading.enumerate()]
        conn = store.conn
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KB
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == WAL_PAGES
        busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert busy == 0 and frames == copied
        # Written with foreign keys off (no statement journals), the rows still all hold,
        # and the connection enforces them again.
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO quotes(article_id, start, end, text) VALUES (999999, 0, 1, 'orphan')")


def _fts_ok(store: Store) -> None:
    """The search index is well-formed and holds every article exactly once."""
    conn = store.conn
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    for aid, title in conn.execute("SELECT id, title FROM articles").fetchall():
        word = title.split()[-1]
        hits = [r[0] for r in conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                                           (f'title:"{word}"',))]
        assert aid in hits, f"article {aid} ({title!r}) is not searchable"
    rows = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'number'").fetchone()[0]
    assert rows == store.article_count()


def test_a_schema_3_store_is_migrated_and_new_articles_are_indexed_by_their_writer(tmp_path):
    from tui import store as store_mod

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for script in store_mod._MIGRATIONS[:3]:
        conn.executescript(script)
    conn.execute(f"PRAGMA application_id={store_mod.APPLICATION_ID}")
    conn.execute("PRAGMA user_version=3")
    conn.execute("INSERT INTO articles(id, source, content_hash, title, body, length, story_id, imported_at,"
                 " updated_at) VALUES (1, '/a.txt', 'h', 'Old story zebra', 'Old body. Number 0.', 18, 1, 0, 0)")
    conn.commit()
    conn.close()
    src = tmp_path / "src"
    write_articles(src, 30, seed=3, title="New story {i}")
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == store_mod.SCHEMA_VERSION
        assert store.conn.execute("SELECT count(*) FROM sqlite_master WHERE name='articles_ai'").fetchone()[0] == 0
        Importer(store).import_paths([src], workers=0)
        _fts_ok(store)
        assert store.search("zebra") == [1], "what the old trigger indexed stays searchable"


def test_a_schema_4_store_is_migrated_and_new_copies_still_join_their_stories(tmp_path, shared_dir):
    """Migration 5 swaps the candidate index for one that covers placement's reads."""
    from tui import store as store_mod

    seeds = sorted((shared_dir / "seeds").glob("*.txt"))
    path = tmp_path / "s.db"
    with Store(path) as store:
        Importer(store).import_paths(seeds[:1], workers=0)
        store.conn.executescript("CREATE INDEX cluster_keys_key_story ON cluster_keys(key, story_id);"
                                 "DROP INDEX cluster_keys_key_story_article; PRAGMA user_version=4;")
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == store_mod.SCHEMA_VERSION
        plan = " ".join(r[-1] for r in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT key, article_id, story_id FROM cluster_keys WHERE key IN (1, 2)"))
        assert "COVERING INDEX cluster_keys_key_story_article" in plan
        Importer(store).import_paths(seeds[1:], workers=0)
        (sid,) = store.story_order()
        assert len(store.story_versions(sid)) == 2, "the other copy joined the story made before the upgrade"


def test_the_same_file_twice_in_one_batch_keeps_the_search_index_intact(tmp_path):
    src = tmp_path / "src"
    write_articles(src, 3, seed=4, title="Twice story {i}")
    (src / "001.txt").write_text("Twice story changed\n\nA new body for the first copy. Number 1.\n")
    paths = [src / "000.txt", src / "001.txt", src / "000.txt", src / "002.txt"]
    with _store(tmp_path) as store:
        summary = Importer(store).import_paths(paths, workers=0)
        assert (summary.imported, summary.updated) == (3, 1)
        _fts_ok(store)
        assert len(store.search("twice")) == 3


def test_files_are_stored_under_the_path_they_resolve_to(tmp_path, monkeypatch):
    from tui.importer import _source_and_stat, storable_path

    real = tmp_path / "real"
    real.mkdir()
    (real / "a.txt").write_text("A\n\nBody.\n")
    (tmp_path / "linkdir").symlink_to(real)
    (real / "link.txt").symlink_to(real / "a.txt")
    (real / "dangling.txt").symlink_to(real / "gone.txt")
    monkeypatch.chdir(tmp_path)
    paths = [real / "a.txt", tmp_path / "linkdir" / "a.txt", real / "link.txt", real / "dangling.txt",
             real / "missing.txt", Path("real/a.txt"), Path("linkdir/a.txt"), Path("real/../real/a.txt")]
    parents: dict = {}
    for p in paths * 2:  # the second time from the folders it has resolved
        expected = storable_path(str(p.resolve()) if p.exists() else str(p))
        assert _source_and_stat(p, parents)[0] == expected, p


def test_rows_written_several_per_statement_keep_their_order_and_replacements(tmp_path):
    from tui.store import _MultiInsert

    conn = sqlite3.connect(tmp_path / "x.db")
    conn.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b TEXT)")
    conn.execute("CREATE TABLE u(k INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID")
    insert = _MultiInsert("INSERT INTO t(a, b)", 2, max_rows=8)
    replace = _MultiInsert("INSERT OR REPLACE INTO u(k, v)", 2, max_rows=8)
    expected: list[tuple[int, int, str]] = []
    for n in (0, 1, 2, 7, 8, 9, 21):
        rows = [(i, f"r{n}-{i}") for i in range(n)]
        insert.run(conn, rows)
        expected += [(len(expected) + 1 + j, a, b) for j, (a, b) in enumerate(rows)]
        # The same key twice in one call: the later row wins, as with executemany.
        replace.run(conn, [(i % 5, f"{n}-{i}") for i in range(n)])
    assert conn.execute("SELECT id, a, b FROM t ORDER BY id").fetchall() == expected
    last = {i % 5: i for i in range(21)}
    assert conn.execute("SELECT k, v FROM u ORDER BY k").fetchall() == [(k, f"21-{i}") for k, i in sorted(last.items())]


def test_an_article_naming_one_entity_twice_keeps_one_row_for_it_the_last(tmp_path):
    """Entity rows go in without REPLACE (see ``tui.store._INSERT_QUOTES``): a repeated entity must
    neither fail the article nor leave two rows; the later one counts, as REPLACE kept."""
    from tui.records import Page

    with _store(tmp_path) as store:
        with store.conn:
            aid, new = store.put_article_rows(
                "a.txt", "h1", Page(title="Dam", body="The dam opened on Monday, Ana Lima said."), [],
                [("Ana Lima", "person", 1, "[[29, 37]]"), ("Lima", "place", 1, "[[33, 37]]"),
                 ("Ana Lima", "person", 2, "[[29, 37], [0, 3]]")])
        assert new
        rows = store.conn.execute(
            "SELECT e.name, e.type, ae.mentions, ae.spans FROM article_entities ae JOIN entities e"
            " ON e.id = ae.entity_id WHERE ae.article_id=? ORDER BY e.type", (aid,)).fetchall()
        assert rows == [("Ana Lima", "person", 2, "[[29, 37], [0, 3]]"), ("Lima", "place", 1, "[[33, 37]]")]


def test_a_search_index_of_many_import_segments_finds_every_article(tmp_path, monkeypatch):
    """Each import transaction adds search-index segments, merged as they pile up: past
    sixteen transactions, every article is still found, exactly once."""
    import tui.importer as imp

    monkeypatch.setattr(imp, "BULK_FROM", 10)
    monkeypatch.setattr(imp, "BULK_COMMIT_EVERY", 2)
    src = tmp_path / "src"
    write_articles(src, 60, seed=21)
    with Store(tmp_path / "s.db") as store:
        assert Importer(store).import_paths([src], workers=0).imported == 60
        _fts_ok(store)
