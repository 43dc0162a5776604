"""A dashboard tab closed while a frame is being sent (uvicorn then raises ClientDisconnected,
an OSError, from `send`) ends quietly: no error logged, no "Task exception was never retrieved"."""

import asyncio
import gc
import logging

import pytest
from asgiref.sync import sync_to_async

from realtime.consumers import TrackerConsumer
from realtime.tests.ws import tick

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


class ClientDisconnected(OSError):
    """What uvicorn raises from `send` once the browser has gone."""


async def test_a_tab_closed_mid_send_leaves_no_traceback(tenant, caplog):
    await tick(tenant.tracker.public_id)  # a snapshot to send at once
    loop = asyncio.get_running_loop()
    unretrieved: list[dict] = []
    # Only failed tasks count: the collection below may also report clients that earlier tests
    # (on other event loops) left unclosed, which says nothing about this consumer.
    loop.set_exception_handler(lambda _loop, context: unretrieved.append(context) if "exception" in context else None)
    admin = await sync_to_async(lambda: type(tenant.admin).objects.get(pk=tenant.admin.pk))()
    scope = {"type": "websocket", "path": f"/ws/trackers/{tenant.tracker.public_id}/", "headers": [],
             "user": admin, "url_route": {"kwargs": {"public_id": tenant.tracker.public_id}}}
    inbox: asyncio.Queue = asyncio.Queue()
    tried_to_send = asyncio.Event()

    async def send(message):
        if message["type"] in ("websocket.send", "websocket.close"):
            tried_to_send.set()
            raise ClientDisconnected()

    await inbox.put({"type": "websocket.connect"})
    app = asyncio.create_task(TrackerConsumer.as_asgi()(scope, inbox.get, send))
    with caplog.at_level(logging.WARNING, logger="realtime.consumers"):
        await asyncio.wait_for(tried_to_send.wait(), 5)
        await asyncio.sleep(0.1)  # let the failed task's callback run
        await inbox.put({"type": "websocket.disconnect", "code": 1001})
        await asyncio.wait_for(app, 5)
        gc.collect()  # "never retrieved" is reported when the failed task is collected
        await asyncio.sleep(0)

    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert unretrieved == []
