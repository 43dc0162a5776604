"""The only module that sends to the channel layer: every live push to browsers starts here.

Frames carry the pre-serialized snapshot parts as strings, so consumers forward them without
decoding or re-encoding JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from realtime import keys

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
    site: str
    account_id: int
    realtime: bytes
    extras: bytes
    summary: bytes


async def _announce(announcements: list[Announcement]) -> None:
    layer = get_channel_layer()
    for a in announcements:
        await layer.group_send(keys.tracker_group(a.site), snapshot_event(a.site, a.realtime, a.extras))
        await layer.group_send(keys.account_group(a.account_id), summary_event(a.site, a.summary))


def announce_snapshots(announcements: list[Announcement]) -> None:
    """Push new snapshots to their dashboards and account overviews. Called once per tick with
    every tracker's snapshot: one event loop and one set of layer connections per tick, not per
    tracker (each `async_to_sync` call from a sync worker sets those up anew)."""
    if announcements:
        async_to_sync(_announce)(announcements)
