"""The lean ASGI app that answers the ingest endpoints ahead of Django.

`/collect` (POST beacon, 204), `/pixel.gif` (GET, 1x1 GIF) and `/nm.js` (the snippet) never
reach Django's request machinery: a hit costs parsing, cached enrichment and an append to
the in-process batch. Everything else, and WebSockets, falls through to `fallback`. The
ASGI lifespan starts the batch flusher and, on shutdown (SIGTERM), writes what is buffered or
spools what Redis cannot take."""

from __future__ import annotations

import gzip
import hashlib
import logging
from functools import cached_property, lru_cache, partial
from pathlib import Path

from django.conf import settings

from realtime.ingest import geo, hits, useragent
from realtime.ingest.ingestor import Ingestor
from realtime.ingest.payload import (
    MAX_BODY_BYTES, Malformed, clean, hint_mobile_header, hint_model_header, parse_beacon, parse_pixel,
)
from realtime.ingest.snippet_body import SNIPPET_PATH, served_snippet

log = logging.getLogger(__name__)

PIXEL_GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")
NO_CACHE = b"no-store, no-cache, must-revalidate, max-age=0"
CORS = [(b"access-control-allow-origin", b"*")]
# Asks Chromium for the client hints that tell an Android tablet from a phone (useragent.py).
# Browsers honour it for this origin's later requests where the page's document delegates the
# hints (Permissions-Policy) or is of the same origin; elsewhere the snippet reads them itself.
ACCEPT_CH = (b"accept-ch", b"Sec-CH-UA-Model, Sec-CH-UA-Platform-Version, Sec-CH-UA-Mobile")
# Every request body is read to its end before the answer, wanted or not (a POST to the pixel,
# a GET with a body): a server that closes a connection with bytes unread resets it, and the
# client loses the answer. Reading keeps nothing but /collect's first MAX_BODY_BYTES and waits
# on the client alone, never on Redis. Past MAX_DRAINED_BYTES (announced or found) the answer
# is 413 and the connection closes unread: a client still sending then may see a reset.
MAX_DRAINED_BYTES = 8 * 2**20
_TOO_LARGE = CORS + [(b"connection", b"close")]
_PREFLIGHT = CORS + [
    (b"access-control-allow-methods", b"POST, GET, OPTIONS"),
    (b"access-control-allow-headers", b"content-type"),
    (b"access-control-max-age", b"86400"),
]


def _headers(scope) -> dict[bytes, bytes]:
    return dict(scope.get("headers") or ())


class Snippet:
    """nm.js, read once, served without comments, with an ETag, gzipped when the client accepts it."""

    def __init__(self, path: Path = SNIPPET_PATH):
        self.body = served_snippet(path)
        self.gzipped = gzip.compress(self.body, 9, mtime=0)
        self.etag = ('"' + hashlib.sha256(self.body).hexdigest()[:20] + '"').encode()


class IngestFrontApp:
    def __init__(self, fallback, ingestor: Ingestor | None = None):
        self.fallback = fallback
        self._ingestor = ingestor
        self.routes = {"/collect": self.collect, "/pixel.gif": self.pixel, "/nm.js": self.snippet_js}

    @property
    def ingestor(self) -> Ingestor:
        if self._ingestor is None:
            self._ingestor = Ingestor()
        return self._ingestor

    @cached_property
    def client_ip(self):
        """`geo.client_ip` with this deployment's trusted proxies, cached per (peer, header): they
        repeat for every heartbeat of a visitor, and parsing addresses is the costly part."""
        trusted = geo.parse_networks(settings.NOWMETRIX_TRUSTED_PROXIES)
        return lru_cache(maxsize=65536)(partial(geo.client_ip, trusted_proxies=trusted))

    @cached_property
    def snippet(self) -> Snippet:
        return Snippet()

    async def __call__(self, scope, receive, send):
        kind = scope["type"]
        if kind == "http":
            handler = self.routes.get(scope["path"])
            if handler is not None:
                return await handler(scope, receive, send)
        elif kind == "lifespan":
            return await self.lifespan(scope, receive, send)
        return await self.fallback(scope, receive, send)

    async def lifespan(self, scope, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                # Build the UA parser and the device list (~0.3 s) and open the GeoIP file now,
                # not on the first hits.
                useragent.warm()
                geo.locate("127.0.0.1")
                self.ingestor.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.ingestor.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # --- endpoints -----------------------------------------------------------------------

    def _client(self, scope, headers: dict[bytes, bytes]) -> hits.Client:
        peer = (scope.get("client") or ("", 0))[0] or ""
        forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1") or None
        return hits.Client(
            ip=self.client_ip(peer, forwarded),
            # Control characters would break the packed records (tab-separated).
            user_agent=clean(headers.get(b"user-agent", b"").decode("latin-1")[:512]),
            dnt=headers.get(b"dnt") == b"1" or headers.get(b"sec-gpc") == b"1",
        )

    async def _accept(self, parse, scope, headers) -> None:
        self.ingestor.start()  # servers without lifespan support start it on first use
        try:
            hit = parse()
        except Malformed:
            self.ingestor.count_malformed()
            return
        if b"sec-ch-ua-model" in headers:
            # The browser's own hints, when it sends them, win over what the page says ("k", "o").
            hit.hint_model = hint_model_header(headers[b"sec-ch-ua-model"]) or hit.hint_model
            hit.hint_mobile = hint_mobile_header(headers.get(b"sec-ch-ua-mobile", b"")) or hit.hint_mobile
        # Never awaits: the hit is queued and judged, enriched and written by the flusher.
        self.ingestor.accept_nowait(hit, self._client(scope, headers))

    async def collect(self, scope, receive, send):
        method = scope["method"]
        headers = _headers(scope)
        if method != "POST":
            if not await _drained(receive, headers):
                return await _respond(send, 413, _TOO_LARGE)
            if method == "OPTIONS":
                return await _respond(send, 204, _PREFLIGHT)
            return await _respond(send, 405, CORS + [(b"allow", b"POST, OPTIONS")])
        body, size = await _read_body(receive, headers, MAX_BODY_BYTES)
        if size > MAX_BODY_BYTES:
            self.ingestor.count_malformed()
            if size > MAX_DRAINED_BYTES:
                return await _respond(send, 413, _TOO_LARGE)
        else:
            await self._accept(lambda: parse_beacon(body), scope, headers)
        await _respond(send, 204, CORS + [(b"cache-control", NO_CACHE)])

    async def pixel(self, scope, receive, send):
        headers = _headers(scope)
        if not await _drained(receive, headers):
            return await _respond(send, 413, _TOO_LARGE)
        if scope["method"] in ("GET", "HEAD"):
            referer = headers.get(b"referer", b"").decode("utf-8", "replace")
            await self._accept(lambda: parse_pixel(scope.get("query_string", b""), referer), scope, headers)
        await _respond(
            send, 200,
            CORS + [(b"content-type", b"image/gif"), (b"cache-control", NO_CACHE), (b"pragma", b"no-cache"),
                    (b"expires", b"0")],
            PIXEL_GIF if scope["method"] != "HEAD" else b"",
        )

    async def snippet_js(self, scope, receive, send):
        headers = _headers(scope)
        if not await _drained(receive, headers):
            return await _respond(send, 413, _TOO_LARGE)
        snippet = self.snippet
        common = [(b"content-type", b"application/javascript; charset=utf-8"),
                  (b"cache-control", b"public, max-age=3600"), (b"etag", snippet.etag), (b"vary", b"accept-encoding"),
                  ACCEPT_CH]
        common += CORS
        if headers.get(b"if-none-match") == snippet.etag:
            return await _respond(send, 304, common)
        if b"gzip" in headers.get(b"accept-encoding", b""):
            return await _respond(send, 200, common + [(b"content-encoding", b"gzip")], snippet.gzipped)
        await _respond(send, 200, common, snippet.body)


async def _read_body(receive, headers: dict[bytes, bytes], keep: int) -> tuple[bytes, int]:
    """The body's first `keep` bytes and its size, read to its end; when it is over
    MAX_DRAINED_BYTES (by its Content-Length, or once read that far) the rest is left unread
    and the size returned is only known to be over."""
    declared = headers.get(b"content-length", b"")
    # Nine digits cover the limit; int() of a longer string is never needed (nor safe: huge ones raise).
    if len(declared) > 9 or (declared.isdigit() and int(declared) > MAX_DRAINED_BYTES):
        return b"", MAX_DRAINED_BYTES + 1
    chunks, size, more = [], 0, True
    while more and size <= MAX_DRAINED_BYTES:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        if size < keep:
            chunks.append(chunk[:keep - size])
        size += len(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks), size


async def _drained(receive, headers: dict[bytes, bytes]) -> bool:
    """Reads and forgets the body the request announces, if any (an HTTP/1.1 request without
    Content-Length or Transfer-Encoding has none: a pixel hit reads nothing). False when it is
    over MAX_DRAINED_BYTES and was left unread."""
    if b"transfer-encoding" not in headers and headers.get(b"content-length", b"0") == b"0":
        return True
    return (await _read_body(receive, headers, keep=0))[1] <= MAX_DRAINED_BYTES


async def _respond(send, status: int, headers: list[tuple[bytes, bytes]], body: bytes = b"") -> None:
    headers = headers + [(b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
