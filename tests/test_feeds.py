"""Feed parsing (RSS, Atom, JSON Feed, hostile XML) and refreshing against a local server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from httpserver import LocalServer, Route

from tui.feeds import FeedSpec, FeedState, parse_feed, refresh_all, refresh_feed
from tui.fetch import Fetcher

LONG = " ".join(["The council met for six hours and argued about the budget."] * 30)

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Valley Herald</title><link>https://herald.example/</link>
  <item>
    <title>Dam opens &amp; floods fears</title>
    <link>https://herald.example/news/dam</link>
    <guid>https://herald.example/news/dam</guid>
    <pubDate>Sat, 14 Mar 2026 23:30:00 -0300</pubDate>
    <dc:creator>Ana Ruiz</dc:creator>
    <description>The dam opened on Saturday…</description>
  </item>
  <item>
    <title>Budget night</title>
    <link>/news/budget</link>
    <pubDate>Fri, 13 Mar 2026 10:00:00 GMT</pubDate>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>{LONG}</p><p>Second paragraph.</p><script>alert(1)</script>]]></content:encoded>
  </item>
</channel></rss>""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Atom &lt;i&gt;Times&lt;/i&gt;</title>
  <link href="https://atom.example/"/>
  <entry>
    <title type="text">Why 2 &lt; 3</title>
    <link rel="alternate" href="https://atom.example/a/1"/>
    <id>urn:uuid:1</id>
    <updated>2026-02-01T12:00:00Z</updated>
    <author><name>Bo Li</name></author>
    <summary type="html">&lt;p&gt;Numbers, &lt;b&gt;explained&lt;/b&gt;.&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title>No link here</title>
    <id>tag:atom.example,2026:2</id>
    <content type="text">Line one.

Line two.</content>
  </entry>
</feed>"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON Journal",
        "home_page_url": "https://json.example/",
        "authors": [{"name": "Desk"}],
        "items": [
            {
                "id": "1",
                "url": "/posts/1",
                "title": "First",
                "content_html": "<p>Hello <em>world</em>.</p><script>evil()</script>",
                "date_published": "2026-01-31T23:30:00-05:00",
            },
            {"id": 2, "content_text": "Para one.\n\nPara two.", "authors": [{"name": "Zed"}]},
            "not an item",
        ],
    }
).encode()


def test_rss_entries_become_plain_text_records() -> None:
    feed = parse_feed(RSS, "https://herald.example/rss.xml")
    assert feed.problem is None
    assert feed.title == "Valley Herald"
    first, second = feed.entries
    assert first.title == "Dam opens & floods fears"
    assert first.url == "https://herald.example/news/dam"
    assert first.published == "2026-03-15"  # 23:30 at -03:00 is the 15th in UTC
    assert first.author == "Ana Ruiz"
    assert first.outlet == "Valley Herald"
    assert first.summary_only
    assert second.url == "https://herald.example/news/budget"  # relative link resolved
    assert second.body.split("\n\n") == [LONG, "Second paragraph."]
    assert "alert" not in second.body
    assert not second.summary_only


def test_outlet_is_the_name_the_user_gave() -> None:
    feed = parse_feed(RSS, "https://herald.example/rss.xml", outlet="Herald (mine)")
    assert {e.outlet for e in feed.entries} == {"Herald (mine)"}
    page = feed.entries[1].to_page()
    assert page.source == "Herald (mine)" and page.url == "https://herald.example/news/budget"
    assert page.published == "2026-03-13"


def test_atom_text_constructs() -> None:
    feed = parse_feed(ATOM, "https://atom.example/feed")
    assert feed.title == "Atom Times"
    a, b = feed.entries
    assert a.title == "Why 2 < 3"  # declared plain text keeps its bracket
    assert a.body == "Numbers, explained."
    assert a.author == "Bo Li" and a.published == "2026-02-01"
    assert b.url is None and not b.summary_only  # nothing to fetch
    assert b.key == "https://atom.example/feed#tag:atom.example,2026:2"
    assert b.body == "Line one.\n\nLine two."


def test_json_feed() -> None:
    feed = parse_feed(JSON_FEED, "https://json.example/feed.json")
    assert feed.problem is None and feed.title == "JSON Journal"
    assert feed.version == "json1.1"
    a, b = feed.entries
    assert a.url == "https://json.example/posts/1"
    assert a.body == "Hello world."
    assert a.published == "2026-02-01"
    assert a.author == "Desk"
    assert b.body == "Para one.\n\nPara two." and b.author == "Zed"
    assert b.key == "https://json.example/feed.json#2"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"{not json", "invalid JSON"),
        (b'{"hello": 1}', "JSON Feed"),
        (b"<html><body>Just a page</body></html>", "not a feed"),
        (b"\x89PNG\r\n\x1a\n\x00\x00garbage\xff\xfe", "not a feed"),
    ],
)
def test_non_feeds_are_reported_with_a_reason(data: bytes, reason: str) -> None:
    feed = parse_feed(data, "https://x.example/feed")
    assert feed.entries == []
    assert feed.problem is not None and reason in feed.problem


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>x</title></item></channel></rss>"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entity_expansion_bomb_is_refused(encoding: str) -> None:
    data = BILLION_LAUGHS.decode().replace('version="1.0"', f'version="1.0" encoding="{encoding}"')
    feed = parse_feed(data.encode(encoding), "https://x.example/feed")
    assert feed.problem is not None and "refused" in feed.problem
    assert feed.entries == [] and feed.title is None


def test_external_entity_never_reads_the_local_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    for doctype in (
        f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>',
        f'<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "{secret}">\n]>',
    ):
        data = (
            '<?xml version="1.0"?>' + doctype + '<rss version="2.0"><channel><title>t &xxe;</title>'
            "<item><title>a &xxe;</title><description>b &xxe;</description></item></channel></rss>"
        ).encode()
        feed = parse_feed(data, "https://x.example/feed")
        everything = repr(feed)
        assert "TOP-SECRET-TOKEN" not in everything
        assert feed.warning is not None and "external XML entity xxe" in feed.warning


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'<rss version="2.0"><channel>' + b"<a>" * 5000 + b"</a>" * 5000 + b"</channel></rss>", "nested"),
        (b'<rss version="2.0"><channel>' + b"<item/>" * 160_000 + b"</channel></rss>", "too much markup"),
    ],
)
def test_pathological_markup_is_refused_before_parsing(data: bytes, reason: str) -> None:
    # feedparser would take minutes over these; the reader refuses them at once.
    feed = parse_feed(data, "https://x.example/feed")
    assert feed.problem is not None and reason in feed.problem


def test_harmless_internal_entities_are_allowed() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY copy "&#169;"><!ENTITY org "Herald">]>'
        b'<rss version="2.0"><channel><title>&org; &copy;</title></channel></rss>'
    )
    feed = parse_feed(data, "https://x.example/feed")
    assert feed.problem is None and feed.title == "Herald \u00a9"


# -- refreshing against the local server ---------------------------------------


def fast_fetcher(**kw: object) -> Fetcher:
    opts: dict[str, object] = {"connect_timeout": 1.0, "total_timeout": 2.0, "min_interval": 0.0}
    opts.update(kw)
    return Fetcher(**opts)  # type: ignore[arg-type]


@pytest.fixture
def server():
    with LocalServer() as s:
        yield s


def test_refresh_then_not_modified(server: LocalServer) -> None:
    server.routes["/rss"] = Route(RSS, etag='"e1"', content_type="application/rss+xml")
    spec = FeedSpec(server.url("/rss"), name="Herald")
    f = fast_fetcher()
    first = refresh_feed(spec, FeedState(), f)
    assert first.ok and first.status == "ok: 2 new"
    assert first.state == FeedState(etag='"e1"', last_modified=None)
    second = refresh_feed(spec, first.state, f)
    assert second.status == "not modified" and second.entries == []
    assert second.state.etag == '"e1"'


def test_known_entries_are_not_new(server: LocalServer) -> None:
    server.routes["/rss"] = Route(RSS)
    spec = FeedSpec(server.url("/rss"))
    r = refresh_feed(spec, FeedState(), fast_fetcher(), known={"https://herald.example/news/dam"})
    assert r.status == "ok: 1 new"
    assert [e.url for e in r.entries] == [server.url("/news/budget")]  # resolved against the feed URL


def test_full_text_is_fetched_for_teasers(server: LocalServer) -> None:
    article = (
        "<html><head><title>Dam</title></head><body><nav>Home News</nav><article><h1>Dam</h1>"
        + "".join(f"<p>Paragraph {i}: {LONG}</p>" for i in range(3))
        + "</article><footer>Subscribe now</footer></body></html>"
    ).encode()
    rss = RSS.replace(b"https://herald.example/news/dam", server.url("/article").encode())
    server.routes["/rss"] = Route(rss)
    server.routes["/article"] = Route(article, content_type="text/html; charset=utf-8")
    r = refresh_feed(FeedSpec(server.url("/rss")), FeedState(), fast_fetcher(), full_text=True)
    dam = next(e for e in r.entries if e.url == server.url("/article"))
    assert dam.full_text
    assert dam.body.startswith("Paragraph 0:")
    assert "Subscribe now" not in dam.body
    assert [s.path for s in server.requests].count("/article") == 1


def test_a_broken_feed_never_stops_the_others(server: LocalServer) -> None:
    server.routes["/good"] = Route(RSS)
    server.routes["/json"] = Route(JSON_FEED, content_type="application/feed+json")
    server.routes["/missing"] = Route(b"nope", status=404)
    server.routes["/crash"] = Route(b"boom", status=500)
    server.routes["/loop1"] = Route(status=302, location="/loop2")
    server.routes["/loop2"] = Route(status=302, location="/loop1")
    server.routes["/slow"] = Route(RSS, delay=10)
    server.routes["/huge"] = Route(stream_bytes=50 * 1024 * 1024)
    server.routes["/garbage"] = Route(bytes(range(256)) * 40, content_type="application/rss+xml")
    server.routes["/bomb"] = Route(BILLION_LAUGHS)
    paths = ["/good", "/missing", "/crash", "/loop1", "/slow", "/huge", "/garbage", "/bomb", "/json"]
    feeds = [(FeedSpec(server.url(p)), FeedState()) for p in paths]
    progress: list[tuple[int, int, str]] = []
    results = refresh_all(
        feeds,
        fast_fetcher(connect_timeout=0.5, total_timeout=1.0, max_bytes=1024 * 1024),
        workers=4,
        on_progress=lambda done, total, r: progress.append((done, total, r.spec.url)),
    )
    status = {r.spec.url.rsplit("/", 1)[1]: r.status for r in results}
    assert [r.spec.url for r in results] == [server.url(p) for p in paths]
    assert status["good"] == "ok: 2 new"
    assert status["json"] == "ok: 2 new"
    assert status["missing"] == "error: HTTP 404"
    assert status["crash"] == "error: HTTP 500"
    assert "redirect loop" in status["loop1"]
    assert status["slow"].startswith("error: timed out after")
    assert "too large" in status["huge"]
    assert status["garbage"].startswith("error: not a feed")
    assert "entity expansion bomb" in status["bomb"]
    assert [d for d, _, _ in progress] == list(range(1, len(paths) + 1))
    assert {t for _, t, _ in progress} == {len(paths)}
    assert sorted(u for _, _, u in progress) == sorted(server.url(p) for p in paths)


def test_refresh_is_polite_to_a_host_with_many_feeds(server: LocalServer) -> None:
    for i in range(5):
        server.routes[f"/f{i}"] = Route(RSS, hold=0.05)
    feeds = [(FeedSpec(server.url(f"/f{i}")), FeedState()) for i in range(5)]
    results = refresh_all(feeds, fast_fetcher(), workers=5)
    assert all(r.ok for r in results)
    assert server.max_in_flight == 1


def test_feeds_waiting_for_their_host_do_not_time_out_in_the_queue(server: LocalServer) -> None:
    # Ten feeds of one site are fetched one at a time; each takes 0.25 s, so the last waits
    # over 2 s for its turn, past the 1.5 s budget of a request that was never sent.
    for i in range(10):
        server.routes[f"/f{i}"] = Route(RSS, hold=0.25)
    feeds = [(FeedSpec(server.url(f"/f{i}")), FeedState()) for i in range(10)]
    results = refresh_all(feeds, fast_fetcher(total_timeout=1.5), workers=10)
    assert [r.status for r in results if not r.ok] == []
    assert server.max_in_flight == 1


def test_failed_refresh_keeps_the_old_validators(server: LocalServer) -> None:
    server.routes["/rss"] = Route(b"oops", status=503)
    old = FeedState(etag='"old"', last_modified="Mon, 02 Nov 2026 10:00:00 GMT")
    r = refresh_feed(FeedSpec(server.url("/rss")), old, fast_fetcher())
    assert r.status == "error: HTTP 503" and not r.ok
    assert r.state == old


def test_hosts_are_interleaved_so_workers_are_not_all_waiting_on_one_site() -> None:
    from tui.feeds import _interleave_hosts

    urls = ["https://a.example/1", "https://a.example/2", "https://a.example/3", "https://b.example/1", "http://c.example/x"]
    feeds = [(FeedSpec(u), FeedState()) for u in urls]
    order = _interleave_hosts(feeds)
    assert sorted(order) == list(range(len(urls)))
    assert [urls[i].split("/")[2] for i in order[:3]] == ["a.example", "b.example", "c.example"]


def test_an_html_page_names_the_feed_it_advertises() -> None:
    page = (
        b"<!DOCTYPE html><html><head><title>Herald</title>"
        b'<link rel="stylesheet" href="/s.css">'
        b'<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">'
        b"</head><body><p>Hello</p></body></html>"
    )
    feed = parse_feed(page, "https://herald.example/news/")
    assert feed.problem == "not a feed (an HTML page; its feed: https://herald.example/rss.xml)"


def test_a_flood_of_entries_is_capped(server: LocalServer) -> None:
    items = "".join(f"<item><title>t{i}</title><link>https://f.example/{i}</link></item>" for i in range(30))
    server.routes["/rss"] = Route(f'<rss version="2.0"><channel><title>F</title>{items}</channel></rss>'.encode())
    r = refresh_feed(FeedSpec(server.url("/rss")), FeedState(), fast_fetcher(), max_entries=10)
    assert len(r.entries) == 10 and r.entries[0].title == "t0"
    assert r.status == "ok: 10 new (20 more left out; limit 10)"
