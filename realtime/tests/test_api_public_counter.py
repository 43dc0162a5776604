"""/v1/public/active: opt-in, keyless, CORS-open, one page's count only, rate limited per IP."""

import time

import pytest

from realtime.api import public, ratelimit
from realtime.tests.traffic import IP_GB, Traffic
from trackers import services


@pytest.fixture(autouse=True)
def _fresh_cache():
    public._cache.clear()
    yield
    public._cache.clear()


def test_the_public_counter_is_refused_unless_the_admin_enabled_it(client, tenant):
    response = client.get(f"/v1/public/active?site={tenant.tracker.public_id}&url=/a")
    assert response.status_code == 403 and response.json()["error"]["code"] == "site_not_authorized"


def test_the_public_counter_answers_only_that_pages_active_users_with_open_cors(client, tenant):
    services.tracker_update(tracker=tenant.tracker, public_counter=True)
    t = Traffic(tenant.tracker.public_id, "planet.example", time.time())
    t.hit(path="/a")
    t.hit(path="/a", ip=IP_GB)
    t.hit(path="/b", ip="81.2.69.160")
    response = client.get(f"/v1/public/active?site={tenant.tracker.public_id}&url=/a")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {"site": tenant.tracker.public_id, "url": "/a", "realtime_users": 2}


def test_the_public_counter_rejects_a_url_that_is_not_a_path(client, tenant):
    services.tracker_update(tracker=tenant.tracker, public_counter=True)
    response = client.get(f"/v1/public/active?site={tenant.tracker.public_id}&url=https://x")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_parameter"


def test_the_public_counter_is_rate_limited_per_client(client, tenant, monkeypatch, settings):
    services.tracker_update(tracker=tenant.tracker, public_counter=True)
    settings.NOWMETRIX_PUBLIC_RATE_LIMIT_PER_MIN = 2
    now = [float(int(time.time() // 60) * 60 + 1)]
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    url = f"/v1/public/active?site={tenant.tracker.public_id}&url=/a"
    assert [client.get(url, REMOTE_ADDR="203.0.113.9").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(url, REMOTE_ADDR="203.0.113.10").status_code == 200


def test_the_public_counters_response_cache_stays_bounded_whatever_paths_are_asked(client, tenant, monkeypatch, settings):
    services.tracker_update(tracker=tenant.tracker, public_counter=True)
    monkeypatch.setattr(public, "CACHE_MAX_ENTRIES", 3)
    settings.NOWMETRIX_PUBLIC_RATE_LIMIT_PER_MIN = 1000
    for n in range(10):
        assert client.get(f"/v1/public/active?site={tenant.tracker.public_id}&url=/p{n}").status_code == 200
    assert len(public._cache) == 3
    assert {path for _, path in public._cache} == {"/p7", "/p8", "/p9"}



@pytest.fixture
def limited_behind_a_proxy(client, tenant, monkeypatch, settings) -> str:
    """The counter enabled, two requests a minute per client, proxies trusted in 10.0.0.0/8;
    the counter's URL."""
    services.tracker_update(tracker=tenant.tracker, public_counter=True)
    settings.NOWMETRIX_PUBLIC_RATE_LIMIT_PER_MIN = 2
    settings.NOWMETRIX_TRUSTED_PROXIES = ["10.0.0.0/8"]
    now = float(int(time.time() // 60) * 60 + 1)
    monkeypatch.setattr(ratelimit, "clock", lambda: now)
    return f"/v1/public/active?site={tenant.tracker.public_id}&url=/a"


def test_the_public_counter_limits_a_client_behind_a_trusted_proxy_by_its_forwarded_address(
        client, limited_behind_a_proxy):
    url = limited_behind_a_proxy
    assert [client.get(url, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.21").status_code
            for _ in range(3)] == [200, 200, 429]
    # Another client behind the same proxy has its own limit.
    assert client.get(url, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.22").status_code == 200


def test_the_public_counter_does_not_believe_a_forwarded_address_from_an_untrusted_peer(
        client, limited_behind_a_proxy):
    # A new X-Forwarded-For each time does not make a new client: the peer is the client.
    assert [client.get(limited_behind_a_proxy, REMOTE_ADDR="203.0.113.31",
                       HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)] == [200, 200, 429]
