"""The 8-second microcache, its headers, and conditional requests."""

import time

import pytest

from realtime.api import microcache
from realtime.tests.traffic import IP_GB, Traffic


@pytest.fixture
def clock(monkeypatch):
    now = [time.time()]
    monkeypatch.setattr(microcache, "clock", lambda: now[0])
    microcache.clear()
    yield now
    microcache.clear()


def test_the_microcache_serves_a_hit_within_8_seconds_and_a_miss_after(client, tenant, bearer, clock):
    site = tenant.tracker.public_id
    t = Traffic(site, "planet.example", clock[0])
    t.hit(path="/a")
    t.snapshot()
    url = f"/v1/realtime?site={site}"
    first = client.get(url, **bearer)
    assert first["X-NowMetrix-Microcache"] == "MISS" and first.json()["total_realtime"] == 1
    t.hit(path="/b", ip=IP_GB)
    t.snapshot()  # a newer snapshot exists, but the microcache holds the old one
    clock[0] += 7.9
    cached = client.get(url, **bearer)
    assert cached["X-NowMetrix-Microcache"] == "HIT" and cached.json()["total_realtime"] == 1
    clock[0] += 0.2
    fresh = client.get(url, **bearer)
    assert fresh["X-NowMetrix-Microcache"] == "MISS" and fresh.json()["total_realtime"] == 2


def test_no_cache_request_header_bypasses_the_microcache(client, tenant, bearer, clock):
    site = tenant.tracker.public_id
    t = Traffic(site, "planet.example", clock[0])
    t.hit(path="/a")
    t.snapshot()
    client.get(f"/v1/realtime?site={site}", **bearer)
    t.hit(path="/b", ip=IP_GB)
    t.snapshot()
    response = client.get(f"/v1/realtime?site={site}", HTTP_CACHE_CONTROL="no-cache", **bearer)
    assert response["X-NowMetrix-Microcache"] == "MISS" and response.json()["total_realtime"] == 2


def test_every_200_carries_freshness_headers(client, tenant, bearer, clock):
    site = tenant.tracker.public_id
    t = Traffic(site, "planet.example", clock[0])
    t.hit(path="/a")
    t.snapshot()
    clock[0] += 3
    response = client.get(f"/v1/realtime?site={site}", **bearer)
    assert response["X-NowMetrix-Snapshot-Age"] == "3"
    assert response["X-NowMetrix-Live-Window"] == "300"
    assert response["ETag"].startswith('W/"')


def test_a_matching_if_none_match_gets_304_until_the_content_changes(client, tenant, bearer, clock):
    site = tenant.tracker.public_id
    t = Traffic(site, "planet.example", clock[0])
    t.hit(path="/a")
    t.snapshot()
    url = f"/v1/realtime?site={site}"
    etag = client.get(url, **bearer)["ETag"]
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag, **bearer)
    assert not_modified.status_code == 304 and not_modified.content == b"" and not_modified["ETag"] == etag
    # A new snapshot with the same numbers keeps the ETag (updated_at is not part of it).
    t.now += 1
    t.snapshot()
    clock[0] += 9
    assert client.get(url, HTTP_IF_NONE_MATCH=etag, **bearer).status_code == 304
    t.hit(path="/b", ip=IP_GB)
    t.snapshot()
    clock[0] += 9
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag, **bearer)
    assert changed.status_code == 200 and changed["ETag"] != etag
