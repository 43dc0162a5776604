"""Headers and conditional-request rules of a snapshot response, shared by the DRF views
and the ASGI fast path so both answer byte-for-byte alike."""

from __future__ import annotations

from realtime.api.microcache import Entry

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def snapshot_headers(entry: Entry, hit: bool, now: float) -> dict[str, str]:
    return {
        "ETag": entry.snapshot.etag,
        "X-NowMetrix-Microcache": "HIT" if hit else "MISS",
        "X-NowMetrix-Snapshot-Age": str(max(0, int(now - entry.snapshot.built_at))),
        "X-NowMetrix-Live-Window": str(entry.config.window_secs),
        "Cache-Control": "no-cache",
    }


def is_not_modified(entry: Entry, if_none_match: str) -> bool:
    return bool(if_none_match) and entry.snapshot.etag in if_none_match


def wants_fresh(cache_control: str) -> bool:
    """`Cache-Control: no-cache` from the client bypasses the microcache."""
    return "no-cache" in cache_control
