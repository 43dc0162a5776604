"""The only module that talks to Redis for the live state. Every call is one round trip
(a pipeline or a Lua script) unless its docstring says otherwise."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import redis
import redis.asyncio as aioredis
from django.conf import settings
from redis.exceptions import NoScriptError

from realtime import keys

_LUA_DIR = Path(__file__).with_name("lua")
STREAM_MAX_HITS = 200_000  # cap on the 30-minute hit log, whatever the traffic
EXPIRE_BATCH = 5_000


# --- clients and scripts ----------------------------------------------------------


@lru_cache(maxsize=1)
def client() -> redis.Redis:
    """Sync client (tasks, API, tests), strings decoded."""
    return redis.Redis.from_url(settings.REDIS_URL, decode_responses=True, socket_timeout=2, socket_connect_timeout=1,
                                health_check_interval=15)


@lru_cache(maxsize=1)
def raw_client() -> redis.Redis:
    """Sync client returning bytes: pre-serialized snapshots are served without decoding."""
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=1, health_check_interval=15)


_async_clients: dict[int, aioredis.Redis] = {}


def aclient() -> aioredis.Redis:
    """Async client of the running event loop (the lean ingest app)."""
    import asyncio

    loop_id = id(asyncio.get_running_loop())
    found = _async_clients.get(loop_id)
    if found is None:
        found = aioredis.Redis.from_url(settings.REDIS_URL, decode_responses=True, socket_timeout=2,
                                        socket_connect_timeout=1)
        _async_clients[loop_id] = found
    return found


@dataclass(frozen=True)
class LuaScript:
    name: str
    source: str
    sha: str = field(init=False)

    def __post_init__(self):
        import hashlib

        object.__setattr__(self, "sha", hashlib.sha1(self.source.encode()).hexdigest())


@lru_cache(maxsize=None)
def script(name: str) -> LuaScript:
    common = (_LUA_DIR / "common.lua").read_text()
    return LuaScript(name, common + "\n" + (_LUA_DIR / f"{name}.lua").read_text())


def _evalsha(conn, lua: LuaScript, keys_: list[str], args: list):
    """EVALSHA, loading the script once if the server does not know it (first call, restart)."""
    try:
        return conn.evalsha(lua.sha, len(keys_), *keys_, *args)
    except NoScriptError:
        conn.script_load(lua.source)
        return conn.evalsha(lua.sha, len(keys_), *keys_, *args)


# --- tracker configuration (read by ingest instead of the database) -------------------


@dataclass(frozen=True)
class TrackerConfig:
    public_id: str
    active: bool
    hosts: tuple[str, ...]
    timezone: str
    window_secs: int
    honour_dnt: bool
    public_counter: bool
    account_id: int
    view_id: int

    @classmethod
    def from_hash(cls, public_id: str, raw: dict[str, str]) -> TrackerConfig | None:
        if not raw:
            return None
        return cls(
            public_id=public_id,
            active=raw.get("active") == "1",
            hosts=tuple(h for h in raw.get("hosts", "").split(",") if h),
            timezone=raw.get("tz", "UTC"),
            window_secs=int(raw.get("window", "300")),
            honour_dnt=raw.get("dnt", "1") == "1",
            public_counter=raw.get("public", "0") == "1",
            account_id=int(raw.get("account", "0")),
            view_id=int(raw.get("view", "0")),
        )


def _config_mapping(tracker) -> dict[str, str]:
    return {
        "active": "1" if tracker.is_active else "0",
        "hosts": ",".join(tracker.hosts),
        "tz": tracker.timezone,
        "window": str(tracker.live_window_minutes * 60),
        "dnt": "1" if tracker.honour_dnt else "0",
        "public": "1" if tracker.public_counter else "0",
        "account": str(tracker.account_id),
        "view": str(tracker.pk),
    }


def tracker_config_publish(tracker) -> None:
    """Write the tracker's ingest configuration (called on save and every minute)."""
    key = keys.tracker_config(tracker.public_id)
    pipe = client().pipeline(transaction=True)
    pipe.delete(key)
    pipe.hset(key, mapping=_config_mapping(tracker))
    pipe.expire(key, keys.CONFIG_TTL_SECS)
    pipe.execute()


def tracker_config_get(public_id: str) -> TrackerConfig | None:
    return TrackerConfig.from_hash(public_id, client().hgetall(keys.tracker_config(public_id)))


async def tracker_config_aget(public_id: str) -> TrackerConfig | None:
    return TrackerConfig.from_hash(public_id, await aclient().hgetall(keys.tracker_config(public_id)))


# --- salts --------------------------------------------------------------------------


def _salt_pipeline(pipe, local_date: str):
    key = keys.salt(local_date)
    pipe.set(key, secrets.token_hex(32), nx=True, ex=keys.SALT_TTL_SECS)
    pipe.get(key)
    return pipe


def salt_get(local_date: str) -> str:
    """The secret salt of a local date, created on first use. It expires with the date, so
    yesterday's visitor ids can no longer be recomputed."""
    return _salt_pipeline(client().pipeline(transaction=False), local_date).execute()[1]


async def salt_aget(local_date: str) -> str:
    return (await _salt_pipeline(aclient().pipeline(transaction=False), local_date).execute())[1]


# --- ingest -------------------------------------------------------------------------


@dataclass
class TrackerBatch:
    """Hits of one tracker on one local date for ingest.lua: 7 values per hit in `args`, sent
    joined by keys.HIT_SEP (no value may contain a control character)."""

    public_id: str
    local_date: str
    now: float
    minute: int
    args: list[str] = field(default_factory=list)
    drops: dict[str, int] = field(default_factory=dict)

    @property
    def hit_count(self) -> int:
        return len(self.args) // 7


def _queue_ingest(pipe, batches: list[TrackerBatch], global_drops: dict[str, int], utc_date: str) -> None:
    lua = script("ingest")
    for batch in batches:
        base = keys.tracker_base(batch.public_id)
        if batch.args:
            pipe.evalsha(lua.sha, 1, base, batch.now, batch.local_date, batch.minute, STREAM_MAX_HITS,
                         keys.DAY_KEY_TTL_SECS, keys.HIT_SEP.join(batch.args))
            pipe.zadd(keys.live_trackers(), {batch.public_id: batch.now})
        if batch.drops:
            drop_key = f"{base}:drop:{batch.local_date}"
            for reason, n in batch.drops.items():
                pipe.hincrby(drop_key, reason, n)
            pipe.expire(drop_key, keys.DROPS_TTL_SECS)
    if global_drops:
        key = keys.global_drops(utc_date)
        for reason, n in global_drops.items():
            pipe.hincrby(key, reason, n)
        pipe.expire(key, keys.DROPS_TTL_SECS)


def ingest_apply(batches: list[TrackerBatch], global_drops: dict[str, int] | None = None, utc_date: str = "") -> None:
    """Apply batches of hits of any number of trackers in one round trip."""
    conn = client()
    for attempt in range(2):
        pipe = conn.pipeline(transaction=False)
        _queue_ingest(pipe, batches, global_drops or {}, utc_date)
        try:
            pipe.execute()
            return
        except NoScriptError:
            if attempt:
                raise
            conn.script_load(script("ingest").source)


async def ingest_aapply(batches: list[TrackerBatch], global_drops: dict[str, int] | None = None,
                        utc_date: str = "") -> None:
    conn = aclient()
    for attempt in range(2):
        pipe = conn.pipeline(transaction=False)
        _queue_ingest(pipe, batches, global_drops or {}, utc_date)
        try:
            await pipe.execute()
            return
        except NoScriptError:
            if attempt:
                raise
            await conn.script_load(script("ingest").source)


# --- expiry, series, snapshots --------------------------------------------------------


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
    """Drop minute buckets and logged hits older than 30 minutes. Two round trips, bounded by
    the 30-odd buckets per series."""
    base = keys.tracker_base(public_id)
    oldest_minute = int(now // 60) - keys.MINUTE_SERIES_SECS // 60
    conn = client()
    pipe = conn.pipeline(transaction=False)
    for suffix in ("mpv", "mev", "mau"):
        pipe.hkeys(f"{base}:{suffix}")
    stale = pipe.execute()
    pipe = conn.pipeline(transaction=False)
    for suffix, minutes in zip(("mpv", "mev", "mau"), stale):
        old = [m for m in minutes if int(m) < oldest_minute]
        if old:
            pipe.hdel(f"{base}:{suffix}", *old)
    pipe.xtrim(f"{base}:hits", minid=int((now - keys.RECENT_HITS_SECS) * 1000), approximate=False)
    pipe.execute()


def snapshot_read(public_id: str, local_date: str, top_pages: int = 50, cities: int = 100,
                  source_members: int = 1000, page_source_members: int = 100) -> list:
    return _evalsha(client(), script("snapshot"), [keys.tracker_base(public_id)],
                    [local_date, top_pages, cities, source_members, page_source_members])


def snapshot_store(public_id: str, *, realtime: bytes, sources: bytes, extras: bytes, etag: str,
                   built_at: float, total: int) -> None:
    """Keep the pre-serialized snapshot, record the minute's active users for the sparkline,
    and announce the snapshot on its pub/sub channel (SSE streams listen there)."""
    key = keys.snapshot(public_id)
    pipe = raw_client().pipeline(transaction=False)
    pipe.hset(key, mapping={"realtime": realtime, "sources": sources, "extras": extras, "etag": etag,
                            "built_at": repr(built_at)})
    pipe.expire(key, keys.SNAPSHOT_TTL_SECS)
    pipe.hset(f"{keys.tracker_base(public_id)}:mau", str(int(built_at // 60)), total)
    pipe.expire(f"{keys.tracker_base(public_id)}:mau", keys.MINUTE_SERIES_SECS + 60)
    pipe.publish(keys.snapshot_channel(public_id), etag)
    pipe.execute()


@dataclass(frozen=True)
class StoredSnapshot:
    realtime: bytes
    sources: bytes
    extras: bytes
    etag: str
    built_at: float


def snapshot_get(public_id: str) -> StoredSnapshot | None:
    """The latest stored snapshot (one HGETALL), or None when none was built yet."""
    raw = raw_client().hgetall(keys.snapshot(public_id))
    if not raw:
        return None
    return StoredSnapshot(raw[b"realtime"], raw[b"sources"], raw[b"extras"], raw[b"etag"].decode(),
                          float(raw[b"built_at"]))


def live_tracker_ids(now: float) -> list[str]:
    """Trackers with a hit in the last 31 minutes (older ones are dropped from the set)."""
    pipe = client().pipeline(transaction=False)
    pipe.zremrangebyscore(keys.live_trackers(), "-inf", f"({now - keys.LIVE_TRACKER_RETENTION_SECS}")
    pipe.zrange(keys.live_trackers(), 0, -1)
    return pipe.execute()[1]


def tick_lock_acquire(ttl_ms: int) -> str | None:
    token = secrets.token_hex(8)
    return token if client().set(keys.tick_lock(), token, nx=True, px=ttl_ms) else None


_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


def tick_lock_release(token: str) -> None:
    client().eval(_RELEASE, 1, keys.tick_lock(), token)


def drops_get(public_id: str, local_date: str) -> dict[str, int]:
    raw = client().hgetall(f"{keys.tracker_base(public_id)}:drop:{local_date}")
    return {reason: int(n) for reason, n in raw.items()}


def global_drops_get(utc_date: str) -> dict[str, int]:
    return {reason: int(n) for reason, n in client().hgetall(keys.global_drops(utc_date)).items()}


# --- API support ----------------------------------------------------------------------


def rate_limit_incr(bucket: str, window_start: int, window_secs: int) -> int:
    """Count one request in a fixed window; returns the count so far (one round trip)."""
    key = keys.rate_limit(bucket, window_start)
    pipe = client().pipeline(transaction=False)
    pipe.incr(key)
    pipe.expire(key, window_secs + 1, nx=True)
    return pipe.execute()[0]


def page_active_users(public_id: str, page_ids: list[str]) -> int:
    """Active users on one page (summed over the tracker's hosts' page ids)."""
    scores = client().zmscore(f"{keys.tracker_base(public_id)}:pg", page_ids)
    return int(sum(s for s in scores if s))


def api_key_mark_revoked(hashed_secret: str) -> None:
    client().set(keys.revoked_api_key(hashed_secret), "1", ex=keys.REVOKED_MARK_TTL_SECS)


async def rate_limit_aincr_and_revoked(bucket: str, window_start: int, window_secs: int,
                                       hashed_secret: str) -> tuple[int, bool]:
    """The fast path's one round trip: count the request and learn whether the key was revoked."""
    key = keys.rate_limit(bucket, window_start)
    pipe = aclient().pipeline(transaction=False)
    pipe.incr(key)
    pipe.expire(key, window_secs + 1, nx=True)
    pipe.exists(keys.revoked_api_key(hashed_secret))
    used, _, revoked = await pipe.execute()
    return used, bool(revoked)


# --- GA-compatible API reads (gacompat) ------------------------------------------------
# Read-only views of the live state for `gacompat`, plus its quota counters. Each call is one
# round trip, or chunked where the docstring says so.

GA_CHUNK = 50_000


def ga_visitor_records(public_id: str, cutoff: float, stale_limit: int = 50_000) -> tuple[list[str], list[str]]:
    """Every visitor record (`:vis` HVALS: half the cost of HGETALL at 100,000 visitors) and
    the records of visitors last seen before `cutoff` that expiry (every second) has not removed
    yet, for the caller to leave out. One round trip, two when such visitors exist."""
    base = keys.tracker_base(public_id)
    conn = client()
    pipe = conn.pipeline(transaction=False)
    pipe.hvals(f"{base}:vis")
    pipe.zrangebyscore(f"{base}:act", "-inf", f"({cutoff}", start=0, num=stale_limit)
    records, stale = pipe.execute()
    stale_records = [r for r in conn.hmget(f"{base}:vis", stale) if r] if stale else []
    return records, stale_records


def ga_active_ids(public_id: str, cutoff: float) -> list[str]:
    """Ids of the visitors last seen at or after `cutoff`."""
    return client().zrangebyscore(f"{keys.tracker_base(public_id)}:act", cutoff, "+inf")


def ga_active_count(public_id: str, cutoff: float) -> int:
    """Visitors last seen at or after `cutoff` (ZCOUNT)."""
    return client().zcount(f"{keys.tracker_base(public_id)}:act", cutoff, "+inf")


def ga_active_since(public_id: str, since: float, with_records: bool = True
                    ) -> tuple[dict[str, float], dict[str, str]]:
    """Visitors last seen at or after `since` with their last-seen time, and (unless
    `with_records` is false) every visitor record. One round trip."""
    base = keys.tracker_base(public_id)
    pipe = client().pipeline(transaction=False)
    pipe.zrangebyscore(f"{base}:act", since, "+inf", withscores=True)
    if with_records:
        pipe.hgetall(f"{base}:vis")
    found = pipe.execute()
    return dict(found[0]), (found[1] if with_records else {})


def ga_counter(public_id: str, counter: str, cutoff: float, stale_limit: int = 5_000
               ) -> tuple[dict[str, int], list[str] | None]:
    """An incremental live counter (`dev` HASH; `cc`, `city`, `src`, `pg` ZSETs: member ->
    active visitors) and the records of visitors past `cutoff` that it still counts, so the
    caller can subtract them. The stale records are None when there are more than
    `stale_limit` (expiry is behind: scan instead). One round trip, two when stale visitors exist."""
    base = keys.tracker_base(public_id)
    conn = client()
    pipe = conn.pipeline(transaction=False)
    if counter == "dev":
        pipe.hgetall(f"{base}:dev")
    else:
        pipe.zrange(f"{base}:{counter}", 0, -1, withscores=True)
    pipe.zrangebyscore(f"{base}:act", "-inf", f"({cutoff}", start=0, num=stale_limit + 1)
    raw, stale = pipe.execute()
    counts = {member: int(float(n)) for member, n in (raw.items() if isinstance(raw, dict) else raw)}
    if len(stale) > stale_limit:
        return counts, None
    records = [r for r in conn.hmget(f"{base}:vis", stale) if r] if stale else []
    return counts, records


@lru_cache(maxsize=1)
def _stream_client() -> redis.Redis:
    """A client that returns XRANGE replies as Redis sends them (`[id, [field, value, ...]]`):
    redis-py's per-entry dicts cost more than the read itself at 100,000 logged hits."""
    conn = redis.Redis.from_url(settings.REDIS_URL, decode_responses=True, socket_timeout=2,
                                socket_connect_timeout=1, health_check_interval=15)
    conn.response_callbacks.pop("XRANGE", None)
    return conn


def _hit_fields(fields: list[str]) -> tuple[float, str, str, str, str]:
    if fields[0::2] == ["k", "t", "r", "e", "v"]:  # as ingest.lua writes them
        return float(fields[3]), fields[1], fields[5], fields[7], fields[9]
    f = dict(zip(fields[0::2], fields[1::2]))
    return float(f.get("t", 0)), f.get("k", ""), f.get("r", ""), f.get("e", ""), f.get("v", "")


def ga_recent_hits(public_id: str, since: float) -> list[tuple[float, str, str, str, str]]:
    """Logged pageviews and events at or after `since`: `(unix time, kind, packed record,
    packed event, visitor id)`. Chunked by GA_CHUNK entries (the log is capped at STREAM_MAX_HITS)."""
    stream = f"{keys.tracker_base(public_id)}:hits"
    conn = _stream_client()
    start = str(int(since * 1000))
    out: list[tuple[float, str, str, str, str]] = []
    while True:
        entries = conn.execute_command("XRANGE", stream, start, "+", "COUNT", GA_CHUNK)
        out.extend(hit for hit in map(_hit_fields, (fields for _id, fields in entries)) if hit[0] >= since)
        if len(entries) < GA_CHUNK:
            return out
        start = "(" + entries[-1][0]


def ga_page_meta(public_id: str, page_ids: list[str]) -> dict[str, str]:
    """Packed page meta (`host path title og_image author pubdate`) of the given pages; one
    pipelined round trip, HMGET in chunks of 1,000."""
    if not page_ids:
        return {}
    key = f"{keys.tracker_base(public_id)}:pmeta"
    pipe = client().pipeline(transaction=False)
    chunks = [page_ids[i : i + 1000] for i in range(0, len(page_ids), 1000)]
    for chunk in chunks:
        pipe.hmget(key, chunk)
    out: dict[str, str] = {}
    for chunk, metas in zip(chunks, pipe.execute()):
        out.update((pid, meta) for pid, meta in zip(chunk, metas) if meta is not None)
    return out


def ga_minute_counts(public_id: str) -> tuple[dict[int, int], dict[int, int]]:
    """Pageviews and events by unix minute (`:mpv`, `:mev`). One round trip."""
    base = keys.tracker_base(public_id)
    pipe = client().pipeline(transaction=False)
    pipe.hgetall(f"{base}:mpv")
    pipe.hgetall(f"{base}:mev")
    pv, ev = pipe.execute()
    return {int(m): int(n) for m, n in pv.items()}, {int(m): int(n) for m, n in ev.items()}


def ga_quota_charge(buckets: list[tuple[str, int, int]]) -> list[int]:
    """Add `amount` to each `(bucket, ttl_secs, amount)` quota counter and return the totals.
    Keys: STRING `<prefix>:gaq:<bucket>` (the bucket names its window), TTL set on creation.
    One round trip."""
    pipe = client().pipeline(transaction=False)
    for bucket, ttl, amount in buckets:
        key = f"{keys.prefix()}:gaq:{bucket}"
        pipe.incrby(key, amount)
        pipe.expire(key, ttl, nx=True)
    return pipe.execute()[0::2]


# --- snapshot stream (SSE) ------------------------------------------------------------


async def snapshot_realtime_aget(public_id: str) -> str | None:
    """The stored snapshot's /v1/realtime JSON, for the SSE stream (one round trip)."""
    return await aclient().hget(keys.snapshot(public_id), "realtime")


class SnapshotAnnouncements:
    """The snapshots announced for one tracker, over one pub/sub connection. Subscribe first,
    then read the current snapshot: nothing announced in between is missed."""

    def __init__(self, public_id: str):
        self.channel = keys.snapshot_channel(public_id)
        self.pubsub = aclient().pubsub(ignore_subscribe_messages=True)

    async def subscribe(self) -> None:
        await self.pubsub.subscribe(self.channel)

    async def next(self, timeout: float) -> str | None:
        """The next announcement's ETag, or None after `timeout` seconds without one."""
        message = await self.pubsub.get_message(timeout=timeout)
        return message["data"] if message else None

    async def close(self) -> None:
        await self.pubsub.aclose()
