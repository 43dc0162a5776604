"""The spool's files: those of an ended process are replayed by exactly one other, and past
the caps the oldest hits are dropped and counted as `spool_overflow` for their tracker."""

import asyncio

import pytest

from realtime import keys, live_state
from realtime.ingest.ingestor import Ingestor
from realtime.ingest.spool import Spool
from realtime.ingest.visitor import local_date
from realtime.live_state import TrackerBatch
from realtime.tests.faults import Clock, Sent, drain, flush_for, private_redis, send
from realtime.tests.servers import start_redis


def _batch(n):
    batch = TrackerBatch("site", 300)
    for i in range(n):
        batch.add(1.0 + i, "2026-01-01", ["pv", f"v{i}", "", "p", "", "r", ""])
    return batch


def test_the_files_of_an_ended_process_are_claimed_by_one_process_only(tmp_path):
    ended = Spool(tmp_path, "ended", max_hits=1000, max_bytes=1 << 20)
    ended.write([_batch(3), _batch(2)])
    alive = Spool(tmp_path, "alive", max_hits=1000, max_bytes=1 << 20)
    assert alive.claim_orphans() == 0  # its writer still holds it
    ended.close()  # the process ends

    first, second = Spool(tmp_path, "first", max_hits=1000, max_bytes=1 << 20), \
        Spool(tmp_path, "second", max_hits=1000, max_bytes=1 << 20)
    assert first.claim_orphans() == 1
    assert second.claim_orphans() == 0
    items, offset = first.read(100)
    assert [item.hit_count for item in items] == [3, 2]
    assert [item.seq for item in items] == [1, 2] and items[0].writer == "ended.s"
    assert first.commit(offset, 5)  # replayed: the file is gone
    assert list(tmp_path.iterdir()) == []
    assert second.claim_orphans() == 0


@pytest.mark.slow
def test_past_the_cap_the_oldest_hits_are_dropped_and_counted_per_tracker(tenant, settings, tmp_path):
    settings.NOWMETRIX_SPOOL_MEMORY_SECS = 0
    settings.NOWMETRIX_SPOOL_MAX_HITS = 80
    redis = start_redis()
    try:
        with private_redis(settings, redis.url):
            live_state.tracker_config_publish(tenant.tracker)
            clock, sent = Clock(), Sent(tenant.tracker.public_id)
            ingestor = Ingestor(clock=clock, spool_dir=tmp_path, config_ttl_secs=0)

            async def scenario():
                nonlocal redis
                send(ingestor, sent, clock, seconds=1, per_second=10, visitors=10)
                await drain(ingestor)
                before = sum(sent.pageviews.values())
                redis.stop()
                for _second in range(20):
                    send(ingestor, sent, clock, seconds=1, per_second=10, visitors=10)
                    await flush_for(ingestor, 0.03)
                sent_in_outage = sum(sent.pageviews.values()) - before
                redis = redis.restart()
                live_state.tracker_config_publish(tenant.tracker)
                await drain(ingestor)
                return sent_in_outage

            pageviews_sent = asyncio.run(scenario())
            config = live_state.tracker_config_get(tenant.tracker.public_id)
            date = local_date(config.timezone, clock.now)
            overflow = live_state.drops_get(tenant.tracker.public_id, date).get("spool_overflow", 0)
            counted = int(live_state.client().get(keys.tracker_key(tenant.tracker.public_id, keys.DAY_PAGEVIEWS_TOTAL, date)) or 0)
            # The restart was empty: only hits of the outage can count; the cap (80 hits) held some.
            assert 0 < overflow == ingestor.stats["overflow"]
            assert pageviews_sent - overflow <= counted < pageviews_sent
    finally:
        redis.discard()


def test_a_line_cut_short_by_a_crash_does_not_stop_the_replay(tmp_path):
    ended = Spool(tmp_path, "ended", max_hits=1000, max_bytes=1 << 20)
    ended.write([_batch(2)])
    ended._open.file.write(b'{"b":["site",300,"ended.s",2,["1.0"')  # killed mid-write
    ended._open.file.flush()
    ended.close()
    replayer = Spool(tmp_path, "replayer", max_hits=1000, max_bytes=1 << 20)
    assert replayer.claim_orphans() == 1
    items, offset = replayer.read(100)
    assert [item.hit_count for item in items] == [2]
    assert replayer.commit(offset, 2)
    assert list(tmp_path.iterdir()) == []
