"""A worker killed in the middle of a shard's pass delays that shard only: the next tick's other
shards are built by the surviving worker while the dead worker's lock still holds its shard, and
once the lock has lapsed the shard is built again, every tracker of it. Its own redis-server."""

from __future__ import annotations

import pytest

from realtime import keys, live_state
from realtime.tests import many_trackers
from realtime.tests.faults import private_redis
from realtime.tests.servers import start_redis, wait_until
from realtime.tests.tick_workers import send_tick, start_worker, wait_ready, wait_tick_done, worker_env

SHARDS = 4
SLOW_SHARD = 0


def _sites_of(shard: int, n: int) -> list[str]:
    found, i = [], 0
    while len(found) < n:
        site = f"k{i:06d}"
        if keys.tick_shard(site) == shard:
            found.append(site)
        i += 1
    return found


@pytest.mark.slow
def test_a_worker_killed_mid_shard_delays_only_its_shard_until_the_lock_lapses(settings):
    redis = start_redis()
    workers = []
    try:
        with private_redis(settings, redis.url):
            settings.NOWMETRIX_TICK_SHARDS = SHARDS
            # One shard long enough to be caught mid-pass, the others small.
            slow = _sites_of(SLOW_SHARD, 2_000)
            others = [site for shard in range(SHARDS) if shard != SLOW_SHARD for site in _sites_of(shard, 5)]
            many_trackers.publish(slow + others)
            many_trackers.pageviews(slow + others, 2)
            env = worker_env(redis.url, SHARDS)
            workers = [start_worker(env, "one"), start_worker(env, "two")]
            for worker in workers:
                wait_ready(worker)

            send_tick(redis.url)
            holder = wait_until(lambda: (live_state.shard_lock_holder(SLOW_SHARD) or "").startswith("tick:") and
                                live_state.shard_lock_holder(SLOW_SHARD), 60, 0.001, "the slow shard's pass")
            pid = int(holder.split(":")[1].rsplit(".", 1)[1])
            (victim,) = [w for w in workers if w.process.pid == pid]
            victim.kill()
            survivor = next(w for w in workers if w is not victim)
            first = wait_tick_done([s for s in range(SHARDS) if s != SLOW_SHARD])

            send_tick(redis.url)
            second = wait_tick_done([s for s in range(SHARDS) if s != SLOW_SHARD], after=first)
            # The other shards went on; the dead worker's pass still holds its shard, unfinished.
            assert live_state.shard_lock_holder(SLOW_SHARD) == holder
            assert int(live_state.shard_done_get(SLOW_SHARD).get("tick", 0)) < first
            assert all(live_state.tracker_built_get(site)["tick"] == second for site in others)

            wait_until(lambda: live_state.shard_lock_holder(SLOW_SHARD) is None, keys.SHARD_LOCK_MS / 1000 + 30, 0.1,
                       "the dead worker's lock to lapse")
            send_tick(redis.url)
            third = wait_tick_done(range(SHARDS), after=second)
            assert all(live_state.tracker_built_get(site)["tick"] == third for site in slow + others)
            assert live_state.shard_done_get(SLOW_SHARD)["worker"].endswith(f".{survivor.process.pid}")
    finally:
        for worker in workers:
            worker.stop()
        redis.discard()
