"""The only module that sends to the channel layer: every live push to browsers starts here.

Frames carry the pre-serialized snapshot parts as strings, so consumers forward them without
decoding or re-encoding JSON."""

from __future__ import annotations

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


async def announce_snapshot(site: str, account_id: int, realtime: bytes, extras: bytes, summary: bytes) -> None:
    layer = get_channel_layer()
    await layer.group_send(keys.tracker_group(site), snapshot_event(site, realtime, extras))
    await layer.group_send(keys.account_group(account_id), summary_event(site, summary))


def announce_snapshot_sync(site: str, account_id: int, realtime: bytes, extras: bytes, summary: bytes) -> None:
    async_to_sync(announce_snapshot)(site, account_id, realtime, extras, summary)
