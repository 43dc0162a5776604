"""Every 503 tells clients when to come back: `redis_unavailable` carries the same `Retry-After`
as the database-down answers (one value, realtime.api.errors.UNAVAILABLE_RETRY_AFTER_SECS).
Redis is "down" by pointing this process at a port nothing listens on."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from devstack.processes import free_port
from nowmetrix.errors import unavailable_response
from realtime.api import keycache, microcache
from realtime.api.errors import UNAVAILABLE_RETRY_AFTER_SECS
from realtime.tests.faults import private_redis


@pytest.fixture
def redis_down(settings):
    microcache.clear()
    keycache.clear()
    with private_redis(settings, f"redis://127.0.0.1:{free_port()}/0"):
        yield
    microcache.clear()
    keycache.clear()


@pytest.mark.parametrize("endpoint", ["realtime", "sources"])
def test_redis_unavailable_carries_retry_after(client, tenant, bearer, redis_down, endpoint):
    response = client.get(f"/v1/{endpoint}?site={tenant.tracker.public_id}", **bearer)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "redis_unavailable"
    assert response["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER_SECS)


@pytest.mark.parametrize("path", ["/v1/realtime", "/analytics/v3/data/realtime",
                                  "/v1beta/properties/1:runRealtimeReport", "/trackers/"])
def test_database_down_answers_carry_the_same_retry_after(path):
    try:
        raise OperationalError("gone")
    except OperationalError:
        response = unavailable_response(path)
    assert response.status_code == 503
    assert response["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER_SECS)
