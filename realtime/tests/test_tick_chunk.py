"""The tick works on chunks of trackers (`services.trackers_tick`: their expiry, trims and
reads in one round trip, their snapshots stored in one more): every tracker of a chunk gets
exactly the snapshot, the expiry and the trims a tick of it alone gives."""

from __future__ import annotations

import json
import time
import uuid

from realtime import keys, live_state, services
from realtime.live_state import snapshots
from realtime.tests import many_trackers


def _sites(n: int) -> list[str]:
    return [f"c{i:03d}{uuid.uuid4().hex[:8]}" for i in range(n)]


def _configs(sites: list[str]) -> list:
    return [live_state.tracker_config_get(site) for site in sites]


def _stored(site: str) -> dict:
    return json.loads(live_state.snapshot_get(site).realtime)


def test_every_tracker_of_a_chunk_gets_the_snapshot_of_a_tick_of_its_own():
    now = time.time()
    chunked, alone = _sites(12), _sites(12)
    many_trackers.publish(chunked + alone)
    for i, (a, b) in enumerate(zip(chunked, alone)):
        many_trackers.pageviews([a, b], i + 1, now=now)
    snaps = services.trackers_tick(_configs(chunked), now, announce=False)
    singles = [services.tracker_tick(config, now, announce=False) for config in _configs(alone)]
    for i, (a, b, snap, single) in enumerate(zip(chunked, alone, snaps, singles)):
        assert snap.realtime["total_realtime"] == i + 1
        assert snap.realtime["total_pageviews_today"] == i + 1
        assert _stored(a) == snap.realtime
        assert {**snap.realtime, "site": b} == single.realtime
        assert {**snap.extras, "site": b} == single.extras


def test_a_chunk_tick_expires_the_departed_visitors_of_every_tracker():
    now = time.time()
    sites = _sites(8)
    many_trackers.publish(sites)
    many_trackers.pageviews(sites, 4, now=now - 400)  # past the 5-minute window at `now`
    many_trackers.pageviews(sites, 3, now=now, first_visitor=4)
    snaps = services.trackers_tick(_configs(sites), now, announce=False)
    assert [snap.realtime["total_realtime"] for snap in snaps] == [3] * 8
    assert [live_state.active_count(site, 0) for site in sites] == [3] * 8
    assert [sum(p["realtime_users"] for p in snap.realtime["top_pages"]) for snap in snaps] == [3] * 8


def test_a_tracker_with_more_departed_visitors_than_one_expiry_call_removes_is_expired_fully(monkeypatch):
    monkeypatch.setattr(snapshots, "EXPIRE_BATCH", 4)
    now = time.time()
    sites = _sites(5)
    many_trackers.publish(sites)
    many_trackers.pageviews(sites[:2], 11, now=now - 400)  # three calls' worth for these two
    many_trackers.pageviews(sites, 2, now=now, first_visitor=11)
    snaps = services.trackers_tick(_configs(sites), now, announce=False)
    assert [snap.realtime["total_realtime"] for snap in snaps] == [2] * 5
    assert [live_state.active_count(site, 0) for site in sites] == [2] * 5
    assert [snap.realtime["devices"]["desktop"] for snap in snaps] == [2] * 5


def test_a_chunk_tick_drops_minute_buckets_older_than_the_series_and_keeps_the_rest():
    now = time.time()
    minute = int(now // 60)
    sites = _sites(6)
    many_trackers.publish(sites)
    many_trackers.pageviews(sites, 1, now=now)
    conn = live_state.client()
    kept = str(minute - keys.MINUTE_SERIES_SECS // 60)
    for site in sites:
        for suffix in (keys.MINUTE_PAGEVIEWS, keys.MINUTE_EVENTS, keys.MINUTE_ACTIVE):
            conn.hset(keys.tracker_key(site, suffix), mapping={str(minute - 31): 5, str(minute - 45): 1, kept: 2})
    services.trackers_tick(_configs(sites), now, announce=False)
    for site in sites:
        assert set(conn.hkeys(keys.tracker_key(site, keys.MINUTE_PAGEVIEWS))) == {kept, str(minute)}
        assert set(conn.hkeys(keys.tracker_key(site, keys.MINUTE_EVENTS))) == {kept}
        assert set(conn.hkeys(keys.tracker_key(site, keys.MINUTE_ACTIVE))) == {kept, str(minute)}


def test_a_build_only_chunk_leaves_departed_visitors_and_old_buckets_to_the_tick():
    now = time.time()
    minute = int(now // 60)
    sites = _sites(3)
    many_trackers.publish(sites)
    many_trackers.pageviews(sites, 2, now=now - 400)
    many_trackers.pageviews(sites, 1, now=now, first_visitor=2)
    conn = live_state.client()
    for site in sites:
        conn.hset(keys.tracker_key(site, keys.MINUTE_EVENTS), str(minute - 40), 1)
    snaps = services.trackers_tick(_configs(sites), now, announce=False, expire=False)
    assert [snap.realtime["total_realtime"] for snap in snaps] == [3] * 3  # not expired yet
    assert [_stored(site)["total_realtime"] for site in sites] == [3] * 3
    assert [conn.hkeys(keys.tracker_key(site, keys.MINUTE_EVENTS)) for site in sites] == [[str(minute - 40)]] * 3
