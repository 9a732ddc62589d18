"""The feed subcommands end to end: config + store + local server."""

from __future__ import annotations

from pathlib import Path

import pytest
from httpserver import LocalServer, Route

from tui import feedcmds
from tui.cli import main
from tui.store import Store

BODY = " ".join(["Residents of the valley gathered on Saturday to watch the new dam open."] * 25)


def rss(base: str, n: int = 2) -> bytes:
    items = "".join(
        f"<item><title>Story {i}</title><link>{base}/story/{i}</link>"
        f"<pubDate>Sat, 14 Mar 2026 10:00:00 GMT</pubDate><description>{BODY} ({i})</description></item>"
        for i in range(n)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Herald</title>{items}</channel></rss>'.encode()


@pytest.fixture
def server():
    with LocalServer() as s:
        yield s


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: LocalServer):
    db = tmp_path / "store.db"
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"store:\n  path: {db}\n  import_samples: false\n"
        f"limits:\n  download_timeout: 1.0\n"
        f"feeds:\n  - {{url: {server.url('/config-feed')}, name: From config, tags: [cfg]}}\n",
        encoding="utf-8",
    )
    real = feedcmds._fetcher

    def fast(c):  # type: ignore[no-untyped-def]
        f = real(c)
        f.limiter.min_interval = 0.0  # every feed here is on 127.0.0.1
        return f

    monkeypatch.setattr(feedcmds, "_fetcher", fast)
    return cfg, db


def run(cfg: Path, *argv: str) -> int:
    return main(["--config", str(cfg), *argv])


def test_add_refresh_then_not_modified(env, server: LocalServer, capsys: pytest.CaptureFixture[str]) -> None:
    cfg, db = env
    server.routes["/config-feed"] = Route(rss(server.url("/c")), etag='"c1"')
    server.routes["/rss"] = Route(rss(server.url("/r"), 3), etag='"r1"')
    assert run(cfg, "add", server.url("/rss"), "--name", "Herald", "--tag", "local") == 0
    assert run(cfg, "refresh", "--no-full-text") == 0
    out = capsys.readouterr().out
    assert "From config: ok: 2 new" in out and "Herald: ok: 3 new" in out
    assert "5 new articles" in out
    with Store(db) as store:
        assert store.article_count() == 5
        feeds = {f["url"]: f for f in store.feeds()}
        assert feeds[server.url("/rss")]["etag"] == '"r1"'
        assert feeds[server.url("/rss")]["tags"] == ["local"]
        assert feeds[server.url("/config-feed")]["name"] == "From config"
        assert run(cfg, "add", server.url("/rss")) == 0  # re-adding without a name keeps it
        assert {f["url"]: f["name"] for f in store.feeds()}[server.url("/rss")] == "Herald"
    assert run(cfg, "refresh", "--no-full-text") == 0
    out = capsys.readouterr().out
    assert out.count("not modified") == 2 and "0 new articles" in out
    assert server.requests[-1].headers.get("if-none-match") in ('"c1"', '"r1"')


def test_one_broken_feed_is_reported_and_the_rest_imported(
    env, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg, db = env
    server.routes["/config-feed"] = Route(b"gone", status=404)
    server.routes["/rss"] = Route(rss(server.url("/r"), 2))
    assert run(cfg, "add", server.url("/rss")) == 0
    assert run(cfg, "refresh", "--no-full-text") == 1
    out = capsys.readouterr().out
    assert "From config: error: HTTP 404" in out
    assert "Herald: ok: 2 new" in out
    with Store(db) as store:
        assert store.article_count() == 2
        status = {f["url"]: f["last_status"] for f in store.feeds()}
        assert status[server.url("/config-feed")] == "error: HTTP 404"
    # A feed added without a name takes its title once read.
    with Store(db) as store:
        assert {f["url"]: f["name"] for f in store.feeds()}[server.url("/rss")] == "Herald"


def test_refresh_one_feed_only(env, server: LocalServer, capsys: pytest.CaptureFixture[str]) -> None:
    cfg, _ = env
    server.routes["/rss"] = Route(rss(server.url("/r"), 1))
    run(cfg, "add", server.url("/rss"))
    assert run(cfg, "refresh", "--no-full-text", "--feed", server.url("/rss")) == 0
    assert [r.path for r in server.requests] == ["/rss"]
    assert run(cfg, "refresh", "--feed", "https://unknown.example/rss") == 2


def test_add_refuses_local_files(env, capsys: pytest.CaptureFixture[str]) -> None:
    cfg, db = env
    assert run(cfg, "add", "file:///etc/passwd") == 2
    assert "only http and https" in capsys.readouterr().err


def test_opml_import_and_export(env, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg, db = env
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="World">'
        '<outline text="A" xmlUrl="https://a.example/rss"/><outline text="B" xmlUrl="ftp://b.example/rss"/>'
        "</outline></body></opml>",
        encoding="utf-8",
    )
    assert run(cfg, "import-opml", str(opml)) == 0
    out = capsys.readouterr().out
    assert "1 new" in out and "skipped B" in out
    exported = tmp_path / "out.opml"
    assert run(cfg, "export-opml", str(exported)) == 0
    text = exported.read_text(encoding="utf-8")
    assert 'xmlUrl="https://a.example/rss"' in text and 'category="/World"' in text
    assert "config-feed" in text  # config feeds are subscriptions too
    assert run(cfg, "export-opml") == 0
    assert 'xmlUrl="https://a.example/rss"' in capsys.readouterr().out


def test_import_opml_reports_a_bad_file(env, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg, _ = env
    bad = tmp_path / "bad.opml"
    bad.write_text("<rss/>", encoding="utf-8")
    assert run(cfg, "import-opml", str(bad)) == 1
    assert "not OPML" in capsys.readouterr().err
    assert run(cfg, "import-opml", str(tmp_path / "missing.opml")) == 1


def test_refresh_store_is_usable_without_the_cli(env, server: LocalServer) -> None:
    from tui.config import load_config

    cfg_path, db = env
    server.routes["/config-feed"] = Route(rss(server.url("/c"), 2))
    cfg = load_config(cfg_path)
    seen: list[tuple[int, int, str]] = []
    with Store(db) as store:
        summary = feedcmds.refresh_store(
            cfg, store, full_text=False, on_result=lambda d, t, r: seen.append((d, t, r.status))
        )
        assert store.article_count() == 2
    assert (summary.feeds, summary.imported, summary.errors) == (1, 2, 0)
    assert seen == [(1, 1, "ok: 2 new")]
    assert summary.line() == "1 feed: 2 new articles, 0 updated, 0 with errors"


def test_an_entry_the_importer_chokes_on_is_skipped_not_fatal(
    env, server: LocalServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.importer import Importer

    cfg, db = env
    server.routes["/config-feed"] = Route(rss(server.url("/c"), 3))
    real = Importer.import_page

    def flaky(self, source, page, digest, **kw):  # type: ignore[no-untyped-def]
        if source.endswith("/story/1"):
            raise RecursionError("too deep")
        return real(self, source, page, digest, **kw)

    monkeypatch.setattr(Importer, "import_page", flaky)
    assert run(cfg, "refresh", "--no-full-text") == 0
    assert "ok: 3 new (1 not imported: RecursionError: too deep)" in capsys.readouterr().out
    with Store(db) as store:
        assert store.article_count() == 2
