"""The lean ingest endpoints: pixel, beacon, snippet, CORS, and what reaches the live state."""

import json
import time

import pytest

from realtime import live_state
from realtime.ingest.asgi import PIXEL_GIF, IngestFrontApp
from realtime.ingest.ingestor import Ingestor
from realtime.ingest.record import Record
from realtime.tests.asgi import call
from realtime.tests.traffic import DESKTOP_CHROME, Traffic


async def _fallback(scope, receive, send):  # what Django would be
    await send({"type": "http.response.start", "status": 418, "headers": []})
    await send({"type": "http.response.body", "body": b"django"})


@pytest.fixture
def app(tenant):
    return IngestFrontApp(fallback=_fallback, ingestor=Ingestor(config_ttl_secs=0))


UA = [(b"user-agent", DESKTOP_CHROME.encode())]


def _beacon(site, **fields):
    return json.dumps({"s": site, "e": "pv", "u": "https://planet.example/story", **fields}).encode()


def _total(tenant):
    return Traffic(tenant.tracker.public_id, "planet.example", time.time()).snapshot()["total_realtime"]


def test_the_beacon_answers_204_with_open_cors_and_counts_the_hit(app, tenant):
    status, headers, body = call(app, "POST", "/collect", _beacon(tenant.tracker.public_id),
                                 UA + [(b"content-type", b"text/plain;charset=UTF-8")])
    assert (status, body) == (204, b"")
    assert headers[b"access-control-allow-origin"] == b"*"
    assert _total(tenant) == 1


def test_the_pixel_is_a_valid_uncacheable_gif_and_counts_the_hit(app, tenant):
    query = f"s={tenant.tracker.public_id}&e=pv&u=https%3A%2F%2Fplanet.example%2Fnoscript".encode()
    status, headers, body = call(app, "GET", "/pixel.gif", query=query, headers=UA)
    assert status == 200 and headers[b"content-type"] == b"image/gif"
    assert body == PIXEL_GIF and body.startswith(b"GIF89a") and len(body) == 43
    assert b"no-store" in headers[b"cache-control"]
    assert _total(tenant) == 1


def test_the_pixel_takes_the_page_from_the_referer_header(app, tenant):
    query = f"s={tenant.tracker.public_id}".encode()
    call(app, "GET", "/pixel.gif", query=query, headers=UA + [(b"referer", b"https://planet.example/from-referer")])
    snap = Traffic(tenant.tracker.public_id, "planet.example", time.time()).snapshot()
    assert [p["url"] for p in snap["top_pages"]] == ["/from-referer"]


def test_the_preflight_is_answered_for_any_origin(app):
    status, headers, _ = call(app, "OPTIONS", "/collect", headers=[(b"origin", b"https://planet.example")])
    assert status == 204 and headers[b"access-control-allow-origin"] == b"*"


def test_the_snippet_is_cacheable_gzipped_and_revalidates(app):
    status, headers, body = call(app, "GET", "/nm.js", headers=[(b"accept-encoding", b"gzip, br")])
    assert status == 200 and headers[b"content-encoding"] == b"gzip"
    assert b"max-age" in headers[b"cache-control"] and len(body) <= 1500
    status, _, _ = call(app, "GET", "/nm.js", headers=[(b"if-none-match", headers[b"etag"])])
    assert status == 304


def test_other_paths_fall_through_to_django(app):
    assert call(app, "GET", "/v1/realtime")[0] == 418


BAD_BODIES = {
    "not json": b"{nope",
    "invalid utf-8": b'{"s": "\xff\xfe", "u": "https://planet.example/"}',
    "array": b"[1, 2]",
    "missing site": json.dumps({"e": "pv", "u": "https://planet.example/"}).encode(),
    "garbage url": json.dumps({"s": "x", "u": "javascript:alert(1)"}).encode(),
    "oversized title": None,  # filled in below
    "oversized body": b'{"s": "' + b"a" * 20000 + b'"}',
    "unknown kind": None,
    "width not a number": None,
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_bad_hits_never_fail_and_never_change_the_counts(app, tenant, case):
    site = tenant.tracker.public_id
    call(app, "POST", "/collect", _beacon(site), UA)
    body = BAD_BODIES[case] or {
        "oversized title": _beacon(site, t="x" * 5000),
        "unknown kind": _beacon(site, e="zz"),
        "width not a number": _beacon(site, w={"a": 1}),
    }[case]
    status, _, _ = call(app, "POST", "/collect", body, UA)
    assert status == 204
    snap = Traffic(site, "planet.example", time.time()).snapshot()
    assert snap["total_realtime"] == 1 and snap["total_pageviews_today"] == 1
    assert app.ingestor.dropped == 1


def test_dropped_hits_are_counted_by_reason_and_not_counted_elsewhere(app, tenant, outsider):
    from trackers import services

    site = tenant.tracker.public_id
    pixel = lambda s, url, headers=UA: call(app, "GET", "/pixel.gif", headers=headers,  # noqa: E731
                                            query=f"s={s}&u={url}".encode())
    pixel(site, "https://evil.example/")  # host not allowed
    pixel(site, "https://planet.example/", [(b"user-agent", b"Googlebot/2.1 (+http://www.google.com/bot.html)")])
    pixel(site, "https://planet.example/", UA + [(b"dnt", b"1")])
    pixel(site, "https://planet.example/", UA + [(b"sec-gpc", b"1")])
    pixel("zzzzzzzzzzzz", "https://planet.example/")  # unknown tracker
    services.tracker_deactivate(tracker=outsider.tracker)
    pixel(outsider.tracker.public_id, "https://bugle.example/")  # inactive tracker
    t = Traffic(site, "planet.example", time.time())
    assert t.snapshot()["total_realtime"] == 0
    from realtime.ingest.visitor import local_date

    today = local_date("Europe/Zurich", time.time())
    assert live_state.drops_get(site, today) == {"disallowed_host": 1, "bot": 1, "do_not_track": 2}
    assert live_state.drops_get(outsider.tracker.public_id, today) == {"inactive_tracker": 1}
    assert app.ingestor.dropped == 1  # the unknown tracker's hit: no tracker counts it


def test_a_tracker_that_does_not_honour_dnt_counts_those_hits(app, tenant):
    from trackers import services

    services.tracker_update(tracker=tenant.tracker, honour_dnt=False)
    call(app, "GET", "/pixel.gif", headers=UA + [(b"dnt", b"1")],
         query=f"s={tenant.tracker.public_id}&u=https://planet.example/".encode())
    assert _total(tenant) == 1


def test_no_raw_ip_is_written_to_redis(app, tenant):
    call(app, "POST", "/collect", _beacon(tenant.tracker.public_id), UA + [(b"x-forwarded-for", b"81.2.69.142")])
    conn = live_state.raw_client()
    from django.conf import settings

    for key in conn.scan_iter(match=f"{settings.NOWMETRIX_REDIS_PREFIX}*"):
        kind = conn.type(key)
        dump = {b"string": lambda: conn.get(key), b"hash": lambda: conn.hgetall(key),
                b"zset": lambda: conn.zrange(key, 0, -1), b"stream": lambda: conn.xrange(key)}.get(kind)
        if dump:
            assert b"81.2.69.142" not in repr(dump()).encode(), key


def test_the_snippet_asks_for_the_client_hints_that_tell_tablets_from_phones(app):
    _, headers, _ = call(app, "GET", "/nm.js")
    assert headers[b"accept-ch"] == b"Sec-CH-UA-Model, Sec-CH-UA-Platform-Version, Sec-CH-UA-Mobile"


def test_the_snippet_is_served_without_its_comments(app):
    _, _, body = call(app, "GET", "/nm.js")
    assert b"//" not in body.replace(b"'//'", b"") and b"/*" not in body and b"sendBeacon" in body


def test_the_browsers_client_hint_headers_reach_the_visitors_record(app, tenant):
    reduced_phone = (b"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                     b"Chrome/131.0.0.0 Mobile Safari/537.36")
    hints = [(b"user-agent", reduced_phone), (b"sec-ch-ua-model", b'"SM-X710"'), (b"sec-ch-ua-mobile", b"?0")]
    call(app, "POST", "/collect", _beacon(tenant.tracker.public_id), hints)
    [packed] = live_state.visitor_records(tenant.tracker.public_id, time.time() - 60)[0]
    assert (Record.unpack(packed).device, Record.unpack(packed).model) == ("tablet", "SM-X710")


def test_the_browsers_client_hint_headers_win_over_the_pages_fields(app, tenant):
    reduced_tablet = (b"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                      b"Chrome/131.0.0.0 Safari/537.36")
    hints = [(b"user-agent", reduced_tablet), (b"sec-ch-ua-model", b'"SM-S918B"'), (b"sec-ch-ua-mobile", b"?1")]
    call(app, "POST", "/collect", _beacon(tenant.tracker.public_id, k="SM-X710", o="0"), hints)
    [packed] = live_state.visitor_records(tenant.tracker.public_id, time.time() - 60)[0]
    assert (Record.unpack(packed).device, Record.unpack(packed).model) == ("mobile", "SM-S918B")
