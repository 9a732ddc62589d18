"""kill -9 at random moments, and damaged or foreign store files: nothing committed is lost.

The importer commits in short batches and the reader commits each toggle on its
own, in WAL mode; these tests kill real processes (``newsreader import`` and a
loop of ``Store.set_read``/``set_starred``) with SIGKILL at random moments and
check the store afterwards. A store file that is not ours or is damaged gives a
one-line error naming ``newsreader rebuild``, and is never written;
``newsreader rebuild`` moves it aside and rebuilds from the sources.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES
from tui.cli import main
from tui.importer import Importer
from tui.store import Store

sys.path.insert(0, str(REPO / "tests" / "bench"))
from corpus import generate  # noqa: E402

KILL_TRIALS = 50
CORPUS_SIZE = 240  # enough analysis time that kills land between commits


def _env(data_home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_DATA_HOME"] = str(data_home)
    env.pop("NEWSREADER_CONFIG", None)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    for i, art in enumerate(generate(CORPUS_SIZE, seed=7)):
        (d / f"a{i:04d}.txt").write_text(art.page, encoding="utf-8")
    return d


def _check_store(db: Path) -> set[str]:
    """The store opens, is intact and consistent; returns its sources."""
    with Store(db) as store:
        assert store.integrity_ok()
        conn = store.conn
        sources = {r[0] for r in conn.execute("SELECT source FROM articles")}
        # No half-written article: each has its fingerprint and a story that counts it.
        assert conn.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM fingerprints").fetchone()[0] == len(sources)
        bad = conn.execute(
            "SELECT count(*) FROM stories s WHERE n_articles != (SELECT count(*) FROM articles a WHERE a.story_id = s.id)"
        ).fetchone()[0]
        assert bad == 0
        fts = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        assert fts == len(sources)
    return sources


def _wait_for_progress(db: Path, have: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    """Wait until another process has committed more than ``have`` articles (or has ended)."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
            try:
                if conn.execute("SELECT count(*) FROM articles").fetchone()[0] > have:
                    return
            finally:
                conn.close()
        except sqlite3.OperationalError:
            pass  # not created yet
        time.sleep(0.02)


def _wait_for_wal(db: Path, proc: subprocess.Popen) -> None:
    """Until the importer has the store open (its write-ahead log appears) or exits."""
    wal = Path(f"{db}-wal")
    deadline = time.monotonic() + 30
    while not wal.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)


def _kill(proc: subprocess.Popen) -> bool:
    """kill -9 the importer if it still runs; True if it did. An importer that finished
    must have succeeded, and neither may have printed a traceback."""
    was_running = proc.poll() is None
    if was_running:
        os.kill(proc.pid, signal.SIGKILL)
    _, err = proc.communicate()
    if not was_running:
        assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err
    return was_running


def test_kill_9_during_import_loses_nothing_committed_and_the_next_import_resumes(corpus: Path, tmp_path: Path):
    rng = random.Random(20261122)
    files = {str(p.resolve()) for p in corpus.iterdir()}
    generation = 0
    data_home = tmp_path / f"data{generation}"
    db = data_home / "newsreader" / "newsreader.db"
    before: set[str] = set()
    killed_mid_import = 0
    completed_sets = 0
    for trial in range(KILL_TRIALS):
        proc = subprocess.Popen([sys.executable, "-m", "tui", "import", str(corpus), "--workers", "0"],
                                env=_env(data_home), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        how = rng.random()
        if how < 0.2:
            time.sleep(rng.uniform(0.0, 0.6))  # during start-up or while the store is created
        else:
            _wait_for_wal(db, proc)  # once the importer has the store open ...
            if how < 0.6:
                time.sleep(rng.uniform(0.0, 0.7))  # ... at any moment of its first batch,
            else:
                _wait_for_progress(db, len(before), proc)  # ... or just after a batch was committed.
                time.sleep(rng.uniform(0.0, 0.3))
        was_running = _kill(proc)
        if not db.exists():
            continue  # killed before the store was created
        after = _check_store(db)
        assert before <= after, f"trial {trial}: committed articles lost: {sorted(before - after)[:3]}"
        assert after <= files
        if was_running and before < after < files:
            killed_mid_import += 1
        before = after
        if after == files:
            # The set is complete: start over on a fresh store so later kills land mid-import too.
            completed_sets += 1
            generation += 1
            data_home = tmp_path / f"data{generation}"
            db = data_home / "newsreader" / "newsreader.db"
            before = set()
    # Resume: the next import completes the set, each file exactly once.
    proc = subprocess.run([sys.executable, "-m", "tui", "import", str(corpus), "--workers", "0"],
                          env=_env(data_home), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    n_before = len(before)
    assert f"imported {len(files) - n_before}, updated 0, unchanged {n_before}, skipped 0" in proc.stdout
    assert _check_store(db) == files
    with Store(db) as store:
        assert store.article_count() == len(files)
    print(f"{KILL_TRIALS} kill trials: {killed_mid_import} mid-import with partial progress, "
          f"{completed_sets} complete sets")
    assert killed_mid_import >= 5  # the kills did land in the middle of imports


_BULK_IMPORT = r"""
import sys
import tui.importer
from tui.cli import main
# This corpus is small: write it in bulk mode (Store.bulk_writes) anyway, in transactions
# small enough that kills land between them.
tui.importer.BULK_FROM = 1
tui.importer.BULK_COMMIT_EVERY = 40
tui.importer.BULK_BATCH_SECONDS = 0.5
sys.exit(main(["import", sys.argv[1], "--workers", "2"]))
"""


def test_kill_9_during_a_bulk_import_loses_nothing_committed(corpus: Path, tmp_path: Path):
    """Bulk mode (big cache, a checkpointer thread copying the log back, worker processes)
    keeps the crash guarantees: each kill leaves an intact store holding everything
    committed before it, and the next import completes the set."""
    rng = random.Random(5)
    files = {str(p.resolve()) for p in corpus.iterdir()}
    generation = 0
    data_home = tmp_path / "data0"
    before: set[str] = set()
    killed_mid_import = 0
    for trial in range(12):
        db = data_home / "newsreader" / "newsreader.db"
        proc = subprocess.Popen([sys.executable, "-c", _BULK_IMPORT, str(corpus)], env=_env(data_home),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _wait_for_wal(db, proc)
        if trial % 2:
            # Just after a transaction was committed: on a slow or loaded machine a kill at
            # a random moment may land before the first commit every time.
            _wait_for_progress(db, len(before), proc)
            time.sleep(rng.uniform(0.0, 0.3))
        else:
            time.sleep(rng.uniform(0.1, 0.8))  # any moment: start-up, the workers' first results, a commit
        was_running = _kill(proc)
        after = _check_store(db)
        assert before <= after, f"trial {trial}: committed articles lost: {sorted(before - after)[:3]}"
        killed_mid_import += was_running and before < after < files
        before = after
        if after == files:  # complete: start over, so later kills land mid-import too
            generation += 1
            data_home = tmp_path / f"data{generation}"
            before = set()
    db = data_home / "newsreader" / "newsreader.db"
    proc = subprocess.run([sys.executable, "-c", _BULK_IMPORT, str(corpus)], env=_env(data_home),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert f"imported {len(files) - len(before)}, updated 0, unchanged {len(before)}, skipped 0" in proc.stdout
    assert _check_store(db) == files
    assert killed_mid_import >= 2, "the kills did not land in the middle of imports"


_TOGGLER = r"""
import sys
from tui.store import Store
store = Store(sys.argv[1])
ids = sorted(store.story_order())
k = len(ids)
i = 0
while True:
    sid = ids[i % k]
    value = (i // (2 * k)) % 2 == 0
    if (i // k) % 2 == 0:
        store.set_read(sid, value)
    else:
        store.set_starred(sid, value)
    sys.stdout.write(f"{i}\n")
    sys.stdout.flush()
    i += 1
"""


def _expected(ids: list[int], upto: int) -> dict[int, tuple[bool, bool]]:
    """Reading state after ops 0..upto of the toggler (from all-unread, unstarred)."""
    k = len(ids)
    state = {sid: [False, False] for sid in ids}
    for i in range(upto + 1):
        sid = ids[i % k]
        value = (i // (2 * k)) % 2 == 0
        state[sid][0 if (i // k) % 2 == 0 else 1] = value
    return {sid: (r, s) for sid, (r, s) in state.items()}


def test_kill_9_while_toggling_read_and_starred_keeps_every_toggle_that_returned(tmp_path: Path):
    rng = random.Random(8)
    trials = 15
    template = tmp_path / "template.db"
    with Store(template) as store:
        Importer(store).import_paths([SAMPLES])
        ids = sorted(store.story_order())
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for trial in range(trials):
        db = tmp_path / f"toggle{trial}.db"
        shutil.copyfile(template, db)
        proc = subprocess.Popen([sys.executable, "-c", _TOGGLER, str(db)], env=_env(tmp_path),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines: list[int] = []
        started = threading.Event()

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.append(int(line))
                started.set()

        t = threading.Thread(target=read, daemon=True)
        t.start()
        assert started.wait(30), proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.01, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        t.join(5)
        last = lines[-1]
        assert last > 0
        with Store(db) as store:
            assert store.integrity_ok()
            rows = store.story_rows(ids)
            got = {sid: (rows[sid].read, rows[sid].starred) for sid in ids}
            per_article = dict(((r[0], (bool(r[1]), bool(r[2]))) for r in store.conn.execute(
                "SELECT story_id, max(read), max(starred) FROM articles GROUP BY story_id")))
        # Every toggle that returned is there; the one in flight may or may not be.
        assert got in (_expected(ids, last), _expected(ids, last + 1)), f"trial {trial}, last op {last}"
        assert per_article == got  # articles and the story summary agree


# -- damaged and foreign store files -------------------------------------------------


def _good_store(tmp_path: Path) -> Path:
    db = tmp_path / "home" / ".local" / "share" / "newsreader" / "newsreader.db"
    with Store(db) as store:
        Importer(store).import_paths([SAMPLES])
        ids = store.story_order()
        store.set_read(ids[0], True)
        store.set_starred(ids[1], True)
        store.add_feed("https://example.org/feed.xml", "Example", ["t"])
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    return db


def _foreign(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes(text) VALUES ('my precious data')")
    conn.commit()
    conn.close()
    return path.read_bytes()


def _damage(kind: str, db: Path) -> None:
    data = bytearray(db.read_bytes())
    if kind == "garbage":
        db.write_bytes(random.Random(1).randbytes(len(data)))
    elif kind == "truncated":
        db.write_bytes(bytes(data[: len(data) // 3]))
    elif kind == "truncated-header":
        db.write_bytes(bytes(data[:60]))
    elif kind == "bad-pages":
        # Keep the header and schema (page 1); overwrite the pages after it.
        page = int.from_bytes(data[16:18], "big")
        for i in range(page, min(len(data), page * 40)):
            data[i] = 0x5A
        db.write_bytes(bytes(data))
    elif kind == "foreign":
        db.unlink()
        _foreign(db)
    elif kind == "tail":
        # The schema is intact; the last pages (article bodies, indexes) are not.
        for i in range(len(data) * 2 // 3, len(data)):
            data[i] = 0x5A
        db.write_bytes(bytes(data))


@pytest.mark.parametrize("kind", ["garbage", "truncated", "truncated-header", "bad-pages", "foreign"])
@pytest.mark.parametrize("argv", [["import", str(SAMPLES)], [], ["recluster"], ["refresh"]])
def test_a_damaged_or_foreign_store_is_one_line_naming_rebuild_and_never_written(tmp_path, capsys, monkeypatch,
                                                                                  kind, argv):
    db = _good_store(tmp_path)
    _damage(kind, db)
    original = db.read_bytes()
    if not argv:
        import tui.ui.app

        started = []
        monkeypatch.setattr(tui.ui.app.NewsReaderApp, "run", lambda self: started.append(1))
    status = main(argv)
    err = capsys.readouterr().err
    if not argv and kind == "bad-pages" and status == 0:
        # The header and schema are fine, so the reader starts; the damage shows when a page is read.
        assert started
        return
    assert status != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert "newsreader rebuild" in err
    assert db.read_bytes() == original  # never silently overwritten


@pytest.mark.parametrize("kind", ["garbage", "bad-pages", "foreign", "tail"])
def test_rebuild_moves_the_store_aside_and_rebuilds_from_sources(tmp_path, capsys, kind):
    db = _good_store(tmp_path)
    with Store(db) as store:
        n = store.article_count()
        read = {r[0] for r in store.conn.execute("SELECT source FROM articles WHERE read=1")}
        starred = {r[0] for r in store.conn.execute("SELECT source FROM articles WHERE starred=1")}
    _damage(kind, db)
    original = db.read_bytes()
    status = main(["rebuild", str(SAMPLES)])
    out = capsys.readouterr().out
    assert status == 0
    aside = [p for p in db.parent.iterdir() if p.name.startswith("newsreader.db.broken-") and p.suffix != ""
             and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == original  # kept, byte for byte
    assert "moved the old store to" in out and "new store" in out
    with Store(db) as store:
        assert store.integrity_ok()
        assert store.article_count() == n
        got_read = {r[0] for r in store.conn.execute("SELECT source FROM articles WHERE read=1")}
        got_starred = {r[0] for r in store.conn.execute("SELECT source FROM articles WHERE starred=1")}
        feeds = [f["url"] for f in store.feeds()]
    if kind in ("bad-pages", "tail"):
        # Marks and feeds survive when SQLite can still read their pages; never invented.
        assert got_read <= read and got_starred <= starred
    elif kind == "garbage" or kind == "foreign":
        assert not got_read and not got_starred and feeds == []


def test_rebuild_of_a_readable_store_keeps_marks_feeds_corrections_and_feed_entries(tmp_path, capsys):
    from tui.records import Page

    db = _good_store(tmp_path)
    with Store(db) as store:
        # A feed entry: no file behind it, only its saved copy.
        fid = store.add_feed("https://example.org/other.xml", "Other", [])
        imp = Importer(store)
        imp.import_page("https://example.org/story/1",
                        Page(title="Harbour opens", body="The new harbour opened on Monday. " * 20,
                             source="Other"), "digest1", feed_id=fid)
        sid = store.article_story(store.article_ids_by_source(["https://example.org/story/1"])
                                  ["https://example.org/story/1"])
        store.set_starred(sid, True)
        store.add_override("split", "https://example.org/story/1")
        store.conn.commit()
        before = {r[0]: (r[1], r[2]) for r in store.conn.execute("SELECT source, read, starred FROM articles")}
        feeds_before = sorted(f["url"] for f in store.feeds())
    assert main(["rebuild"]) == 0
    out = capsys.readouterr().out
    assert "stored 1 saved copies" in out
    with Store(db) as store:
        after = {r[0]: (r[1], r[2]) for r in store.conn.execute("SELECT source, read, starred FROM articles")}
        assert after == before
        assert sorted(f["url"] for f in store.feeds()) == feeds_before
        assert ("split", "https://example.org/story/1", "") in store.overrides()
        assert store.article_feed_url(store.article_ids_by_source(["https://example.org/story/1"])
                                      ["https://example.org/story/1"]) == "https://example.org/other.xml"


def test_kill_9_during_rebuild_keeps_the_old_file_and_a_rerun_restores_everything(tmp_path, corpus):
    from tui.rebuild import salvage

    db = _good_store(tmp_path)
    with Store(db) as store:
        Importer(store).import_paths([corpus])
        ids = store.story_order()
        for sid in ids[::7]:
            store.set_read(sid, True)
        for sid in ids[::11]:
            store.set_starred(sid, True)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage("tail", db)
    original = db.read_bytes()
    copy = tmp_path / "copy.db"
    copy.write_bytes(original)
    expected = {s: (r["read"], r["starred"]) for s, r in salvage(copy).articles.items() if r["read"] or r["starred"]}
    assert expected
    env = _env(tmp_path / "home" / ".local" / "share")
    rng = random.Random(5)
    for _ in range(8):
        proc = subprocess.Popen([sys.executable, "-m", "tui", "rebuild", str(SAMPLES), str(corpus)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.3, 2.5))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        # The damaged original is still there, byte for byte: in place, or moved aside.
        assert any(p.read_bytes() == original for p in db.parent.iterdir() if p.is_file()
                   and p.name.startswith("newsreader.db") and not p.name.endswith(("-wal", "-shm")))
    status = subprocess.run([sys.executable, "-m", "tui", "rebuild", str(SAMPLES), str(corpus)], env=env,
                            capture_output=True, text=True, timeout=300)
    assert status.returncode == 0, status.stderr
    with Store(db) as store:
        assert store.integrity_ok()
        assert store.article_count() == 17 + CORPUS_SIZE
        got = {r[0]: (bool(r[1]), bool(r[2])) for r in store.conn.execute(
            "SELECT source, read, starred FROM articles WHERE read=1 OR starred=1")}
    # Every salvageable mark is back (marks of one copy spread to its story; none invented).
    assert {s: v for s, v in got.items() if s in expected} == expected


def test_kill_9_during_refresh_loses_nothing_and_the_next_refresh_completes(tmp_path):
    from httpserver import LocalServer, Route

    body = " ".join(["Crews on the river spent the week clearing debris left by the spring flood."] * 10)
    rng = random.Random(9)
    db = tmp_path / "store.db"
    with LocalServer() as server:
        for name in ("a", "b"):
            items = "".join(
                f"<item><title>{name} story {i}</title><link>{server.url(f'/{name}/{i}')}</link>"
                f"<description>{name} {i} {rng.random()}: {body}</description></item>" for i in range(25))
            server.routes[f"/{name}.xml"] = Route(
                f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>{items}</channel></rss>'
                .encode())
        cfg = tmp_path / "config.yaml"
        cfg.write_text(f"store:\n  path: {db}\n  import_samples: false\nfeeds:\n  - {server.url('/a.xml')}\n"
                       f"  - {server.url('/b.xml')}\n", encoding="utf-8")
        cmd = [sys.executable, "-m", "tui", "--config", str(cfg), "refresh", "--no-full-text"]
        before: set[str] = set()
        for _ in range(10):
            proc = subprocess.Popen(cmd, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(rng.uniform(0.3, 2.0))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            _, err = proc.communicate()
            assert b"Traceback" not in err
            if db.exists():
                with Store(db) as store:
                    assert store.integrity_ok()
                    now = {r[0] for r in store.conn.execute("SELECT source FROM articles")}
                assert before <= now
                before = now
        done = subprocess.run(cmd, env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    with Store(db) as store:
        assert store.article_count() == 50
        assert store.integrity_ok()
