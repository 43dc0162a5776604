"""A tracker's live socket sends the current snapshot at once, then every new one as it is built
(as a delta of the one before when it can)."""

import time

import pytest
from asgiref.sync import sync_to_async

from realtime import deltas, live_state, services
from realtime.tests.traffic import Traffic
from realtime.tests.ws import connect_as, receive_frame, tick, dashboard_path

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


def path(tenant) -> str:
    return dashboard_path(tenant.tracker.public_id)


async def test_before_any_snapshot_the_live_socket_sends_an_empty_one_built_on_the_spot(tenant):
    comm = await connect_as(tenant.admin, path(tenant))

    frame = await receive_frame(comm)

    assert frame["realtime"]["site"] == tenant.tracker.public_id
    assert frame["realtime"]["total_realtime"] == 0
    assert frame["extras"]["ever_hit"] is False
    assert frame["extras"]["live_window_secs"] == 300
    await comm.disconnect()


async def test_on_connect_the_live_socket_sends_the_stored_snapshot(tenant):
    now = time.time()
    await sync_to_async(Traffic(tenant.tracker.public_id, "planet.example", now).hit)(path="/story", t="Story")
    built = await tick(tenant.tracker.public_id, now)

    stored = await sync_to_async(live_state.snapshot_get)(tenant.tracker.public_id)

    comm = await connect_as(tenant.admin, path(tenant))
    frame = await receive_frame(comm)

    assert frame == {"type": "snapshot", "seq": stored.seq, "realtime": built.realtime, "extras": built.extras}
    assert frame["realtime"]["top_pages"][0]["title"] == "Story"
    await comm.disconnect()


async def test_the_live_socket_pushes_each_new_snapshot_as_it_is_built(tenant):
    comm = await connect_as(tenant.admin, path(tenant))
    await receive_frame(comm)
    now = time.time()
    await sync_to_async(Traffic(tenant.tracker.public_id, "planet.example", now).hit)(path="/news", t="News")

    built = await tick(tenant.tracker.public_id, now)

    frame = await receive_frame(comm)  # the tracker's first build: nothing to be a delta of
    assert frame == {"type": "snapshot", "seq": frame["seq"], "realtime": built.realtime, "extras": built.extras}
    assert frame["realtime"]["total_realtime"] == 1

    await sync_to_async(Traffic(tenant.tracker.public_id, "planet.example", now + 1).hit)(path="/more", t="More", ip="81.2.69.142")
    built = await tick(tenant.tracker.public_id, now + 1)

    delta = await receive_frame(comm)
    assert (delta["type"], delta["seq"], delta["base"]) == ("delta", frame["seq"] + 1, frame["seq"])
    assert deltas.apply(frame["realtime"], delta["realtime"]) == built.realtime
    assert deltas.apply(frame["extras"], delta["extras"]) == built.extras
    assert delta["realtime"]["total_realtime"] == 2
    await comm.disconnect()


@pytest.mark.parametrize("query", ["", "?deltas=1", "?deltas=2x"])
async def test_a_page_that_does_not_state_the_current_delta_format_gets_whole_snapshots_only(tenant, query):
    site = tenant.tracker.public_id
    comm = await connect_as(tenant.admin, f"/ws/trackers/{site}/{query}")  # a page from before a deploy
    await receive_frame(comm)
    now = time.time()
    for i, (page, ip) in enumerate([("/a", "1.1.1.1"), ("/b", "81.2.69.142")]):
        await sync_to_async(Traffic(site, "planet.example", now + i).hit)(path=page, ip=ip)
        built = await tick(site, now + i)
        frame = await receive_frame(comm)
        assert frame == {"type": "snapshot", "seq": frame["seq"], "realtime": built.realtime, "extras": built.extras}
    await comm.disconnect()


async def test_a_delta_that_does_not_follow_the_last_frame_sent_is_replaced_by_the_whole_snapshot(tenant):
    site = tenant.tracker.public_id
    now = time.time()
    await sync_to_async(Traffic(site, "planet.example", now).hit)(path="/story", t="Story")
    await tick(site, now)
    comm = await connect_as(tenant.admin, path(tenant))
    first = await receive_frame(comm)
    # A build this socket never heard of (announced nowhere), as when an announcement is lost.
    await sync_to_async(services.tracker_tick)(await sync_to_async(live_state.tracker_config_get)(site), now + 1,
                                               announce=False)

    built = await tick(site, now + 2)

    frame = await receive_frame(comm)
    assert frame == {"type": "snapshot", "seq": first["seq"] + 2, "realtime": built.realtime, "extras": built.extras}
    await comm.disconnect()


async def test_the_live_socket_does_not_push_another_trackers_snapshots(tenant, outsider):
    comm = await connect_as(tenant.admin, path(tenant))
    await receive_frame(comm)

    await tick(outsider.tracker.public_id)

    assert await comm.receive_nothing(timeout=0.5)
    await comm.disconnect()
