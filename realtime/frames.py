"""The frames the dashboards' WebSockets send to browsers: one payload shape with the REST API.

Each frame is assembled by concatenating pre-serialized JSON (the stored snapshot parts or the
parts an event carries): a push costs no JSON decoding or encoding. Every frame type has a
schema test in `realtime/tests/test_event_schema.py`.
"""

from __future__ import annotations

from typing import Literal, TypedDict

SNAPSHOT = "snapshot"
SUMMARY = "summary"


class SnapshotFrame(TypedDict):
    """A tracker's dashboard: `realtime` is the `/v1/realtime` body, `extras` the dashboard's extras
    (devices with tablets, 30-minute series, `ever_hit`, `live_window_secs`)."""

    type: Literal["snapshot"]
    realtime: dict
    extras: dict


class TopPageSummary(TypedDict):
    url: str
    host: str
    title: str
    realtime_users: int


class Summary(TypedDict):
    """One tracker's line on the live overview (built by `realtime.services.summary_bytes`)."""

    site: str
    updated_at: str
    total_realtime: int
    total_pageviews_today: int
    top_page: TopPageSummary | None


class SummaryFrame(TypedDict):
    type: Literal["summary"]
    summary: Summary


def snapshot_frame(realtime: str, extras: str) -> str:
    """`{"type":"snapshot","realtime":{...},"extras":{...}}` from the two JSON objects as text."""
    return '{"type":"snapshot","realtime":' + realtime + ',"extras":' + extras + "}"


def summary_frame(summary: str) -> str:
    """`{"type":"summary","summary":{...}}` from the summary JSON object as text."""
    return '{"type":"summary","summary":' + summary + "}"
