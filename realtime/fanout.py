"""Per-process fan-out of tracker frames: a process subscribes once per tracker, not once per
dashboard socket.

The channel layer hands a group message to every member channel of the process, each decoded
once per socket and dispatched through that socket's own receive loop: about 460 µs of server
CPU per socket per frame (bench `fanout`). Here one hub channel per tracker (per event loop)
joins the tracker's group; its reader decodes each event once and hands it to the open
dashboards of that tracker in this process (`TrackerConsumer.deliver`), which keep their own
sequence, queue and resync logic. Several web processes each subscribe, so each gets every
frame. Access announcements (user groups) still go through each socket's own channel.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from channels.layers import get_channel_layer

from realtime import keys

log = logging.getLogger(__name__)


class Member(Protocol):
    def deliver(self, event: dict) -> None: ...


class Hub:
    """One tracker's subscription in one event loop, and the sockets it serves."""

    def __init__(self, site: str):
        self.site = site
        self.members: set[Member] = set()
        self.ready: asyncio.Future = asyncio.get_running_loop().create_future()
        self.reader: asyncio.Task | None = None
        self.channel: str | None = None

    async def subscribe(self) -> None:
        layer = get_channel_layer()
        try:
            self.channel = await layer.new_channel()
            await layer.group_add(keys.tracker_group(self.site), self.channel)
        except asyncio.CancelledError:
            self.ready.cancel()
            raise
        except BaseException as error:
            self.ready.set_exception(error)
            self.ready.exception()  # retrieved here: waiters re-raise it, and none may be left
            raise
        self.reader = asyncio.create_task(self.read(layer, self.channel))
        self.ready.set_result(None)

    async def read(self, layer, channel: str) -> None:
        while True:
            event = await layer.receive(channel)
            for member in list(self.members):
                try:
                    member.deliver(event)
                except Exception:  # one socket's bug must not stop the others' frames
                    log.exception("tracker frame not delivered to a socket")

    async def unsubscribe(self) -> None:
        if self.reader is not None:
            self.reader.cancel()  # the layer drops the hub channel when its receive is cancelled
        if self.channel is not None:
            try:
                await get_channel_layer().group_discard(keys.tracker_group(self.site), self.channel)
            except Exception as error:  # Redis away: the subscription went with the connection
                log.warning("tracker hub not unsubscribed: %r", error)


_hubs: dict[tuple[asyncio.AbstractEventLoop, str], Hub] = {}


async def join(site: str, member: Member) -> None:
    """Deliver `site`'s tracker events to `member` from now on; returns once subscribed
    (raises the layer's error, and `member` is not joined, when the subscription fails)."""
    key = (asyncio.get_running_loop(), site)
    hub = _hubs.get(key)
    if hub is None:
        hub = _hubs[key] = Hub(site)
        hub.members.add(member)
        try:
            await hub.subscribe()
        except BaseException:
            if _hubs.get(key) is hub:
                del _hubs[key]
            hub.members.discard(member)
            raise
        return
    hub.members.add(member)
    try:
        await asyncio.shield(hub.ready)
    except BaseException:
        hub.members.discard(member)
        raise


def leave(site: str, member: Member) -> None:
    """Stop delivering to `member` (idempotent); the last one out unsubscribes the process."""
    key = (asyncio.get_running_loop(), site)
    hub = _hubs.get(key)
    if hub is None or member not in hub.members:
        return
    hub.members.discard(member)
    if not hub.members:
        del _hubs[key]
        if hub.ready.done() and not hub.ready.cancelled() and hub.ready.exception() is None:
            task = asyncio.get_running_loop().create_task(hub.unsubscribe())
            _pending.add(task)
            task.add_done_callback(_pending.discard)


_pending: set[asyncio.Task] = set()  # unsubscriptions under way (kept referenced until done)


def subscribed_sites() -> set[str]:
    """The trackers this event loop's hubs subscribe to (for tests)."""
    loop = asyncio.get_running_loop()
    return {site for (hub_loop, site) in _hubs if hub_loop is loop}
