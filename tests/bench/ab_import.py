"""Whole imports by two checkouts of newsreader, taking turns: the A/B this VM needs.

The same code's CPU per article drifts by 15% or more here between runs minutes apart,
more than most single changes save, so a change is judged on imports of the same files
by the old and the new code, alternated, each read next to what the hypervisor took.

    python tests/bench/ab_import.py --old /tmp/wt-old --new . --folder ARTICLES [--order new,old,old,new]

``--old`` / ``--new``: source trees (built with ``python setup.py build_ext --inplace``
for the compiled modules); each import runs ``python -m tui import FOLDER`` with that
tree first on the path, into a fresh store. Prints, per import: articles/s, CPU per
article (importer and its workers), cores kept busy and cores stolen (``/proc/stat``), and
the importer's share of that CPU, over the whole import and over its second half.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sched_sample import _children  # noqa: E402


def _stolen() -> float:
    with open("/proc/stat") as fh:
        return int(fh.readline().split()[8]) / os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    """User + system seconds of one process (all its threads), or 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            f = fh.read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _one(tree: Path, folder: Path, n: int) -> dict:
    home = tempfile.mkdtemp(prefix="nr-ab-")
    env = dict(os.environ, XDG_DATA_HOME=home, XDG_CONFIG_HOME=home, PYTHONPATH=str(tree))
    # (seconds since start, importer's CPU, its workers' CPU), every half second: the split
    # between the importer (the one serial stage) and its workers, over the whole import
    # and over its second half, where placement against a big store costs the most.
    samples: list[tuple[float, float, float]] = []
    try:
        r0, s0, t = resource.getrusage(resource.RUSAGE_CHILDREN), _stolen(), time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "tui", "import", str(folder)], env=env, cwd=home,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        workers: dict[int, float] = {}
        while proc.poll() is None:
            for w in _children(proc.pid):
                workers[w] = max(workers.get(w, 0.0), _cpu_of(w))
            samples.append((time.perf_counter() - t, _cpu_of(proc.pid), sum(workers.values())))
            time.sleep(0.5)
        _, stderr = proc.communicate()
        wall = time.perf_counter() - t
        r1, s1 = resource.getrusage(resource.RUSAGE_CHILDREN), _stolen()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit(f"import with {tree} failed: {stderr[-1000:]}")
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    out = {"articles_per_s": round(n / wall, 1), "cpu_ms_per_article": round(cpu * 1000 / n, 2),
           "cores_busy": round(cpu / wall, 2), "cores_stolen": round((s1 - s0) / wall, 2)}
    if len(samples) >= 4:
        _, imp, wrk = samples[-1]
        half = next(x for x in samples if x[0] >= samples[-1][0] / 2)
        out["importer_share"] = round(imp / (imp + wrk), 2) if imp + wrk else None
        late_imp, late_wrk = imp - half[1], wrk - half[2]
        out["importer_share_second_half"] = round(late_imp / (late_imp + late_wrk), 2) if late_imp + late_wrk else None
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", type=Path, required=True)
    ap.add_argument("--new", type=Path, required=True)
    ap.add_argument("--folder", type=Path, required=True, help="the article files, e.g. a kept bench corpus")
    ap.add_argument("--order", default="new,old,old,new")
    args = ap.parse_args()
    n = sum(1 for p in args.folder.rglob("*") if p.is_file())
    for name in args.order.split(","):
        print(name, _one(args.old if name == "old" else args.new, args.folder, n), flush=True)


if __name__ == "__main__":
    main()
