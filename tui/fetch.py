"""A small, cautious HTTP client for feeds and article pages.

Feeds are written by strangers and served by machines we do not control, so
fetching is the one place where the reader talks to the world. This module
keeps that conversation bounded: only http/https (a feed must not make the
reader open local files), a connect timeout and a total deadline, a size cap
applied both to the bytes on the wire and to the decompressed body (gzip
bombs), a redirect limit with loop detection, conditional GET so unchanged
feeds cost one round trip, and a per-host limiter so a refresh of many feeds
on one site never hammers it. Network faults never raise: they come back as
``FetchResult.error``, a short line a user can read.

It is built on ``http.client`` rather than ``urllib.request`` because urllib
follows redirects to any scheme it has a handler for (``file:``, ``ftp:``) and
hides the redirect chain we need for loop detection.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from tui import __version__

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_TOTAL_TIMEOUT = 30.0
DEFAULT_MAX_REDIRECTS = 5
DEFAULT_MIN_INTERVAL = 1.0
USER_AGENT = f"newsreader/{__version__} (terminal news reader; feed fetcher)"

_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
# Response headers worth keeping: parsing needs the content type and
# language, conditional GET needs the validators.
_HEADERS_OF_INTEREST = (
    "content-type",
    "content-language",
    "content-location",
    "etag",
    "last-modified",
    "date",
    "retry-after",
)
# Characters left alone when re-quoting a URL path/query: the reserved set
# plus "%" so existing escapes survive.
_URL_SAFE = "/:@!$&'()*+,;=?~-._%[]"


class FetchError(Exception):
    """Internal signal carrying the one-line reason a fetch failed."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one fetch produced: a body, "not modified", or an error line."""

    url: str
    final_url: str
    status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.error is None and self.status == 304

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def check_url(url: str) -> str | None:
    """Why ``url`` may not be fetched, or None if it may."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in url.strip()):
        # A newline in a URL is a header-injection attempt, never an address.
        return "invalid URL (control characters)"
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        return f"invalid URL ({exc})"
    scheme = parts.scheme.lower()
    if not scheme:
        return "not a URL (no scheme; only http and https are fetched)"
    if scheme not in ALLOWED_SCHEMES:
        return f"refused {scheme}: URL (only http and https are fetched)"
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return f"invalid URL ({exc})"
    if not host:
        return "invalid URL (no host)"
    return None


class HostLimiter:
    """At most one request at a time per host, and a pause between them.

    Shared by every thread of a refresh; ``clock`` and ``sleep`` are injectable
    so the pacing can be tested without waiting.
    """

    def __init__(
        self,
        min_interval: float = DEFAULT_MIN_INTERVAL,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_interval = min_interval
        self._clock = clock
        self._sleep = sleep
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._last_end: dict[str, float] = {}

    def _lock_for(self, host: str) -> threading.Lock:
        with self._guard:
            lock = self._locks.get(host)
            if lock is None:
                lock = self._locks[host] = threading.Lock()
            return lock

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold the host's single slot for the duration of one request."""
        host = host.lower()
        with self._lock_for(host):
            last = self._last_end.get(host)
            if last is not None and self.min_interval > 0:
                wait = last + self.min_interval - self._clock()
                if wait > 0:
                    self._sleep(wait)
            try:
                yield
            finally:
                self._last_end[host] = self._clock()


def _fmt_seconds(s: float) -> str:
    return f"{s:g} s"


def _request_target(parts) -> str:  # type: ignore[no-untyped-def]
    path = quote(parts.path or "/", safe=_URL_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_URL_SAFE)
    return path


def _decode_body(raw: bytes, encoding: str, max_bytes: int) -> bytes:
    """Undo gzip/deflate with the size cap applied to the decoded bytes."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding in ("gzip", "x-gzip"):
        wbits_options = (16 + zlib.MAX_WBITS,)
    elif encoding == "deflate":
        # RFC says zlib-wrapped; some servers send raw deflate.
        wbits_options = (zlib.MAX_WBITS, -zlib.MAX_WBITS)
    else:
        raise FetchError(f"unsupported content encoding {encoding!r}")
    last_exc: zlib.error | None = None
    for wbits in wbits_options:
        d = zlib.decompressobj(wbits)
        try:
            # max_length stops inflation one byte past the cap, so a bomb never
            # expands in memory beyond it.
            out = d.decompress(raw, max_bytes + 1)
        except zlib.error as exc:
            last_exc = exc
            continue
        if len(out) > max_bytes:
            raise FetchError(f"response too large (over {max_bytes:,} bytes decompressed)")
        return out
    raise FetchError(f"corrupt {encoding} body ({last_exc})")


def _resolve(host: str, port: int, timeout: float) -> list[tuple]:  # type: ignore[type-arg]
    """getaddrinfo with a time limit (the lookup thread is left to finish on its own)."""
    box: dict[str, object] = {}
    done = threading.Event()

    def lookup() -> None:
        try:
            box["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=lookup, name=f"resolve {host}", daemon=True).start()
    if not done.wait(timeout):
        raise FetchError(f"timed out after {_fmt_seconds(timeout)} looking up {host}")
    if "error" in box:
        raise FetchError(f"cannot resolve host {host}")
    return box["infos"]  # type: ignore[return-value]


def _connector(infos: list[tuple]) -> Callable[..., socket.socket]:  # type: ignore[type-arg]
    """A ``create_connection`` that tries the addresses already looked up."""

    def connect(address: tuple[str, int], timeout: float | None = None, source_address: object = None) -> socket.socket:
        last: OSError | None = None
        for family, type_, proto, _, sockaddr in infos:
            sock = socket.socket(family, type_, proto)
            try:
                sock.settimeout(timeout)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                last = exc
        raise last or OSError("no addresses")

    return connect


class Fetcher:
    """Fetches URLs politely; thread-safe, one instance per refresh or app."""

    def __init__(
        self,
        *,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
        user_agent: str = USER_AGENT,
        limiter: HostLimiter | None = None,
        min_interval: float = DEFAULT_MIN_INTERVAL,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self.limiter = limiter if limiter is not None else HostLimiter(min_interval)
        self._ssl = ssl.create_default_context()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "*/*",
    ) -> FetchResult:
        """GET ``url``, following redirects; never raises for network faults."""
        current = url.strip()
        seen: set[str] = set()
        redirects = 0
        deadline: float | None = None
        while True:
            problem = check_url(current)
            if problem:
                return FetchResult(url=url, final_url=current, error=problem)
            seen.add(current)
            queued = time.monotonic()
            with self.limiter.slot(urlsplit(current).hostname or ""):
                # The deadline bounds time on the network, not the wait for the host's turn:
                # a refresh of many feeds from one site queues them behind each other, and
                # the last ones timed out without having been requested.
                now = time.monotonic()
                deadline = now + self.total_timeout if deadline is None else deadline + (now - queued)
                try:
                    result = self._one(url, current, etag, last_modified, accept, deadline)
                except FetchError as exc:
                    return FetchResult(url=url, final_url=current, error=str(exc))
            if isinstance(result, FetchResult):
                return result
            # A redirect: ``result`` is the Location target.
            target = urljoin(current, result)
            redirects += 1
            if target in seen:
                return FetchResult(url=url, final_url=current, status=None, error=f"redirect loop at {target}")
            if redirects > self.max_redirects:
                return FetchResult(url=url, final_url=current, error=f"too many redirects (over {self.max_redirects})")
            current = target

    def _one(
        self,
        original: str,
        url: str,
        etag: str | None,
        last_modified: str | None,
        accept: str,
        deadline: float,
    ) -> FetchResult | str:
        """One request (the caller holds the host's slot)."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"timed out after {_fmt_seconds(self.total_timeout)}")
        timeout = min(self.connect_timeout, remaining)
        conn: http.client.HTTPConnection
        if parts.scheme.lower() == "https":
            conn = http.client.HTTPSConnection(host, parts.port, timeout=timeout, context=self._ssl)
        else:
            conn = http.client.HTTPConnection(host, parts.port, timeout=timeout)
        # Name lookup ignores socket timeouts; bound it like the connect.
        addresses = _resolve(host, conn.port, timeout)
        conn._create_connection = _connector(addresses)  # type: ignore[attr-defined]
        headers = {
            "User-Agent": self.user_agent,
            "Accept": accept,
            "Accept-Encoding": "gzip, deflate",
            "Connection": "close",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            return self._exchange(conn, original, url, parts, headers, deadline)
        except FetchError:
            raise
        except (socket.timeout, TimeoutError):
            # Either the connect timeout or the total deadline fired.
            if time.monotonic() >= deadline - 0.05:
                raise FetchError(f"timed out after {_fmt_seconds(self.total_timeout)}") from None
            raise FetchError(f"timed out after {_fmt_seconds(self.connect_timeout)}") from None
        except socket.gaierror:
            raise FetchError(f"cannot resolve host {host}") from None
        except ssl.SSLError as exc:
            raise FetchError(f"TLS error ({exc.reason or exc})") from None
        except ConnectionRefusedError:
            raise FetchError("connection refused") from None
        except http.client.RemoteDisconnected:
            raise FetchError("server closed the connection without a response") from None
        except ConnectionResetError:
            raise FetchError("connection reset by server") from None
        except http.client.IncompleteRead:
            raise FetchError("connection closed before the body was complete") from None
        except http.client.HTTPException as exc:
            raise FetchError(f"bad HTTP response ({type(exc).__name__})") from None
        except OSError as exc:
            raise FetchError(f"network error ({exc.strerror or exc})") from None
        except (ValueError, UnicodeError) as exc:
            raise FetchError(f"invalid request ({exc})") from None
        finally:
            conn.close()

    def _exchange(
        self,
        conn: http.client.HTTPConnection,
        original: str,
        url: str,
        parts,  # type: ignore[no-untyped-def]
        headers: dict[str, str],
        deadline: float,
    ) -> FetchResult | str:
        conn.request("GET", _request_target(parts), headers=headers)
        self._tighten(conn, deadline)
        resp = conn.getresponse()
        status = resp.status
        kept = {k: v for k in _HEADERS_OF_INTEREST if (v := resp.getheader(k)) is not None}
        if status in _REDIRECT_CODES:
            location = resp.getheader("location")
            if not location:
                raise FetchError(f"HTTP {status} redirect without a Location")
            return location.strip()
        new_etag = kept.get("etag")
        new_lm = kept.get("last-modified")
        if status == 304:
            return FetchResult(
                url=original,
                final_url=url,
                status=304,
                headers=kept,
                etag=new_etag or headers.get("If-None-Match"),
                last_modified=new_lm or headers.get("If-Modified-Since"),
            )
        if status >= 400 or status < 200:
            return FetchResult(url=original, final_url=url, status=status, headers=kept, error=f"HTTP {status}")
        length = resp.getheader("content-length")
        if length and length.strip().isdigit() and int(length) > self.max_bytes:
            raise FetchError(f"response too large ({int(length):,} bytes; limit {self.max_bytes:,})")
        chunks: list[bytes] = []
        total = 0
        while True:
            self._tighten(conn, deadline)
            # read1 returns after one socket read, so the deadline is checked
            # even against a server that trickles bytes just under the timeout.
            chunk = resp.read1(_CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > self.max_bytes:
                raise FetchError(f"response too large (over {self.max_bytes:,} bytes)")
            chunks.append(chunk)
        body = _decode_body(b"".join(chunks), resp.getheader("content-encoding") or "", self.max_bytes)
        return FetchResult(
            url=original,
            final_url=url,
            status=status,
            body=body,
            headers=kept,
            etag=new_etag,
            last_modified=new_lm,
        )

    def _tighten(self, conn: http.client.HTTPConnection, deadline: float) -> None:
        """Make the next socket wait no longer than the total deadline allows."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"timed out after {_fmt_seconds(self.total_timeout)}")
        if conn.sock is not None:
            conn.sock.settimeout(min(self.connect_timeout, remaining))
