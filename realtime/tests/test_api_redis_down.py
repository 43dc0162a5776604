"""With Redis gone, the API answers 503 `redis_unavailable` (never a 500) and recovers when
Redis is back. Uses a private redis-server: the machine's shared one is never stopped."""

import time
from urllib.parse import urlsplit

import pytest

from realtime import live_state
from realtime.api import keycache, microcache
from realtime.tests.servers import start_redis_server

UNAVAILABLE = {"error": {"code": "redis_unavailable",
                         "message": "The realtime backend is unavailable, please retry shortly."}}


def _use_redis(settings, url):
    settings.REDIS_URL = url
    live_state.client.cache_clear()
    live_state.raw_client.cache_clear()
    microcache.clear()
    keycache.clear()


@pytest.fixture
def private_redis(settings):
    url, stop = start_redis_server()
    original = settings.REDIS_URL
    _use_redis(settings, url)
    handle = {"url": url, "stop": stop}
    yield handle
    handle["stop"]()
    _use_redis(settings, original)


@pytest.mark.slow
def test_redis_stopped_mid_test_gives_503_and_the_api_recovers(client, tenant, bearer, private_redis, settings):
    url = f"/v1/realtime?site={tenant.tracker.public_id}"
    assert client.get(url, **bearer).status_code == 200
    private_redis["stop"]()
    microcache.clear()  # a cached snapshot would still be served; ask for a fresh one
    for path in (url, f"/v1/sources?site={tenant.tracker.public_id}"):
        response = client.get(path, **bearer)
        assert response.status_code == 503, path
        assert response.json() == UNAVAILABLE
    port = urlsplit(private_redis["url"]).port
    back_url, private_redis["stop"] = start_redis_server(port=port)
    assert back_url == private_redis["url"]
    # The restarted Redis is empty: the tracker's configuration is healed from the database.
    deadline = time.time() + 5
    while client.get(url, **bearer).status_code != 200:
        assert time.time() < deadline, "the API did not recover"
        time.sleep(0.05)
    assert client.get(url, **bearer).json()["total_realtime"] == 0
