"""Duplicate clustering: one story however outlets reprint it, never two stories glued."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui.cluster import (
    ClusterSettings,
    Fingerprint,
    canonical,
    cluster,
    fingerprint,
    place,
    same_story,
)
from tui.pages import parse_page

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"

FERRY = [
    "The state transport board voted on Thursday to close the Kelso Bay ferry line at the end of the year, "
    "ending a service that has linked the island to the mainland for more than sixty years.",
    "Board members said the line lost $4.2 million last year and that repairs to its two vessels would cost "
    "another $11 million, money the board said it did not have.",
    "\"We looked at every option, and none of them kept the boats running without cutting bus routes "
    "elsewhere,\" said Marta Lindqvist, the board's chair.",
    "Island residents packed the meeting in Port Ellison and several speakers warned that older residents "
    "would be cut off from hospital appointments on the mainland.",
    "The island's only doctor, Samuel Prewitt, said about 300 patients crossed each month for treatment "
    "that is not available locally.",
    "Under the plan, the board will pay a private operator to run a smaller passenger boat twice a day, "
    "but cars and freight will no longer be carried.",
    "Local businesses said the loss of the car ferry would hurt the summer tourist season, which brings "
    "in most of the island's income.",
    "The decision still needs the approval of the state finance committee, which meets in November.",
    "Lindqvist said the board would publish the full cost review next week and take written comments "
    "until the end of October.",
]
BRIDGE = [
    "Engineers will begin a two-year study of a fixed road link between Kelso Bay island and the mainland, "
    "the state's infrastructure office said on Friday.",
    "The study, which will cost about $2 million, will compare a bridge, a tunnel and an improved ferry "
    "terminal, officials said.",
    # The background paragraph lifted from the ferry story:
    FERRY[1],
    "Supporters of a bridge argue that it would end the island's dependence on boats that are often "
    "cancelled in winter storms.",
    "Opponents, including several fishing cooperatives, said construction would disturb spawning "
    "grounds in the bay for years.",
    "\"A study is not a promise, and islanders have heard promises before,\" said Helena Marsh, who runs "
    "a guest house near the harbor.",
    "The infrastructure office said it would hold public meetings on the island in the spring before "
    "choosing a route.",
    "A first report is expected in about eighteen months, followed by a final recommendation to the "
    "legislature.",
]
OTHER = [
    "The city's water utility will raise rates by 6 percent in January to pay for new pipes, its board "
    "decided on Wednesday after a short debate.",
]


def _curly(text: str) -> str:
    parts = text.replace("'", "\u2019").split('"')
    return "".join(p if i == 0 else ("\u201c" if i % 2 else "\u201d") + p for i, p in enumerate(parts))


def _body(paras: list[str]) -> str:
    return "\n\n".join(paras)


def _page(title: str, outlet: str, paras: list[str], signoff: str | None = None) -> str:
    """A saved page as an outlet prints it: chrome, ads, a sign-off and related headlines."""
    lines = [title, "", f"Source: {outlet} | Published: 2024-10-02", "", "Share this article", ""]
    for i, p in enumerate(paras):
        lines += [p, ""]
        if i % 3 == 2:
            lines += ["Advertisement", ""]
    if signoff:
        lines += [signoff, ""]
    lines += [f"Copyright 2024 {outlet}. All rights reserved.", "", "Related:", "- Mayor opens new ferry terminal",
              "- Storm closes coastal road", "", "Comments (0)"]
    return "\n".join(lines)


def test_seeds_are_one_story_with_the_full_original_as_canonical():
    if not SEEDS.is_dir():
        pytest.skip("shared seeds are not present")
    items = [(p.name, parse_page(p.read_text(encoding="utf-8")).body) for p in sorted(SEEDS.glob("*.txt"))]
    groups = cluster(items)
    assert groups == [["000_97778266beb80e31.txt", "001_65642de56bddba02.txt"]]
    assert canonical(items) == "001_65642de56bddba02.txt"


def test_reprint_cut_short_with_dateline_update_and_typography_joins():
    reprint = FERRY[:3]
    reprint = ["PORT ELLISON (HARBOR WIRE) \u2014 " + reprint[0]] + reprint[1:] + ["UPDATE: " + OTHER[0]]
    items = [("full", _body(FERRY)), ("cut", _curly(_body(reprint))), ("other", _body(OTHER))]
    assert sorted(map(sorted, cluster(items))) == [["cut", "full"], ["other"]]
    assert canonical(items[:2]) == "full"


def test_story_sharing_one_background_paragraph_is_a_different_story():
    items = [("ferry", _body(FERRY)), ("bridge", _body(BRIDGE)), ("ferry-cut", _body(FERRY[:4]))]
    groups = sorted(map(sorted, cluster(items)))
    assert groups == [["bridge"], ["ferry", "ferry-cut"]]
    assert not same_story(fingerprint(_body(FERRY)), fingerprint(_body(BRIDGE)))


def test_a_short_fragment_is_not_contained_in_every_story_quoting_it():
    # One borrowed paragraph alone is not the story it was lifted from, nor the one that borrowed it.
    items = [("ferry", _body(FERRY)), ("bridge", _body(BRIDGE)), ("fragment", FERRY[1])]
    assert sorted(map(sorted, cluster(items))) == [["bridge"], ["ferry"], ["fragment"]]


def test_shared_outlet_boilerplate_does_not_glue_two_stories():
    signoff = (
        "Reporting by the Harbor Gazette news desk. Send tips and corrections to the newsroom through the "
        "contact page on our website, and follow us for updates on island transport."
    )
    pages = {
        "ferry": _page("Board votes to close ferry", "Harbor Gazette", FERRY[:2], signoff),
        "bridge": _page("Engineers to study bridge", "Harbor Gazette", BRIDGE[:1] + BRIDGE[3:4], signoff),
        "water": _page("Water rates to rise", "Harbor Gazette", OTHER, signoff),
    }
    items = [(k, parse_page(v).body) for k, v in pages.items()]
    assert all(signoff in body for _, body in items)  # the sign-off survives cleaning ...
    assert sorted(map(sorted, cluster(items))) == [["bridge"], ["ferry"], ["water"]]  # ... and glues nothing


def test_typography_case_and_wrapping_variants_join():
    base = _body(FERRY)
    variants = {
        "base": base,
        "curly": _curly(base).replace(" -- ", " \u2014 "),
        "upper": base.upper(),
        "wrapped": "\n".join(textwrap.fill(p, 64) for p in base.split("\n\n")),
        "run-together": " ".join(FERRY[:4]) + "\n\n" + _body(FERRY[4:]),
        "nbsp": base.replace(" ", "\u00a0", 40),
    }
    assert [sorted(g) for g in cluster(list(variants.items()))] == [sorted(variants)]


def test_empty_bodies_are_not_one_story():
    assert cluster([("a", ""), ("b", ""), ("c", "   ")]) == [["a"], ["b"], ["c"]]


def test_fingerprint_round_trips_through_bytes():
    fp = fingerprint(_body(FERRY))
    back = Fingerprint.from_bytes(fp.to_bytes())
    assert back == fp
    assert len(fp.keys) >= len(FERRY)
    assert back.n_tokens == fp.n_tokens == len(fp.text.split())
    assert Fingerprint.from_bytes(back.to_bytes()) == fp  # written again before its text was read
    with pytest.raises(ValueError):
        Fingerprint.from_bytes(b"not a fingerprint")


def test_fingerprints_stored_before_token_counts_still_read():
    """Stores written by earlier versions hold "NRF1" blobs: keys, then the text."""
    import struct
    import zlib

    fp = fingerprint(_body(FERRY))
    old = b"NRF1" + struct.pack(f"<I{len(fp.keys)}q", len(fp.keys), *fp.keys) + zlib.compress(fp.text.encode(), 6)
    assert Fingerprint.keys_of_bytes(old) == fp.keys
    back = Fingerprint.from_bytes(old)
    assert back == fp and back.n_tokens == fp.n_tokens


def test_fingerprint_keys_are_stable_across_processes():
    code = (
        "import json, sys; from tui.cluster import fingerprint; "
        "print(json.dumps(list(fingerprint(sys.stdin.read()).keys)))"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code], input=_body(FERRY), capture_output=True, text=True,
                         env=env, check=True, cwd=REPO)
    assert json.loads(out.stdout) == list(fingerprint(_body(FERRY)).keys)


def test_a_body_measured_with_its_fingerprint_measures_as_when_measured_alone():
    """Import measures each body beside its fingerprint (``completeness(body, fp.text)``):
    that must pick the same canonical version as measuring the stored body later."""
    from tui.cluster import completeness

    bodies = [parse_page(a.page, name=f"{i}.txt").body for i, a in enumerate(_load_corpus().generate(150, seed=5))]
    bodies += [_body(FERRY), _body(BRIDGE), "Short headline\n\n" + _body(FERRY), "", "UPDATE: new\n\n" + _body(FERRY)]
    partial = 0
    for body in bodies:
        assert completeness(body, fingerprint(body).text) == completeness(body)
        partial += completeness(body)[1] > 0
    assert 0 < partial < len(bodies), "bodies with and without paragraphs that do not count"


def _load_corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "tests" / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


def test_incremental_placement_agrees_with_batch_clustering():
    """The store's path -- one article at a time through a key index -- decides like ``cluster``."""
    settings = ClusterSettings()
    articles = _load_corpus().generate(400, seed=3)
    batch = {frozenset(g) for g in cluster([(a.key, a.body) for a in articles], settings)}

    index: dict[int, set[str]] = {}
    blobs: dict[str, bytes] = {}
    story_of: dict[str, int] = {}
    stories: dict[int, set[str]] = {}

    def story_counts(keys):
        return {k: len({story_of[x] for x in index.get(k, ())}) for k in keys}

    def fetch(keys, limit):
        shared: dict[str, int] = {}
        for k in keys:
            for x in index.get(k, ()):
                shared[x] = shared.get(x, 0) + 1
        best = sorted(shared, key=lambda x: (-shared[x], x))[:limit]
        return [(x, Fingerprint.from_bytes(blobs[x])) for x in best]

    for a in articles:
        fp = fingerprint(parse_page(a.page).body, settings)
        match = place(fp, story_counts, fetch, settings)
        sid = story_of[match] if match is not None else len(stories)
        story_of[a.key] = sid
        stories.setdefault(sid, set()).add(a.key)
        blobs[a.key] = fp.to_bytes()
        for k in fp.keys:
            index.setdefault(k, set()).add(a.key)
    incremental = {frozenset(s) for s in stories.values()}
    truth = {}
    for a in articles:
        truth.setdefault(a.story, set()).add(a.key)
    assert incremental == batch
    assert batch == {frozenset(s) for s in truth.values()}


def test_samples_group_into_their_stories_with_the_wire_original_as_canonical():
    samples = REPO / "samples"
    spec_path = samples / "stories.yaml"
    if not spec_path.is_file():
        pytest.skip("samples are not present")
    import yaml

    from tui.textio import decode_bytes

    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    items = [
        (p.name, parse_page(decode_bytes(p.read_bytes()), name=p.name).body)
        for p in sorted(samples.iterdir())
        if p.suffix in (".txt", ".md") and p.name != "README.md"
    ]
    bodies = dict(items)
    groups = cluster(items)
    assert sorted(map(sorted, groups)) == sorted(sorted(s["files"]) for s in spec["stories"])
    for story in spec["stories"]:
        assert canonical([(f, bodies[f]) for f in story["files"]]) == story["canonical"]


def test_a_story_reprinted_more_often_than_max_key_df_still_clusters():
    # Counting stories, not articles: a dozen different cuts of one story are not boilerplate.
    settings = ClusterSettings(max_key_df=4)
    copies = [(f"copy{i}", "PORT ELLISON (HARBOR WIRE) -- " * (i % 2) + _body(FERRY[: 3 + i % 6])) for i in range(12)]
    others = [("bridge", _body(BRIDGE)), ("water", _body(OTHER))]
    groups = sorted(map(sorted, cluster(copies + others, settings)))
    assert groups == [["bridge"], sorted(k for k, _ in copies), ["water"]]
