"""A Celery worker killed in the middle of a tick: the next worker's snapshots show every hit
once (counting happens in ingest; a tick only expires visitors and builds snapshots, and its
lock, left behind by the killed holder, expires on its own). Its own redis-server."""

import asyncio
import json
import time

import pytest

from realtime import keys, live_state
from realtime.ingest.ingestor import Ingestor
from realtime.tests.faults import Clock, Sent, drain, private_redis, send
from realtime.tests.servers import start_celery_worker, start_redis, wait_until


def _snapshot_after(site: str, since: float) -> dict | None:
    stored = live_state.snapshot_get(site)
    return json.loads(stored.realtime) if stored is not None and stored.built_at > since else None


@pytest.mark.slow
def test_a_worker_killed_mid_tick_leaves_the_counts_whole(tenant, settings, tmp_path):
    redis = start_redis()
    workers = []
    try:
        with private_redis(settings, redis.url):
            env = {"REDIS_URL": redis.url}
            live_state.tracker_config_publish(tenant.tracker)
            site = tenant.tracker.public_id
            clock, sent = Clock(time.time()), Sent(site)
            ingestor = Ingestor(clock=clock, spool_dir=tmp_path, config_ttl_secs=0)

            def ingest(seconds: int, first: int) -> None:
                clock.now = time.time() - seconds  # hits of the last seconds, at their real times
                send(ingestor, sent, clock, seconds=seconds, per_second=20, visitors=20, first=first)
                asyncio.run(drain(ingestor))

            ingest(3, 0)
            workers.append(start_celery_worker(env))
            wait_until(lambda: _snapshot_after(site, 0), 30, 0.1, "a first snapshot")
            wait_until(lambda: live_state.client().exists(keys.shard_lock(keys.tick_shard(site))), 10, 0.001,
                       "a pass of its shard in progress")
            workers[0].kill()
            killed_at = time.time()
            ingest(2, 100)
            workers.append(start_celery_worker(env))
            snap = wait_until(lambda: _snapshot_after(site, killed_at + 0.5), 30, 0.1, "a snapshot by the next worker")
            assert snap["total_pageviews_today"] == sum(sent.pageviews.values())
            assert snap["total_realtime"] == len(sent.last_seen)
            assert abs(snap["total_unique_visitors_today"] - len(sent.last_seen)) <= 1
    finally:
        for worker in workers:
            worker.stop()
        redis.discard()
