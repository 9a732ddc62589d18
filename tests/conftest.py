"""Shared fixtures: an isolated HOME/XDG per test, the samples, the shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """No test reads or writes the real user's config or store."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("NEWSREADER_CONFIG", raising=False)
    return home


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture
def store_path(tmp_path) -> Path:
    """A store holding the bundled samples."""
    from tui.importer import Importer
    from tui.store import Store

    path = tmp_path / "store.db"
    with Store(path) as store:
        Importer(store).import_paths([SAMPLES])
    return path


def write_articles(folder: Path, n: int, *, seed: int, title: str = "Story {i}", lead: str = "") -> None:
    """``n`` article files whose bodies share no sentence (random words), so each is a story of its own."""
    import random

    rng = random.Random(seed)
    vocab = [f"w{i}x{seed}" for i in range(4000)]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = " ".join(rng.choice(vocab) for _ in range(70))
        (folder / f"{i:03d}.txt").write_text(f"{title.format(i=i)}\n\n{lead}{body}. Number {i}.\n")
