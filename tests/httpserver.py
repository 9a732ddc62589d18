"""A local HTTP server for network tests: no internet here, and faults on demand.

Serves configurable routes on 127.0.0.1 with an ephemeral port: feeds with
ETag/Last-Modified (and 304 when the client presents them), gzip/deflate
bodies, redirects and redirect loops, error statuses, a slow endpoint, a huge
streaming endpoint and garbage bytes. It records requests and the highest
number of simultaneous requests per host header so politeness can be checked.
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    """One canned response; the fields combine (e.g. gzip + etag)."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/xml"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False
    deflate: bool = False
    location: str | None = None
    delay: float = 0.0  # seconds before the status line
    stream_bytes: int = 0  # send this many filler bytes, no Content-Length
    hold: float = 0.0  # seconds to keep the request in flight (concurrency checks)
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class LocalServer:
    """Threaded HTTP server; use as a context manager."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                server._enter(self)
                try:
                    server._serve(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    server._leave()

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def _enter(self, h: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests.append(Seen(h.path, {k.lower(): v for k, v in h.headers.items()}))
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _sleep(self, seconds: float) -> None:
        # Wakes early at shutdown so a slow route never delays the test run.
        self._stop.wait(seconds)

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        route = self.routes.get(h.path.split("?")[0])
        if route is None:
            self._send(h, 404, b"not found", {"Content-Type": "text/plain"})
            return
        if route.handler is not None:
            route.handler(h)
            return
        if route.delay:
            self._sleep(route.delay)
        if route.hold:
            self._sleep(route.hold)
        headers = {"Content-Type": route.content_type, **route.headers}
        if route.location is not None:
            headers["Location"] = route.location
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        inm = h.headers.get("If-None-Match")
        ims = h.headers.get("If-Modified-Since")
        if (route.etag and inm == route.etag) or (route.last_modified and ims == route.last_modified):
            self._send(h, 304, b"", {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")})
            return
        if route.stream_bytes:
            h.send_response(route.status)
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Connection", "close")
            h.end_headers()
            block = b"<item>" + b"x" * 65530 + b"\n"
            sent = 0
            while sent < route.stream_bytes and not self._stop.is_set():
                h.wfile.write(block)
                sent += len(block)
            return
        body = route.body
        if route.gzip:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        elif route.deflate:
            body = zlib.compress(body)
            headers["Content-Encoding"] = "deflate"
        self._send(h, route.status, body, headers)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.send_header("Connection", "close")
        h.end_headers()
        if body:
            h.wfile.write(body)
        h.wfile.flush()


def gzip_bomb(decoded_size: int) -> bytes:
    """A small gzip body that inflates to ``decoded_size`` zero bytes."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    out = []
    left = decoded_size
    while left > 0:
        n = min(left, len(block))
        out.append(comp.compress(block[:n]))
        left -= n
    out.append(comp.flush())
    return b"".join(out)


def trickle_handler(seconds: float, stop_after: float = 5.0,
                    length: int = 100_000) -> Callable[[BaseHTTPRequestHandler], None]:
    """A route that sends headers (announcing ``length`` bytes), then one byte every ``seconds``."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", str(length))
        h.end_headers()
        end = time.monotonic() + stop_after
        while time.monotonic() < end:
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(seconds)

    return handle
