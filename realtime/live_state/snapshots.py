"""The tick's per-tracker work (expiry, trimming, snapshots), dropped-hit counters, and the
snapshot announcements the SSE stream listens to (published for `realtime.events`).

The tick works on chunks of trackers: `trackers_read` expires and reads them all in one round
trip, `snapshots_store` keeps their snapshots and drops their stale minute buckets in one more
(per node on a cluster, all nodes at once); the one-tracker functions are the same calls for a
chunk of one."""

from __future__ import annotations

import time
from typing import NamedTuple

from redis.exceptions import NoScriptError

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
                     _expire_args(cutoff, limit, visit_cutoff))
        total += n
        if n < limit:
            return total


def _expire_args(cutoff: float, limit: int, visit_cutoff: float | None) -> list:
    return [cutoff, limit, time.time() - keys.VISIT_SECS if visit_cutoff is None else visit_cutoff]


MINUTE_SERIES = (keys.MINUTE_PAGEVIEWS, keys.MINUTE_EVENTS, keys.MINUTE_ACTIVE)  # in SnapshotCounts' order


def _stale_minutes(public_id: str, minutes_by_series: list[list[str]], now: float) -> dict[str, list[str]]:
    """The minute buckets of each series older than MINUTE_SERIES_SECS, by series key."""
    oldest_minute = int(now // 60) - keys.MINUTE_SERIES_SECS // 60
    stale = {}
    for suffix, minutes in zip(MINUTE_SERIES, minutes_by_series):
        old = [m for m in minutes if int(m) < oldest_minute]
        if old:
            stale[keys.tracker_key(public_id, suffix)] = old
    return stale


def series_trim(public_id: str, now: float) -> None:
    """Drop minute buckets older than 30 minutes (the hit log's minutes expire on their own).
    Two round trips, bounded by the 30-odd buckets per series. (The tick does the same within
    `trackers_read` and `snapshots_store`.)"""
    conn = client()
    pipe = conn.pipeline(transaction=False)
    for suffix in MINUTE_SERIES:
        pipe.hkeys(keys.tracker_key(public_id, suffix))
    stale = _stale_minutes(public_id, pipe.execute(), now)
    pipe = conn.pipeline(transaction=False)
    for key, old in stale.items():
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


class TrackerRead(NamedTuple):
    """One tracker of `trackers_read`: whose counts, for which local day, and (for a tick)
    the cutoffs of its expiry; `cutoff` None reads only (no expiry, no trimming)."""

    public_id: str
    local_date: str
    cutoff: float | None = None
    visit_cutoff: float | None = None


class TrackerCounts(NamedTuple):
    """A tracker's snapshot counts, and the minute buckets its tick found stale (series key ->
    unix minutes), which `snapshots_store` drops."""

    counts: SnapshotCounts
    stale_minutes: dict[str, list[str]]


def _queue_reads(pipe, reads: list[TrackerRead], snapshot_args: list) -> list[int]:
    """Queue each tracker's expiry (when it has a cutoff), then its snapshot read; returns how many replies each tracker has. A tracker's commands share its slot, so
    they run in this order on its node. execute_command, not .evalsha: redis-py's
    ClusterPipeline blocks the named method, yet routes EVALSHA by its keys."""
    expire, snap = script("expire"), script("snapshot")
    replies = []
    for read in reads:
        base = keys.tracker_base(read.public_id)
        if read.cutoff is not None:
            pipe.execute_command("EVALSHA", expire.sha, 1, base,
                                 *_expire_args(read.cutoff, EXPIRE_BATCH, read.visit_cutoff))
        pipe.execute_command("EVALSHA", snap.sha, 1, base, read.local_date, *snapshot_args)
        replies.append(2 if read.cutoff is not None else 1)
    return replies


def _send_reads(reads: list[TrackerRead], snapshot_args: list) -> list[list]:
    """Each tracker's replies, in one round trip (per node, all nodes at once); the trackers
    that met a node without the scripts (a restart) are sent again, once, after SCRIPT LOAD.
    Any other error is raised."""
    conn = client()
    pipe = conn.pipeline(transaction=False)
    counts = _queue_reads(pipe, reads, snapshot_args)
    flat = pipe.execute(raise_on_error=False)
    replies, at = [], 0
    for n in counts:
        replies.append(flat[at:at + n])
        at += n
    for reply in flat:
        if isinstance(reply, Exception) and not isinstance(reply, NoScriptError):
            raise reply
    missing = [i for i, reply in enumerate(replies) if any(isinstance(r, NoScriptError) for r in reply)]
    if missing:
        conn.script_load(script("expire").source)
        conn.script_load(script("snapshot").source)
        pipe = conn.pipeline(transaction=False)
        _queue_reads(pipe, [reads[i] for i in missing], snapshot_args)
        flat = pipe.execute()
        at = 0
        for i in missing:
            replies[i] = flat[at:at + len(replies[i])]
            at += len(replies[i])
    return replies


def trackers_read(reads: list[TrackerRead], now: float, top_pages: int = 50, cities: int = 100,
                  source_members: int = 1000, page_source_members: int = 100) -> list[TrackerCounts]:
    """Everything the snapshots of many trackers show (snapshot.lua), after their expiry
    (expire.lua) for those with a cutoff: one round trip for them all. A tracker with more than EXPIRE_BATCH visitors to expire finishes its expiry and
    is read again on its own (a few round trips more, for that tracker only)."""
    snapshot_args = [top_pages, cities, source_members, page_source_members]
    out = []
    for read, reply in zip(reads, _send_reads(reads, snapshot_args)):
        if read.cutoff is not None and reply[0] >= EXPIRE_BATCH:
            visitors_expire(read.public_id, read.cutoff, visit_cutoff=read.visit_cutoff)
            reply = [reply[0], _evalsha(client(), script("snapshot"), [keys.tracker_base(read.public_id)],
                                        [read.local_date, *snapshot_args])]
        counts = SnapshotCounts(*reply[-1])
        stale = {} if read.cutoff is None else _stale_minutes(
            read.public_id, [counts.minute_pageviews[::2], counts.minute_events[::2], counts.minute_active[::2]], now)
        out.append(TrackerCounts(counts, stale))
    return out


def snapshot_read(public_id: str, local_date: str, top_pages: int = 50, cities: int = 100,
                  source_members: int = 1000, page_source_members: int = 100) -> SnapshotCounts:
    """Everything one snapshot shows, in one script call (snapshot.lua)."""
    return trackers_read([TrackerRead(public_id, local_date)], time.time(), top_pages, cities, source_members,
                         page_source_members)[0].counts


class SnapshotWrite(NamedTuple):
    """A built snapshot to keep: its tracker, the pre-serialized snapshot, the minute's peak
    of active users, and the stale minute buckets to drop (`TrackerCounts.stale_minutes`)."""

    public_id: str
    snapshot: StoredSnapshot
    minute_peak: int
    stale_minutes: dict[str, list[str]] = {}


def snapshots_store(writes: list[SnapshotWrite]) -> None:
    """Keep pre-serialized snapshots and record each minute's peak of active users for the
    sparkline, dropping stale minute buckets: one round trip for them all.

    `minute_peak` is the larger of the stored value and the current count, computed by the
    builder from what it just read: a plain HSET suffices, as the tick's lock makes it the
    only writer. The stale buckets are past minutes, which ingest no longer writes."""
    pipe = raw_client().pipeline(transaction=False)
    for write in writes:
        snapshot = write.snapshot
        key = keys.snapshot(write.public_id)
        pipe.hset(key, mapping={"realtime": snapshot.realtime, "sources": snapshot.sources,
                                "extras": snapshot.extras, "summary": snapshot.summary, "etag": snapshot.etag,
                                "built_at": repr(snapshot.built_at), "seq": snapshot.seq})
        pipe.expire(key, keys.SNAPSHOT_TTL_SECS)
        minute_active = keys.tracker_key(write.public_id, keys.MINUTE_ACTIVE)
        pipe.hset(minute_active, str(int(snapshot.built_at // 60)), write.minute_peak)
        pipe.expire(minute_active, keys.SERIES_TTL_SECS)
        for series, old in write.stale_minutes.items():
            pipe.hdel(series, *old)
    pipe.execute()


def snapshot_store(public_id: str, snapshot: StoredSnapshot, *, minute_peak: int) -> None:
    """Keep one pre-serialized snapshot (`snapshots_store`)."""
    snapshots_store([SnapshotWrite(public_id, snapshot, minute_peak)])


def snapshot_publications(announced: list[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """`(server URL, channel, message)` announcing new snapshots `(tracker, message)` on each
    tracker's channel, where SSE streams listen, on its plain pub/sub server
    (NOWMETRIX_PUBSUB_REDIS_URLS). `realtime.events` builds the messages."""
    out = []
    for public_id, message in announced:
        channel = keys.snapshot_channel(public_id)
        out.append((pubsub_url(channel), channel, message))
    return out


def pubsub_publish(publications: list[tuple[str, str, bytes | str]]) -> None:
    """PUBLISH each `(server URL, channel, message)`: one pipelined round trip per server, in
    order on each. Only `realtime.events` calls this."""
    by_server: dict[str, list[tuple[str, bytes | str]]] = {}
    for url, channel, message in publications:
        by_server.setdefault(url, []).append((channel, message))
    for url, messages in by_server.items():
        pipe = pubsub_client(url).pipeline(transaction=False)
        for channel, message in messages:
            pipe.publish(channel, message)
        pipe.execute()


def snapshot_seqs(public_ids: list[str]) -> list[int | None]:
    """The stored snapshots' numbers (HGET each, one round trip), None where none is stored."""
    pipe = raw_client().pipeline(transaction=False)
    for public_id in public_ids:
        pipe.hget(keys.snapshot(public_id), "seq")
    return [None if seq is None else int(seq) for seq in pipe.execute()]


def snapshot_seq(public_id: str) -> int | None:
    """The stored snapshot's number (one HGET), None when none is stored."""
    return snapshot_seqs([public_id])[0]


def snapshots_parts(public_ids: list[str]) -> list[tuple[int, bytes, bytes] | None]:
    """`(seq, realtime, extras)` of the stored snapshots (HMGET each, one round trip), None where
    none is stored: what the next builds' deltas are computed against."""
    pipe = raw_client().pipeline(transaction=False)
    for public_id in public_ids:
        pipe.hmget(keys.snapshot(public_id), ["seq", "realtime", "extras"])
    out: list[tuple[int, bytes, bytes] | None] = []
    for seq, realtime, extras in pipe.execute():
        out.append(None if seq is None or realtime is None or extras is None else (int(seq), realtime, extras))
    return out


def snapshot_parts(public_id: str) -> tuple[int, bytes, bytes] | None:
    """`(seq, realtime, extras)` of the stored snapshot (one HMGET), None when none is stored."""
    return snapshots_parts([public_id])[0]


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
