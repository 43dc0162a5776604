"""The only module that announces snapshots: every live push to browsers starts here, to the
dashboards and overviews (the channel layer) and to the SSE streams (a Redis publication,
sent through `realtime.live_state`). Changes of login and access are announced here too, to
the sockets they concern (`realtime.access_changes` decides when and to whom). The tick's
snapshot events are published as channels-redis's pub/sub layer would publish them, but a
chunk at a time (`_layer_publications`).

Events carry pre-built frame text, so consumers forward it without decoding or re-encoding JSON.
A snapshot with a delta (`StoredSnapshot.delta`) is announced as its delta frame only: the same
small text reaches every dashboard, and the channel layer, which decodes each event once per
socket, moves a few kilobytes instead of the whole snapshot per socket. Without one (a tracker's
first build, a change no patch can express) the event carries the whole snapshot frame."""

from __future__ import annotations

import logging

from dataclasses import dataclass
from typing import TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels_redis.utils import _consistent_hash
from redis.exceptions import RedisError

from realtime import frames, keys, live_state
from realtime.payloads import StoredSnapshot

SNAPSHOT_EVENT = "snapshot.built"  # heard once per process (realtime.fanout), handed to `TrackerConsumer.deliver`
SUMMARY_EVENT = "tracker.summary"  # handled by the overview consumer's `tracker_summary`
ACCESS_CHANGED_EVENT = "access.changed"  # consumers' `access_changed`: re-check login and access now
SESSION_ENDED_EVENT = "session.ended"  # consumers' `session_ended`: that session's sockets close

log = logging.getLogger(__name__)


class SnapshotEvent(TypedDict):
    type: str
    site: str
    seq: int  # the snapshot's number
    base: int | None  # `frame` is a delta frame from snapshot `base`; None: a whole `snapshot` frame
    frame: str  # the frame to send as it is (realtime.frames)


class SummaryEvent(TypedDict):
    type: str
    site: str
    summary: str  # JSON: site, total_realtime, total_pageviews_today, top_page


class AccessChangedEvent(TypedDict):
    type: str


class SessionEndedEvent(TypedDict):
    type: str
    session: str  # `access_changes.session_tag` of the ended session, never the session key


def snapshot_event(site: str, snapshot: StoredSnapshot) -> SnapshotEvent:
    change = snapshot.delta
    if change is None:
        frame = frames.snapshot_frame(snapshot.realtime.decode(), snapshot.extras.decode(), snapshot.seq)
        return {"type": SNAPSHOT_EVENT, "site": site, "seq": snapshot.seq, "base": None, "frame": frame}
    frame = frames.delta_frame(change.seq, change.realtime.decode(), change.extras.decode())
    return {"type": SNAPSHOT_EVENT, "site": site, "seq": change.seq, "base": change.seq - 1, "frame": frame}


def sse_message(snapshot: StoredSnapshot) -> bytes:
    """What SSE streams hear of a new snapshot (`SseMessage`): `seq`, ETag and the `/v1/realtime`
    patch from `seq - 1` (empty when there is none), one a line."""
    patch = snapshot.delta.realtime if snapshot.delta is not None else b""
    return str(snapshot.seq).encode() + b"\n" + snapshot.etag.encode() + b"\n" + patch


@dataclass(frozen=True)
class SseMessage:
    seq: int
    etag: str
    patch: str  # JSON ObjectPatch of the /v1/realtime body from seq - 1; "" when there is none

    @classmethod
    def parse(cls, message: str) -> "SseMessage":
        parts = message.split("\n", 2)
        if len(parts) < 3:  # a bare ETag, from a tick of the version before delta frames
            return cls(0, message, "")
        return cls(int(parts[0]), parts[1], parts[2])


def summary_event(site: str, summary: bytes) -> SummaryEvent:
    return {"type": SUMMARY_EVENT, "site": site, "summary": summary.decode()}


@dataclass(frozen=True)
class Announcement:
    """A stored snapshot and whom to tell: the tracker's dashboards and its account's overviews."""

    account_id: int
    site: str
    snapshot: StoredSnapshot
    # False when nobody watched the tracker at its build: no dashboard event then (it would carry
    # the whole snapshot, as an unwatched build has no delta). A dashboard that opened just
    # before takes the next build's delta as a gap, and resyncs.
    dashboards: bool = True


def _layer_publications(messages: list[tuple[str, dict]]) -> list[tuple[str, str, bytes]] | None:
    """`(server URL, channel, payload)` of each `(group, message)`: exactly what group_send of
    channels-redis's pub/sub layer publishes (its group channel name, its server by the
    layer's own hash, its serializer), so the tick sends a chunk's messages in one pipelined
    round trip per server instead of one awaited PUBLISH each. None with another layer (then
    group_send). test_snapshot_announcements checks a layer subscriber receives them."""
    from django.conf import settings

    layer_settings = settings.CHANNEL_LAYERS["default"]
    if layer_settings["BACKEND"] != "channels_redis.pubsub.RedisPubSubChannelLayer":
        return None
    hosts, prefix = layer_settings["CONFIG"]["hosts"], layer_settings["CONFIG"].get("prefix", "asgi")
    layer = get_channel_layer()
    out = []
    for group, message in messages:
        channel = f"{prefix}__group__{group}"
        out.append((hosts[_consistent_hash(channel, len(hosts))], channel, layer.serialize(message)))
    return out


def announce_snapshots(announcements: list[Announcement]) -> None:
    """Push new snapshots to their SSE streams, dashboards and account overviews. Called once per
    chunk of the tick with every tracker's snapshot: one Redis round trip per pub/sub server."""
    if not announcements:
        return
    messages: list[tuple[str, dict]] = []
    for a in announcements:
        if a.dashboards:
            messages.append((keys.tracker_group(a.site), snapshot_event(a.site, a.snapshot)))
        messages.append((keys.account_group(a.account_id), summary_event(a.site, a.snapshot.summary)))
    sse = live_state.snapshot_publications([(a.site, sse_message(a.snapshot)) for a in announcements])
    layer = _layer_publications(messages)
    if layer is None:
        live_state.pubsub_publish(sse)
        async_to_sync(_send)(messages)
    else:
        live_state.pubsub_publish(sse + layer)


async def _send(messages: list[tuple[str, dict]]) -> None:
    layer = get_channel_layer()
    for group, message in messages:
        await layer.group_send(group, message)


def _send_or_log(messages: list[tuple[str, dict]]) -> None:
    """Called after a commit: the change is stored whatever happens here. With the channel layer
    away the sockets cannot be told, and the periodic re-check closes them instead."""
    try:
        async_to_sync(_send)(messages)
    except (RedisError, OSError) as error:
        log.warning("access change not announced (the periodic re-check will catch it): %r", error)


def announce_access_changed(groups: list[str]) -> None:
    """Make every socket in `groups` re-check its login and access at once."""
    event: AccessChangedEvent = {"type": ACCESS_CHANGED_EVENT}
    _send_or_log([(group, event) for group in groups])


def announce_session_ended(user_id: int, session: str) -> None:
    """Close the user's sockets opened with the session tagged `session` (a log out)."""
    event: SessionEndedEvent = {"type": SESSION_ENDED_EVENT, "session": session}
    _send_or_log([(keys.user_group(user_id), event)])
