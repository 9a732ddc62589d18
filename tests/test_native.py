"""The compiled analysis modules (setup.py, mypyc) must change nothing but speed.

An install compiles the hot analysis modules; these tests run the same
documents through the compiled build and through the pure-Python sources
(``NEWSREADER_PURE=1``) and require identical cleaned text, quotes and
entities, offsets included.  They also hold the guard that keeps a stale
compiled build (older than its source after an edit or a checkout) from
running old code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui import compiled

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO.parent / "shared" / "datasets"

# Prints one JSON line per document: everything a reader would see of its analysis.
_ANALYSE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from corpus import generate
    import tui
    from tui.analysis import analyze_page, contract_record
    from tui.pages import parse_page
    from tui.records import Page
    print(json.dumps({"native": tui.NATIVE.active}))
    docs = [(p.name, p.read_text(encoding="utf-8", errors="replace")) for p in sorted(Path(sys.argv[2]).glob("*.*"))]
    docs += [(p.name, p.read_text(encoding="utf-8")) for p in sorted(Path(sys.argv[3]).glob("*.txt"))[:60]]
    docs += [(a.key, a.page) for a in generate(150, seed=11)]
    for name, text in docs:
        for raw in (False, True):
            page = Page(title=None, body=text) if raw else parse_page(text, name=name)
            print(json.dumps(contract_record(name, analyze_page(page)), sort_keys=True))
    """
)


def _analyse(pure: bool) -> tuple[bool, list[str]]:
    env = {k: v for k, v in os.environ.items() if k != "NEWSREADER_PURE"}
    if pure:
        env["NEWSREADER_PURE"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", _ANALYSE, str(REPO / "tests" / "bench"), str(REPO / "samples"),
         str(DATASETS / "polnear" / "dev" / "text")],
        env=env, capture_output=True, text=True, check=True, cwd=REPO,
    )
    head, *records = out.stdout.splitlines()
    return json.loads(head)["native"], records


@pytest.mark.skipif(not compiled.status().active, reason="the analysis modules are not compiled in this install")
def test_compiled_and_pure_analysis_are_identical():
    native, fast = _analyse(pure=False)
    pure_native, slow = _analyse(pure=True)
    assert native and not pure_native
    assert len(fast) == len(slow) > 400
    for a, b in zip(fast, slow):
        if a != b:
            ra, rb = json.loads(a), json.loads(b)
            diff = [k for k in ra if ra[k] != rb.get(k)]
            pytest.fail(f"{ra['path']}: compiled and pure analysis differ in {diff}")


def test_pure_switch_loads_the_sources():
    code = "import tui.entities, tui.quotes, tui; print(tui.entities.__file__, tui.quotes.__file__, tui.NATIVE.active)"
    env = {**os.environ, "NEWSREADER_PURE": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    ent, quo, active = out.stdout.split()
    assert ent.endswith("entities.py") and quo.endswith("quotes.py") and active == "False"


def _fake_build(folder: Path, names: list[str], *, source_newer: str | None = None) -> None:
    suffix = compiled.importlib.machinery.EXTENSION_SUFFIXES[0]
    for n in names:
        (folder / f"{n}.py").write_text("")
        (folder / f"{n}{suffix}").write_bytes(b"")
        os.utime(folder / f"{n}.py", (1_000, 1_000))
        os.utime(folder / f"{n}{suffix}", (2_000, 2_000))
    (folder / f"native__mypyc{suffix}").write_bytes(b"")
    os.utime(folder / f"native__mypyc{suffix}", (2_000, 2_000))
    if source_newer:
        os.utime(folder / f"{source_newer}.py", (3_000, 3_000))


def test_fresh_build_is_used(tmp_path):
    _fake_build(tmp_path, ["entities", "quotes"])
    st = compiled.status(tmp_path, {})
    assert st.compiled == ("entities", "quotes") and st.active
    assert "compiled with mypyc, 2 modules" in st.line()


def test_an_edited_source_bypasses_the_whole_build(tmp_path):
    _fake_build(tmp_path, ["entities", "quotes"], source_newer="quotes")
    st = compiled.status(tmp_path, {})
    assert not st.active
    assert "older than quotes.py" in st.line() and "reinstall" in st.line()


def test_a_rebuilt_group_counts_even_when_the_shims_were_left_alone(tmp_path):
    # An incremental build rewrites the shared library that holds the code, not every shim.
    _fake_build(tmp_path, ["entities", "quotes"], source_newer="quotes")
    suffix = compiled.importlib.machinery.EXTENSION_SUFFIXES[0]
    os.utime(tmp_path / f"native__mypyc{suffix}", (4_000, 4_000))
    assert compiled.status(tmp_path, {}).active


def test_no_build_means_pure_python(tmp_path):
    (tmp_path / "entities.py").write_text("")
    st = compiled.status(tmp_path, {})
    assert st.compiled == () and not st.active and "not compiled" in st.line()


def test_version_says_which_analysis_runs():
    out = subprocess.run([sys.executable, "-m", "tui", "--version"], capture_output=True, text=True,
                         env={**os.environ, "NEWSREADER_PURE": "1"})
    assert out.returncode == 0
    assert "analysis" in out.stdout and ("pure Python" in out.stdout)


def test_what_import_sends_to_its_workers_and_back_survives_pickling():
    # Compiled classes pickle differently (a compiled frozen dataclass cannot be
    # unpickled without its own __reduce__); a job that fails to unpickle breaks the
    # worker pool and the import falls back to analysing everything in one process.
    import dataclasses
    import pickle

    from tui import cluster as clu
    from tui.importer import MAX_ARTICLE_BYTES, _prepare_job

    sample = sorted((REPO / "samples").glob("*.*"))[0]
    # Every setting off its default: one the pickling left out would come back as the default.
    unusual = {f.name: f.default * 2 + 1 if isinstance(f.default, int) else f.default / 2
               for f in dataclasses.fields(clu.ClusterSettings)}
    settings = clu.ClusterSettings(**unusual)
    job = (str(sample), sample.read_bytes(), sample.suffix == ".html", settings, MAX_ARTICLE_BYTES, 500, 1000)
    back = pickle.loads(pickle.dumps(job))
    assert back[3] == settings and dataclasses.asdict(back[3]) == unusual and back[:3] == job[:3]
    fp = clu.fingerprint("One sentence that is long enough to count. And another one long enough too.")
    assert pickle.loads(pickle.dumps(fp)) == fp
    result = _prepare_job(back)
    again = pickle.loads(pickle.dumps(result))
    assert again.quotes == result.quotes and again.entities == result.entities and again.page == result.page
    # The records themselves (compiled too) travel whole elsewhere: the frozen ones need __reduce__.
    from tui.records import Entity, Mention, Quote
    records = [Quote("Yes", 1, 6, "Ann Lee", 10, 17), Quote("No", 2, 5), Entity("Ann Lee", "person", [Mention("Lee", 3, 6)])]
    assert pickle.loads(pickle.dumps(records)) == records
