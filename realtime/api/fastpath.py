"""ASGI fast path for microcache hits of `/v1/realtime` and `/v1/sources`.

When the key was verified by the DRF view within the last minute (realtime.api.keycache) and
the tracker's snapshot is in this process's microcache, the pre-serialized bytes are sent
straight from here: one Redis round trip (rate limit and revocation mark), no Django request
cycle. Anything else (first request of a key, a miss, an error, a revoked key, a 429, a
`Cache-Control: no-cache`) falls through to the DRF views, which answer it with the same
headers and bodies."""

from __future__ import annotations

from urllib.parse import parse_qs

from redis.exceptions import RedisError

from realtime import live_state
from realtime.api import keycache, microcache, ratelimit, snapshot_response
from trackers import keys

_PARTS = {"/v1/realtime": "realtime", "/v1/sources": "sources"}
# What Django's middleware adds to every API response; kept identical here.
_STATIC_HEADERS = [
    (b"content-type", snapshot_response.JSON_CONTENT_TYPE.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def _bearer(headers: dict[bytes, bytes]) -> str | None:
    value = headers.get(b"authorization", b"").decode("latin-1")
    scheme, _, secret = value.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not keys.api_key_is_well_formed(secret):
        return None
    return secret


class ApiFastPath:
    def __init__(self, fallback):
        self.fallback = fallback

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] in _PARTS and scope["method"] in ("GET", "HEAD"):
            if await self.serve(scope, send):
                return
        await self.fallback(scope, receive, send)

    async def serve(self, scope, send) -> bool:
        """Answer from memory if everything needed is there; False to let DRF answer."""
        headers = dict(scope.get("headers") or ())
        secret = _bearer(headers)
        if secret is None or snapshot_response.wants_fresh(headers.get(b"cache-control", b"").decode("latin-1")):
            return False
        now = microcache.clock()
        grant = keycache.recall(keys.api_key_hash(secret), now)
        params = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        if any(len(values) > 1 for values in params.values()):
            return False  # Django answers 400 invalid_parameter (realtime.api.parameters)
        site = (params.get("site") or [""])[0].strip()
        entry = microcache.peek(site, now) if site else None
        if grant is None or entry is None or not grant.may_read(entry.config):
            return False
        window_start = int(now // ratelimit.WINDOW_SECS) * ratelimit.WINDOW_SECS
        try:
            used, revoked = await live_state.rate_limit_aincr_and_revoked(
                keycache.rate_bucket(grant), window_start, ratelimit.WINDOW_SECS, grant.hashed_secret)
        except RedisError:
            return False
        if revoked:
            keycache.forget(grant.hashed_secret)
            return False
        verdict = ratelimit.Verdict(ratelimit.limit(), ratelimit.limit() - used, window_start + ratelimit.WINDOW_SECS)
        if not verdict.allowed:
            return False
        out = dict(snapshot_response.snapshot_headers(entry, True, now), **verdict.headers())
        if snapshot_response.is_not_modified(entry, headers.get(b"if-none-match", b"").decode("latin-1")):
            status, body = 304, b""
        else:
            status, body = 200, getattr(entry.snapshot, _PARTS[scope["path"]])
        response_headers = [(k.lower().encode(), v.encode()) for k, v in out.items()]
        response_headers += _STATIC_HEADERS if status == 200 else _STATIC_HEADERS[1:]
        response_headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": response_headers})
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})
        return True
