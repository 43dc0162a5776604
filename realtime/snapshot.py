"""Build a tracker's live snapshot from the incremental live state (never from visitors).

One payload shape (`realtime.payloads.Realtime`) serves `/v1/realtime`, the dashboard's
WebSocket frames and the SSE stream. `/v1/sources`, the dashboard's extras and the overview's
summary are built in the same pass and stored beside it, all pre-serialized
(`payloads.StoredSnapshot`)."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Container
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from realtime import deltas, live_state
from realtime.ingest.record import split_parts
from realtime.ingest.visitor import local_date
from realtime.tracker_config import TrackerConfig
from realtime.payloads import (Extras, Realtime, SnapshotDelta, SourceChild, SourceRow, Sources, StoredSnapshot,
                               Summary, TopPage, percent)

TOP_PAGES = 50
SOURCES_TOP = 5
SERIES_MINUTES = 30


def _pairs(flat: list) -> list[tuple[str, int]]:
    return [(flat[i], int(float(flat[i + 1]))) for i in range(0, len(flat), 2)]


def source_rows(members: list[tuple[str, int]], total: int) -> list[SourceRow]:
    """Group `medium\\x1fsource\\x1fchild` counters into source rows with children."""
    grouped: dict[tuple[str, str], dict[str, int]] = {}
    for member, count in members:
        if count <= 0:
            continue
        medium, source, child = split_parts(member, 3)
        children = grouped.setdefault((medium, source), {})
        children[child] = children.get(child, 0) + count
    rows: list[SourceRow] = []
    for (medium, source), children in grouped.items():
        count = sum(children.values())
        if medium == "(none)":
            child_rows: list[SourceChild] = []
        else:
            child_rows = [{"label": label or "(not set)", "count": n} for label, n in children.items()]
            child_rows.sort(key=lambda c: (-c["count"], c["label"]))
        rows.append({"medium": medium, "source": source, "count": count, "percent": percent(count, total),
                     "children": child_rows})
    rows.sort(key=lambda r: (-r["count"], r["source"]))
    return rows


def iso_utc(ts: float) -> str:
    return datetime.fromtimestamp(int(ts), tz=timezone.utc).isoformat()


def _minute_series(raw: list, now_minute: int) -> list[int]:
    values = {int(m): int(v) for m, v in _pairs(raw)}
    return [values.get(now_minute - ago, 0) for ago in range(SERIES_MINUTES - 1, -1, -1)]


@dataclass(frozen=True)
class Snapshot:
    """A snapshot as built, before it is encoded once into a StoredSnapshot."""

    realtime: Realtime
    sources: Sources
    extras: Extras
    summary: Summary
    built_at: float

    def dumps(self, part: str) -> bytes:
        return json.dumps(getattr(self, part), separators=(",", ":"), ensure_ascii=False).encode()

    @property
    def etag(self) -> str:
        """Weak ETag over the content without `updated_at`: a quiet tracker keeps its ETag, so
        polling clients get 304s while nothing changes."""
        content = {k: v for k, v in self.realtime.items() if k != "updated_at"}
        raw = json.dumps([content, self.sources["sources"]], separators=(",", ":"), sort_keys=False)
        return 'W/"' + hashlib.blake2b(raw.encode(), digest_size=10).hexdigest() + '"'

    def stored(self) -> StoredSnapshot:
        return StoredSnapshot(self.dumps("realtime"), self.dumps("sources"), self.dumps("extras"),
                              self.dumps("summary"), self.etag, self.built_at)


def summary(realtime: Realtime) -> Summary:
    """The overview's line for one tracker, from its snapshot."""
    top = realtime["top_pages"][0] if realtime["top_pages"] else None
    return {
        "site": realtime["site"],
        "updated_at": realtime["updated_at"],
        "total_realtime": realtime["total_realtime"],
        "total_pageviews_today": realtime["total_pageviews_today"],
        "top_page": {"url": top["url"], "host": top["host"], "title": top["title"],
                     "realtime_users": top["realtime_users"]} if top else None,
    }


def build(config: TrackerConfig, now: float) -> Snapshot:
    """Read a tracker's counts and build its snapshot (the tick reads a chunk of trackers at
    once, `services.trackers_tick`, and builds each with `from_counts`)."""
    return from_counts(config, now, live_state.snapshot_read(config.public_id, local_date(config.timezone, now),
                                                             top_pages=TOP_PAGES))


def from_counts(config: TrackerConfig, now: float, raw: live_state.SnapshotCounts) -> Snapshot:
    """The snapshot of what snapshot.lua read (`live_state.SnapshotCounts`): no Redis call."""
    site = config.public_id
    total, devices_raw, pages, countries, cities, members, pv_total, unique, mpv, mev, mau, first = raw
    devices = {k: int(v) for k, v in _pairs_str(devices_raw)}
    all_sources = source_rows(_pairs(members), total)
    updated_at = iso_utc(now)
    realtime: Realtime = {
        "site": site,
        "updated_at": updated_at,
        "total_realtime": total,
        "total_pageviews_today": int(pv_total),
        "total_unique_visitors_today": int(unique),
        "devices": {"mobile": devices.get("mobile", 0) + devices.get("tablet", 0), "desktop": devices.get("desktop", 0)},
        "top_pages": [_page_row(row) for row in pages],
        "countries": [
            {"code": code, "name": name, "count": count}
            for (code, name), count in ((split_parts(m, 2), c) for m, c in _pairs(countries))
        ],
        "cities": [{"name": split_parts(m, 2)[1], "count": c} for m, c in _pairs(cities)],
        "sources_top5": all_sources[:SOURCES_TOP],
    }
    sources: Sources = {"site": site, "updated_at": updated_at, "total_visitors": total, "sources": all_sources}
    now_minute = int(now // 60)
    extras: Extras = {
        "site": site,
        "updated_at": updated_at,
        "devices": {"desktop": devices.get("desktop", 0), "mobile": devices.get("mobile", 0),
                    "tablet": devices.get("tablet", 0)},
        "series": {
            "active_users": _minute_series(mau, now_minute),
            "pageviews": _minute_series(mpv, now_minute),
            "events": _minute_series(mev, now_minute),
        },
        "ever_hit": bool(first),
        "live_window_secs": config.window_secs,
    }
    # The current minute's point is its peak so far: what was stored this minute, or the
    # current count if higher. Past minutes keep their peaks, so the legend's "peak" is one.
    series = extras["series"]["active_users"]
    series[-1] = max(series[-1], total)
    return Snapshot(realtime, sources, extras, summary(realtime), now)


def _pairs_str(flat: list) -> list[tuple[str, str]]:
    return [(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]


def _page_row(row: list) -> TopPage:
    _pid, count, meta, pageviews, page_sources = row
    host, path, title, og_image, _author, _pubdate = split_parts(meta, 6)
    users = int(float(count))
    return {
        "url": path,
        "host": host,
        "title": title or path,
        "og_image": og_image,
        "realtime_users": users,
        "pageviews_today": int(pageviews),
        "sources": source_rows(_pairs(page_sources), users),
    }


# The last snapshot each tracker's builds produced in this process, decoded, so the next build's
# delta costs no read of the stored one. Bounded: a miss only costs one read (`_previous_all`).
_PREVIOUS_TRACKERS = 2_000
_previous_built: OrderedDict[str, tuple[int, Realtime, Extras]] = OrderedDict()


def _previous_all(sites: list[str], seqs: list[int | None]) -> list[tuple[int, Realtime | None, Extras | None]]:
    """`(seq, realtime, extras)` of each stored snapshot (numbered `seqs`): from this process's
    last build when that is still the stored one (another worker may have built since), else
    read and decoded; `(0, None, None)` when none is stored."""
    out: list[tuple[int, Realtime | None, Extras | None]] = []
    unknown = []
    for i, (site, seq) in enumerate(zip(sites, seqs)):
        cached = _previous_built.get(site)
        if seq is None:
            out.append((0, None, None))
        elif cached is not None and cached[0] == seq:
            out.append(cached)
        else:
            out.append((0, None, None))
            unknown.append(i)
    if unknown:
        for i, parts in zip(unknown, live_state.snapshots_parts([sites[i] for i in unknown])):
            if parts is not None:
                out[i] = (parts[0], json.loads(parts[1]), json.loads(parts[2]))
    return out


def _remember(site: str, seq: int, snap: Snapshot) -> None:
    _previous_built[site] = (seq, snap.realtime, snap.extras)
    _previous_built.move_to_end(site)
    while len(_previous_built) > _PREVIOUS_TRACKERS:
        _previous_built.popitem(last=False)


def delta(seq: int, old_realtime: Realtime, old_extras: Extras, snap: Snapshot) -> SnapshotDelta | None:
    """The change from the previous snapshot (`seq - 1`) to `snap`, encoded once; None when it
    cannot be written as a patch (the dashboards then get the whole snapshot)."""
    try:
        realtime, extras = deltas.diff(old_realtime, snap.realtime), deltas.diff(old_extras, snap.extras)
    except deltas.Inexpressible:
        return None
    encode = lambda patch: json.dumps(patch, separators=(",", ":"), ensure_ascii=False).encode()  # noqa: E731
    return SnapshotDelta(seq, encode(realtime), encode(extras))


def store(config: TrackerConfig, snap: Snapshot) -> StoredSnapshot:
    """Keep a built snapshot, pre-serialized and numbered one up from the stored one, for the
    API and the dashboards; with its delta from that one when it can be had (announcing both
    is `realtime.events`' job). The shard's lock makes the builder the only writer."""
    return store_all([(config, snap, {})])[0]


def store_all(built: list[tuple[TrackerConfig, Snapshot, dict[str, list[str]]]],
              deltas_for: Container[str] | None = None) -> list[StoredSnapshot]:
    """`store` for a chunk of trackers: their previous snapshots' numbers in one round trip (and
    those not remembered by this process in one more), then every snapshot kept in one round
    trip, each with the stale minute buckets its tick read (`TrackerCounts.stale_minutes`) dropped.

    Only the trackers in `deltas_for` (None: all) get a delta: those someone watches. The others'
    announcements carry the whole snapshot, which a dashboard or stream that opens meanwhile
    takes as it takes any whole frame; their previous snapshots are neither read nor diffed."""
    sites = [config.public_id for config, _snap, _stale in built]
    seqs = live_state.snapshot_seqs(sites)
    wanted = [i for i, site in enumerate(sites) if deltas_for is None or site in deltas_for]
    previous: list[tuple[int, Realtime | None, Extras | None]] = [(seq or 0, None, None) for seq in seqs]
    for i, found in zip(wanted, _previous_all([sites[i] for i in wanted], [seqs[i] for i in wanted])):
        previous[i] = found
    writes = []
    for (config, snap, stale), (base, old_realtime, old_extras) in zip(built, previous):
        # A first build (or one after the stored snapshot expired) starts from the clock in
        # milliseconds, so numbers only ever grow: a client's or stream's old number never matches a
        # snapshot of a later run by chance.
        seq = base + 1 if base else max(1, int(snap.built_at * 1000))
        change = None if old_realtime is None else delta(seq, old_realtime, old_extras, snap)
        stored = replace(snap.stored(), seq=seq, delta=change)
        writes.append(live_state.SnapshotWrite(config.public_id, stored, snap.extras["series"]["active_users"][-1],
                                               stale))
    live_state.snapshots_store(writes)
    for i in wanted:  # remembered for the next delta: what this process's memory is for
        _remember(sites[i], writes[i].snapshot.seq, built[i][1])
    return [write.snapshot for write in writes]


def latest(site: str, now: float, config: TrackerConfig | None = None) -> StoredSnapshot | None:
    """The tracker's latest stored snapshot or, when none was built yet (no traffic within the
    snapshot TTL, or ever), an empty one built from the counters on the spot and not stored
    (nothing announces it). None when the tracker's configuration is not in Redis."""
    stored = live_state.snapshot_get(site)
    if stored is not None:
        return stored
    config = config or live_state.tracker_config_get(site)
    if config is None:
        return None
    return build(config, now).stored()
