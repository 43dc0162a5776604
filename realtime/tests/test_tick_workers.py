"""10,000 live trackers, each with a few visitors, built in one tick by two real Celery workers
sharing the shards: every tracker exactly once (its build counter and the tick it was built in),
none skipped, and both workers took shards. Counts, not timings. Its own redis-server."""

from __future__ import annotations

from collections import Counter

import pytest

from realtime import keys, live_state
from realtime.tests import many_trackers
from realtime.tests.faults import private_redis
from realtime.tests.servers import start_redis
from realtime.tests.tick_workers import send_tick, shards_done, start_worker, wait_ready, wait_tick_done, worker_env

TRACKERS = 10_000
SHARDS = 16


@pytest.mark.slow
def test_two_workers_build_ten_thousand_trackers_once_each_in_a_tick(settings):
    redis = start_redis()
    workers = []
    try:
        with private_redis(settings, redis.url):
            settings.NOWMETRIX_TICK_SHARDS = SHARDS
            sites = [f"tr{n:05d}" for n in range(TRACKERS)]
            many_trackers.publish(sites)
            many_trackers.pageviews(sites, 3)
            env = worker_env(redis.url, SHARDS)
            workers = [start_worker(env, "one"), start_worker(env, "two")]
            for worker in workers:
                wait_ready(worker)

            send_tick(redis.url)
            tick = wait_tick_done(range(SHARDS))

            stamps = [live_state.tracker_built_get(site) for site in sites]
            assert Counter(stamp["n"] for stamp in stamps) == {1: TRACKERS}  # none twice, none skipped
            assert {stamp["tick"] for stamp in stamps} == {tick}
            done = shards_done(SHARDS)
            assert sum(int(d["built"]) for d in done) == TRACKERS
            assert len({d["worker"] for d in done}) == 2  # both workers took shards
            by_shard = Counter(keys.tick_shard(site) for site in sites)
            assert [int(d["built"]) for d in done] == [by_shard[shard] for shard in range(SHARDS)]
    finally:
        for worker in workers:
            worker.stop()
        redis.discard()
