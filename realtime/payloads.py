"""The live snapshot's shapes, declared once.

`/v1/realtime` (`Realtime`), `/v1/sources` (`Sources`), the dashboard's extras (`Extras`), the
overview's line (`Summary`) and the frames pushed to browsers (`SnapshotFrame`, `SummaryFrame`)
are these TypedDicts. The builder (`realtime.snapshot`) fills them, the OpenAPI serializers
(`realtime.api.schema`) are held to them by `realtime/tests/test_snapshot_types.py`, and the
frames (`realtime.frames`) and the SSE stream carry them pre-serialized.

The delta frames (`DeltaFrame`, and `RealtimeDelta` on the SSE stream) carry what changed since
the previous snapshot as `ObjectPatch`es and `ListPatch`es (format in the README, "Delta
frames"); `ROW_IDENTITY` says which fields identify a row of each top list, `ROW_FIELDS` and
`ROW_COUNT` how a row's change is written, `SUMMED` and `SHARES` what a client recomputes.

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
    percent: int  # share of the total: `percent()`
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
    """A tracker's dashboard frame: the whole snapshot, number `seq`."""

    type: Literal["snapshot"]
    seq: int
    realtime: Realtime
    extras: Extras


# A patch of one JSON object: only the fields that changed. Each value is, by the field's
# previous value: an object -> an ObjectPatch of it; a list of rows -> a ListPatch; anything
# else (numbers, strings, lists of numbers) -> the new value itself.
ObjectPatch = dict


class ListPatch(TypedDict, total=False):
    """The change of a top list (rows identified by ROW_IDENTITY). Absent keys: no change."""

    o: list  # the new rows in order: an int is the old row at that index, [i, n] the n old rows from
    # index i on, an object a new row in full (less its DERIVED fields)
    u: list  # pairs, flat: index in the new list, RowPatch of the kept row there that changed


# The change of a kept row: an int is what its ROW_COUNT field gained (or lost, negative);
# otherwise a flat list of pairs: index of the field in ROW_FIELDS, its change (a ListPatch for a
# list of rows, else the new value). DERIVED fields are never in it.
RowPatch = int | list

# The fields that identify a row, by the name of the list holding it. A key that repeats in one
# list (two cities of one name) pairs old and new rows in order.
ROW_IDENTITY: dict[str, tuple[str, ...]] = {
    "top_pages": ("host", "url"),
    "countries": ("code",),
    "cities": ("name",),
    "sources_top5": ("medium", "source"),
    "sources": ("medium", "source"),
    "children": ("label",),
}
_ROW_TYPES = {"top_pages": TopPage, "countries": Country, "cities": City, "sources_top5": SourceRow,
              "sources": SourceRow, "children": SourceChild}
# A row's fields in order, by list name: a RowPatch names a field by its index here.
ROW_FIELDS: dict[str, tuple[str, ...]] = {name: tuple(t.__annotations__) for name, t in _ROW_TYPES.items()}
# The field a RowPatch that is a bare int adds to: what changes every second in every list.
ROW_COUNT: dict[str, str] = {"top_pages": "realtime_users", "countries": "count", "cities": "count",
                             "sources_top5": "count", "sources": "count", "children": "count"}


def percent(count: int, total: int) -> int:
    """A row's `percent`: its share of the total, rounded half up (not Python's banker's rounding)."""
    if total <= 0:
        return 0
    return (count * 200 + total) // (total * 2)


# What patches leave out because a client recomputes it exactly from what it has (README, "Delta
# frames"), in this order, after applying a patch:
# - SUMMED: a row of these lists that has `children` (a non-empty list) counts their `count`s;
# - SHARES: each row of a list named here, in an object that also has the field named here, has
#   `percent` = percent(row's count, that field): a page's sources share its `realtime_users`,
#   `sources_top5` the snapshot's `total_realtime`.
SUMMED: tuple[str, ...] = ("sources", "sources_top5")
SHARES: dict[str, str] = {"sources": "realtime_users", "sources_top5": "total_realtime"}


# The version of the patch format above. A dashboard page states the one it applies when it opens
# its socket (`?deltas=2`); a page that states another or none (one loaded before a deploy
# changed the format) gets whole snapshot frames only, which every version reads.
DELTA_FORMAT = 2


def delta_schema() -> dict:
    """What a client needs to apply patches, as the dashboard page hands it to the browser."""
    return {"format": DELTA_FORMAT, "fields": ROW_FIELDS, "counts": ROW_COUNT, "summed": SUMMED, "shares": SHARES}


class DeltaFrame(TypedDict):
    """A tracker's dashboard frame after the first: snapshot `seq` as a patch of snapshot `base`
    (always seq - 1). A client whose last frame is not `base` asks for a full frame."""

    type: Literal["delta"]
    seq: int
    base: int
    realtime: ObjectPatch  # of Realtime
    extras: ObjectPatch  # of Extras


class RealtimeDelta(TypedDict):
    """The `data:` of the SSE stream's `event: delta` (`?frames=delta`): `/v1/realtime` number
    `seq` as a patch of number `base`."""

    seq: int
    base: int
    realtime: ObjectPatch  # of Realtime


@dataclass(frozen=True)
class SnapshotDelta:
    """What changed from snapshot `seq - 1` to `seq`, each patch pre-serialized JSON: computed
    once per tracker per build, then only copied to every socket and stream."""

    seq: int
    realtime: bytes  # ObjectPatch of Realtime
    extras: bytes  # ObjectPatch of Extras


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
    seq: int = 0  # numbers the tracker's snapshots, one up per build; 0: built on the spot, not stored
    delta: SnapshotDelta | None = None  # from the previous build, when the builder had it; never stored
