"""The ASGI fast path answers microcache hits exactly as the DRF view would, and defers to
it for everything else."""

import time

import pytest

from realtime.api import keycache, microcache
from trackers.grants import grant_of
from realtime.api.fastpath import ApiFastPath
from realtime.tests.asgi import call
from realtime.tests.traffic import Traffic
from trackers import services


class Fallback:
    """Stands for Django: records that the request fell through."""

    def __init__(self):
        self.calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await send({"type": "http.response.start", "status": 599, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@pytest.fixture
def warm(client, tenant, bearer):
    microcache.clear()
    keycache.clear()
    t = Traffic(tenant.tracker.public_id, "planet.example", time.time())
    t.hit(path="/a", t="A")
    t.snapshot()
    drf = client.get(f"/v1/realtime?site={tenant.tracker.public_id}", **bearer)
    assert drf["X-NowMetrix-Microcache"] == "MISS"
    yield drf
    microcache.clear()
    keycache.clear()


def _get(app, tenant, path="/v1/realtime", extra=()):
    return call(app, "GET", path, query=f"site={tenant.tracker.public_id}".encode(),
                headers=[(b"authorization", f"Bearer {tenant.secret}".encode()), *extra])


def test_a_hit_is_served_with_the_same_body_and_headers_as_drf(tenant, warm, client, bearer):
    fallback = Fallback()
    status, headers, body = _get(ApiFastPath(fallback), tenant)
    assert fallback.calls == 0 and status == 200
    drf_hit = client.get(f"/v1/realtime?site={tenant.tracker.public_id}", **bearer)
    assert body == warm.content == drf_hit.content
    for name in ("Content-Type", "ETag", "X-NowMetrix-Microcache", "X-NowMetrix-Live-Window", "Cache-Control",
                 "X-RateLimit-Limit", "X-Content-Type-Options"):
        assert headers[name.lower().encode()].decode() == drf_hit[name], name
    assert int(headers[b"x-ratelimit-remaining"]) == int(drf_hit["X-RateLimit-Remaining"]) + 1


def test_sources_and_conditional_requests_are_served_too(tenant, warm):
    app = ApiFastPath(Fallback())
    status, _, body = _get(app, tenant, "/v1/sources")
    assert status == 200 and body.startswith(b'{"site":')
    status, _, body = _get(app, tenant, extra=[(b"if-none-match", warm["ETag"].encode())])
    assert (status, body) == (304, b"")


def test_a_revoked_key_falls_through_to_drf_at_once(tenant, warm):
    fallback = Fallback()
    services.api_key_revoke(api_key=tenant.api_key)
    keycache.remember(grant_of(tenant.api_key), time.time())  # as if another process still remembered it
    assert _get(ApiFastPath(fallback), tenant)[0] == 599 and fallback.calls == 1


def test_unknown_keys_misses_and_no_cache_fall_through(tenant, warm):
    fallback = Fallback()
    app = ApiFastPath(fallback)
    call(app, "GET", "/v1/realtime", query=f"site={tenant.tracker.public_id}".encode(),
         headers=[(b"authorization", b"Bearer nm_" + b"x" * 43)])
    _get(app, tenant, extra=[(b"cache-control", b"no-cache")])
    call(app, "GET", "/v1/realtime", query=b"site=abcdefghijkm",
         headers=[(b"authorization", f"Bearer {tenant.secret}".encode())])
    microcache.clear()
    _get(app, tenant)
    assert fallback.calls == 4


def test_a_key_of_another_account_falls_through(tenant, outsider, warm):
    fallback = Fallback()
    keycache.remember(grant_of(outsider.api_key), time.time())
    call(ApiFastPath(fallback), "GET", "/v1/realtime", query=f"site={tenant.tracker.public_id}".encode(),
         headers=[(b"authorization", f"Bearer {outsider.secret}".encode())])
    assert fallback.calls == 1
