"""The tick's per-tracker work (expiry, trimming, snapshots), dropped-hit counters, and the
snapshot announcements the SSE stream listens to (published for `realtime.events`)."""

from __future__ import annotations

import time
from typing import NamedTuple

from realtime import keys
from realtime.payloads import StoredSnapshot
from realtime.live_state.clients import (_evalsha, aclient, client, pubsub_aclient, pubsub_client, pubsub_url,
                                         raw_client, script)

EXPIRE_BATCH = 5_000


def visitors_expire(public_id: str, cutoff: float, limit: int = EXPIRE_BATCH,
                    visit_cutoff: float | None = None) -> int:
    """Expire visitors last seen before `cutoff`; cost follows the expired visitors only.
    One round trip per `limit` visitors."""
    total = 0
    while True:
        n = _evalsha(client(), script("expire"), [keys.tracker_base(public_id)],
                     [cutoff, limit, time.time() - keys.VISIT_SECS if visit_cutoff is None else visit_cutoff])
        total += n
        if n < limit:
            return total


def series_trim(public_id: str, now: float) -> None:
    """Drop minute buckets older than 30 minutes (the hit log's minutes expire on their own).
    Two round trips, bounded by the 30-odd buckets per series."""
    series = [keys.tracker_key(public_id, s) for s in (keys.MINUTE_PAGEVIEWS, keys.MINUTE_EVENTS, keys.MINUTE_ACTIVE)]
    oldest_minute = int(now // 60) - keys.MINUTE_SERIES_SECS // 60
    conn = client()
    pipe = conn.pipeline(transaction=False)
    for key in series:
        pipe.hkeys(key)
    stale = pipe.execute()
    pipe = conn.pipeline(transaction=False)
    for key, minutes in zip(series, stale):
        old = [m for m in minutes if int(m) < oldest_minute]
        if old:
            pipe.hdel(key, *old)
    pipe.execute()


class SnapshotCounts(NamedTuple):
    """What snapshot.lua reads for one snapshot, in its documented order (a tuple: it also
    unpacks by position). Flat lists are Redis replies: `[member, score, member, score...]`."""

    active: int
    devices: list  # flat hash: device class, active count...
    pages: list  # per top page: [page id, active, packed meta, pageviews today, flat source zset]
    countries: list  # flat zset
    cities: list  # flat zset
    sources: list  # flat zset
    pageviews_today: str
    uniques_today: int
    minute_pageviews: list  # flat hash: unix minute, count...
    minute_events: list
    minute_active: list
    first_hit: str  # unix time of the tracker's first hit, "" when none yet


def snapshot_read(public_id: str, local_date: str, top_pages: int = 50, cities: int = 100,
                  source_members: int = 1000, page_source_members: int = 100) -> SnapshotCounts:
    """Everything one snapshot shows, in one script call (snapshot.lua)."""
    return SnapshotCounts(*_evalsha(client(), script("snapshot"), [keys.tracker_base(public_id)],
                                    [local_date, top_pages, cities, source_members, page_source_members]))


def snapshot_store(public_id: str, snapshot: StoredSnapshot, *, minute_peak: int) -> None:
    """Keep the pre-serialized snapshot and record the minute's peak of active users for the
    sparkline.

    `minute_peak` is the larger of the stored value and the current count, computed by the
    builder from what it just read: a plain HSET suffices, as the tick's lock makes it the
    only writer."""
    key = keys.snapshot(public_id)
    pipe = raw_client().pipeline(transaction=False)
    pipe.hset(key, mapping={"realtime": snapshot.realtime, "sources": snapshot.sources, "extras": snapshot.extras,
                            "summary": snapshot.summary, "etag": snapshot.etag, "built_at": repr(snapshot.built_at),
                            "seq": snapshot.seq})
    pipe.expire(key, keys.SNAPSHOT_TTL_SECS)
    minute_active = keys.tracker_key(public_id, keys.MINUTE_ACTIVE)
    pipe.hset(minute_active, str(int(snapshot.built_at // 60)), minute_peak)
    pipe.expire(minute_active, keys.SERIES_TTL_SECS)
    pipe.execute()


def snapshots_announce(announced: list[tuple[str, bytes]]) -> None:
    """Publish `(tracker, message)` of new snapshots on each tracker's channel, where SSE streams
    listen: on the plain pub/sub servers (NOWMETRIX_PUBSUB_REDIS_URLS), one round trip per
    server. Only `realtime.events` calls this (and builds the messages)."""
    by_server: dict[str, list[tuple[str, bytes]]] = {}
    for public_id, message in announced:
        channel = keys.snapshot_channel(public_id)
        by_server.setdefault(pubsub_url(channel), []).append((channel, message))
    for url, messages in by_server.items():
        pipe = pubsub_client(url).pipeline(transaction=False)
        for channel, message in messages:
            pipe.publish(channel, message)
        pipe.execute()


def snapshot_seq(public_id: str) -> int | None:
    """The stored snapshot's number (one HGET), None when none is stored."""
    seq = raw_client().hget(keys.snapshot(public_id), "seq")
    return None if seq is None else int(seq)


def snapshot_parts(public_id: str) -> tuple[int, bytes, bytes] | None:
    """`(seq, realtime, extras)` of the stored snapshot (one HMGET), None when none is stored:
    what the next build's delta is computed against."""
    seq, realtime, extras = raw_client().hmget(keys.snapshot(public_id), ["seq", "realtime", "extras"])
    if seq is None or realtime is None or extras is None:
        return None
    return int(seq), realtime, extras


def snapshot_get(public_id: str) -> StoredSnapshot | None:
    """The latest stored snapshot (one HGETALL), or None when none was built yet (or one
    stored before the summary was part of it)."""
    raw = raw_client().hgetall(keys.snapshot(public_id))
    if not raw or b"summary" not in raw:
        return None
    return StoredSnapshot(raw[b"realtime"], raw[b"sources"], raw[b"extras"], raw[b"summary"], raw[b"etag"].decode(),
                          float(raw[b"built_at"]), int(raw.get(b"seq", 0)))


def drops_get(public_id: str, local_date: str) -> dict[str, int]:
    raw = client().hgetall(keys.tracker_key(public_id, keys.DROPS, local_date))
    return {reason: int(n) for reason, n in raw.items()}


async def snapshot_realtime_aget(public_id: str) -> str | None:
    """The stored snapshot's /v1/realtime JSON, for the SSE stream (one round trip)."""
    return await aclient().hget(keys.snapshot(public_id), "realtime")


async def snapshot_realtime_seq_aget(public_id: str) -> tuple[int, str] | None:
    """`(seq, /v1/realtime JSON)` of the stored snapshot, for the SSE stream (one round trip)."""
    seq, body = await aclient().hmget(keys.snapshot(public_id), ["seq", "realtime"])
    return None if body is None else (int(seq or 0), body)


KEY_REVOKED = "key-revoked"  # what `SnapshotAnnouncements.next` returns for a revocation (announcements start with a number)


class SnapshotAnnouncements:
    """The snapshots announced for one tracker, over one pub/sub connection to the channel's
    server (`clients.pubsub_url`). Subscribe first, then read the current snapshot: nothing
    announced in between is missed. Given the key's hashed secret, the same connection also
    hears the key's revocation (published to every pub/sub server)."""

    def __init__(self, public_id: str, hashed_secret: str | None = None):
        self.channel = keys.snapshot_channel(public_id)
        self.key_channel = keys.api_key_channel(hashed_secret) if hashed_secret else None
        self.pubsub = pubsub_aclient(pubsub_url(self.channel)).pubsub(ignore_subscribe_messages=True)

    async def subscribe(self) -> None:
        await self.pubsub.subscribe(*filter(None, (self.channel, self.key_channel)))

    async def next(self, timeout: float) -> str | None:
        """The next announcement's message (see `realtime.events`), or None after `timeout`
        seconds without one."""


        """The next announcement's message (see `realtime.events.SseMessage`), KEY_REVOKED, or None
        after `timeout` seconds without one."""
        message = await self.pubsub.get_message(timeout=timeout)
        if message and message["channel"] == self.key_channel:
            return KEY_REVOKED
        return message["data"] if message else None

    async def close(self) -> None:
        await self.pubsub.aclose()
