"""The per-key rate limit: headers on every response, 429 with Retry-After, recovery."""

import time

import pytest

from realtime.api import ratelimit


@pytest.fixture
def clock(monkeypatch, settings):
    settings.NOWMETRIX_RATE_LIMIT_PER_MIN = 3
    now = [float(int(time.time() // 60) * 60 + 10)]
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    return now


def test_the_limit_is_reached_and_recovers_in_the_next_window(client, tenant, bearer, clock):
    url = f"/v1/realtime?site={tenant.tracker.public_id}"
    remaining = [client.get(url, **bearer)["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    limited = client.get(url, **bearer)
    assert limited.status_code == 429
    assert limited.json() == {"error": {"code": "rate_limit_exceeded",
                                        "message": "The rate limit of this API key is exceeded."}}
    assert limited["Retry-After"] == "50"
    assert limited["X-RateLimit-Limit"] == "3" and limited["X-RateLimit-Remaining"] == "0"
    assert int(limited["X-RateLimit-Reset"]) == int(clock[0]) + 50
    clock[0] += 50
    assert client.get(url, **bearer).status_code == 200


def test_each_key_has_its_own_limit(client, tenant, bearer, clock):
    from trackers import services

    url = f"/v1/realtime?site={tenant.tracker.public_id}"
    for _ in range(4):
        client.get(url, **bearer)
    _, other = services.api_key_issue(account=tenant.account, name="second")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 200
