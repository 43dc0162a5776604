"""A client that reads slowly gets the latest snapshot, not a queue of every one built meanwhile."""

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from nowmetrix.asgi import application
from realtime.tests.ws import ORIGIN, receive_frame, session_cookie, tick

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


async def test_snapshots_built_while_a_frame_is_being_sent_collapse_into_the_latest(tenant):
    site = tenant.tracker.public_id
    cookie = await sync_to_async(session_cookie)(tenant.admin)
    comm = WebsocketCommunicator(slow_client(application), f"/ws/trackers/{site}/",
                                 headers=[(b"origin", ORIGIN), (b"cookie", cookie.encode())])
    assert (await comm.connect())[0]
    await receive_frame(comm)
    now = time.time()

    started = time.monotonic()
    built = [await tick(site, now + i) for i in range(5)]
    assert time.monotonic() - started < SEND_SECS  # all five arrived while the first was in flight

    received = [await receive_frame(comm), await receive_frame(comm)]
    assert [f["realtime"]["updated_at"] for f in received] == [
        built[0].realtime["updated_at"], built[4].realtime["updated_at"]]
    assert await comm.receive_nothing(timeout=SEND_SECS * 1.2)
    await comm.disconnect()
