"""Whatever fails inside a GA endpoint, the caller gets Google's JSON envelope (`INTERNAL`, 500),
never Django's HTML error page; and GA4's concurrent-request quota holds across processes,
is given back when a request ends, and outlives no crashed process."""

from __future__ import annotations

import json
import time

import pytest

from realtime import keys, live_state

pytestmark = pytest.mark.usefixtures("own_redis_prefix")

GA4 = "/v1beta/properties/{}:runRealtimeReport"
BODY = json.dumps({"metrics": [{"name": "activeUsers"}], "returnPropertyQuota": True})


def ga4(client, tenant):
    response = client.post(GA4.format(tenant.tracker.pk), data=BODY, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {tenant.secret}")
    return response.status_code, response["Content-Type"], json.loads(response.content)


def v3(client, tenant):
    response = client.get("/analytics/v3/data/realtime", {"ids": f"ga:{tenant.tracker.pk}", "metrics": "rt:activeUsers"},
                          HTTP_AUTHORIZATION=f"Bearer {tenant.secret}")
    return response.status_code, response["Content-Type"], json.loads(response.content)


def broken(*args, **kwargs):
    raise ZeroDivisionError("a bug")


def test_an_unexpected_error_in_ga4_answers_googles_internal_envelope(client, tenant, monkeypatch):
    monkeypatch.setattr("gacompat.ga4_query.run", broken)
    status, content_type, body = ga4(client, tenant)
    assert status == 500 and content_type.startswith("application/json")
    assert body == {"error": {"code": 500, "message": "Internal error encountered.", "status": "INTERNAL"}}


def test_an_unexpected_error_in_v3_answers_googles_internal_envelope(client, tenant, monkeypatch):
    monkeypatch.setattr("gacompat.v3_query.run", broken)
    status, content_type, body = v3(client, tenant)
    assert status == 500 and content_type.startswith("application/json")
    assert body == {"error": {"errors": [{"domain": "global", "reason": "internalServerError",
                                          "message": "Internal Error"}],
                              "code": 500, "message": "Internal Error", "status": "INTERNAL"}}


@pytest.fixture
def one_slot(settings):
    settings.NOWMETRIX_GA4_CONCURRENT_REQUESTS = 1
    return settings


def test_a_request_in_flight_elsewhere_takes_the_last_slot(client, tenant, one_slot):
    # Another process's request in flight, as that process records it in Redis.
    assert live_state.ga4_slot_take(tenant.tracker.pk, "other-process", time.time(), 1) == 1
    status, _, body = ga4(client, tenant)
    assert status == 429
    assert body["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert body["error"]["message"].startswith("Exhausted concurrent requests quota")
    live_state.ga4_slot_release(tenant.tracker.pk, "other-process")
    status, _, body = ga4(client, tenant)
    assert status == 200
    assert body["propertyQuota"]["concurrentRequests"] == {"consumed": 1, "remaining": 0}


def test_another_propertys_requests_do_not_count(client, tenant, outsider, one_slot):
    live_state.ga4_slot_take(outsider.tracker.pk, "other-property", time.time(), 1)
    assert ga4(client, tenant)[0] == 200


def test_the_slot_is_given_back_when_a_request_fails(client, tenant, one_slot, monkeypatch):
    monkeypatch.setattr("gacompat.ga4_query.run", broken)
    assert ga4(client, tenant)[0] == 500
    monkeypatch.undo()
    assert ga4(client, tenant)[0] == 200
    assert live_state.client().zcard(keys.ga4_concurrent(tenant.tracker.pk)) == 0


def test_a_crashed_processs_slot_lapses(client, tenant, one_slot):
    # Taken by a process that died without giving it back, longer ago than a slot lasts.
    live_state.ga4_slot_take(tenant.tracker.pk, "crashed", time.time() - keys.GA4_SLOT_SECS - 1, 1)
    assert ga4(client, tenant)[0] == 200
    assert live_state.client().ttl(keys.ga4_concurrent(tenant.tracker.pk)) <= keys.GA4_SLOT_SECS


def test_default_limit_reports_what_is_left(client, tenant):
    status, _, body = ga4(client, tenant)
    assert status == 200
    assert body["propertyQuota"]["concurrentRequests"] == {"consumed": 1, "remaining": 9}
