"""A process hears each tracker once, whatever the number of its dashboards, and hands every
frame to each of them; the last one out ends the subscription."""

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from realtime import deltas, fanout, keys
from realtime.tests.traffic import Traffic
from realtime.tests.ws import connect_as, receive_frame, tick, dashboard_path

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


def path(tenant) -> str:
    return dashboard_path(tenant.tracker.public_id)


def tracker_channels(site: str) -> set[str]:
    """The channels of this event loop's layer that joined the tracker's group."""
    layer = get_channel_layer()._get_layer()
    return set(layer.groups.get(layer._get_group_channel_name(keys.tracker_group(site)), ()))


async def test_three_dashboards_of_a_tracker_share_one_subscription_and_each_gets_every_frame(tenant):
    site = tenant.tracker.public_id
    comms = [await connect_as(tenant.admin, path(tenant)) for _ in range(3)]
    firsts = [await receive_frame(comm) for comm in comms]

    assert len(tracker_channels(site)) == 1
    assert fanout.subscribed_sites() == {site}

    now = time.time()
    for i in range(3):
        await sync_to_async(Traffic(site, "planet.example", now + i).hit)(path=f"/p{i}", t="P", ip=f"81.2.69.{140 + i}")
        built = await tick(site, now + i)
        for n, comm in enumerate(comms):
            first, frame = firsts[n], await receive_frame(comm)
            if frame["type"] == "delta":
                assert frame["base"] == first["seq"]
                frame = {"type": "snapshot", "seq": frame["seq"],
                         "realtime": deltas.apply(first["realtime"], frame["realtime"]),
                         "extras": deltas.apply(first["extras"], frame["extras"])}
            assert frame == {"type": "snapshot", "seq": frame["seq"], "realtime": built.realtime, "extras": built.extras}
            firsts[n] = frame
    assert all(frame["realtime"]["total_realtime"] == 3 for frame in firsts)
    for comm in comms:
        await comm.disconnect()


async def test_the_last_dashboard_to_close_ends_the_subscription_and_a_new_one_subscribes_again(tenant):
    site = tenant.tracker.public_id
    comms = [await connect_as(tenant.admin, path(tenant)) for _ in range(2)]
    for comm in comms:
        await receive_frame(comm)

    await comms[0].disconnect()
    assert fanout.subscribed_sites() == {site}
    await comms[1].disconnect()
    for _ in range(50):  # the unsubscription runs as its own task
        if not tracker_channels(site):
            break
        await asyncio.sleep(0.02)

    assert fanout.subscribed_sites() == set()
    assert tracker_channels(site) == set()

    comm = await connect_as(tenant.admin, path(tenant))
    await receive_frame(comm)
    now = time.time()
    await sync_to_async(Traffic(site, "planet.example", now).hit)(path="/again", t="Again")
    await tick(site, now)
    frame = await receive_frame(comm)
    assert frame["realtime"]["total_realtime"] == 1
    await comm.disconnect()
