"""Which stage of an import waits for which: per-thread scheduler statistics.

    python tests/bench/sched_sample.py ARTICLES [--every 10]

Runs ``newsreader import ARTICLES`` into a fresh store and, every ``--every`` seconds,
prints for each thread of the importer and each worker process the share of wall time
it ran on a core and the share it waited for one (``/proc/<pid>/task/<tid>/schedstat``),
with the articles stored so far. A stage that is runnable but not running waits for a
core; one that is neither waits for the other stage (or the disk).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time


def _schedstat(path: str) -> tuple[float, float] | None:
    try:
        with open(path) as fh:
            ran, waited, _ = fh.read().split()
        return int(ran) / 1e9, int(waited) / 1e9
    except (OSError, ValueError):
        return None


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--every", type=float, default=10.0)
    args = ap.parse_args()
    home = tempfile.mkdtemp(prefix="nr-sched-")
    env = dict(os.environ, XDG_DATA_HOME=home, XDG_CONFIG_HOME=home)
    proc = subprocess.Popen(["newsreader", "import", args.folder], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    db = os.path.join(home, "newsreader", "newsreader.db")
    prev: dict[str, tuple[float, float]] = {}
    t0 = last = time.time()
    try:
        while proc.poll() is None:
            time.sleep(args.every)
            now = time.time()
            span, last = now - last, now
            cur: dict[str, tuple[float, float]] = {}
            try:
                for tid in os.listdir(f"/proc/{proc.pid}/task"):
                    v = _schedstat(f"/proc/{proc.pid}/task/{tid}/schedstat")
                    if v:
                        cur["main" if int(tid) == proc.pid else f"thread {tid}"] = v
            except OSError:
                pass
            for child in _children(proc.pid):
                v = _schedstat(f"/proc/{child}/schedstat")
                if v:
                    cur[f"worker {child}"] = v
            parts = []
            for name, (ran, waited) in sorted(cur.items()):
                pr, pw = prev.get(name, (0.0, 0.0))
                r, w = (ran - pr) / span * 100, (waited - pw) / span * 100
                if r + w >= 1:
                    parts.append(f"{name} ran {r:.0f}% waited {w:.0f}%")
            prev.update(cur)
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                    n = conn.execute("SELECT max(id) FROM articles").fetchone()[0]
            except sqlite3.Error:
                n = None
            print(f"t={now - t0:5.0f}s articles={n}: " + "; ".join(parts), flush=True)
        out, _ = proc.communicate()
        print(out.decode().strip()[-200:])
    finally:
        if proc.poll() is None:
            proc.kill()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
