"""Through the real ingest app: inputs that used to crash `/collect` or slip through as hits are
answered like every other hit (204, the GIF) and dropped as `malformed`, never counted as traffic."""

import json
import time

import pytest

from realtime.ingest.asgi import PIXEL_GIF, IngestFrontApp
from realtime.ingest.ingestor import Ingestor
from realtime.tests.asgi import call
from realtime.tests.traffic import DESKTOP_CHROME, Traffic

UA = [(b"user-agent", DESKTOP_CHROME.encode())]


async def _fallback(scope, receive, send):
    await send({"type": "http.response.start", "status": 418, "headers": []})
    await send({"type": "http.response.body", "body": b""})


@pytest.fixture
def app(tenant):
    return IngestFrontApp(fallback=_fallback, ingestor=Ingestor(config_ttl_secs=0))


def _dropped(app) -> int:
    """Hits the ingestor dropped (a malformed one has no tracker to count it against)."""
    return app.ingestor.dropped


def _counts(tenant):
    snap = Traffic(tenant.tracker.public_id, "planet.example", time.time()).snapshot()
    return snap["total_realtime"], snap["total_pageviews_today"]


def _body(site: str, tail: str) -> bytes:
    return ('{"s": "%s", "e": "pv", "u": "https://planet.example/x", %s}' % (site, tail)).encode()


BEACONS = {
    "huge number": '"w": 1e400',
    "infinity": '"w": Infinity',
    "minus infinity": '"w": -Infinity',
    "nan": '"w": NaN',
    "deep nesting": '"w": ' + "[" * 3000 + "]" * 3000,
    "lone surrogate": '"t": "\\udc00"',
    "port out of range": '"u": "https://planet.example:99999/"',
    "bad host": '"u": "https://plan et.example/"',
    "control character in url": '"u": "https://planet.example/\\u0000"',
}


@pytest.mark.parametrize("case", sorted(BEACONS))
def test_a_bad_beacon_is_answered_204_and_counted_as_malformed_only(app, tenant, case):
    site = tenant.tracker.public_id
    call(app, "POST", "/collect", json.dumps({"s": site, "u": "https://planet.example/"}).encode(), UA)
    before = _dropped(app)
    status, _, body = call(app, "POST", "/collect", _body(site, BEACONS[case]), UA)
    assert (status, body) == (204, b"")
    assert _dropped(app) == before + 1
    assert _counts(tenant) == (1, 1)


@pytest.mark.parametrize("query", [
    "u=https%3A%2F%2Fplanet.example%3A99999%2F", "u=ftp%3A%2F%2Fplanet.example%2F", "w=1e400", "w=inf",
    "u=https%3A%2F%2Fplanet.example%2F%00", "t=%ff%fe",
])
def test_a_bad_pixel_gets_the_gif_and_is_counted_as_malformed_only(app, tenant, query):
    before = _dropped(app)
    status, _, body = call(app, "GET", "/pixel.gif", query=f"s={tenant.tracker.public_id}&{query}".encode(),
                           headers=UA + [(b"referer", b"https://planet.example/")])
    assert (status, body) == (200, PIXEL_GIF)
    assert _dropped(app) == before + 1
    assert _counts(tenant) == (0, 0)


def test_an_oversized_body_is_counted_as_malformed(app, tenant):
    before = _dropped(app)
    status, _, _ = call(app, "POST", "/collect", _body(tenant.tracker.public_id, '"t": "' + "x" * 9000 + '"'), UA)
    assert status == 204 and _dropped(app) == before + 1 and _counts(tenant) == (0, 0)
