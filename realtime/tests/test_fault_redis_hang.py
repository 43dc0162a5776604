"""Redis hung (SIGSTOP, then SIGCONT) under steady ingest: writes time out while Redis still
holds them in its socket buffer and applies them when it resumes; their resends are skipped,
so every hit is counted once. Its own redis-server; the Redis timeout is shortened so that the
hang spans several timed-out writes in a second or two of real time."""

import asyncio

import pytest

from realtime import keys, live_state
from realtime.ingest.ingestor import Ingestor
from realtime.live_state import TrackerBatch
from realtime.tests.faults import Clock, Sent, assert_counts_equal_the_traffic, drain, flush_for, private_redis, send
from realtime.tests.servers import start_redis


@pytest.mark.slow
def test_a_hung_redis_loses_nothing_and_counts_nothing_twice(tenant, settings, tmp_path):
    settings.NOWMETRIX_REDIS_TIMEOUT_SECS = 0.2
    redis = start_redis()
    try:
        with private_redis(settings, redis.url):
            live_state.tracker_config_publish(tenant.tracker)
            clock, sent = Clock(), Sent(tenant.tracker.public_id)
            ingestor = Ingestor(clock=clock, spool_dir=tmp_path / "spool", config_ttl_secs=0)

            async def scenario():
                send(ingestor, sent, clock, seconds=2, per_second=50, visitors=40)
                await drain(ingestor)
                redis.pause()
                for _second in range(10):  # 10 s of traffic while Redis is hung
                    send(ingestor, sent, clock, seconds=1, per_second=50, visitors=40)
                    await flush_for(ingestor, 0.1)
                redis.resume()
                await drain(ingestor)

            asyncio.run(scenario())
            assert_counts_equal_the_traffic(sent, clock.now)
    finally:
        redis.discard()


def test_a_batch_sent_twice_is_applied_once(tenant):
    now = Clock().now
    site = tenant.tracker.public_id
    live_state.tracker_config_publish(tenant.tracker)
    batch = TrackerBatch(site, 300, writer="test-writer", seq=7)
    batch.add(now, "2026-01-01", ["pv", "visitor-1", "", "page-1", "planet.example\x1f/\x1f\x1f\x1f\x1f", "page-1", ""])
    live_state.ingest_apply([batch], now=now)
    live_state.ingest_apply([batch], now=now)  # the reply was lost: sent again
    older = TrackerBatch(site, 300, args=list(batch.args), writer="test-writer", seq=6)
    live_state.ingest_apply([older], now=now)  # an earlier batch of the same writer: applied before
    stored = live_state.client().get(keys.tracker_key(site, keys.DAY_PAGEVIEWS_TOTAL, "2026-01-01"))
    assert stored == "1"
