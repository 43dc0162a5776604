"""A real Celery worker's fast loop: with no tick due, a watched tracker's new hits reach its
stored snapshot (rebuilt between ticks), an unwatched tracker's do not. Its own redis-server."""

from __future__ import annotations

import asyncio
import json

import pytest

from realtime import live_state
from realtime.tests import many_trackers
from realtime.tests.faults import private_redis
from realtime.tests.servers import start_redis, wait_until
from realtime.tests.tick_workers import send_tick, start_worker, wait_ready, wait_tick_done, worker_env

SHARDS = 4


def _pageviews_today(site: str) -> int:
    return json.loads(live_state.snapshot_get(site).realtime)["total_pageviews_today"]


@pytest.mark.slow
def test_a_workers_fast_loop_rebuilds_a_watched_tracker_between_ticks_and_no_other(settings):
    redis = start_redis()
    worker = None
    try:
        with private_redis(settings, redis.url):
            settings.NOWMETRIX_TICK_SHARDS = SHARDS
            watched, unwatched = "watched01", "unwatched1"
            many_trackers.publish([watched, unwatched])
            many_trackers.pageviews([watched, unwatched], 1)
            worker = start_worker(worker_env(redis.url, SHARDS), "one")
            wait_ready(worker)
            send_tick(redis.url)
            tick = wait_tick_done(range(SHARDS))  # the only tick of the test (its interval is 600 s)

            asyncio.run(live_state.watch_aadd(watched))
            many_trackers.pageviews([watched, unwatched], 2, first_visitor=10)
            wait_until(lambda: _pageviews_today(watched) == 3, 30, 0.02, "the watched tracker rebuilt")

            assert live_state.tracker_built_get(watched)["f"] >= 1
            assert live_state.tracker_built_get(unwatched) == {"chg": 1, "tick": tick, "n": 1, "f": 0}
            assert _pageviews_today(unwatched) == 1
    finally:
        if worker is not None:
            worker.stop()
        redis.discard()
