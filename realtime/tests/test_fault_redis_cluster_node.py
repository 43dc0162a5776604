"""One master of a Redis Cluster stopped (and restarted with its data), or hung, under steady
ingest of two trackers that live on different masters: every hit accepted is counted once, and
the tracker on a master that answers is written all along (its hits wait for no other node).

Each test runs its own 3-master cluster (the session's shared one is never stopped), with an
append-only file per node and `cluster-require-full-coverage no`, as README's deployment guide
asks. The hits' times are on a driven clock, as in test_fault_redis_outage.py."""

import asyncio

import pytest

from devstack.redis_cluster import start_redis_cluster
from realtime import keys, live_state
from realtime.ingest.ingestor import Ingestor
from realtime.ingest.visitor import local_date
from realtime.tests.faults import Clock, Sent, assert_counts_equal_the_traffic, drain, flush_for, private_redis, send
from trackers import services as tracker_services


@pytest.fixture
def cluster(settings):
    servers = start_redis_cluster(masters=3, persist=True, full_coverage=False, node_timeout_ms=1000)
    try:
        with private_redis(settings, servers.url):
            yield servers
    finally:
        servers.stop()


def _trackers_on_two_nodes(cluster, outsider):
    """A tracker on one master, and one on another master whose tick shard's live-tracker index
    is on the first (the worst case: its batches apply while its index entries cannot): (the
    first master, their Sents)."""
    seen: list[tuple[str, int, int]] = []  # (public id, its master, its index's master)
    for n in range(60):
        tracker = tracker_services.tracker_create(account=outsider.account, name=f"Bugle {n}", hosts=["bugle.example"])
        live_state.tracker_config_publish(tracker)
        site = tracker.public_id
        seen.append((site, cluster.node_of(keys.tracker_base(site)),
                     cluster.node_of(keys.live_trackers(keys.tick_shard(site)))))
        for other, node, index_node in seen:
            for down_site, down, _ in seen:
                if node != down and index_node == down:
                    return down, Sent(down_site, "bugle.example"), Sent(other, "bugle.example")
    raise AssertionError("no such pair of trackers in 60 tries")


def _send_both(ingestor, clock, a: Sent, b: Sent, seconds: int) -> None:
    for _second in range(seconds):
        start = clock.now
        send(ingestor, a, clock, seconds=1, per_second=30, visitors=40)
        clock.now = start
        send(ingestor, b, clock, seconds=1, per_second=30, visitors=40, first=5000)


def _stored_pageviews(sent: Sent, now: float) -> int:
    """Today's pageviews of a tracker as its node holds them now."""
    config = live_state.tracker_config_get(sent.site)
    date = local_date(config.timezone, now)
    return int(live_state.client().get(keys.tracker_key(sent.site, keys.DAY_PAGEVIEWS_TOTAL, date)) or 0)


@pytest.mark.slow
def test_a_cluster_master_stopped_and_restarted_with_its_data_loses_and_doubles_no_hit(outsider, settings, cluster,
                                                                                          tmp_path):
    settings.NOWMETRIX_SPOOL_MEMORY_SECS = 0
    down, on_down, elsewhere = _trackers_on_two_nodes(cluster, outsider)
    clock = Clock()
    ingestor = Ingestor(clock=clock, spool_dir=tmp_path / "spool", config_ttl_secs=0)

    async def scenario():
        _send_both(ingestor, clock, on_down, elsewhere, 3)
        await drain(ingestor)
        cluster.stop_node(down)
        for _second in range(15):  # 15 s of traffic while one master is away
            _send_both(ingestor, clock, on_down, elsewhere, 1)
            await flush_for(ingestor, 0.05)
        assert ingestor.spool.hits > 0  # on disk
        await flush_for(ingestor, 0.5)
        # The other master's tracker is written all along: nothing of it waits for the one away.
        assert _stored_pageviews(elsewhere, clock.now) == sum(elsewhere.pageviews.values())
        cluster.restart_node(down)
        await drain(ingestor, timeout=40)
        # The other tracker's index entries, refused by the stopped master, are written once it
        # is back: the tick builds that tracker's snapshot again.
        index = keys.live_trackers(keys.tick_shard(elsewhere.site))
        assert live_state.client().zscore(index, elsewhere.site) == pytest.approx(clock.now, abs=0.01)
        _send_both(ingestor, clock, on_down, elsewhere, 2)
        await drain(ingestor)

    asyncio.run(scenario())
    assert ingestor.stats["overflow"] == 0
    assert_counts_equal_the_traffic(on_down, clock.now)
    assert_counts_equal_the_traffic(elsewhere, clock.now)


@pytest.mark.slow
def test_a_hung_cluster_master_loses_and_doubles_no_hit(outsider, settings, cluster, tmp_path):
    settings.NOWMETRIX_REDIS_TIMEOUT_SECS = 0.2
    down, on_down, elsewhere = _trackers_on_two_nodes(cluster, outsider)
    clock = Clock()
    ingestor = Ingestor(clock=clock, spool_dir=tmp_path / "spool", config_ttl_secs=0)

    async def scenario():
        _send_both(ingestor, clock, on_down, elsewhere, 2)
        await drain(ingestor)
        cluster.pause_node(down)
        try:
            for _second in range(10):  # 10 s of traffic while one master is hung
                _send_both(ingestor, clock, on_down, elsewhere, 1)
                await flush_for(ingestor, 0.1)
            await flush_for(ingestor, 0.5)
            assert _stored_pageviews(elsewhere, clock.now) == sum(elsewhere.pageviews.values())
        finally:
            cluster.resume_node(down)
        await drain(ingestor, timeout=40)

    asyncio.run(scenario())
    assert_counts_equal_the_traffic(on_down, clock.now)
    assert_counts_equal_the_traffic(elsewhere, clock.now)
