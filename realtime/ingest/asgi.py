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
                # Build the UA parser and open the GeoIP file now, not on the first hit.
                useragent.parse_user_agent("")
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
        if method == "OPTIONS":
            return await _respond(send, 204, _PREFLIGHT)
        if method != "POST":
            return await _respond(send, 405, CORS + [(b"allow", b"POST, OPTIONS")])
        body, too_large = await _read_body(receive, MAX_BODY_BYTES)
        headers = _headers(scope)
        if too_large:
            self.ingestor.count_malformed()
        else:
            await self._accept(lambda: parse_beacon(body), scope, headers)
        await _respond(send, 204, CORS + [(b"cache-control", NO_CACHE)])

    async def pixel(self, scope, receive, send):
        headers = _headers(scope)
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


async def _read_body(receive, limit: int) -> tuple[bytes, bool]:
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks), size > limit


async def _respond(send, status: int, headers: list[tuple[bytes, bytes]], body: bytes = b"") -> None:
    headers = headers + [(b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
