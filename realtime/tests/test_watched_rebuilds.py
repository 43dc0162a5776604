"""Watched trackers between ticks: a round rebuilds a watched tracker only when ingest moved its
change counter since its latest build, never an unwatched or quiet one, and leaves a shard whose
lock a pass holds. Real Redis, a key prefix of each test's own."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import pytest

from realtime import keys, live_state, shards
from realtime.tests import many_trackers
from nowmetrix.pytest_plugin import RUN_PREFIX


@pytest.fixture
def sites(settings) -> list[str]:
    settings.NOWMETRIX_REDIS_PREFIX = f"{RUN_PREFIX}-{uuid.uuid4().hex[:8]}"
    settings.NOWMETRIX_TICK_SHARDS = 4
    found = [f"w{i}{uuid.uuid4().hex[:6]}" for i in range(3)]
    many_trackers.publish(found)
    many_trackers.pageviews(found, 1)
    shards.tick_all(announce=False)
    return found


def _watch(site: str) -> None:
    asyncio.run(live_state.watch_aadd(site))


def _pageviews_today(site: str) -> int:
    return json.loads(live_state.snapshot_get(site).realtime)["total_pageviews_today"]


def test_a_watched_tracker_that_changed_is_rebuilt_once(sites):
    watched = sites[0]
    _watch(watched)
    many_trackers.pageviews([watched], 1, first_visitor=10)
    assert shards.watched_round(announce=False) == 1
    assert _pageviews_today(watched) == 2
    assert live_state.tracker_built_get(watched)["f"] == 1
    assert shards.watched_round(announce=False) == 0  # nothing changed since
    assert live_state.tracker_built_get(watched)["f"] == 1


def test_a_quiet_watched_tracker_is_not_rebuilt(sites):
    _watch(sites[0])
    assert shards.watched_round(announce=False) == 0
    assert live_state.tracker_built_get(sites[0]) | {"tick": 0} == {"chg": 1, "tick": 0, "n": 1, "f": 0}


def test_an_unwatched_tracker_that_changed_waits_for_the_tick(sites):
    _watch(sites[0])
    many_trackers.pageviews(sites[1:2], 1, first_visitor=10)
    assert shards.watched_round(announce=False) == 0
    assert _pageviews_today(sites[1]) == 1
    shards.tick_all(announce=False)
    assert _pageviews_today(sites[1]) == 2


def test_a_lapsed_watch_ends_the_fast_rebuilds(sites):
    asyncio.run(live_state.watch_aadd(sites[0], now=time.time() - keys.WATCH_SECS - 1))
    many_trackers.pageviews(sites[:1], 1, first_visitor=10)
    assert shards.watched_round(announce=False) == 0
    assert live_state.watched_by_shard(range(4)) == {}


def test_a_round_leaves_a_shard_whose_pass_holds_its_lock(sites):
    watched = sites[0]
    _watch(watched)
    many_trackers.pageviews([watched], 1, first_visitor=10)
    shard = keys.tick_shard(watched)
    token = live_state.shard_lock_acquire(shard, "tick", "another-worker")
    assert shards.watched_round(announce=False) == 0
    live_state.shard_lock_release(shard, token)
    assert shards.watched_round(announce=False) == 1


def test_a_pass_records_the_change_it_saw_so_the_next_round_has_nothing_to_do(sites):
    _watch(sites[0])
    many_trackers.pageviews(sites[:1], 1, first_visitor=10)
    shards.tick_all(announce=False)
    assert shards.watched_round(announce=False) == 0
    assert live_state.tracker_built_get(sites[0])["chg"] == 2


def test_a_shard_pass_announces_deltas_to_the_dashboards_of_watched_trackers_only(sites, monkeypatch):
    from realtime import events

    announced: dict[str, object] = {}
    monkeypatch.setattr(events, "announce_snapshots",
                        lambda built: announced.update({one.site: one for one in built}))
    _watch(sites[0])
    many_trackers.pageviews(sites, 1, first_visitor=10)
    shards.tick_all()
    assert set(announced) == set(sites)
    watched = announced[sites[0]].snapshot
    assert watched.delta is not None and watched.delta.seq == watched.seq
    assert [announced[site].snapshot.delta for site in sites[1:]] == [None, None]
    assert [announced[site].dashboards for site in sites] == [True, False, False]
    assert [_pageviews_today(site) for site in sites] == [2, 2, 2]  # numbered and stored alike
