"""`GET /v1/realtime/stream`: the same snapshots as `/v1/realtime`, pushed as Server-Sent Events.

Same authentication, rate limit and errors as `/v1/realtime` (they are checked before the
stream opens). The stream sends the current snapshot at once, then every new one as the tick
announces it (`event: snapshot`, `data:` the /v1/realtime JSON, `id:` its ETag), and a comment
line every KEEPALIVE_SECS so proxies keep the connection open.

When Redis goes away mid-stream, the stream ends with `retry: OUTAGE_RETRY_MS` and an
`event: error` whose `data:` is the API's error body (`redis_unavailable`), instead of just
stopping: EventSource then reconnects after that delay and gets the current snapshot again.

When the key is revoked, its open streams end at once with an `event: error` whose `data:` is
the `invalid_token` error body (the revocation is announced on the stream's own pub/sub
connection); EventSource's reconnect then gets the 401 and stops."""

from __future__ import annotations

import asyncio
import json
import logging
import time

from django.http import StreamingHttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema

from redis.exceptions import RedisError

from realtime import live_state, shards, snapshot
from realtime.api import access, views
from realtime.api.errors import InvalidToken, RedisUnavailable, error_body
from realtime.tracker_config import TrackerConfig

log = logging.getLogger(__name__)

KEEPALIVE_SECS = 15.0
OUTAGE_RETRY_MS = 5000  # a Redis restart takes seconds; reconnecting sooner would only get 503s


def _event(body: str, etag: str = "") -> str:
    head = f"id: {etag}\n" if etag else ""
    return f"{head}event: snapshot\ndata: {body}\n\n"


def outage_event() -> str:
    """The stream's last event when Redis goes away: when to reconnect, and why it ended."""
    body = json.dumps(error_body(RedisUnavailable.code, RedisUnavailable.message), separators=(",", ":"))
    return f"retry: {OUTAGE_RETRY_MS}\nevent: error\ndata: {body}\n\n"


def revoked_event() -> str:
    """The stream's last event when its key is revoked."""
    body = json.dumps(error_body(InvalidToken.code, InvalidToken.message), separators=(",", ":"))
    return f"event: error\ndata: {body}\n\n"


async def sse_events(config: TrackerConfig, fallback: str, hashed_secret: str | None = None):
    announcements = live_state.SnapshotAnnouncements(config.public_id, hashed_secret)
    watching = asyncio.ensure_future(shards.keep_watched(config.public_id))  # the fast cadence while open
    try:
        async for event in _snapshot_events(config, fallback, announcements, hashed_secret):
            yield event
    except RedisError as error:
        log.warning("event stream of %s ended, the live state is unreachable: %r", config.public_id, error)
        yield outage_event()
    finally:
        watching.cancel()
        try:
            await announcements.close()
        except RedisError:  # the connection is gone already
            pass


async def _snapshot_events(config: TrackerConfig, fallback: str, announcements, hashed_secret: str | None):
    await announcements.subscribe()
    # A revocation announced between the key's check and the subscription left its mark.
    if hashed_secret and await live_state.api_key_ais_revoked(hashed_secret):
        yield revoked_event()
        return
    last = await live_state.snapshot_realtime_aget(config.public_id) or fallback
    yield "retry: 2000\n\n" + _event(last)
    while True:
        etag = await announcements.next(KEEPALIVE_SECS)
        if etag == live_state.KEY_REVOKED:
            yield revoked_event()
            return
        if etag is None:
            yield ": keep-alive\n\n"
            continue
        body = await live_state.snapshot_realtime_aget(config.public_id)
        if body and body != last:
            last = body
            yield _event(body, etag)


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
        response = StreamingHttpResponse(sse_events(config, first.realtime.decode(), request.auth.hashed_secret),
                                         content_type="text/event-stream; charset=utf-8")
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
        return response
