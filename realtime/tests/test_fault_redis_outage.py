"""Redis stopped under steady ingest, then restarted with its data or empty: every hit accepted
is counted once. Each test runs its own redis-server.

The hits' times are on a driven clock: 20 s of traffic during the outage take well under a
second of real time, and a real 20 s outage would only add more of the same spooled hits (the
memory window is set to 0 here, so every hit takes the path a long outage gives it: to disk)."""

import asyncio
import logging

import pytest

from realtime import live_state
from realtime.ingest.ingestor import Ingestor
from realtime.tests.faults import Clock, Sent, assert_counts_equal_the_traffic, drain, flush_for, private_redis, send
from realtime.tests.servers import start_redis


@pytest.fixture
def spool_now(settings, tmp_path):
    """Hits go to the spool's files as soon as Redis fails (no memory window)."""
    settings.NOWMETRIX_SPOOL_MEMORY_SECS = 0
    return tmp_path / "spool"


def _is_progress(line: str) -> bool:
    """The ingestor's periodic line while degraded (`Ingestor._report`)."""
    return line.startswith(("ingest: Redis unavailable for ", "ingest: replaying the spool:"))


def _ingestor(clock, spool_dir):
    return Ingestor(clock=clock, spool_dir=spool_dir, config_ttl_secs=0)


@pytest.mark.slow
def test_hits_sent_while_redis_is_stopped_are_counted_once_after_it_restarts_with_its_data(tenant, settings, spool_now,
                                                                                           caplog):
    redis = start_redis(persist=True)
    try:
        with private_redis(settings, redis.url):
            live_state.tracker_config_publish(tenant.tracker)
            clock, sent = Clock(), Sent(tenant.tracker.public_id)
            ingestor = _ingestor(clock, spool_now)

            async def scenario():
                nonlocal redis
                send(ingestor, sent, clock, seconds=5, per_second=40, visitors=60)
                await drain(ingestor)
                redis.stop()
                for _second in range(20):  # 20 s of traffic at 40 hits/s while Redis is away
                    send(ingestor, sent, clock, seconds=1, per_second=40, visitors=60)
                    await flush_for(ingestor, 0.05)
                assert ingestor.spool.hits > 0  # on disk
                redis = redis.restart()
                send(ingestor, sent, clock, seconds=2, per_second=40, visitors=60)
                await drain(ingestor)

            with caplog.at_level(logging.INFO, logger="realtime.ingest"):
                asyncio.run(scenario())
            assert ingestor.stats["overflow"] == 0
            assert_counts_equal_the_traffic(sent, clock.now)
            # A few lines for 800 hits spooled: the outage, the recovery, the end of the replay, once
            # each; in between only the progress line, one per LOG_EVERY_SECS of real time (how
            # many depends on the machine's speed, so it is not counted).
            lines = [r.getMessage() for r in caplog.records if r.name.startswith("realtime.ingest")]
            events = [line for line in lines if not _is_progress(line)]
            assert len(events) == 3, lines
            assert "Redis unavailable" in events[0], lines
            assert "Redis answers again" in events[1], lines
            assert "spool replayed" in events[2], lines
    finally:
        redis.discard()


@pytest.mark.slow
def test_hits_sent_while_redis_is_stopped_are_counted_after_it_restarts_empty(tenant, outsider, settings, spool_now):
    """The settings and salts known before the outage are used; a tracker never seen before
    (its first hit during the outage) is spooled raw and judged once settings are published."""
    redis = start_redis()
    try:
        with private_redis(settings, redis.url):
            live_state.tracker_config_publish(tenant.tracker)
            live_state.tracker_config_publish(outsider.tracker)
            clock, sent = Clock(), Sent(tenant.tracker.public_id)
            newcomer = Sent(outsider.tracker.public_id, "bugle.example")
            ingestor = _ingestor(clock, spool_now)

            async def scenario():
                nonlocal redis
                send(ingestor, sent, clock, seconds=2, per_second=40, visitors=30)
                await drain(ingestor)
                redis.stop()
                sent.pageviews.clear()  # what Redis held is gone with it: only later hits can count
                sent.last_seen.clear()
                send(ingestor, sent, clock, seconds=20, per_second=40, visitors=30, first=1000)
                send(ingestor, newcomer, clock, seconds=1, per_second=20, visitors=5)
                await flush_for(ingestor, 0.3)
                redis = redis.restart()  # empty: no settings, no salts, no counts
                await flush_for(ingestor, 0.5)
                assert ingestor.spool.hits > 0  # the newcomer's raw hits wait for its settings
                live_state.tracker_config_publish(tenant.tracker)  # what every process does on start
                live_state.tracker_config_publish(outsider.tracker)
                await drain(ingestor)

            asyncio.run(scenario())
            assert_counts_equal_the_traffic(sent, clock.now)
            assert_counts_equal_the_traffic(newcomer, clock.now)
    finally:
        redis.discard()
