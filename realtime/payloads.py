"""The live snapshot's shapes, declared once.

`/v1/realtime` (`Realtime`), `/v1/sources` (`Sources`), the dashboard's extras (`Extras`), the
overview's line (`Summary`) and the frames pushed to browsers (`SnapshotFrame`, `SummaryFrame`)
are these TypedDicts. The builder (`realtime.snapshot`) fills them, the OpenAPI serializers
(`realtime.api.schema`) are held to them by `realtime/tests/test_snapshot_types.py`, and the
frames (`realtime.frames`) and the SSE stream carry them pre-serialized.

`StoredSnapshot` is the one snapshot value that travels: built by the tick, stored in Redis,
read by the API's microcache and the dashboards, announced to browsers. Pure: no imports of
Redis, Django or the rest of `realtime`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypedDict


class SourceChild(TypedDict):
    label: str
    count: int


class SourceRow(TypedDict):
    medium: str
    source: str
    count: int  # active users from this source
    percent: int  # share of the total, rounded half up
    children: list[SourceChild]


class Devices(TypedDict):
    mobile: int  # phones and tablets
    desktop: int


class TopPage(TypedDict):
    url: str  # the path
    host: str
    title: str  # falls back to the path
    og_image: str
    realtime_users: int
    pageviews_today: int
    sources: list[SourceRow]


class Country(TypedDict):
    code: str  # ISO 3166-1 alpha-2; ZZ when unknown
    name: str
    count: int


class City(TypedDict):
    name: str
    count: int


class Realtime(TypedDict):
    """The `/v1/realtime` body, the `realtime` of a snapshot frame and the SSE `data:`."""

    site: str
    updated_at: str  # UTC, ISO 8601 with whole seconds and +00:00
    total_realtime: int
    total_pageviews_today: int
    total_unique_visitors_today: int  # HyperLogLog estimate
    devices: Devices
    top_pages: list[TopPage]
    countries: list[Country]
    cities: list[City]
    sources_top5: list[SourceRow]


class Sources(TypedDict):
    """The `/v1/sources` body."""

    site: str
    updated_at: str
    total_visitors: int
    sources: list[SourceRow]


class DevicesWithTablets(TypedDict):
    desktop: int
    mobile: int
    tablet: int


class Series(TypedDict):
    """Per minute, oldest first, the last SERIES_MINUTES minutes (the current one last)."""

    active_users: list[int]
    pageviews: list[int]
    events: list[int]


class Extras(TypedDict):
    """What only the dashboard shows."""

    site: str
    updated_at: str
    devices: DevicesWithTablets
    series: Series
    ever_hit: bool
    live_window_secs: int


class TopPageSummary(TypedDict):
    url: str
    host: str
    title: str
    realtime_users: int


class Summary(TypedDict):
    """One tracker's line on the live overview."""

    site: str
    updated_at: str
    total_realtime: int
    total_pageviews_today: int
    top_page: TopPageSummary | None


class SnapshotFrame(TypedDict):
    """A tracker's dashboard frame."""

    type: Literal["snapshot"]
    realtime: Realtime
    extras: Extras


class SummaryFrame(TypedDict):
    """An overview frame."""

    type: Literal["summary"]
    summary: Summary


@dataclass(frozen=True)
class StoredSnapshot:
    """A built snapshot, each part pre-serialized JSON: encoded once by the builder, then only
    copied (Redis, the microcache, frames, SSE)."""

    realtime: bytes  # Realtime
    sources: bytes  # Sources
    extras: bytes  # Extras
    summary: bytes  # Summary
    etag: str
    built_at: float
