"""On a Redis Cluster, one chunk of the tick reads trackers on every node: a node that lost its
scripts (a restart, a failover to a replica) answers NOSCRIPT for its own trackers only; those
are expired, trimmed and read again after the scripts are loaded, and every snapshot is exact."""

from __future__ import annotations

import time
import uuid

import pytest
import redis
from redis.crc import key_slot

from realtime import keys, live_state, services
from realtime.tests import many_trackers


def _node_port(site: str) -> int:
    slot = key_slot(keys.tracker_base(site).encode())
    return live_state.client().nodes_manager.get_node_from_slot(slot).port


def test_a_node_without_the_scripts_gets_them_and_every_tracker_of_the_chunk_is_built_exactly(on_cluster):
    now = time.time()
    sites = [f"k{i:03d}{uuid.uuid4().hex[:8]}" for i in range(15)]
    assert len({_node_port(site) for site in sites}) == 3  # the chunk reads on every node
    many_trackers.publish(sites)
    many_trackers.pageviews(sites, 2, now=now - 400)
    services.trackers_tick([live_state.tracker_config_get(site) for site in sites], now - 400, announce=False)
    many_trackers.pageviews(sites, 3, now=now, first_visitor=2)
    lost = redis.Redis.from_url(on_cluster.node_urls[1])
    assert lost.script_flush() is True  # as after a restart: that node alone forgot its scripts
    lost.close()
    snaps = services.trackers_tick([live_state.tracker_config_get(site) for site in sites], now, announce=False)
    assert [snap.realtime["total_realtime"] for snap in snaps] == [3] * 15
    assert [snap.realtime["total_pageviews_today"] for snap in snaps] == [5] * 15
    assert [live_state.active_count(site, 0) for site in sites] == [3] * 15
