"""Reads of the 30-minute hit log (`keys.HIT_LOG`) and the minute series (`keys.MINUTE_*`),
which the GA-compatible APIs query."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from realtime import keys
from realtime.live_state.clients import client, connect

HIT_LOG_CHUNK = 50_000  # entries per XRANGE


@lru_cache(maxsize=1)
def _stream_client():
    """A client that returns XRANGE replies as Redis sends them (`[id, [field, value, ...]]`):
    redis-py's per-entry dicts cost more than the read itself at 100,000 logged hits. (A
    cluster client parses replies in its per-node clients: there the entries stay dicts.)"""
    conn = connect(settings.REDIS_URL, decode_responses=True, health_check_interval=15)
    getattr(conn, "response_callbacks", {}).pop("XRANGE", None)
    return conn


def _hit_fields(fields: list[str] | dict[str, str]) -> tuple[float, str, str, str, str]:
    if isinstance(fields, dict):
        fields = [item for pair in fields.items() for item in pair]
    if fields[0::2] == ["k", "t", "r", "e", "v"]:  # as ingest.lua writes them
        return float(fields[3]), fields[1], fields[5], fields[7], fields[9]
    f = dict(zip(fields[0::2], fields[1::2]))
    return float(f.get("t", 0)), f.get("k", ""), f.get("r", ""), f.get("e", ""), f.get("v", "")


def hits_since(public_id: str, since: float) -> list[tuple[float, str, str, str, str]]:
    """Logged pageviews and events at or after `since`: `(unix time, kind, packed record,
    packed event, visitor id)`. Chunked by HIT_LOG_CHUNK entries (the log is capped at keys.HIT_LOG_MAX_HITS)."""
    stream = keys.tracker_key(public_id, keys.HIT_LOG)
    conn = _stream_client()
    start = str(int(since * 1000))
    out: list[tuple[float, str, str, str, str]] = []
    while True:
        entries = conn.execute_command("XRANGE", stream, start, "+", "COUNT", HIT_LOG_CHUNK)
        out.extend(hit for hit in map(_hit_fields, (fields for _id, fields in entries)) if hit[0] >= since)
        if len(entries) < HIT_LOG_CHUNK:
            return out
        start = "(" + entries[-1][0]


def minute_counts(public_id: str) -> tuple[dict[int, int], dict[int, int]]:
    """Pageviews and events by unix minute. One round trip."""
    pipe = client().pipeline(transaction=False)
    pipe.hgetall(keys.tracker_key(public_id, keys.MINUTE_PAGEVIEWS))
    pipe.hgetall(keys.tracker_key(public_id, keys.MINUTE_EVENTS))
    pv, ev = pipe.execute()
    return {int(m): int(n) for m, n in pv.items()}, {int(m): int(n) for m, n in ev.items()}


