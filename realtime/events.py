"""The only module that announces snapshots: every live push to browsers starts here, to the
dashboards and overviews (the channel layer) and to the SSE streams (a Redis publication,
sent through `realtime.live_state`).

Frames carry the pre-serialized snapshot parts as strings, so consumers forward them without
decoding or re-encoding JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from realtime import keys, live_state
from realtime.payloads import StoredSnapshot

SNAPSHOT_EVENT = "snapshot.built"  # handled by consumers' `snapshot_built`
SUMMARY_EVENT = "tracker.summary"  # handled by the overview consumer's `tracker_summary`


class SnapshotEvent(TypedDict):
    type: str
    site: str
    realtime: str  # the /v1/realtime JSON body
    extras: str  # the dashboard's extras JSON (series, devices incl. tablets, ever_hit)


class SummaryEvent(TypedDict):
    type: str
    site: str
    summary: str  # JSON: site, total_realtime, total_pageviews_today, top_page


def snapshot_event(site: str, realtime: bytes, extras: bytes) -> SnapshotEvent:
    return {"type": SNAPSHOT_EVENT, "site": site, "realtime": realtime.decode(), "extras": extras.decode()}


def summary_event(site: str, summary: bytes) -> SummaryEvent:
    return {"type": SUMMARY_EVENT, "site": site, "summary": summary.decode()}


@dataclass(frozen=True)
class Announcement:
    """A stored snapshot and whom to tell: the tracker's dashboards and its account's overviews."""

    account_id: int
    site: str
    snapshot: StoredSnapshot


async def _announce(announcements: list[Announcement]) -> None:
    layer = get_channel_layer()
    for a in announcements:
        await layer.group_send(keys.tracker_group(a.site), snapshot_event(a.site, a.snapshot.realtime, a.snapshot.extras))
        await layer.group_send(keys.account_group(a.account_id), summary_event(a.site, a.snapshot.summary))


def announce_snapshots(announcements: list[Announcement]) -> None:
    """Push new snapshots to their SSE streams, dashboards and account overviews. Called once per
    tick with every tracker's snapshot: one Redis round trip, and one event loop and one set of
    layer connections per tick, not per tracker (each `async_to_sync` call from a sync worker
    sets those up anew)."""
    if announcements:
        live_state.snapshots_announce([(a.site, a.snapshot.etag) for a in announcements])
        async_to_sync(_announce)(announcements)
