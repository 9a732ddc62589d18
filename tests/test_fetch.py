"""The HTTP client against a local server: conditional GET, caps, redirects, faults."""

from __future__ import annotations

import threading

import pytest
from httpserver import LocalServer, Route, gzip_bomb, trickle_handler

from tui.fetch import Fetcher, HostLimiter, check_url

FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title></channel></rss>"


def fetcher(**kw: object) -> Fetcher:
    opts: dict[str, object] = {"connect_timeout": 2.0, "total_timeout": 5.0, "min_interval": 0.0}
    opts.update(kw)
    return Fetcher(**opts)  # type: ignore[arg-type]


@pytest.fixture
def server():
    with LocalServer() as s:
        yield s


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/feed", "data:text/xml,<rss/>", "javascript:alert(1)", "/etc/passwd"],
)
def test_non_http_urls_are_refused_without_touching_anything(url: str) -> None:
    r = fetcher().fetch(url)
    assert r.error is not None
    assert "http" in r.error
    assert r.body == b""


def test_check_url_accepts_http_and_https() -> None:
    assert check_url("http://example.org/feed") is None
    assert check_url("HTTPS://example.org/feed") is None
    assert check_url("http:///nohost") is not None
    assert check_url("http://example.org/a\r\nX-Injected: 1") is not None


def test_plain_fetch_returns_body_validators_and_user_agent(server: LocalServer) -> None:
    server.routes["/feed"] = Route(FEED, etag='"v1"', last_modified="Mon, 02 Nov 2026 10:00:00 GMT")
    r = fetcher().fetch(server.url("/feed"))
    assert r.ok and r.status == 200
    assert r.body == FEED
    assert r.etag == '"v1"'
    assert r.last_modified == "Mon, 02 Nov 2026 10:00:00 GMT"
    assert r.content_type == "application/xml"
    assert server.requests[0].headers["user-agent"].startswith("newsreader/")


def test_conditional_get_sends_validators_and_reports_not_modified(server: LocalServer) -> None:
    server.routes["/feed"] = Route(FEED, etag='"v1"')
    f = fetcher()
    first = f.fetch(server.url("/feed"))
    second = f.fetch(server.url("/feed"), etag=first.etag)
    assert server.requests[1].headers["if-none-match"] == '"v1"'
    assert second.not_modified and second.body == b"" and second.error is None
    assert second.etag == '"v1"'


def test_if_modified_since_gives_304(server: LocalServer) -> None:
    lm = "Mon, 02 Nov 2026 10:00:00 GMT"
    server.routes["/feed"] = Route(FEED, last_modified=lm)
    r = fetcher().fetch(server.url("/feed"), last_modified=lm)
    assert server.requests[0].headers["if-modified-since"] == lm
    assert r.not_modified and r.last_modified == lm


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compressed_bodies_are_decoded(server: LocalServer, encoding: str) -> None:
    server.routes["/feed"] = Route(FEED, gzip=encoding == "gzip", deflate=encoding == "deflate")
    r = fetcher().fetch(server.url("/feed"))
    assert r.ok and r.body == FEED


def test_gzip_bomb_is_stopped_at_the_decoded_cap(server: LocalServer) -> None:
    bomb = gzip_bomb(8 * 1024 * 1024)  # ~8 KB on the wire
    server.routes["/bomb"] = Route(bomb, headers={"Content-Encoding": "gzip"})
    r = fetcher(max_bytes=1024 * 1024).fetch(server.url("/bomb"))
    assert len(bomb) < 1024 * 1024
    assert r.error is not None and "too large" in r.error
    assert r.body == b""


def test_huge_streamed_body_is_cut_off(server: LocalServer) -> None:
    server.routes["/huge"] = Route(stream_bytes=50 * 1024 * 1024)
    r = fetcher(max_bytes=2 * 1024 * 1024).fetch(server.url("/huge"))
    assert r.error is not None and "too large" in r.error


def test_declared_content_length_over_cap_is_refused(server: LocalServer) -> None:
    server.routes["/big"] = Route(b"x" * 5000)
    r = fetcher(max_bytes=1000).fetch(server.url("/big"))
    assert r.error is not None and "too large" in r.error


def test_redirects_are_followed_to_the_final_url(server: LocalServer) -> None:
    server.routes["/old"] = Route(status=301, location="/mid")
    server.routes["/mid"] = Route(status=302, location=server.url("/feed"))
    server.routes["/feed"] = Route(FEED)
    r = fetcher().fetch(server.url("/old"))
    assert r.ok and r.body == FEED
    assert r.final_url == server.url("/feed")
    assert r.url == server.url("/old")


def test_redirect_loop_is_an_error(server: LocalServer) -> None:
    server.routes["/a"] = Route(status=302, location="/b")
    server.routes["/b"] = Route(status=302, location="/a")
    r = fetcher().fetch(server.url("/a"))
    assert r.error is not None and "loop" in r.error


def test_redirect_chain_longer_than_limit_is_an_error(server: LocalServer) -> None:
    for i in range(6):
        server.routes[f"/r{i}"] = Route(status=307, location=f"/r{i + 1}")
    server.routes["/r6"] = Route(FEED)
    assert fetcher(max_redirects=5).fetch(server.url("/r0")).error == "too many redirects (over 5)"
    assert fetcher(max_redirects=6).fetch(server.url("/r0")).ok


def test_redirect_to_a_local_file_is_refused(server: LocalServer) -> None:
    server.routes["/evil"] = Route(status=302, location="file:///etc/passwd")
    r = fetcher().fetch(server.url("/evil"))
    assert r.error is not None and "file" in r.error
    assert r.body == b""


@pytest.mark.parametrize("status", [404, 500, 503])
def test_error_statuses_are_data(server: LocalServer, status: int) -> None:
    server.routes["/x"] = Route(b"oops", status=status)
    r = fetcher().fetch(server.url("/x"))
    assert r.status == status and r.error == f"HTTP {status}"
    assert not r.ok


def test_server_that_never_answers_times_out(server: LocalServer) -> None:
    server.routes["/slow"] = Route(FEED, delay=10)
    r = fetcher(connect_timeout=0.3, total_timeout=0.6).fetch(server.url("/slow"))
    assert r.error is not None and r.error.startswith("timed out after")


def test_trickling_server_hits_the_total_deadline(server: LocalServer) -> None:
    # Each byte arrives well within the read timeout; only the total deadline stops it.
    server.routes["/trickle"] = Route(handler=trickle_handler(0.05, stop_after=5))
    r = fetcher(connect_timeout=1.0, total_timeout=0.5).fetch(server.url("/trickle"))
    assert r.error == "timed out after 0.5 s"


def test_a_server_speaking_garbage_instead_of_http_is_data(server: LocalServer) -> None:
    server.routes["/noise"] = Route(handler=lambda h: h.wfile.write(b"\x00\xff\x13garbage\r\n\r\n"))
    server.routes["/hangup"] = Route(handler=lambda h: None)
    f = fetcher()
    noise = f.fetch(server.url("/noise"))
    assert noise.error is not None and "bad HTTP response" in noise.error
    hangup = f.fetch(server.url("/hangup"))
    assert hangup.error == "server closed the connection without a response"


def test_connection_refused_is_data() -> None:
    with LocalServer() as s:
        url = s.url("/feed")
    r = fetcher().fetch(url)
    assert r.error is not None and r.status is None


def test_unresolvable_host_is_data() -> None:
    r = fetcher(connect_timeout=2.0).fetch("http://no-such-host.invalid/feed")
    assert r.error is not None


def test_a_name_lookup_that_never_returns_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def stuck_getaddrinfo(*args: object, **kw: object) -> list[object]:
        release.wait(5)
        raise OSError("released")

    monkeypatch.setattr("tui.fetch.socket.getaddrinfo", stuck_getaddrinfo)
    try:
        r = fetcher(connect_timeout=0.2).fetch("http://slow-dns.example/feed")
    finally:
        release.set()
    assert r.error == "timed out after 0.2 s looking up slow-dns.example"


def test_limiter_waits_out_the_interval_per_host_only() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    lim = HostLimiter(2.0, clock=lambda: now[0], sleep=sleep)
    with lim.slot("a.example"):
        now[0] += 0.5
    with lim.slot("b.example"):
        pass
    assert slept == []
    now[0] += 0.5
    with lim.slot("A.example"):
        pass
    assert slept == [pytest.approx(1.5)]


def test_one_request_at_a_time_per_host(server: LocalServer) -> None:
    for i in range(4):
        server.routes[f"/f{i}"] = Route(FEED, hold=0.1)
    f = fetcher()
    threads = [threading.Thread(target=f.fetch, args=(server.url(f"/f{i}"),)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(server.requests) == 4
    assert server.max_in_flight == 1
