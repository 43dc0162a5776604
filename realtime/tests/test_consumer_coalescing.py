"""A client that reads slowly gets the latest snapshot, not a queue of every one built meanwhile:
a few deltas in order, and the whole snapshot once it is further behind."""

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from nowmetrix.asgi import application
from realtime import consumers
from realtime.tests.ws import ORIGIN, receive_frame, session_cookie, tick, dashboard_path

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]
SEND_SECS = 0.5  # how long the slow client takes to take each frame


def slow_client(app):
    """The application as seen through a connection that takes SEND_SECS for every frame."""
    async def wrapped(scope, receive, send):
        async def slow_send(message):
            if message["type"] == "websocket.send":
                await asyncio.sleep(SEND_SECS)
            await send(message)

        return await app(scope, receive, slow_send)

    return wrapped


async def slow_socket(tenant) -> WebsocketCommunicator:
    cookie = await sync_to_async(session_cookie)(tenant.admin)
    comm = WebsocketCommunicator(slow_client(application), dashboard_path(tenant.tracker.public_id),
                                 headers=[(b"origin", ORIGIN), (b"cookie", cookie.encode())])
    assert (await comm.connect())[0]
    await receive_frame(comm)
    return comm


async def test_a_few_deltas_built_while_a_frame_is_being_sent_follow_it_in_order(tenant):
    site = tenant.tracker.public_id
    comm = await slow_socket(tenant)
    now = time.time()

    built = [await tick(site, now + i) for i in range(1 + consumers.TrackerConsumer.MAX_QUEUED_DELTAS)]

    received = [await receive_frame(comm) for _ in built]
    assert [f["type"] for f in received] == ["snapshot"] + ["delta"] * consumers.TrackerConsumer.MAX_QUEUED_DELTAS
    assert [f["seq"] for f in received] == list(range(received[0]["seq"], received[0]["seq"] + len(built)))
    assert await comm.receive_nothing(timeout=SEND_SECS * 1.2)
    await comm.disconnect()


async def test_snapshots_built_while_a_frame_is_being_sent_collapse_into_the_latest(tenant):
    site = tenant.tracker.public_id
    comm = await slow_socket(tenant)
    now = time.time()

    started = time.monotonic()
    built = [await tick(site, now + i) for i in range(5)]
    assert time.monotonic() - started < SEND_SECS  # all five arrived while the first was in flight

    received = [await receive_frame(comm), await receive_frame(comm)]
    assert [f["type"] for f in received] == ["snapshot", "snapshot"]
    assert [f["realtime"]["updated_at"] for f in received] == [
        built[0].realtime["updated_at"], built[4].realtime["updated_at"]]
    assert await comm.receive_nothing(timeout=SEND_SECS * 1.2)
    await comm.disconnect()
