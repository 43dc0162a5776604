"""The frames the dashboards' WebSockets send to browsers: one payload shape with the REST API
(declared in `realtime.payloads`: SnapshotFrame, SummaryFrame).

Each frame is assembled by concatenating pre-serialized JSON (the stored snapshot parts or the
parts an event carries): a push costs no JSON decoding or encoding. Every frame type has a
schema test in `realtime/tests/test_event_schema.py`.
"""

from __future__ import annotations

SNAPSHOT = "snapshot"
SUMMARY = "summary"


def snapshot_frame(realtime: str, extras: str) -> str:
    """`{"type":"snapshot","realtime":{...},"extras":{...}}` from the two JSON objects as text."""
    return '{"type":"snapshot","realtime":' + realtime + ',"extras":' + extras + "}"


def summary_frame(summary: str) -> str:
    """`{"type":"summary","summary":{...}}` from the summary JSON object as text."""
    return '{"type":"summary","summary":' + summary + "}"
