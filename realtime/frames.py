"""The frames the dashboards' WebSockets send to browsers: one payload shape with the REST API
(declared in `realtime.payloads`: SnapshotFrame, DeltaFrame, SummaryFrame).

Each frame is assembled by concatenating pre-serialized JSON (the stored snapshot parts, the
delta's patches or the parts an event carries): a push costs no JSON decoding or encoding, and a
delta frame is built once per build and sent as the same text to every socket. Every frame type
has a schema test in `realtime/tests/test_event_schema.py`.

Browser to server, the one message a dashboard sends: `{"type":"resync"}`, when a delta frame's
`base` is not the last frame it applied; the answer is a `snapshot` frame.
"""

from __future__ import annotations

SNAPSHOT = "snapshot"
DELTA = "delta"
SUMMARY = "summary"
RESYNC = "resync"  # browser -> server


def snapshot_frame(realtime: str, extras: str, seq: int) -> str:
    """`{"type":"snapshot","seq":N,"realtime":{...},"extras":{...}}` from the JSON objects as text."""
    return '{"type":"snapshot","seq":' + str(seq) + ',"realtime":' + realtime + ',"extras":' + extras + "}"


def delta_frame(seq: int, realtime_patch: str, extras_patch: str) -> str:
    """`{"type":"delta","seq":N,"base":N-1,"realtime":{patch},"extras":{patch}}`."""
    return ('{"type":"delta","seq":' + str(seq) + ',"base":' + str(seq - 1) + ',"realtime":' + realtime_patch
            + ',"extras":' + extras_patch + "}")


def summary_frame(summary: str) -> str:
    """`{"type":"summary","summary":{...}}` from the summary JSON object as text."""
    return '{"type":"summary","summary":' + summary + "}"
