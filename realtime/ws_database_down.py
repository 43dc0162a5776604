"""Dashboard sockets when the database is away: Channels' session and login middleware reads the
database before any consumer runs, and its error would reject the handshake with a bare HTTP 500
(the browser sees 1006 and cannot tell it from a network failure). Finish the handshake and close
with CLOSE_UNAVAILABLE (4503) instead, as for a Redis outage: the page marks its numbers stale
and retries with back-off (README, "When Redis or the database is away")."""

from __future__ import annotations

import logging

from realtime.consumers import CLOSE_UNAVAILABLE
from realtime.api.errors import DATABASE_UNAVAILABLE

log = logging.getLogger(__name__)


class CloseWhenDatabaseDown:
    """ASGI middleware around the WebSocket stack (outside the session and auth middleware)."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        accepted = False

        async def tracked_send(message):
            nonlocal accepted
            if message["type"] == "websocket.accept":
                accepted = True
            await send(message)

        try:
            await self.inner(scope, receive, tracked_send)
        except DATABASE_UNAVAILABLE as error:
            log.warning("live socket refused, the database is unreachable: %r", error)
            try:
                if not accepted:
                    message = await receive()
                    if message["type"] != "websocket.connect":
                        return
                    await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": CLOSE_UNAVAILABLE})
            except OSError:  # the browser left meanwhile (uvicorn's ClientDisconnected)
                pass
