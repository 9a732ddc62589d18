"""Bad articles, property-based: decoding, cleaning, quotes, entities, clustering and import.

Whatever bytes arrive (arbitrary text, binary, any common encoding, zero-width
and right-to-left characters, 10,000-character lines, quote-mark soup, huge
files), nothing raises except the one documented ``UnreadableError``, every
article is analysed in bounded time, and every offset points inside the body
(``body[start:end] == text`` for mentions). The slowest article seen is
printed (run with ``-s``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui import cluster as clu
from tui.analysis import analyze_page
from tui.importer import Importer
from tui.pages import parse_page
from tui.records import Page
from tui.store import Store
from tui.textio import UnreadableError, decode_bytes

# One article may take at most this long through cleaning + analysis + fingerprint (seconds).
# Typical news articles take milliseconds; this bounds pathological input, on a loaded CI machine.
ARTICLE_BUDGET = 5.0

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
RTL = "\u200f\u202b\u202e\u2067\u061c\u05d0\u05d1\u05d2\u0627\u0644\u0639\u0631\u0628\u064a\u0629"
QUOTES = "\"'`\u00b4\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u300c\u300d\u300e\u300f\u2032\u2033\uff02"
WORDS = ["said", "says", "told", "according to", "Mr.", "Dr.", "Mayor", "President", "the", "of", "and", "in",
         "Jane", "Doe", "United", "Nations", "New", "York", "Reuters", "AP", "—", "--", ":", ";", ",", ".", "?", "!",
         "(", ")", "\n", "\n\n", "  ", "\t", "Photo:", "FILE -", "Updated", "2024-11-22", "By", "Staff"]

WORST: dict[str, tuple[float, str]] = {}


def _timed(label: str, fn, arg):
    t = time.perf_counter()
    out = fn(arg)
    dt = time.perf_counter() - t
    if dt > WORST.get(label, (0.0, ""))[0]:
        WORST[label] = (dt, repr(arg)[:120] if not isinstance(arg, Page) else repr(arg.body)[:120])
    return out, dt


def check_page(page: Page) -> None:
    """Analysis of a cleaned page: no exception, offsets inside the body, bounded time."""
    body = page.body
    t = time.perf_counter()
    analysis = analyze_page(page)
    fp = clu.fingerprint(body)
    dt = time.perf_counter() - t
    if dt > WORST.get("analysis", (0.0, ""))[0]:
        WORST["analysis"] = (dt, repr(body)[:120])
    assert dt < ARTICLE_BUDGET, f"{dt:.1f} s for {len(body)} chars: {body[:80]!r}"
    n = len(body)
    for q in analysis.quotes:
        assert 0 <= q.start <= q.end <= n, q
        assert q.text and body[q.start : q.end] == q.text, (q, body[q.start : q.end])
        if q.speaker_start is not None or q.speaker_end is not None:
            assert q.speaker_start is not None and q.speaker_end is not None, q
            assert 0 <= q.speaker_start <= q.speaker_end <= n, q
    for e in analysis.entities:
        assert e.name and e.mentions, e
        for m in e.mentions:
            assert 0 <= m.start < m.end <= n, m
            assert body[m.start : m.end] == m.text, (m, body[m.start : m.end])
    assert isinstance(fp.to_bytes(), bytes)
    clu.Fingerprint.from_bytes(fp.to_bytes())


def check_text(text: str) -> Page:
    page, dt = _timed("parse_page", lambda t: parse_page(t, name="x.txt"), text)
    assert dt < ARTICLE_BUDGET
    assert isinstance(page.body, str)
    check_page(page)
    return page


# -- strategies ------------------------------------------------------------------------------

tokens = st.one_of(
    st.sampled_from(WORDS),
    st.text(alphabet=QUOTES, min_size=1, max_size=3),
    st.text(alphabet=ZERO_WIDTH + RTL, min_size=1, max_size=3),
    st.from_regex(r"[A-Z][a-z]{1,9}", fullmatch=True),
    st.text(max_size=6),
)
news_like = st.lists(tokens, max_size=120).map(" ".join)
# Long articles: a generated stretch repeated, with a different head (so not every line is the same).
long_news = st.tuples(news_like, news_like, st.integers(2, 60)).map(lambda t: t[0] + "\n\n" + (t[1] + " ") * t[2])
any_text = st.text(max_size=2000)
soup = st.text(alphabet=QUOTES + ZERO_WIDTH + RTL + " .,\nAaBbSaid", max_size=3000)


@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(news_like, long_news, any_text, soup))
def test_arbitrary_text_through_cleaning_analysis_and_fingerprint(text: str) -> None:
    check_text(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.one_of(news_like, long_news, soup))
def test_arbitrary_bodies_through_analysis(body: str) -> None:
    # Analysis also runs on bodies that did not come from parse_page (feeds, --no-clean).
    check_page(Page(title=None, body=body))


@settings(max_examples=500, deadline=None)
@given(data=st.binary(max_size=4000))
def test_arbitrary_bytes_decode_or_give_a_reason(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except UnreadableError as exc:
        assert str(exc)
        return
    assert isinstance(text, str) and "\r" not in text
    check_text(text)


SAMPLE = ("Résumé of the “naïve” café owner: «Ça va», said Zoë Ångström — 50 € — in Malmö. "
          "Ünal Çelik told Reuters: „Wir schaffen das.“ ")
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1",
             "iso-8859-15", "mac_roman", "cp437", "cp1250", "cp1251", "koi8-r", "shift_jis", "euc-jp", "gb18030",
             "big5", "euc-kr", "iso-2022-jp", "utf-7"]
TEXTS = {
    "latin": SAMPLE * 5,
    "cyrillic": "Президент России заявил журналистам: «Мы готовы». " * 5,
    "japanese": "東京都の知事は「準備はできている」と述べた。" * 5,
    "chinese": "北京市长说：“我们准备好了。”" * 5,
    "korean": "서울 시장은 \"준비가 되었다\"고 말했다. " * 5,
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("script", sorted(TEXTS))
def test_every_common_encoding(encoding: str, script: str) -> None:
    try:
        data = TEXTS[script].encode(encoding)
    except UnicodeEncodeError:
        pytest.skip(f"{script} is not representable in {encoding}")
    try:
        text = decode_bytes(data)
    except UnreadableError as exc:
        assert str(exc)
        return
    if encoding.startswith(("utf-8", "utf-16", "utf-32")) or (script == "latin" and encoding == "cp1252"):
        assert text == TEXTS[script]
    check_text(text)


ADVERSARIAL = {
    "10k-line": ("Jane Doe said the council would vote. " * 270)[:10_000],
    "10k-word": "A" * 10_000,
    "10k-capitals": " ".join(["Alpha Beta Gamma Delta"] * 2_500),
    "quote-soup": "“‘«„\"'" * 3_000,
    "unclosed-quotes": ("“We will " + "never " * 50) * 200,
    "nested-quotes": "“" * 2_000 + "said Jane Doe" + "”" * 2_000,
    "alternating": ('"a" said B. ' * 3_000),
    "saids": "said " * 10_000,
    "zero-width": ("Jane\u200bDoe\u200d said\u2060 “hi\ufeff”. " * 1_000),
    "rtl": ("\u202eJane Doe said “\u05e9\u05dc\u05d5\u05dd” \u0627\u0644\u0639\u0631\u0628\u064a\u0629. " * 1_000),
    "combining": ("J\u0301a\u0302n\u0303e\u0308 " * 3_000),
    "emoji": ("👩‍👩‍👧‍👦 said “🔥”. " * 2_000),
    "surrogate-like": "\ud7ff\ue000\uffff\U0010ffff " * 2_000,
    "many-lines": "Jane Doe\n" * 20_000,
    "blank-lines": "\n" * 50_000 + "Jane Doe said “yes”.",
    "long-paragraph-no-punct": " ".join(f"Word{i}" for i in range(20_000)),
    "dateline-soup": "WASHINGTON (AP) — " * 3_000,
    "titles": "Mr. Dr. Mrs. Sen. Gov. Rep. " * 3_000,
    "initials": "J. R. R. T. " * 5_000,
    "urls": "https://example.org/a?b=c&d=e " * 3_000,
    "numbers": "1,000,000.00 " * 8_000,
    "dashes": "— – - ‒ ― " * 8_000,
    "apostrophes": "O'Neil's D'Angelo's rock 'n' roll '90s " * 2_000,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_articles_in_bounded_time(name: str) -> None:
    text = ADVERSARIAL[name]
    t = time.perf_counter()
    check_text(text)
    check_page(Page(title=None, body=text))
    WORST[f"adversarial:{name}"] = (time.perf_counter() - t, name)


BIG = {
    "news-4.9MB": None,  # generated news text just under the default 5 MB cap
    "quote-soup-1MB": "“‘«„\"'" * 170_000,
    "capitals-1MB": " ".join(["Alpha Beta Gamma Delta"] * 45_000),
    "said-1MB": '"a" said B. ' * 80_000,
    "names-1MB": " ".join(f"Name{i} Surname{i} said." for i in range(40_000)),
    "lines-1MB": "Jane Doe\n" * 110_000,
}


@pytest.mark.parametrize("name", sorted(BIG))
def test_articles_at_the_size_cap_in_bounded_time(name: str) -> None:
    text = BIG[name]
    if text is None:
        import sys

        from conftest import REPO

        sys.path.insert(0, str(REPO / "tests" / "bench"))
        from corpus import generate

        one = "\n\n".join(a.body for a in generate(300, seed=3))
        text = (one * (4_900_000 // len(one) + 1))[:4_900_000]
    t = time.perf_counter()
    check_text(text)
    WORST[f"big:{name}"] = (time.perf_counter() - t, name)


def test_clustering_arbitrary_and_adversarial_bodies() -> None:
    items = [(k, v) for k, v in ADVERSARIAL.items()] + [(f"dup-{k}", v) for k, v in list(ADVERSARIAL.items())[:5]]
    items += [("empty", ""), ("space", "   "), ("one", "x")]
    t = time.perf_counter()
    groups = clu.cluster(items)
    assert sorted(k for g in groups for k in g) == sorted(k for k, _ in items)
    assert clu.canonical(items) in dict(items)
    assert time.perf_counter() - t < 30


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=st.lists(st.one_of(news_like, soup), min_size=1, max_size=8))
def test_clustering_arbitrary_bodies(bodies: list[str]) -> None:
    items = list(enumerate(bodies + bodies[:2]))
    groups = clu.cluster(items)
    assert sorted(k for g in groups for k in g) == [k for k, _ in items]


# -- the importer ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad-import")
    store = Store(d / "store.db")
    yield store, d
    store.close()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.tuples(st.sampled_from([".txt", ".md", ".html"]),
                                st.one_of(st.binary(max_size=3000), news_like.map(str.encode),
                                          soup.map(lambda s: s.encode("utf-16")))),
                      min_size=1, max_size=4))
def test_import_of_arbitrary_files_never_raises(shared_store, files) -> None:
    store, d = shared_store
    folder = d / f"batch{len(list(d.iterdir()))}"
    folder.mkdir()
    for i, (suffix, data) in enumerate(files):
        (folder / f"f{i}{suffix}").write_bytes(data)
    summary = Importer(store).import_paths([folder], workers=0)
    assert summary.imported + summary.updated + summary.unchanged + len(summary.skipped) == len(files)
    for s in summary.skipped:
        assert s.reason and "\n" not in s.reason
    assert store.integrity_ok()


def test_a_50_mb_file_is_skipped_by_size_without_being_read(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    big = folder / "huge.txt"
    with big.open("wb") as fh:  # sparse where the file system allows: quick to make
        fh.truncate(50 * 1024 * 1024)
    (folder / "ok.txt").write_text("Dam opens\n\nThe new dam opened on Saturday, officials said. " * 5)
    read: list[str] = []
    real, real_open = Path.read_bytes, Path.open

    def spy(self):  # type: ignore[no-untyped-def]
        read.append(self.name)
        return real(self)

    def spy_open(self, *a, **kw):  # type: ignore[no-untyped-def]
        read.append(self.name)
        return real_open(self, *a, **kw)

    monkeypatch.setattr(Path, "read_bytes", spy)
    monkeypatch.setattr(Path, "open", spy_open)
    with Store(tmp_path / "s.db") as store:
        t = time.perf_counter()
        summary = Importer(store).import_paths([folder], workers=0)
        dt = time.perf_counter() - t
    assert summary.imported == 1
    assert [s.reason for s in summary.skipped] == ["too large (52,428,800 bytes; limit 5,000,000)"] or (
        len(summary.skipped) == 1 and "too large" in summary.skipped[0].reason)
    assert "huge.txt" not in read  # never read into memory, let alone analysed
    assert dt < 5
    t = time.perf_counter()
    with pytest.raises(UnreadableError, match="too large"):
        decode_bytes(b"x" * (50 * 1024 * 1024))
    assert time.perf_counter() - t < 1


def test_limits_from_the_config_reach_the_importer(tmp_path: Path, capsys) -> None:
    """limits.max_article_bytes, max_quotes_per_article and max_entities_per_article, through the CLI."""
    from tui.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    names = ["Jane Doe", "Priya Venkatesh", "Tomas Lindqvist", "Grace Okafor", "Daniel Whitcombe", "Helena Marsh"]
    body = " ".join(f'"Statement number {i} is here," said {names[i % len(names)]}.' for i in range(30))
    (folder / "quotes.txt").write_text("Many quotes\n\n" + body, encoding="utf-8")
    (folder / "big.txt").write_text("Big\n\n" + "The dam opened on Saturday. " * 400, encoding="utf-8")
    db = tmp_path / "s.db"
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"store:\n  path: {db}\nlimits:\n  max_article_bytes: 5000\n  max_quotes_per_article: 3\n"
                   "  max_entities_per_article: 1\n", encoding="utf-8")
    assert main(["--config", str(cfg), "import", str(folder), "--workers", "0"]) == 0
    out = capsys.readouterr().out
    assert "skipped" in out and "big.txt: too large" in out and "limit 5,000" in out
    with Store(db) as store:
        (aid,) = [r[0] for r in store.conn.execute("SELECT id FROM articles")]
        assert len(store.article_quotes(aid)) == 3
        assert store.conn.execute("SELECT count(*) FROM article_entities WHERE article_id=?",
                                  (aid,)).fetchone()[0] == 1
    # Without the limits the same article has more of both.
    page = parse_page((folder / "quotes.txt").read_text(), name="quotes.txt")
    full = analyze_page(page)
    assert len(full.quotes) > 3 and len(full.entities) > 1


def test_zz_report_the_slowest_article() -> None:
    """Prints the worst time per stage seen by the tests above (run with -s)."""
    for label, (dt, what) in sorted(WORST.items(), key=lambda kv: -kv[1][0])[:8]:
        print(f"slowest {label}: {dt * 1000:.0f} ms ({what})")
    assert all(dt < ARTICLE_BUDGET * 2 for dt, _ in WORST.values())


def test_feed_size_and_time_limits_from_the_config_reach_refresh(tmp_path: Path, capsys) -> None:
    """limits.max_download_bytes and limits.download_timeout bound each feed download."""
    from httpserver import LocalServer, Route, trickle_handler

    from tui.cli import main

    big_item = "<item><title>t</title><description>" + "x" * 1000 + "</description></item>"
    big = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>' + big_item * 60
           + "</channel></rss>").encode()
    db = tmp_path / "s.db"
    with LocalServer() as server:
        server.routes["/big.xml"] = Route(big)
        server.routes["/endless.xml"] = Route(stream_bytes=200 * 1024 * 1024)
        server.routes["/slow.xml"] = Route(big, delay=30)
        # Announces less than the size limit: only the time limit can stop it.
        server.routes["/trickle.xml"] = Route(handler=trickle_handler(0.05, stop_after=30, length=10_000))
        cfg = tmp_path / "config.yaml"
        cfg.write_text(
            f"store:\n  path: {db}\n  import_samples: false\nlimits:\n  max_download_bytes: 20000\n"
            f"  download_timeout: 1.5\nfeeds:\n" + "".join(
                f"  - {server.url(p)}\n" for p in ("/big.xml", "/endless.xml", "/slow.xml", "/trickle.xml")),
            encoding="utf-8")
        t = time.perf_counter()
        status = main(["--config", str(cfg), "refresh", "--no-full-text"])
        dt = time.perf_counter() - t
    out = capsys.readouterr().out
    assert status == 1
    status_of = {line.split("] ", 1)[1].split(": ", 1)[0].rsplit("/", 1)[-1]: line
                 for line in out.splitlines() if line.startswith("[")}
    assert "too large" in status_of["big.xml"], out
    assert "timed out after 1.5 s" in status_of["slow.xml"], out
    assert "timed out after 1.5 s" in status_of["trickle.xml"], out
    # 200 MB streamed: cut at 20 KB (or at 1.5 s on a machine too busy to read 20 KB by then).
    assert "too large" in status_of["endless.xml"] or "timed out after 1.5 s" in status_of["endless.xml"], out
    assert "4 feeds: 0 new articles, 0 updated, 4 with errors" in out
    assert dt < 15  # four feeds, one host (1 s apart), each cut off at 1.5 s or 20 KB


def test_limits_are_documented_in_the_shipped_config() -> None:
    from tui.config import default_config_text

    text = default_config_text().splitlines()
    for key in ("max_article_bytes", "max_quotes_per_article", "max_entities_per_article", "max_download_bytes",
                "download_timeout"):
        (i,) = [n for n, line in enumerate(text) if line.strip().startswith(key + ":")]
        assert text[i - 1].strip().startswith("#") or text[i - 2].strip().startswith("#"), key


def test_the_article_size_cap_applies_to_feed_entries_too(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        imp = Importer(store, max_bytes=10_000)
        with pytest.raises(UnreadableError, match="too large"):
            imp.import_page("https://example.org/huge", Page(title="Huge", body="é" * 6_000), "d1")
        assert imp.import_page("https://example.org/ok", Page(title="Ok", body="The dam opened. " * 100),
                               "d2") == "imported"
        assert store.article_count() == 1


def test_extract_and_cluster_skip_a_50_mb_file_without_reading_it(tmp_path: Path, capsys, monkeypatch) -> None:
    from tui.cli import main

    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    read: list[str] = []
    real, real_open = Path.read_bytes, Path.open
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real(self))
    monkeypatch.setattr(Path, "open", lambda self, *a, **kw: read.append(self.name) or real_open(self, *a, **kw))
    assert main(["extract", str(big)]) == 1
    assert main(["cluster", str(big)]) == 1
    assert capsys.readouterr().err.count("too large") == 2
    assert "huge.txt" not in read


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifos_and_devices_named_like_articles_are_skipped_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")  # reading would block forever
    (folder / "zero.txt").symlink_to("/dev/zero")  # reading would never end
    (folder / "ok.txt").write_text("Dam opens\n\nThe new dam opened on Saturday, officials said. " * 5)
    with Store(tmp_path / "s.db") as store:
        t = time.perf_counter()
        summary = Importer(store).import_paths([folder], workers=0)
        assert time.perf_counter() - t < 10
    assert summary.imported == 1
    assert sorted(s.reason for s in summary.skipped) == ["not a regular file", "not a regular file"]


def test_file_names_that_are_not_utf8_import_extract_and_cluster(tmp_path: Path, capsys) -> None:
    from tui.cli import main

    folder = tmp_path / "latin1"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9 \xff.txt")  # a Latin-1 file name from an old archive
    (folder / name).write_text("Dam opens\n\nThe new dam opened on Saturday, officials said. " * 5)
    (folder / os.fsdecode(b"\xfe\xff.bin.txt")).write_bytes(b"\x00\x01\x02")
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"store:\n  path: {tmp_path / 's.db'}\n", encoding="utf-8")
    assert main(["--config", str(cfg), "import", str(folder)]) == 0
    assert "imported 1, updated 0, unchanged 0, skipped 1" in capsys.readouterr().out
    assert main(["--config", str(cfg), "import", str(folder)]) == 0  # resumes: the same key
    assert "imported 0, updated 0, unchanged 1, skipped 1" in capsys.readouterr().out
    assert main(["extract", "--json", str(folder / name)]) == 0
    assert main(["extract", str(folder / name)]) == 0
    assert main(["--config", str(cfg), "cluster", "--json", str(folder)]) == 1
    assert main(["--config", str(cfg), "cluster", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "caf\\xe9 \\xff.txt" in out
