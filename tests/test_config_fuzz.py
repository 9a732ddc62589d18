"""A fuzzed config.yaml: exit 0 when valid, else exactly one line with file:line and exit 2.

Hypothesis writes random YAML documents (random nesting, wrong types, unknown
keys, settings from the real config in the wrong places), raw text that is
barely YAML, huge files and anchor/alias bombs; ``newsreader --check-config``
must never print a traceback, and when it accepts a config, the config must be
usable (its clustering settings construct, its numbers are finite).
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.config import default_config_text, load_config

DEFAULTS = yaml.safe_load(default_config_text())
SECTIONS = sorted(DEFAULTS)
LEAVES = sorted({k for v in DEFAULTS.values() if isinstance(v, dict) for k in v}
                | {k for sect in (DEFAULTS.get("keys") or {}).values() for k in sect})
NAMES = st.sampled_from(SECTIONS + LEAVES + ["global", "list", "article", "panes", "url", "name", "tags"]) | st.text(
    max_size=8)

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["enter", "ctrl+x", "shift+tab", "j", "?", "http://example.org/f", "file:///etc/passwd",
                     "textual-dark", "~", "", "yes", "0x10", "1e400", ".nan", "-.inf"]),
)
VALUES = st.recursive(SCALARS, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(NAMES, kids, max_size=4),
                      max_leaves=20)
# Mostly real sections with random contents, sometimes anything at all.
DOCS = st.one_of(
    st.dictionaries(st.sampled_from(SECTIONS), st.dictionaries(NAMES, VALUES, max_size=5) | VALUES, max_size=4),
    VALUES,
)

YAML_BITS = st.sampled_from([
    "\n", "  ", ":", ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!python/object:os.system ", "!!binary ",
    "'", '"', "#", "|", ">", "---", "...", "%YAML 1.1\n", "keys", "global", "quit", "limits", "store", "path",
    "\t", "\x00", "\x85", "\ufeff", "? ", "<<: *a", "!!int ", "!!str ", "!!set ", "!!omap ", "1e9999", "\\x",
])
RAW = st.lists(YAML_BITS | st.text(max_size=5), max_size=40).map("".join)

ONE_LINE = re.compile(r"^newsreader: (?P<file>[^\n]+?):(?P<line>\d+): [^\n]+$")


def check(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--config", str(path), "--check-config"])
    return status, out.getvalue(), err.getvalue()


def assert_outcome(path: Path) -> None:
    status, out, err = check(path)
    assert "Traceback" not in err
    if status == 0:
        assert err == "" and out.startswith("config ok")
        cfg = load_config(path)
        cfg.cluster_settings()
        for section in ("limits", "clustering"):
            for k, v in cfg.data[section].items():
                if isinstance(v, float):
                    assert math.isfinite(v), f"{section}.{k} = {v}"
        return
    assert status == 2, (status, err)
    lines = err.splitlines()
    assert len(lines) == 1, err
    m = ONE_LINE.match(lines[0])
    assert m, lines[0]
    assert m["file"] == str(path)


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=DOCS)
def test_random_yaml_documents(workdir: Path, doc) -> None:
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert_outcome(path)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=RAW)
def test_raw_text_that_is_barely_yaml(workdir: Path, text: str) -> None:
    path = workdir / "config.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    assert_outcome(path)


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes(workdir: Path, data: bytes) -> None:
    path = workdir / "config.yaml"
    path.write_bytes(data)
    assert_outcome(path)


@settings(max_examples=100, deadline=None)
@given(section=st.sampled_from(SECTIONS), key=st.sampled_from(LEAVES), value=VALUES)
def test_wrong_types_in_the_right_places(workdir: Path, section: str, key: str, value) -> None:
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump({section: {key: value}}, allow_unicode=True), encoding="utf-8")
    assert_outcome(path)


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))

BOMBS = {
    "billion-laughs-top": LAUGHS,
    "billion-laughs-in-a-setting": "ui:\n  browser: &a [x, x, x, x]\n  theme: *a\n" + LAUGHS.replace("a:", "z:", 1),
    "laughs-under-keys": "keys:\n  global:\n    quit: &k [q, q, q]\n    help: *k\n",
    "merge-key-bomb": "base: &b {x: 1}\nlimits:\n  <<: *b\n",
    "recursive-alias": "a: &a [*a]\n",
    "deep-nesting-flow": "limits: " + "[" * 5000 + "]" * 5000 + "\n",
    "deep-nesting-block": "".join("  " * i + f"k{i}:\n" for i in range(2000)) + "  " * 2000 + "v\n",
    "deep-mapping-flow": "limits: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
    "huge-file": "# padding\n" * 150_000 + "ui:\n  theme: nord\n",
    "huge-string": "ui:\n  theme: " + "x" * 900_000 + "\n",
    "many-keys": "".join(f"k{i}: {i}\n" for i in range(8_000)),
    "many-items": "ui:\n  browser: [" + ", ".join(["x"] * 51_000) + "]\n",
    "python-tag": "ui:\n  theme: !!python/object/apply:os.system ['echo pwned']\n",
    "binary-tag": "ui:\n  theme: !!binary aGVsbG8=\n",
    "set-tag": "ui:\n  browser: !!set {a, b}\n",
    "timestamp": "ui:\n  theme: 2026-01-01\n",
    "nan": "limits:\n  download_timeout: .nan\n",
    "inf": "limits:\n  download_timeout: .inf\n",
    "huge-int": "limits:\n  max_article_bytes: " + "9" * 5000 + "\n",
    "bom-and-nul": "\ufeffui:\n  theme: a\x00b\n",
    "latin1": "ui:\n  theme: caf\xe9\n",
    "tabs": "ui:\n\ttheme: nord\n",
    "two-documents": "ui: {theme: nord}\n---\nui: {theme: x}\n",
    "null-section": "limits:\n",
    "list-top": "- a\n- b\n",
    "duplicate-keys": "ui:\n  theme: nord\n  theme: gruvbox\n",
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bombs_and_oddities(workdir: Path, name: str) -> None:
    path = workdir / f"{name}.yaml"
    text = BOMBS[name]
    path.write_bytes(text.encode("latin-1") if name == "latin1" else text.encode("utf-8"))
    assert_outcome(path)


def test_a_huge_file_is_refused_quickly(workdir: Path) -> None:
    import time

    path = workdir / "huge.yaml"
    path.write_bytes(b"a: b\n" * 5_000_000)  # 25 MB
    t = time.perf_counter()
    status, _, err = check(path)
    assert status == 2 and "too large" in err and time.perf_counter() - t < 2
