"""An open dashboard WebSocket, or an open SSE stream, marks its tracker watched (so it gets the
fast cadence) and keeps it so while open; nothing else does."""

from __future__ import annotations

import asyncio
import time

import pytest

from realtime import keys, live_state
from realtime.api.stream import sse_events
from realtime.tests.ws import connect_as, receive_frame

pytestmark = pytest.mark.django_db(transaction=True)


async def _watched_until(site: str, timeout: float = 5.0) -> float | None:
    key = keys.shard_watched(keys.tick_shard(site))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        until = await live_state.aclient().zscore(key, site)
        if until is not None:
            return until
        await asyncio.sleep(0.02)
    return None


@pytest.mark.anyio
async def test_an_open_dashboard_marks_its_tracker_watched(tenant, outsider):
    comm = await connect_as(tenant.admin, f"/ws/trackers/{tenant.tracker.public_id}/")
    await receive_frame(comm)
    until = await _watched_until(tenant.tracker.public_id)
    assert until is not None and until > time.time()
    assert await _watched_until(outsider.tracker.public_id, timeout=0.2) is None
    await comm.disconnect()


def test_an_open_event_stream_marks_its_tracker_watched(tenant, outsider):
    config = live_state.tracker_config_get(tenant.tracker.public_id)

    async def run():
        stream = sse_events(config, "{}")
        first = await stream.__anext__()
        until = await _watched_until(config.public_id)
        await stream.aclose()
        return first, until

    first, until = asyncio.run(run())
    assert "event: snapshot" in first
    assert until is not None and until > time.time()
    assert asyncio.run(_watched_until(outsider.tracker.public_id, timeout=0.2)) is None
