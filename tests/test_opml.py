"""OPML import (folders and categories as tags, hostile files) and export round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.feeds import FeedSpec
from tui.opml import OpmlError, parse_opml, write_opml

SUBSCRIPTIONS = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="News" title="News">
      <outline text="World">
        <outline type="rss" text="Herald" title="Valley Herald" xmlUrl="https://herald.example/rss" htmlUrl="https://herald.example/"/>
      </outline>
      <outline type="rss" text="Wire" xmlurl="http://wire.example/atom" category="/Breaking,/Agencies/Europe"/>
    </outline>
    <outline type="rss" text="Loose" XMLURL="https://loose.example/feed.json"/>
    <outline type="rss" text="Local" xmlUrl="file:///etc/passwd"/>
    <outline type="rss" text="Herald again" xmlUrl="https://herald.example/rss" category="Dams"/>
    <outline text="Empty folder"/>
  </body>
</opml>"""


def test_nested_folders_and_categories_become_tags() -> None:
    got = parse_opml(SUBSCRIPTIONS)
    assert got.title == "My feeds"
    by_url = {f.url: f for f in got.feeds}
    assert list(by_url) == ["https://herald.example/rss", "http://wire.example/atom", "https://loose.example/feed.json"]
    herald = by_url["https://herald.example/rss"]
    assert herald.name == "Valley Herald"
    assert herald.tags == ("News", "World", "Dams")  # duplicate outline merged
    assert by_url["http://wire.example/atom"].tags == ("News", "Breaking", "Agencies", "Europe")
    assert by_url["https://loose.example/feed.json"].tags == ()


def test_non_http_feed_urls_are_skipped_with_a_reason() -> None:
    got = parse_opml(SUBSCRIPTIONS)
    assert [name for name, _ in got.skipped] == ["Local"]
    assert "file" in got.skipped[0][1]


def test_export_round_trips() -> None:
    feeds = [
        FeedSpec("https://a.example/rss", "A & B <news>", ("world", "politics")),
        FeedSpec("https://b.example/atom", None, ()),
        FeedSpec("https://c.example/feed", "C", ("world",)),
        FeedSpec("https://d.example/feed", "Bell\x07 name", ("tech",)),
    ]
    text = write_opml(feeds)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert 'version="2.0"' in text
    back = parse_opml(text.encode("utf-8"))
    # Feeds are grouped into folders by first tag, so compare by URL.
    assert {f.url: f.tags for f in back.feeds} == {f.url: f.tags for f in feeds}
    assert {f.url: f.name for f in back.feeds} == {
        "https://a.example/rss": "A & B <news>",
        "https://b.example/atom": None,
        "https://c.example/feed": "C",
        "https://d.example/feed": "Bell name",
    }


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"not xml at all <", "not XML"),
        (b"<rss version='2.0'><channel/></rss>", "not OPML"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
    ],
)
def test_unreadable_files_raise_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(OpmlError, match=reason):
        parse_opml(data)


def test_external_entities_and_bombs_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("TOP-SECRET")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<opml version="2.0"><body><outline text="&x;" xmlUrl="https://x.example/&x;"/></body></opml>'
    ).encode()
    with pytest.raises(OpmlError, match="external XML entity"):
        parse_opml(xxe)
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]><opml version="2.0"><body><outline text="&c;"/></body></opml>'
    )
    with pytest.raises(OpmlError, match="bomb"):
        parse_opml(bomb)


def test_absurd_nesting_is_cut_off_not_crashing() -> None:
    depth = 5000
    data = (
        b"<opml version='2.0'><body>"
        + b"<outline text='f'>" * depth
        + b"<outline xmlUrl='https://deep.example/rss' text='deep'/>"
        + b"</outline>" * depth
        + b"<outline xmlUrl='https://ok.example/rss' text='ok'/></body></opml>"
    )
    got = parse_opml(data)
    assert [f.url for f in got.feeds] == ["https://ok.example/rss"]
    assert any("deeper" in why for _, why in got.skipped)
