"""`GET /v1/realtime/stream`: the same snapshots as `/v1/realtime`, pushed as Server-Sent Events.

Same authentication, rate limit and errors as `/v1/realtime` (they are checked before the
stream opens). The stream sends the current snapshot at once, then every new one as the tick
announces it (`event: snapshot`, `data:` the /v1/realtime JSON, `id:` its ETag), and a comment
line every KEEPALIVE_SECS so proxies keep the connection open.

`?frames=delta` (for screens that apply changes themselves; README, "Delta frames"): the first
event is the whole snapshot (`event: snapshot`), each later one an `event: delta` whose `data:`
is a `payloads.RealtimeDelta` (`seq`, `base`, the `/v1/realtime` patch); `id:` is the snapshot's
`seq`. A client reconnecting with `Last-Event-ID` equal to the current `seq` gets deltas only;
any other (or a gap in the announcements) gets the whole snapshot again.

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
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

from redis.exceptions import RedisError

from realtime import live_state, shards, snapshot
from realtime.api import access, views
from realtime.api.errors import InvalidParameter, InvalidToken, RedisUnavailable, error_body
from realtime.events import SseMessage
from realtime.tracker_config import TrackerConfig

log = logging.getLogger(__name__)

KEEPALIVE_SECS = 15.0
OUTAGE_RETRY_MS = 5000  # a Redis restart takes seconds; reconnecting sooner would only get 503s


FULL, DELTA = "full", "delta"  # the `frames` parameter


def _event(body: str, etag: str = "", name: str = "snapshot") -> str:
    head = f"id: {etag}\n" if etag else ""
    return f"{head}event: {name}\ndata: {body}\n\n"


def _delta_event(seq: int, patch: str) -> str:
    """`event: delta` with a RealtimeDelta, assembled from the announced patch as text."""
    return _event('{"seq":' + str(seq) + ',"base":' + str(seq - 1) + ',"realtime":' + patch + "}", str(seq), "delta")


def outage_event() -> str:
    """The stream's last event when Redis goes away: when to reconnect, and why it ended."""
    body = json.dumps(error_body(RedisUnavailable.code, RedisUnavailable.message), separators=(",", ":"))
    return f"retry: {OUTAGE_RETRY_MS}\nevent: error\ndata: {body}\n\n"


def revoked_event() -> str:
    """The stream's last event when its key is revoked."""
    body = json.dumps(error_body(InvalidToken.code, InvalidToken.message), separators=(",", ":"))
    return f"event: error\ndata: {body}\n\n"


async def sse_events(config: TrackerConfig, fallback: str, hashed_secret: str | None = None, frames: str = FULL,
                     last_event_id: str = ""):
    announcements = live_state.SnapshotAnnouncements(config.public_id, hashed_secret)
    watching = asyncio.ensure_future(shards.keep_watched(config.public_id))  # the fast cadence while open
    try:
        await announcements.subscribe()
        # A revocation announced between the key's check and the subscription left its mark.
        if hashed_secret and await live_state.api_key_ais_revoked(hashed_secret):
            yield revoked_event()
            return
        if frames == DELTA:
            events = _delta_events(config, fallback, announcements, last_event_id)
        else:
            events = _snapshot_events(config, fallback, announcements)
        async for event in events:
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


async def _announced(announcements):
    """The stream's announcements as they come: the parsed `SseMessage`, or SSE text to pass on
    (a keep-alive after KEEPALIVE_SECS of quiet; the key's revocation, which ends the stream)."""
    while True:
        message = await announcements.next(KEEPALIVE_SECS)
        if message == live_state.KEY_REVOKED:
            yield revoked_event()
            return
        yield ": keep-alive\n\n" if message is None else SseMessage.parse(message)


async def _snapshot_events(config: TrackerConfig, fallback: str, announcements):
    last = await live_state.snapshot_realtime_aget(config.public_id) or fallback
    yield "retry: 2000\n\n" + _event(last)
    async for announced in _announced(announcements):
        if isinstance(announced, str):
            yield announced
            continue
        body = await live_state.snapshot_realtime_aget(config.public_id)
        if body and body != last:
            last = body
            yield _event(body, announced.etag)


async def _delta_events(config: TrackerConfig, fallback: str, announcements, last_event_id: str):
    """The whole snapshot first (unless the client already has the current one), then each
    announced patch; the whole snapshot again after a gap."""
    current = await live_state.snapshot_realtime_seq_aget(config.public_id)
    seq, body = current or (0, fallback)
    yield "retry: 2000\n\n" + ("" if last_event_id == str(seq) and seq else _event(body, str(seq)))
    async for announced in _announced(announcements):
        if isinstance(announced, str):
            yield announced
            continue
        if announced.seq <= seq:
            continue  # already in what the client has
        if announced.patch and announced.seq == seq + 1:
            seq = announced.seq
            yield _delta_event(seq, announced.patch)
            continue
        current = await live_state.snapshot_realtime_seq_aget(config.public_id)
        if current is not None and current[0] > seq:
            seq, body = current
            yield _event(body, str(seq))


class RealtimeStreamView(views.RateLimitedKeyView):
    @extend_schema(
        summary="Live snapshots as Server-Sent Events",
        description="`text/event-stream`: an `event: snapshot` whose `data` is the `/v1/realtime` body, at once "
                    "and then on every new snapshot; `: keep-alive` comments every 15 s.",
        parameters=[views.SITE_PARAM, OpenApiParameter(
            "frames", str, enum=[FULL, DELTA], default=FULL,
            description="`delta`: after the first snapshot, `event: delta` with only what changed (README, "
                        "\"Delta frames\", patch format 2); `id:` is the snapshot's number, for `Last-Event-ID`.")],
        responses={200: OpenApiResponse(description="An event stream."), **views.ERRORS},
    )
    def get(self, request):
        site = access.site_param(request)
        frames = request.query_params.get("frames", FULL)
        if frames not in (FULL, DELTA):
            raise InvalidParameter("frames must be full or delta.")
        config = access.readable_tracker(request.auth, site)
        first = snapshot.latest(site, time.time(), config)
        last_event_id = request.headers.get("Last-Event-ID", "")
        response = StreamingHttpResponse(sse_events(config, first.realtime.decode(), request.auth.hashed_secret, frames,
                                                    last_event_id),
                                         content_type="text/event-stream; charset=utf-8")
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
        return response
