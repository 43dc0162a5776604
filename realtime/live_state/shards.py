"""The sharded tick's state: each shard's live-tracker index, lock, watched trackers and last
completed pass (`{s:<shard>}` keys), and per tracker the change counter ingest moves and the
stamp of the latest build (`{t:<id>}` keys). No command spans both kinds of key, so all of it
works on Redis Cluster; the pipelines below may mix slots (a cluster client splits them by node)."""

from __future__ import annotations

import secrets
import time
from typing import NamedTuple

from realtime import keys
from realtime.live_state.clients import aclient, client
from realtime.tracker_config import TrackerConfig

# Compare-and-delete and compare-and-extend: only the holder's token releases or renews a lock.
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
_RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0"


def shard_lock_acquire(shard: int, kind: str, worker: str, ttl_ms: int = keys.SHARD_LOCK_MS) -> str | None:
    """Take the shard's lock for a one-second pass (`kind` "tick") or a fast round ("fast");
    returns the token, or None when someone holds it."""
    token = f"{kind}:{worker}:{secrets.token_hex(6)}"
    return token if client().set(keys.shard_lock(shard), token, nx=True, px=ttl_ms) else None


def shard_lock_renew(shard: int, token: str, ttl_ms: int = keys.SHARD_LOCK_MS) -> bool:
    return bool(client().eval(_RENEW, 1, keys.shard_lock(shard), token, ttl_ms))


def shard_lock_release(shard: int, token: str) -> None:
    client().eval(_RELEASE, 1, keys.shard_lock(shard), token)


def shard_lock_holder(shard: int) -> str | None:
    """The token of whoever holds the shard's lock (`<kind>:<worker>:<random>`), or None."""
    return client().get(keys.shard_lock(shard))


def shard_live_ids(shard: int, now: float) -> list[str]:
    """The shard's trackers with a hit in the last 31 minutes (older ones are dropped from its
    index, which gets that TTL too). One round trip."""
    key = keys.live_trackers(shard)
    pipe = client().pipeline(transaction=False)
    pipe.zremrangebyscore(key, "-inf", f"({now - keys.LIVE_TRACKER_RETENTION_SECS}")
    pipe.zrange(key, 0, -1)
    pipe.expire(key, keys.LIVE_TRACKER_RETENTION_SECS)
    return pipe.execute()[1]


class ShardTracker(NamedTuple):
    public_id: str
    config: TrackerConfig | None  # None: its settings are not in Redis (the pass skips it)
    changes: str  # the tracker's `:chg` counter, read before its state is: what the build will have seen


def shard_trackers(public_ids: list[str]) -> list[ShardTracker]:
    """The settings and change counters of several trackers, in one round trip."""
    pipe = client().pipeline(transaction=False)
    for public_id in public_ids:
        pipe.hgetall(keys.tracker_config(public_id))
        pipe.get(keys.tracker_key(public_id, keys.CHANGES))
    found = pipe.execute()
    return [ShardTracker(public_id, TrackerConfig.from_hash(public_id, found[2 * i]), found[2 * i + 1] or "0")
            for i, public_id in enumerate(public_ids)]


def trackers_changed(public_ids: list[str]) -> list[ShardTracker]:
    """Of the given trackers, those whose live state changed since their latest build (their
    `:chg` differs from the one `:built` records), with their settings. One round trip, two when
    some changed; trackers that did not change cost two reads."""
    pipe = client().pipeline(transaction=False)
    for public_id in public_ids:
        pipe.get(keys.tracker_key(public_id, keys.CHANGES))
        pipe.hget(keys.tracker_key(public_id, keys.BUILT), "chg")
    found = pipe.execute()
    changed = [(public_id, found[2 * i] or "0") for i, public_id in enumerate(public_ids)
               if (found[2 * i] or "0") != (found[2 * i + 1] or "0")]
    if not changed:
        return []
    pipe = client().pipeline(transaction=False)
    for public_id, _changes in changed:
        pipe.hgetall(keys.tracker_config(public_id))
    return [ShardTracker(public_id, TrackerConfig.from_hash(public_id, raw), changes)
            for (public_id, changes), raw in zip(changed, pipe.execute())]


def trackers_built_mark(built: list[tuple[str, str]], tick_ms: int | None) -> None:
    """Record `(tracker, change counter seen)` of snapshots just stored: built in the pass of tick
    `tick_ms`, or in a fast round when None. One round trip."""
    if not built:
        return
    pipe = client().pipeline(transaction=False)
    for public_id, changes in built:
        key = keys.tracker_key(public_id, keys.BUILT)
        if tick_ms is None:
            pipe.hset(key, "chg", changes)
            pipe.hincrby(key, "f", 1)
        else:
            pipe.hset(key, mapping={"chg": changes, "tick": tick_ms})
            pipe.hincrby(key, "n", 1)
        pipe.expire(key, keys.SNAPSHOT_TTL_SECS)
    pipe.execute()


def tracker_built_get(public_id: str) -> dict[str, int]:
    """A tracker's build stamp: `chg`, `tick`, `n`, `f` (0 when absent)."""
    raw = client().hgetall(keys.tracker_key(public_id, keys.BUILT))
    return {name: int(raw.get(name, 0)) for name in ("chg", "tick", "n", "f")}


def shard_done_get(shard: int) -> dict[str, str]:
    return client().hgetall(keys.shard_done(shard))


def shards_live_counts(shards: range | list[int]) -> list[int]:
    """How many trackers each shard's live index holds (ZCARD). One round trip."""
    pipe = client().pipeline(transaction=False)
    for shard in shards:
        pipe.zcard(keys.live_trackers(shard))
    return pipe.execute()


def shards_last_tick(shards: range | list[int]) -> list[int]:
    """The tick each shard last completed (0: none within SHARD_DONE_TTL_SECS). One round trip."""
    pipe = client().pipeline(transaction=False)
    for shard in shards:
        pipe.hget(keys.shard_done(shard), "tick")
    return [int(tick or 0) for tick in pipe.execute()]


def shard_done_record(shard: int, tick_ms: int, built: int, busy_ms: float, worker: str) -> None:
    key = keys.shard_done(shard)
    pipe = client().pipeline(transaction=False)
    pipe.hset(key, mapping={"tick": tick_ms, "built": built, "busy_ms": f"{busy_ms:.1f}", "worker": worker,
                            "at": f"{time.time():.3f}"})
    pipe.expire(key, keys.SHARD_DONE_TTL_SECS)
    pipe.execute()


def watched_by_shard(shards: range | list[int], now: float | None = None) -> dict[int, list[str]]:
    """The watched trackers of each shard that has any (lapsed watches are dropped). One round trip."""
    now = time.time() if now is None else now
    pipe = client().pipeline(transaction=False)
    for shard in shards:
        pipe.zremrangebyscore(keys.shard_watched(shard), "-inf", f"({now}")
        pipe.zrange(keys.shard_watched(shard), 0, -1)
    found = pipe.execute()[1::2]
    return {shard: ids for shard, ids in zip(shards, found) if ids}


async def watch_aadd(public_id: str, now: float | None = None) -> None:
    """Mark a tracker watched for the next WATCH_SECS (an open dashboard or stream calls this every
    WATCH_REFRESH_SECS). One round trip."""
    now = time.time() if now is None else now
    key = keys.shard_watched(keys.tick_shard(public_id))
    pipe = aclient().pipeline(transaction=False)
    pipe.zadd(key, {public_id: now + keys.WATCH_SECS}, gt=True)
    pipe.expire(key, keys.WATCH_SECS)
    await pipe.execute()
