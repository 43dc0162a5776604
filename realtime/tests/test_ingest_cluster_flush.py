"""On a Redis Cluster, one ingest flush writes the batches of trackers on every node: a node
that lost its scripts (a restart, a failover to a replica) answers NOSCRIPT for its own batches
only, those are sent again after the script is loaded, and every batch applies exactly once."""

import asyncio

import pytest
import redis
from redis.crc import key_slot

from realtime import keys, live_state
from realtime.live_state import TrackerBatch, clients

NOW = 1_790_000_000.0
DATE = "2026-09-21"
SITES = [f"flush{n:07d}" for n in range(12)]


def _node_of(cluster, site: str) -> str:
    """The node URL serving a tracker's slot."""
    slot = key_slot(keys.tracker_base(site).encode())
    node = live_state.client().nodes_manager.get_node_from_slot(slot)
    return f"redis://{node.host}:{node.port}/0"


def _batches(seq: int, hits: int) -> list[TrackerBatch]:
    out = []
    for site in SITES:
        batch = TrackerBatch(site, 300, writer="cluster-writer", seq=seq)
        for n in range(hits):
            batch.add(NOW, DATE, ["pv", f"visitor-{seq}-{n}", "", "page-1", "flush.example\x1f/\x1f\x1f\x1f\x1f",
                                  "page-1", ""])
        out.append(batch)
    return out


def _pageviews() -> dict[str, int]:
    conn = live_state.client()
    return {site: int(conn.get(keys.tracker_key(site, keys.DAY_PAGEVIEWS_TOTAL, DATE)) or 0) for site in SITES}


def test_a_node_without_the_script_gets_it_and_every_batch_applies_once(on_cluster):
    nodes = {_node_of(on_cluster, site) for site in SITES}
    assert len(nodes) == 3  # the flush below writes to every node
    live_state.ingest_apply(_batches(1, 2), now=NOW)
    lost = redis.Redis.from_url(on_cluster.node_urls[1])
    assert lost.script_flush() is True  # as after a restart: that node alone forgot ingest.lua
    lost.close()

    async def flush():  # as the ingest process does it: the async client, the first batches resent
        await live_state.ingest_aapply(_batches(1, 2) + _batches(2, 3), NOW)
        await clients.aclient().aclose()

    asyncio.run(flush())
    assert _pageviews() == {site: 5 for site in SITES}
    assert live_state.client().zscore(keys.live_trackers(keys.tick_shard(SITES[0])), SITES[0]) == NOW


def test_the_live_tracker_index_gets_one_entry_per_tracker_of_a_flush(on_cluster):
    live_state.ingest_apply(_batches(3, 1), now=NOW + 1)
    assert [live_state.client().zscore(keys.live_trackers(keys.tick_shard(site)), site) for site in SITES] == [NOW + 1] * len(SITES)
