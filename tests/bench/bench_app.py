"""End-to-end benchmark: import, store size and the reader's responsiveness at 1k/10k/100k.

    python tests/bench/bench_app.py [--sizes 1000,10000,100000] [--runs 3] [--import-runs 3] [--out bench.json] [--keep]
    python tests/bench/bench_app.py --reuse /tmp/nr-bench-100000-XXXX   # the reader only, on a kept store

For each N it generates a synthetic corpus (tests/bench/corpus.py: real-looking
text, syndicated copies at a realistic rate), writes it as page files, runs
``newsreader import`` on them (read, clean, quotes, entities, clustering,
store), then starts ``newsreader`` in a real pseudo-terminal (120x40) and
measures, from the bytes the app writes to the terminal:

* launch: from exec to the first story title on screen;
* key-to-frame: from writing ``j`` to the first byte of the next frame, p50/p95;
* CPU per key: the app's user+system CPU over 100 cursor moves, divided by 100;
* open: from Enter on the next story to its body text on screen (the frame that shows
  the text shows its entities and quotes too); ``open_settled_ms``: to the last byte
  before the screen goes quiet, which includes the story's row losing its unread mark
  once the state writer has committed it;
* search: from the last key of a query to its first screenful of results on screen
  (the newest matches; ``search_all_ms``: until every match is counted);
* entity filter: from Enter in the entity pane to the filtered list on screen;
* memory: the app's resident set size after all of the above.

Import is the median of ``--import-runs`` imports, each into a fresh store (with
the CPU it used per article); UI figures are the median of ``--runs`` launches.
``machine.newsreader`` says whether the analysis ran compiled (setup.py). Not
collected by pytest.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
REPO = HERE.parents[1]

from corpus import generate  # noqa: E402

from tui.store import Store  # noqa: E402

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]|\x1b[=>]")


def clean(data: bytes) -> str:
    return ANSI.sub(b"", data).decode("utf-8", "replace")


class Term:
    """The reader running in a pseudo-terminal, with its output collected."""

    def __init__(self, argv: list[str], env: dict[str, str], cols: int = 120, rows: int = 40) -> None:
        self.t0 = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.buf = b""

    def read_for(self, seconds: float) -> bytes:
        end = time.perf_counter() + seconds
        out = b""
        while True:
            left = end - time.perf_counter()
            if left <= 0:
                return out
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return out
                out += chunk
                self.buf += chunk

    def wait_for(self, needle: str, timeout: float = 30.0, *, regex: bool = False) -> float | None:
        """Seconds until ``needle`` shows in the (de-escaped) output written since the call."""
        start = time.perf_counter()
        seen = b""
        pattern = re.compile(needle) if regex else None
        while time.perf_counter() - start < timeout:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return None
                seen += chunk
                text = clean(seen).replace("\r", "").replace("\n", "")
                if (pattern.search(text) if pattern else needle in text):
                    return time.perf_counter() - start
        return None

    def wait_then_quiet(self, needle: str, quiet: float = 0.1, timeout: float = 3.0) -> tuple[float | None, float | None]:
        """Seconds until ``needle`` shows in the output since the call, and until the last
        byte before the output stays quiet for ``quiet`` seconds (everything painted)."""
        start = time.perf_counter()
        seen = b""
        got = last = None
        while time.perf_counter() - start < timeout:
            r, _, _ = select.select([self.fd], [], [], quiet if got is not None else 0.05)
            if not r:
                if got is not None:
                    break
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            last = time.perf_counter() - start
            seen += chunk
            if got is None and needle in clean(seen).replace("\r", "").replace("\n", ""):
                got = last
        return got, (last if got is not None else None)

    def wait_for_both(self, first: str, final: str, timeout: float = 30.0) -> tuple[float | None, float | None]:
        """Seconds until regex ``first`` shows, and until regex ``final`` shows, in the output since the call."""
        start = time.perf_counter()
        seen = b""
        got_first = got_final = None
        p_first, p_final = re.compile(first), re.compile(final)
        while time.perf_counter() - start < timeout and got_final is None:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if not r:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            seen += chunk
            text = clean(seen).replace("\r", "").replace("\n", "")
            now = time.perf_counter() - start
            if got_first is None and p_first.search(text):
                got_first = now
            if p_final.search(text):
                got_final = now
        return got_first, got_final

    def first_byte_after(self, data: bytes, timeout: float = 2.0) -> float | None:
        os.write(self.fd, data)
        start = time.perf_counter()
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return None
        elapsed = time.perf_counter() - start
        self.read_for(0.0)
        return elapsed

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        tick = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / tick

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def _stolen() -> float | None:
    """Seconds of CPU this VM's hypervisor has given elsewhere since boot (all cores),
    or None off Linux."""
    try:
        with open("/proc/stat") as fh:
            fields = fh.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def newsreader() -> str:
    exe = shutil.which("newsreader")
    if not exe:
        raise SystemExit("newsreader is not installed (pip install -e .)")
    return exe


def settle_machine(max_wait: float = 120.0) -> None:
    """Start each import from a quiet machine: the previous one's writes flushed to disk
    and the load average back under 0.5 (at most ``max_wait`` s), so that no run starts
    while the run before is still writing back its 1.2 GB store. This did not remove the
    spread between runs (results-2026-11-23-s6b.json: 430, 356 and 447 articles/s)."""
    os.sync()
    deadline = time.monotonic() + max_wait
    while os.getloadavg()[0] >= 0.5 and time.monotonic() < deadline:
        time.sleep(2)


def build(n: int, work: Path, env: dict[str, str], runs: int) -> dict:
    """Generate N pages, import them ``runs`` times into fresh stores; the last store stays.

    Each import is timed end to end (wall clock) and by the CPU its processes used
    (the importer and its analysis workers), which the machine's load does not move
    as much; the load average is recorded next to each run.
    """
    src = work / "articles"
    src.mkdir(parents=True)
    t = time.perf_counter()
    arts = generate(n, seed=n)
    for i, a in enumerate(arts):
        (src / f"{i:06d}.txt").write_text(a.page, encoding="utf-8")
    gen_s = time.perf_counter() - t
    db = Path(env["XDG_DATA_HOME"]) / "newsreader" / "newsreader.db"
    imports = []
    for _ in range(runs):
        shutil.rmtree(db.parent, ignore_errors=True)
        settle_machine()
        load = os.getloadavg()[0]
        cpu0, steal0 = os.times(), _stolen()
        t = time.perf_counter()
        out = subprocess.run([newsreader(), "import", str(src)], env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t
        cpu1, steal1 = os.times(), _stolen()
        if out.returncode != 0:
            raise SystemExit(f"import failed: {out.stderr[-2000:]}")
        cpu = (cpu1.children_user - cpu0.children_user) + (cpu1.children_system - cpu0.children_system)
        # Cores kept busy: the rate follows the CPU an article took (which this VM's speed
        # moves) times how much of the two cores the pipeline kept working.
        imports.append({"seconds": round(wall, 1), "articles_per_s": round(n / wall, 1),
                        "cpu_ms_per_article": round(cpu * 1000 / n, 2), "cores_busy": round(cpu / wall, 2),
                        # CPU time the hypervisor gave to others while this import ran (cores).
                        "cores_stolen": None if steal0 is None or steal1 is None else round((steal1 - steal0) / wall, 2),
                        "load_before": round(load, 2)})
        print(json.dumps({"articles": n, "import": imports[-1]}), flush=True)
    with Store(db) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        stories = store.story_total()
    size = db.stat().st_size
    place = placement_ms(db, n)
    rates = sorted(r["articles_per_s"] for r in imports)
    return {"articles": n, "stories": stories, "generate_s": round(gen_s, 1),
            "import_articles_per_s": statistics.median(rates), "import_runs": imports,
            "import_cpu_ms_per_article": statistics.median(r["cpu_ms_per_article"] for r in imports),
            "store_bytes": size, "store_bytes_per_article": round(size / n),
            "import_summary": out.stdout.strip().splitlines()[0],
            "place_one_ms_median": place[0], "place_one_ms_p95": place[1]}


def placement_ms(db: Path, n: int, count: int = 100) -> tuple[float, float]:
    """Placing one new article into the built store (analysis done beforehand, as a
    worker would): its write, candidate lookup, verification and story update, each in
    its own transaction. Half are reprints of stored stories, half new stories."""
    fresh = generate(count, seed=n + 1)
    # On a copy: the measured placements commit, and the store under test must stay as imported.
    copy = db.with_name("placement-bench.db")
    with Store(db) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(db, copy)
    try:
        return _place(copy, fresh, count)
    finally:
        for p in (copy, copy.with_name(copy.name + "-wal"), copy.with_name(copy.name + "-shm")):
            p.unlink(missing_ok=True)


def _place(db: Path, fresh: list, count: int) -> tuple[float, float]:
    from tui.importer import Importer, prepare_page
    from tui.pages import parse_page

    with Store(db) as store:
        importer = Importer(store)
        rows = store.conn.execute("SELECT body, title FROM articles ORDER BY random() LIMIT ?", (count // 2,)).fetchall()
        pages = [parse_page(a.page) for a in fresh[: count // 2]]
        for body, title in rows:
            page = parse_page(f"{title}\n\nREPRINT (Bench Wire) -- {body[: len(body) * 2 // 3]}")
            pages.append(page)
        preps = [prepare_page(f"/bench/new-{i}.txt", f"h{i}", p, importer.settings) for i, p in enumerate(pages)]
        times = []
        for prep in preps:
            t = time.perf_counter()
            with store.conn:
                importer.store_prepared(prep)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return round(statistics.median(times), 1), round(times[int(0.95 * (len(times) - 1))], 1)


def ui_run(env: dict[str, str], db: Path) -> dict:
    with Store(db, readonly=True) as store:
        order = store.story_order(limit=200)
        first_title = store.story(order[0]).title[:18]
        bodies = []
        for sid in order[1:101]:
            art = store.article_text(store.story_versions(sid)[0].id)
            bodies.append(" ".join(art.body.split()[:3]))
        word = max((w for w in store.story(order[0]).title.split() if w.isalpha()), key=len)
    term = Term([newsreader()], env)
    res: dict = {}
    found = term.wait_for(first_title, timeout=30)
    res["launch_s"] = round(time.perf_counter() - term.t0, 3) if found is not None else None
    term.read_for(1.5)  # let the full list load and the first story render
    # Key-to-frame latency and CPU per key over 100 cursor moves.
    lat = []
    cpu0 = term.cpu_seconds()
    for _ in range(100):
        d = term.first_byte_after(b"j")
        if d is not None:
            lat.append(d * 1000)
        term.read_for(0.04)
    cpu1 = term.cpu_seconds()
    res["key_to_frame_ms_p50"] = round(statistics.median(lat), 1) if lat else None
    res["key_to_frame_ms_p95"] = round(sorted(lat)[int(0.95 * (len(lat) - 1))], 1) if lat else None
    res["cpu_ms_per_key"] = round((cpu1 - cpu0) * 1000 / 100, 2)
    # Open: Enter on the next story (before its preview is due) until its body text is on
    # screen, and until the screen settles (the read mark lands a little later).
    os.write(term.fd, b"g")
    term.read_for(0.5)
    opens, texts = [], []
    for body in bodies[:20]:
        os.write(term.fd, b"j")
        term.read_for(0.02)
        os.write(term.fd, b"\r")
        text, everything = term.wait_then_quiet(body[:12])
        if text is not None and everything is not None:
            texts.append(text * 1000)
            opens.append(everything * 1000)
        os.write(term.fd, b"h")
        term.read_for(0.2)
    res["open_ms_median"] = round(statistics.median(texts), 1) if texts else None
    res["open_settled_ms_median"] = round(statistics.median(opens), 1) if opens else None
    # Search: type the query, time from the last key to the filtered list.
    os.write(term.fd, b"/")
    term.read_for(0.4)  # the search box takes focus before the query is typed
    os.write(term.fd, word[:-1].encode())
    term.read_for(0.5)
    os.write(term.fd, word[-1:].encode())
    # The terminal only receives changed cells: after the last key the bar reads
    # "searching…", then "N+ stories · " with the newest matches (the first screenful),
    # then "N stories · " once every match is read.
    first, every = term.wait_for_both(r"\d\+? stories · ", r"\d stories · ", timeout=10)
    res["search_ms"] = round(first * 1000, 1) if first is not None else None
    res["search_all_ms"] = round(every * 1000, 1) if every is not None else None
    os.write(term.fd, b"\r\x1b")
    term.read_for(0.8)
    # Entity filter: focus the entity pane (Tab twice), first entity, Enter.
    os.write(term.fd, b"\t\t")
    term.read_for(0.5)
    os.write(term.fd, b"\x1b[B")
    term.read_for(0.3)
    os.write(term.fd, b"\r")
    d = term.wait_for(r"\d stories · ", timeout=10, regex=True)
    res["entity_filter_ms"] = round(d * 1000, 1) if d else None
    term.read_for(0.5)
    res["rss_mb"] = round(term.rss_mb(), 1)
    term.close()
    return res


def median_of(runs: list[dict]) -> dict:
    out = {}
    for k in runs[0]:
        vals = [r[k] for r in runs if isinstance(r.get(k), (int, float))]
        out[k] = round(statistics.median(vals), 3) if vals else None
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=3, help="reader launches per size (median)")
    ap.add_argument("--import-runs", type=int, default=3, help="imports per size, each into a fresh store (median)")
    ap.add_argument("--out", default=None)
    ap.add_argument("--keep", action="store_true", help="keep the generated stores")
    ap.add_argument("--reuse", default=None, metavar="DIR",
                    help="measure the reader only, on a store kept by an earlier --keep run (its nr-bench-* dir)")
    args = ap.parse_args()
    version = subprocess.run([newsreader(), "--version"], capture_output=True, text=True).stdout.strip()
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
               "system": platform.platform(), "newsreader": version}
    print(json.dumps({"machine": machine}))
    results = []
    if args.reuse:
        work = Path(args.reuse)
        env = dict(os.environ, HOME=str(work), XDG_DATA_HOME=str(work / "data"),
                   XDG_CONFIG_HOME=str(work / "config"), TERM="xterm-256color")
        env.pop("NEWSREADER_CONFIG", None)
        db = work / "data" / "newsreader" / "newsreader.db"
        with Store(db) as store:  # brings an older store up to the current schema
            row = {"articles": store.article_count(), "stories": store.story_total()}
        row.update(median_of([ui_run(env, db) for _ in range(args.runs)]))
        print(json.dumps(row), flush=True)
        return 0
    for n in [int(x) for x in args.sizes.split(",")]:
        work = Path(tempfile.mkdtemp(prefix=f"nr-bench-{n}-"))
        env = dict(os.environ, HOME=str(work), XDG_DATA_HOME=str(work / "data"),
                   XDG_CONFIG_HOME=str(work / "config"), TERM="xterm-256color")
        env.pop("NEWSREADER_CONFIG", None)
        row = build(n, work, env, args.import_runs)
        db = Path(env["XDG_DATA_HOME"]) / "newsreader" / "newsreader.db"
        row.update(median_of([ui_run(env, db) for _ in range(args.runs)]))
        print(json.dumps(row), flush=True)
        results.append(row)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.out:
        Path(args.out).write_text(json.dumps({"machine": machine, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
