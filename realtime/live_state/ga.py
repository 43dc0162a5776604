"""Read-only views of the live state for `gacompat`, plus its quota counters. Each call is one
round trip, or chunked where the docstring says so."""

from __future__ import annotations

from functools import lru_cache

import redis
from django.conf import settings

from realtime import keys
from realtime.live_state.clients import client, options


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
    conn = redis.Redis.from_url(settings.REDIS_URL, **options(decode_responses=True, health_check_interval=15))
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
    Keys: `keys.ga_quota` (the bucket names its window), TTL set on creation. One round trip."""
    pipe = client().pipeline(transaction=False)
    for bucket, ttl, amount in buckets:
        key = keys.ga_quota(bucket)
        pipe.incrby(key, amount)
        pipe.expire(key, ttl, nx=True)
    return pipe.execute()[0::2]


def ga4_slot_take(property_id: int, request_id: str, now: float, limit: int) -> int | None:
    """Take one of the property's `limit` concurrency slots for a request; the number of
    requests in flight with it, or None (and no slot) when all are taken. Slots past their
    lapse time (a crashed process's) are dropped first. One transaction: add, then count, so
    that never more than `limit` hold a slot at once, across processes; a refused request
    removes its entry (a second round trip)."""
    key = keys.ga4_concurrent(property_id)
    pipe = client().pipeline(transaction=True)
    pipe.zremrangebyscore(key, "-inf", now)
    pipe.zadd(key, {request_id: now + keys.GA4_SLOT_SECS})
    pipe.zcard(key)
    pipe.expire(key, keys.GA4_SLOT_SECS)
    in_flight = pipe.execute()[2]
    if in_flight > limit:
        client().zrem(key, request_id)
        return None
    return in_flight


def ga4_slot_release(property_id: int, request_id: str) -> None:
    """Give a slot back when its request ends."""
    client().zrem(keys.ga4_concurrent(property_id), request_id)
