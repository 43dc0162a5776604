"""`GET /v1/realtime/stream`: the same snapshots as `/v1/realtime`, pushed as Server-Sent Events.

Same authentication, rate limit and errors as `/v1/realtime` (they are checked before the
stream opens). The stream sends the current snapshot at once, then every new one as the tick
announces it (`event: snapshot`, `data:` the /v1/realtime JSON, `id:` its ETag), and a comment
line every KEEPALIVE_SECS so proxies keep the connection open."""

from __future__ import annotations

import time

from django.http import StreamingHttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema

from realtime import live_state, snapshot
from realtime.api import access, views

KEEPALIVE_SECS = 15.0


def _event(body: str, etag: str = "") -> str:
    head = f"id: {etag}\n" if etag else ""
    return f"{head}event: snapshot\ndata: {body}\n\n"


async def sse_events(config: live_state.TrackerConfig, fallback: str):
    announcements = live_state.SnapshotAnnouncements(config.public_id)
    try:
        await announcements.subscribe()
        last = await live_state.snapshot_realtime_aget(config.public_id) or fallback
        yield "retry: 2000\n\n" + _event(last)
        while True:
            etag = await announcements.next(KEEPALIVE_SECS)
            if etag is None:
                yield ": keep-alive\n\n"
                continue
            body = await live_state.snapshot_realtime_aget(config.public_id)
            if body and body != last:
                last = body
                yield _event(body, etag)
    finally:
        await announcements.close()


class RealtimeStreamView(views.RateLimitedKeyView):
    @extend_schema(
        summary="Live snapshots as Server-Sent Events",
        description="`text/event-stream`: an `event: snapshot` whose `data` is the `/v1/realtime` body, at once "
                    "and then on every new snapshot; `: keep-alive` comments every 15 s.",
        parameters=[views.SITE_PARAM],
        responses={200: OpenApiResponse(description="An event stream."), **views.ERRORS},
    )
    def get(self, request):
        site = access.site_param(request)
        config = access.readable_tracker(request.auth, site)
        first = snapshot.latest(site, time.time(), config)
        response = StreamingHttpResponse(sse_events(config, first.realtime.decode()),
                                         content_type="text/event-stream; charset=utf-8")
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
        return response
