"""The sharded tick in one process: each tracker is indexed in the shard its ID hashes to, a
shard's pass builds its own trackers only and each once per tick, and a shard whose lock is
held is left to its holder. Real Redis, a key prefix of each test's own."""

from __future__ import annotations

import time
import uuid
from collections import Counter

import pytest

from realtime import keys, live_state, shards
from realtime.tests import many_trackers
from nowmetrix.pytest_plugin import RUN_PREFIX

SHARDS = 4


@pytest.fixture
def sharded(settings):
    settings.NOWMETRIX_REDIS_PREFIX = f"{RUN_PREFIX}-{uuid.uuid4().hex[:8]}"  # removed with the run's keys
    settings.NOWMETRIX_TICK_SHARDS = SHARDS
    live_state.script.cache_clear()
    return settings


def _sites(n: int) -> list[str]:
    return [f"t{i:04d}{uuid.uuid4().hex[:6]}" for i in range(n)]


def test_a_tracker_with_a_hit_is_indexed_in_its_own_shard_only(sharded):
    sites = _sites(40)
    many_trackers.publish(sites)
    many_trackers.pageviews(sites, 1)
    indexed = {shard: set(live_state.client().zrange(keys.live_trackers(shard), 0, -1)) for shard in range(SHARDS)}
    for site in sites:
        assert [shard for shard, members in indexed.items() if site in members] == [keys.tick_shard(site)]
    assert all(indexed.values())  # 40 trackers spread over every one of the 4 shards


def test_a_shard_pass_builds_the_trackers_of_its_shard_and_no_other(sharded):
    sites = _sites(40)
    many_trackers.publish(sites)
    many_trackers.pageviews(sites, 2)
    built = shards.shard_pass(1, tick_ms=1000, announce=False)
    mine = [site for site in sites if keys.tick_shard(site) == 1]
    assert built == len(mine)
    for site in sites:
        stamp = live_state.tracker_built_get(site)
        assert (stamp["n"], stamp["tick"]) == ((1, 1000) if site in mine else (0, 0))
        assert (live_state.snapshot_get(site) is not None) == (site in mine)


def test_every_tracker_is_built_once_per_tick_across_the_shards(sharded):
    sites = _sites(100)
    many_trackers.publish(sites)
    many_trackers.pageviews(sites, 3)
    assert shards.tick_all(announce=False) == 100
    stamps = [live_state.tracker_built_get(site) for site in sites]
    assert Counter(s["n"] for s in stamps) == {1: 100}
    assert len({s["tick"] for s in stamps}) == 1
    done = [live_state.shard_done_get(shard) for shard in range(SHARDS)]
    assert sum(int(d["built"]) for d in done) == 100
    assert {int(d["tick"]) for d in done} == {stamps[0]["tick"]}


def test_a_shard_pass_of_a_tick_already_done_builds_nothing(sharded):
    sites = _sites(10)
    many_trackers.publish(sites)
    many_trackers.pageviews(sites, 1)
    shard = keys.tick_shard(sites[0])
    first = shards.shard_pass(shard, tick_ms=5000, announce=False)
    assert first >= 1
    assert shards.shard_pass(shard, tick_ms=5000, announce=False) == 0  # redelivered
    assert shards.shard_pass(shard, tick_ms=4000, announce=False) == 0  # late
    assert live_state.tracker_built_get(sites[0])["n"] == 1
    assert shards.shard_pass(shard, tick_ms=6000, announce=False) == first
    assert live_state.tracker_built_get(sites[0])["n"] == 2


def test_a_shard_held_by_another_workers_pass_is_skipped_and_the_others_go_on(sharded):
    sites = _sites(40)
    many_trackers.publish(sites)
    many_trackers.pageviews(sites, 1)
    token = live_state.shard_lock_acquire(2, "tick", "another-worker")
    assert token is not None
    assert shards.shard_pass(2, tick_ms=1000, announce=False) is None
    assert shards.shard_pass(3, tick_ms=1000, announce=False) == sum(keys.tick_shard(s) == 3 for s in sites)
    assert live_state.shard_lock_holder(2) == token  # not taken over, not released by another
    live_state.shard_lock_release(2, token)
    assert shards.shard_pass(2, tick_ms=1000, announce=False) == sum(keys.tick_shard(s) == 2 for s in sites)


def test_a_tracker_without_traffic_for_31_minutes_leaves_its_shards_index(sharded):
    sites = _sites(2)
    many_trackers.publish(sites)
    many_trackers.pageviews(sites[:1], 1)
    many_trackers.pageviews(sites[1:], 1, now=time.time() - keys.LIVE_TRACKER_RETENTION_SECS - 60)
    assert shards.tick_all(announce=False) == 1
    assert live_state.tracker_built_get(sites[1])["n"] == 0
    assert live_state.client().zscore(keys.live_trackers(keys.tick_shard(sites[1])), sites[1]) is None


def test_a_tick_enqueues_the_longest_unbuilt_shards_first_and_no_empty_one(sharded):
    sites = _sites(40)
    many_trackers.publish(sites)
    many_trackers.pageviews(sites, 1)
    for shard, tick_ms in ((0, 3000), (1, 1000), (3, 2000)):
        live_state.shard_done_record(shard, tick_ms, 0, 0.0, "a-worker")
    assert shards.tick_plan(5000) == [2, 1, 3, 0]
    live_state.client().delete(keys.live_trackers(1))
    assert shards.tick_plan(6000) == [2, 3, 0]
    assert live_state.shard_done_get(1)["tick"] == "6000"  # an empty shard is done at once
