"""The tick publishes a chunk's dashboard and overview events itself, one pipelined round trip per
pub/sub server (`events.announce_snapshots`): a channel-layer subscriber receives each exactly
as group_send would have delivered it, whichever of two servers its group hashes to."""

from __future__ import annotations

import asyncio
import time

import pytest
from channels.layers import get_channel_layer
from channels_redis.utils import _consistent_hash

from realtime import events, keys, live_state, services
from realtime.tests import many_trackers
from realtime.tests.redis_outage import PrivateRedis


@pytest.fixture
def two_pubsub_servers(settings):
    second = PrivateRedis()
    hosts = [settings.NOWMETRIX_PUBSUB_REDIS_URLS[0], second.url]
    settings.NOWMETRIX_PUBSUB_REDIS_URLS = hosts
    # Channels drops its cached layers when CHANNEL_LAYERS changes.
    settings.CHANNEL_LAYERS = {"default": {**settings.CHANNEL_LAYERS["default"],
                                           "CONFIG": {**settings.CHANNEL_LAYERS["default"]["CONFIG"], "hosts": hosts}}}
    yield hosts
    second.stop()


def _server(settings, group: str) -> int:
    prefix = settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"]
    return _consistent_hash(f"{prefix}__group__{group}", 2)


def test_every_event_of_a_chunk_reaches_its_groups_subscribers_on_either_server(settings, two_pubsub_servers):
    sites = [f"an{i:02d}{time.time_ns() % 10**8}" for i in range(16)]
    many_trackers.publish(sites, account_id=7)
    many_trackers.pageviews(sites, 2)
    assert {_server(settings, keys.tracker_group(site)) for site in sites} == {0, 1}

    async def run():
        layer = get_channel_layer()
        dashboard, overview = await layer.new_channel(), await layer.new_channel()
        for site in sites:
            await layer.group_add(keys.tracker_group(site), dashboard)
        await layer.group_add(keys.account_group(7), overview)
        configs = [live_state.tracker_config_get(site) for site in sites]
        snaps = await asyncio.to_thread(services.trackers_tick, configs, time.time())
        frames = [await asyncio.wait_for(layer.receive(dashboard), 10) for _ in sites]
        summaries = [await asyncio.wait_for(layer.receive(overview), 10) for _ in sites]
        await layer.flush()
        return snaps, frames, summaries

    snaps, frames, summaries = asyncio.run(run())
    stored = {site: live_state.snapshot_get(site) for site in sites}  # first builds: whole frames
    assert sorted(frame["site"] for frame in frames) == sorted(sites)
    for frame in frames:
        assert frame == events.snapshot_event(frame["site"], stored[frame["site"]])
    assert sorted(summary["site"] for summary in summaries) == sorted(sites)
    for summary in summaries:
        assert summary == events.summary_event(summary["site"], stored[summary["site"]].summary)


def test_trackers_nobody_watches_send_their_overviews_a_summary_and_their_dashboards_nothing():
    sites = [f"nw{i:02d}{time.time_ns() % 10**8}" for i in range(3)]
    many_trackers.publish(sites, account_id=8)
    many_trackers.pageviews(sites, 2)

    async def run():
        layer = get_channel_layer()
        dashboard, overview = await layer.new_channel(), await layer.new_channel()
        for site in sites:
            await layer.group_add(keys.tracker_group(site), dashboard)
        await layer.group_add(keys.account_group(8), overview)
        configs = [live_state.tracker_config_get(site) for site in sites]
        await asyncio.to_thread(services.trackers_tick, configs, time.time(), deltas_for={sites[0]})
        # Published after the tick's round trip returned: it arrives after whatever the tick sent.
        await layer.group_send(keys.tracker_group(sites[1]), {"type": "end.of.test"})
        heard = []
        while (event := await asyncio.wait_for(layer.receive(dashboard), 10))["type"] != "end.of.test":
            heard.append(event)
        summaries = [await asyncio.wait_for(layer.receive(overview), 10) for _ in sites]
        await layer.flush()
        return heard, summaries

    heard, summaries = asyncio.run(run())
    assert [(event["type"], event["site"]) for event in heard] == [(events.SNAPSHOT_EVENT, sites[0])]
    assert sorted(summary["site"] for summary in summaries) == sorted(sites)
