"""The import's in-memory candidate index answers exactly as the store's queries do."""

from __future__ import annotations

import random
import sys
from dataclasses import replace

import pytest

from conftest import REPO
from tui import cluster as clu
from tui.importer import Importer, ImportSummary, prepare_page
from tui.pages import parse_page
from tui.stories import PlacementCache, place_article, split_version
from tui.store import Store

sys.path.insert(0, str(REPO / "tests" / "bench"))
from corpus import generate  # noqa: E402

SETTINGS = clu.ClusterSettings()


@pytest.fixture(scope="module")
def prepared():
    """Analysed articles of a corpus with reprints, shared background and sign-offs."""
    out = []
    for i, art in enumerate(generate(260, seed=21)):
        page = parse_page(art.page, name=f"{i}.txt")
        out.append(prepare_page(f"/c/{i:04d}.txt", f"h{i}", page, SETTINGS))
    return out


def _state(store: Store) -> tuple:
    """Story groups (as sources) and each story's canonical source."""
    conn = store.conn
    src = dict(conn.execute("SELECT id, source FROM articles"))
    groups: dict[int, set[str]] = {}
    for aid, sid in conn.execute("SELECT id, story_id FROM articles"):
        groups.setdefault(sid, set()).add(src[aid])
    canon = {sid: src[c] for sid, c in conn.execute("SELECT id, canonical_id FROM stories")}
    return sorted((sorted(g), canon[sid]) for sid, g in groups.items())


def _write(store: Store, preps, cache: PlacementCache | None, batch: int = 16) -> None:
    """What ``Importer._commit`` does, with or without the cache."""
    imp = Importer(store, SETTINGS)
    for i in range(0, len(preps), batch):
        store.conn.execute("BEGIN IMMEDIATE")
        if cache is not None:
            cache.begin()
        unindexed: list = []
        for prep in preps[i : i + batch]:
            imp.store_prepared(prep, unindexed=unindexed, cache=cache)
        store.index_articles(unindexed)
        store.conn.commit()
        if cache is not None:
            cache.end()


def _same_answers(store: Store, cache: PlacementCache, rng: random.Random) -> None:
    """Random key sets, known and unknown keys mixed: cache == SQL."""
    keys = [k for (k,) in store.conn.execute("SELECT DISTINCT key FROM cluster_keys")]
    ids = [a for (a,) in store.conn.execute("SELECT id FROM articles")]
    for _ in range(60):
        ks = rng.sample(keys, min(len(keys), rng.randint(1, 40))) + [rng.getrandbits(62) for _ in range(3)]
        for cap in (1, 2, 5):
            want_counts = store.key_story_counts(ks, cap=cap)
            assert cache.story_counts(ks, cap) == want_counts
            # Boilerplate's answer: exact wherever two stories or more hold a key.
            many = {k: n for k, n in cache.boilerplate_counts(ks, cap).items() if n >= 2}
            assert many == {k: n for k, n in want_counts.items() if n >= 2}
        limit, exclude = rng.choice([1, 5, 50]), rng.choice([None, *ids[:20]])
        want = [(a, clu.Fingerprint.from_bytes(b)) for a, b in store.articles_sharing(ks, limit=limit, exclude=exclude)]
        assert cache.sharing(ks, limit, exclude) == want


def _changed(prepared) -> list:
    """Every 7th article again, every other one of those cut short (a new body to normalise)."""
    out = []
    for n, prep in enumerate(prepared[::7]):
        if n % 2:
            paras = prep.page.body.split("\n\n")
            page = replace(prep.page, body="\n\n".join(paras[: max(1, len(paras) // 2)]))
            prep = prepare_page(prep.source, prep.content_hash + "x", page, SETTINGS)
        out.append(prep)
    return out


@pytest.mark.parametrize("mode", ["complete", "lazy", "tiny", "too_big_to_load"])
def test_placing_with_the_cache_gives_the_same_stories(tmp_path, prepared, mode):
    with Store(tmp_path / "plain.db") as plain:
        _write(plain, prepared, None)
        _write(plain, _changed(prepared), None)
        want = _state(plain)
    assert len(want) < len(prepared), "the corpus has stories with several copies"
    with Store(tmp_path / "cached.db") as store:
        # tiny: the cache keeps overflowing its bound and starts again.
        tiny = mode == "tiny"
        cache = PlacementCache(store, max_rows=300 if tiny else 500_000, max_fingerprints=8 if tiny else 4096)
        if mode == "complete":
            cache.load_all()
        _write(store, prepared[:130], cache)
        if mode == "too_big_to_load":
            cache = PlacementCache(store, max_rows=500)
            cache.load_all()
            assert not cache._complete and cache._held == 0
        _same_answers(store, cache, random.Random(1))
        _write(store, prepared[130:], cache)
        # Re-imported copies (updates) leave the index and come back through the cache.
        _write(store, _changed(prepared), cache)
        _same_answers(store, cache, random.Random(2))
        assert _state(store) == want


def test_another_connections_commit_empties_the_cache(tmp_path, prepared):
    path = tmp_path / "s.db"
    with Store(path) as store:
        cache = PlacementCache(store)
        cache.load_all()
        _write(store, prepared[:100], cache)
        with Store(path) as other:  # the reader splits a version out: its index rows move story
            aid = other.conn.execute("SELECT id FROM articles a WHERE (SELECT count(*) FROM articles b"
                                     " WHERE b.story_id = a.story_id) > 1 LIMIT 1").fetchone()[0]
            split_version(other, aid)
        store.conn.execute("BEGIN IMMEDIATE")
        cache.begin()
        _same_answers(store, cache, random.Random(3))
        store.conn.rollback()


def test_a_write_on_the_importers_connection_between_batches_empties_the_cache(tmp_path, prepared):
    with Store(tmp_path / "s.db") as store:
        cache = PlacementCache(store)
        cache.load_all()
        _write(store, prepared[:100], cache)
        aid = store.conn.execute("SELECT max(id) FROM articles").fetchone()[0]
        split_version(store, aid)  # same connection, not through the cache
        store.conn.execute("BEGIN IMMEDIATE")
        cache.begin()
        _same_answers(store, cache, random.Random(4))
        store.conn.rollback()


def test_an_import_that_fails_midway_leaves_no_trace_in_the_cache(tmp_path, prepared, monkeypatch):
    with Store(tmp_path / "plain.db") as plain:
        _write(plain, prepared[:60], None)
        want = _state(plain)
    with Store(tmp_path / "s.db") as store:
        imp = Importer(store, SETTINGS)
        imp._cache = cache = PlacementCache(store)
        cache.load_all()
        summary = ImportSummary()
        for prep in prepared[:40]:
            imp._write(prep, summary)
        imp._commit()
        real = place_article
        calls = []

        def failing(*args, **kw):
            calls.append(1)
            if len(calls) == 10:
                raise RuntimeError("disk on fire")
            return real(*args, **kw)

        monkeypatch.setattr("tui.importer.place_article", failing)
        for prep in prepared[40:60]:
            imp._pending = (imp._pending or []) + [(prep, summary)]
        with pytest.raises(RuntimeError):
            imp._commit()
        monkeypatch.setattr("tui.importer.place_article", real)
        for prep in prepared[40:60]:
            imp._write(prep, summary)
        imp._commit()
        assert _state(store) == want


def test_an_updated_body_is_measured_again_for_the_canonical_version(tmp_path):
    from tui.records import Page

    words = "harbour ferry council budget strike night morning river bridge school".split()
    sents = [" ".join(f"{w}{i}" for w in words) + f" sentence number {i}." for i in range(12)]

    def prep(source: str, digest: str, body_sents: list[str]):
        return prepare_page(source, digest, Page("Ferry strike", "\n\n".join(body_sents)), SETTINGS)

    a1 = prep("/a.txt", "a1", sents[:10])
    b = prep("/b.txt", "b", sents[:8])
    a2 = prep("/a.txt", "a2", sents[:9])  # still the most complete, but less than before
    c = prep("/c.txt", "c", sents[:9] + ["Harbour short line added."])  # more than a2, less than a1
    states = []
    for cache_on in (False, True):
        with Store(tmp_path / f"s{cache_on}.db") as store:
            cache = PlacementCache(store) if cache_on else None
            for p in (a1, b, a2, c):
                _write(store, [p], cache)
            states.append(_state(store))
    assert states[0] == states[1] == [(["/a.txt", "/b.txt", "/c.txt"], "/c.txt")]


def test_the_key_filter_never_forgets_a_key_and_rarely_claims_one(prepared):
    """Its "no" lets placement skip reading the index: one wrong "no" would hide a
    candidate. Its "maybe" for keys never added costs a read each: they must be few."""
    from tui.keyfilter import KeyFilter

    rng = random.Random(5)
    words = [f"w{i}" for i in range(3000)]
    keys = clu._keys_of([" ".join(rng.choice(words) for _ in range(rng.randint(5, 25))) for _ in range(40_000)])
    keys += [k for p in prepared for k in clu.Fingerprint.keys_of_bytes(p.fingerprint)]
    keys = list(dict.fromkeys(keys))  # reprints share keys: each once here
    added, others = keys[::2], set(keys[1::2])
    signed = [rng.getrandbits(64) - (1 << 63) for _ in range(500)]  # keys as SQLite hands them back
    added += signed
    held = KeyFilter(len(added))
    held.add_all(added)
    assert held.maybe(added) == added
    assert len(held.maybe(others)) < 0.03 * len(others)


@pytest.mark.parametrize("loaded", [False, True])
def test_a_key_a_second_story_takes_counts_for_boilerplate_again(tmp_path, loaded):
    """The cache skips boilerplate reads of keys one story holds (its reprints share them):
    once other stories write the same sentence, its count must come back, whether the
    cache saw those rows written or read them from the store at ``load_all``."""
    sign_off = "Reporting for the Harbour Ledger by the night desk team, edited by the copy desk."
    words = "ferry council budget strike river bridge school market storm court".split()

    def prep(n: int, copy: int):
        body = "\n\n".join([" ".join(f"{w}{n}" for w in words) + f" story {n} sentence {i}." for i in range(6)]
                           + [sign_off])
        return prepare_page(f"/s{n}-{copy}.txt", f"h{n}-{copy}", parse_page(body, name="x.txt"), SETTINGS)

    key = clu.fingerprint(sign_off, SETTINGS).keys[0]
    with Store(tmp_path / "s.db") as store:
        cache = PlacementCache(store)
        cache.load_all()
        _write(store, [prep(0, 0), prep(0, 1)], cache)  # one story, two rows of the key
        assert cache.boilerplate_counts([key], 5) == {}
        if loaded:
            cache = PlacementCache(store)
            cache.load_all()
            assert cache.boilerplate_counts([key], 5) == {}
        _write(store, [prep(n, 0) for n in range(1, 6)], cache)
        assert store.key_story_counts([key], cap=5) == {key: 5}
        assert cache.boilerplate_counts([key], 5) == {key: 5}
        if not loaded:
            cache = PlacementCache(store)
            cache.load_all()
            assert cache.boilerplate_counts([key], 5) == {key: 5}
