"""The GA APIs' 503s (v3 `backendError`, GA4 `UNAVAILABLE`) carry `Retry-After`, the same value
as every other 503 of the app (realtime.api.errors.UNAVAILABLE_RETRY_AFTER_SECS). Redis is
"down" by pointing this process at a port nothing listens on."""

from __future__ import annotations

import json

import pytest

from devstack.processes import free_port
from realtime.api import keycache
from realtime.api.errors import UNAVAILABLE_RETRY_AFTER_SECS
from realtime.tests.faults import private_redis

pytestmark = pytest.mark.usefixtures("own_redis_prefix")


@pytest.fixture
def redis_down(settings):
    keycache.clear()
    with private_redis(settings, f"redis://127.0.0.1:{free_port()}/0"):
        yield
    keycache.clear()


def test_v3_backend_error_carries_retry_after(client, tenant, redis_down):
    response = client.get("/analytics/v3/data/realtime", {"ids": f"ga:{tenant.tracker.pk}", "metrics": "rt:activeUsers"},
                          HTTP_AUTHORIZATION=f"Bearer {tenant.secret}")
    assert response.status_code == 503
    assert json.loads(response.content)["error"]["errors"][0]["reason"] == "backendError"
    assert response["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER_SECS)


def test_ga4_unavailable_carries_retry_after(client, tenant, redis_down):
    response = client.post(f"/v1beta/properties/{tenant.tracker.pk}:runRealtimeReport",
                           data=json.dumps({"metrics": [{"name": "activeUsers"}]}), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {tenant.secret}")
    assert response.status_code == 503
    assert json.loads(response.content)["error"]["status"] == "UNAVAILABLE"
    assert response["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER_SECS)
