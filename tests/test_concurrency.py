"""Several writers on one store: imports, a refresh and a reader marking stories, all at once.

The reader (like the app) keeps its connection open and writes read/starred
marks while ``newsreader import`` and ``newsreader refresh`` run as separate
processes. Nobody may fail with "database is locked", and no write may be lost:
every article of every import and feed is stored, and every mark the reader
set is the one the store holds at the end.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from httpserver import LocalServer, Route

from conftest import REPO, SAMPLES
from tui.importer import Importer
from tui.store import Store

sys.path.insert(0, str(REPO / "tests" / "bench"))
from corpus import generate  # noqa: E402

BODY = " ".join(["Crews on the river spent the week clearing debris left by the spring flood."] * 12)


def _rss(base: str, tag: str, n: int) -> bytes:
    items = "".join(
        f"<item><title>{tag} story {i}</title><link>{base}/{tag}/{i}</link>"
        f"<pubDate>Sat, 14 Mar 2026 10:00:00 GMT</pubDate><description>{tag} {i}: {BODY}</description></item>"
        for i in range(n)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{tag}</title>{items}</channel></rss>'.encode()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _folders(tmp_path: Path, sizes: tuple[int, ...], seed: int) -> list[Path]:
    arts = generate(sum(sizes), seed=seed)
    out = []
    start = 0
    for k, n in enumerate(sizes):
        d = tmp_path / f"folder{k}"
        d.mkdir()
        for i, art in enumerate(arts[start : start + n]):
            (d / f"f{k}-{i:04d}.txt").write_text(art.page, encoding="utf-8")
        start += n
        out.append(d)
    return out


class Marker:
    """The reader: one open connection toggling marks on stories until told to stop."""

    def __init__(self, db: Path, story_ids: list[int], seed: int) -> None:
        self.db = db
        self.ids = story_ids
        self.rng = random.Random(seed)
        self.want: dict[int, tuple[bool, bool]] = {}
        self.errors: list[BaseException] = []
        self.toggles = 0
        self.worst = 0.0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        store = Store(self.db)
        try:
            while not self.stop.is_set():
                sid = self.rng.choice(self.ids)
                read, starred = self.want.get(sid, (False, False))
                t = time.perf_counter()
                if self.rng.random() < 0.5:
                    read = not read
                    store.set_read(sid, read)
                else:
                    starred = not starred
                    store.set_starred(sid, starred)
                self.worst = max(self.worst, time.perf_counter() - t)
                self.want[sid] = (read, starred)
                self.toggles += 1
                # Like a person, and like the app's list: read what is shown now and then.
                store.story_rows(self.ids[:50])
                time.sleep(0.005)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.errors.append(exc)
        finally:
            store.close()

    def __enter__(self) -> Marker:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(60)

    def check(self) -> None:
        assert not self.errors, repr(self.errors[0])
        assert self.toggles > 20
        with Store(self.db) as store:
            rows = store.story_rows(list(self.want))
            for sid, (read, starred) in self.want.items():
                assert (rows[sid].read, rows[sid].starred) == (read, starred), f"story {sid} lost a mark"
                members = store.conn.execute(
                    "SELECT count(*), sum(read), sum(starred) FROM articles WHERE story_id=?", (sid,)).fetchone()
                assert members[1] == (members[0] if read else 0)
                assert members[2] == (members[0] if starred else 0)


def _base_store(db: Path) -> list[int]:
    with Store(db) as store:
        Importer(store).import_paths([SAMPLES])
        return store.story_order()


def _run_all(cmds: list[list[str]]) -> list[subprocess.CompletedProcess]:
    procs = [subprocess.Popen(c, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in cmds]
    out = []
    for c, p in zip(cmds, procs):
        stdout, stderr = p.communicate(timeout=180)
        out.append(subprocess.CompletedProcess(c, p.returncode, stdout, stderr))
    return out


@pytest.mark.parametrize("fresh", [True, False], ids=["new-store", "open-store"])
def test_two_imports_at_once_and_a_reader_writing_marks(tmp_path: Path, fresh: bool):
    folders = _folders(tmp_path, (60, 60), seed=11)
    cfg = tmp_path / "config.yaml"
    db = tmp_path / "store.db"
    cfg.write_text(f"store:\n  path: {db}\n  import_samples: false\n", encoding="utf-8")
    cmds = [[sys.executable, "-m", "tui", "--config", str(cfg), "import", str(f), "--workers", "0"] for f in folders]
    if fresh:
        # Both processes create the store at the same moment.
        results = _run_all(cmds)
        base = 0
        marker = None
    else:
        ids = _base_store(db)
        with Store(db) as store:
            base = store.article_count()
        with Marker(db, ids, seed=3) as marker:
            results = _run_all(cmds)
    for r in results:
        assert r.returncode == 0, r.stderr
        assert "locked" not in r.stderr and "Traceback" not in r.stderr
        assert "imported 60, updated 0, unchanged 0, skipped 0" in r.stdout, r.stdout
    with Store(db) as store:
        assert store.integrity_ok()
        assert store.article_count() == base + 120
        sources = {r[0] for r in store.conn.execute("SELECT source FROM articles")}
        assert {str(p.resolve()) for f in folders for p in f.iterdir()} <= sources
        assert store.conn.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0] == 0
    if marker is not None:
        marker.check()
        print(f"reader: {marker.toggles} marks written during two imports, slowest {marker.worst * 1000:.0f} ms")


def test_import_and_refresh_at_once_while_the_reader_writes_marks(tmp_path: Path):
    (folder,) = _folders(tmp_path, (80,), seed=12)
    db = tmp_path / "store.db"
    ids = _base_store(db)
    with Store(db) as store:
        base = store.article_count()
    with LocalServer() as server:
        server.routes["/a.xml"] = Route(_rss(server.url(""), "alpha", 8))
        server.routes["/b.xml"] = Route(_rss(server.url(""), "beta", 7))
        cfg = tmp_path / "config.yaml"
        cfg.write_text(
            f"store:\n  path: {db}\n  import_samples: false\n"
            f"feeds:\n  - {server.url('/a.xml')}\n  - {server.url('/b.xml')}\n", encoding="utf-8")
        cmds = [
            [sys.executable, "-m", "tui", "--config", str(cfg), "import", str(folder), "--workers", "0"],
            [sys.executable, "-m", "tui", "--config", str(cfg), "refresh", "--no-full-text"],
        ]
        with Marker(db, ids, seed=4) as marker:
            results = _run_all(cmds)
    imp, ref = results
    for r in results:
        assert r.returncode == 0, r.stdout + r.stderr
        assert "locked" not in r.stdout + r.stderr and "Traceback" not in r.stderr
    assert "imported 80, updated 0, unchanged 0, skipped 0" in imp.stdout
    assert "2 feeds: 15 new articles, 0 updated, 0 with errors" in ref.stdout, ref.stdout
    with Store(db) as store:
        assert store.integrity_ok()
        assert store.article_count() == base + 80 + 15
    marker.check()
    print(f"reader: {marker.toggles} marks written during import + refresh, slowest {marker.worst * 1000:.0f} ms")


def test_a_reader_sees_what_another_process_committed_without_reopening(tmp_path: Path):
    """The store side of "new stories without a restart": data_version moves, queries see the new rows."""
    (folder,) = _folders(tmp_path, (20,), seed=13)
    db = tmp_path / "store.db"
    _base_store(db)
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"store:\n  path: {db}\n", encoding="utf-8")
    with Store(db) as reader:
        version, stories, n = reader.data_version(), reader.story_total(), reader.article_count()
        (r,) = _run_all([[sys.executable, "-m", "tui", "--config", str(cfg), "import", str(folder), "--workers", "0"]])
        assert r.returncode == 0, r.stderr
        assert reader.data_version() != version
        assert reader.article_count() == n + 20
        assert reader.story_total() > stories


def _open_new_store(path: str, barrier, results) -> None:  # runs in a child process
    try:
        barrier.wait(10)
        with Store(path) as store:
            store.add_feed(f"https://example.org/{os.getpid()}.xml")
        results.put("ok")
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        results.put(repr(exc))


def test_processes_creating_the_same_new_store_at_once_all_succeed(tmp_path: Path):
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    for round_ in range(8):
        path = str(tmp_path / f"new{round_}.db")
        barrier, results = ctx.Barrier(4), ctx.Queue()
        procs = [ctx.Process(target=_open_new_store, args=(path, barrier, results)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        outcomes = [results.get(timeout=5) for _ in procs]
        assert outcomes == ["ok"] * 4, outcomes
        with Store(path) as store:
            assert len(store.feeds()) == 4 and store.integrity_ok()


def test_the_reader_never_waits_for_the_importers_analysis(tmp_path: Path, monkeypatch):
    """The importer holds the write lock only while it writes, not while it analyses."""
    import tui.importer as importer_mod

    (folder,) = _folders(tmp_path, (8,), seed=14)
    db = tmp_path / "store.db"
    ids = _base_store(db)
    real = importer_mod.analyze_page

    def slow(page, **kw):  # type: ignore[no-untyped-def]
        time.sleep(0.25)  # a slow article: the analysis of a big page
        return real(page, **kw)

    monkeypatch.setattr(importer_mod, "analyze_page", slow)
    done = threading.Event()

    def run_import() -> None:
        with Store(db) as store:
            Importer(store, batch_seconds=1.0).import_paths([folder], workers=0)
        done.set()

    t = threading.Thread(target=run_import)
    t.start()
    worst = 0.0
    with Store(db) as reader:
        while not done.is_set():
            start = time.perf_counter()
            reader.set_read(ids[0], True)
            reader.set_read(ids[0], False)
            worst = max(worst, time.perf_counter() - start)
            time.sleep(0.02)
    t.join()
    assert worst < 0.75, f"a mark waited {worst:.2f} s for the import"  # holding the lock: >= 1 s
