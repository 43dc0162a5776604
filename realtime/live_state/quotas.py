"""The GA-compatible APIs' quota counters and GA4 concurrency slots (gacompat/quotas.py)."""

from __future__ import annotations

from realtime import keys
from realtime.live_state.clients import client


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
