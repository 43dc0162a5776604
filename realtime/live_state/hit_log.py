"""Reads of the 30-minute hit log (`keys.HIT_LOG`), the pageviews by page and minute
(`keys.MINUTE_PAGE_VIEWS`) and the minute series (`keys.MINUTE_*`), which the GA-compatible APIs
query."""

from __future__ import annotations

from functools import lru_cache

import redis
from django.conf import settings

from realtime import keys
from realtime.live_state.clients import client, options

HIT_LOG_CHUNK = 50_000  # entries per XRANGE
_RESOLVE_CHUNK = 10_000  # visitor ids per HMGET

LoggedHit = tuple[float, str, str, str, str]  # unix time, kind, packed record, packed event, visitor id


@lru_cache(maxsize=1)
def _stream_client() -> redis.Redis:
    """A client that returns XRANGE replies as Redis sends them (`[id, [field, value, ...]]`):
    redis-py's per-entry dicts cost more than the read itself at 100,000 logged hits."""
    conn = redis.Redis.from_url(settings.REDIS_URL, **options(decode_responses=True, health_check_interval=15))
    conn.response_callbacks.pop("XRANGE", None)
    return conn


def _legacy_hit(fields: list[str]) -> LoggedHit:
    """An entry written before the log was compacted (fields k, t, r, e, v): it carried its record."""
    f = dict(zip(fields[0::2], fields[1::2]))
    return float(f.get("t", 0)), f.get("k", ""), f.get("r", ""), f.get("e", ""), f.get("v", "")


def _read(public_id: str, since: float) -> tuple[list[list], list[LoggedHit]]:
    """The compact entries at or after `since` as `[time, kind, visitor, page id, event, rest]`,
    and any legacy entries as finished hits."""
    stream = keys.tracker_key(public_id, keys.HIT_LOG)
    conn = _stream_client()
    start = str(int(since * 1000))
    compact: list[list] = []
    legacy: list[LoggedHit] = []
    field = keys.HIT_LOG_FIELD
    while True:
        entries = conn.execute_command("XRANGE", stream, start, "+", "COUNT", HIT_LOG_CHUNK)
        for entry_id, fields in entries:
            if len(fields) == 2 and fields[0] == field:
                kind, vid, pid, t, event, rest = fields[1].split(keys.FIELD_SEP, 5)
                hit_time = float(t) if t else int(entry_id.partition("-")[0]) / 1000
                if hit_time >= since:
                    compact.append([hit_time, kind, vid, pid, event, rest])
            else:
                hit = _legacy_hit(fields)
                if hit[0] >= since:
                    legacy.append(hit)
        if len(entries) < HIT_LOG_CHUNK:
            return compact, legacy
        start = "(" + entries[-1][0]


def _profiles(public_id: str, vids: list[str]) -> dict[str, str]:
    """visitor id -> the record after the page id that their logged hits reference: the first of
    `:hprof`, `:vis` (after its page id), `:left` holding them. One transaction, so a visitor
    leaving the live state in between is found in one of them."""
    hprof = keys.tracker_key(public_id, keys.HIT_PROFILES)
    vis = keys.tracker_key(public_id, keys.VISITORS)
    left = keys.tracker_key(public_id, keys.LEFT)
    chunks = [vids[i:i + _RESOLVE_CHUNK] for i in range(0, len(vids), _RESOLVE_CHUNK)]
    pipe = client().pipeline(transaction=True)
    for chunk in chunks:
        pipe.hmget(hprof, chunk)
        pipe.hmget(vis, chunk)
        pipe.hmget(left, chunk)
    replies = pipe.execute()
    out: dict[str, str] = {}
    sep = keys.FIELD_SEP
    for i, chunk in enumerate(chunks):
        frozen, live, kept = replies[3 * i:3 * i + 3]
        for vid, a, b, c in zip(chunk, frozen, live, kept):
            if a is not None:
                out[vid] = a
            elif b is not None:
                out[vid] = b.partition(sep)[2]
            elif c is not None:
                out[vid] = c
    return out


def hits_since(public_id: str, since: float, records: bool = True) -> list[LoggedHit]:
    """Logged pageviews and events at or after `since`: `(unix time, kind, packed record,
    packed event, visitor id)`. Without `records`, the record is the page id alone (for callers
    that read no other field): one round trip per HIT_LOG_CHUNK entries; with them, one more to
    find the records the entries reference. A record not found (its visit ended while this
    read ran) reads as empty."""
    compact, legacy = _read(public_id, since)
    sep = keys.FIELD_SEP
    if not records:
        out = [(h[0], h[1], h[3], h[4], h[2]) for h in compact]
    else:
        wanted = list({h[2] for h in compact if not h[5]})
        profiles = _profiles(public_id, wanted) if wanted else {}
        out = [(t, kind, pid + sep + (rest or profiles.get(vid, "")), event, vid)
               for t, kind, vid, pid, event, rest in compact]
    # Legacy entries were all written before the compact ones: stream order is kept.
    return legacy + out if legacy else out


def page_minute_pageviews(public_id: str, minutes: range) -> dict[int, dict[str, int]]:
    """unix minute -> {page id: pageviews logged in that minute}, for the given minutes. One
    round trip (an HGETALL per minute)."""
    pipe = client().pipeline(transaction=False)
    for minute in minutes:
        pipe.hgetall(keys.tracker_key(public_id, keys.MINUTE_PAGE_VIEWS, minute))
    return {minute: {pid: int(n) for pid, n in found.items()}
            for minute, found in zip(minutes, pipe.execute()) if found}


def minute_counts(public_id: str) -> tuple[dict[int, int], dict[int, int]]:
    """Pageviews and events by unix minute. One round trip."""
    pipe = client().pipeline(transaction=False)
    pipe.hgetall(keys.tracker_key(public_id, keys.MINUTE_PAGEVIEWS))
    pipe.hgetall(keys.tracker_key(public_id, keys.MINUTE_EVENTS))
    pv, ev = pipe.execute()
    return {int(m): int(n) for m, n in pv.items()}, {int(m): int(n) for m, n in ev.items()}
