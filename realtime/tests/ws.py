"""WebSocket test helpers: Channels' communicator against the real ASGI application (Origin
check, session middleware, routing) and the real Redis pub/sub channel layer.

Test modules using them are async (`pytest.mark.anyio`, on asyncio: `anyio_backend` in
realtime/tests/conftest.py) and use `django_db(transaction=True)`: the consumers read the database
from worker threads, which must see the test's rows.
"""

from __future__ import annotations

import json
import time

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from nowmetrix.asgi import application
from realtime import live_state, services
from realtime.payloads import DELTA_FORMAT

ORIGIN = b"http://localhost"
TIMEOUT_SECS = 3


def dashboard_path(site: str) -> str:
    """A tracker's dashboard socket, opened as the dashboard page opens it (stating the delta
    format it applies)."""
    return f"/ws/trackers/{site}/?deltas={DELTA_FORMAT}"


def session_cookie(user) -> str:
    """A logged-in session of `user`, as the browser's Cookie header (the web admin's login)."""
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def communicator(path: str, cookie: str | None = None, origin: bytes | None = ORIGIN) -> WebsocketCommunicator:
    headers = []
    if origin is not None:
        headers.append((b"origin", origin))
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def connect_as(user, path: str) -> WebsocketCommunicator:
    comm = communicator(path, await sync_to_async(session_cookie)(user))
    connected, _ = await comm.connect(timeout=TIMEOUT_SECS)
    assert connected
    return comm


async def receive_frame(comm: WebsocketCommunicator) -> dict:
    return json.loads(await comm.receive_from(timeout=TIMEOUT_SECS))


async def open_socket(user, path: str) -> tuple[Client, WebsocketCommunicator]:
    """A browser session of `user` (kept, so the test can log it out) with the socket open and
    its first frame read."""
    def login():
        client = Client()
        client.force_login(user)
        return client

    client = await sync_to_async(login)()
    comm = communicator(path, f"sessionid={client.cookies['sessionid'].value}")
    connected, _ = await comm.connect()
    assert connected
    await receive_frame(comm)
    return client, comm


async def receive_close_code(comm: WebsocketCommunicator) -> int:
    """The close code of the next message, which must be a close (nothing was sent before it)."""
    message = await comm.receive_output(timeout=TIMEOUT_SECS)
    assert message["type"] == "websocket.close", message
    return message["code"]


async def tick(site: str, now: float | None = None):
    """Build, store and announce the tracker's snapshot as the periodic tick does."""
    def run():
        config = live_state.tracker_config_get(site)
        return services.tracker_tick(config, time.time() if now is None else now)

    return await sync_to_async(run)()
