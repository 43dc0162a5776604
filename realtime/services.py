"""The live pipeline's periodic work: expire, trim, build, store and announce snapshots."""

from __future__ import annotations

import logging
import time
from collections.abc import Container

from realtime import events, keys, live_state, snapshot
from realtime.ingest.visitor import local_date
from realtime.tracker_config import TrackerConfig

log = logging.getLogger(__name__)
# Its own logger: one summary a minute at INFO, a warning when falling behind. Its level is
# set in settings.LOGGING, so it stays audible under a Celery worker started at WARNING.
tick_log = logging.getLogger("realtime.tick")


def tracker_tick(config: TrackerConfig, now: float, announce: bool = True,
                 announcements: list[events.Announcement] | None = None) -> snapshot.Snapshot:
    """`trackers_tick` for one tracker."""
    return trackers_tick([config], now, announce, announcements)[0]


def trackers_tick(configs: list[TrackerConfig], now: float, announce: bool = True,
                  announcements: list[events.Announcement] | None = None,
                  expire: bool = True, deltas_for: Container[str] | None = None) -> list[snapshot.Snapshot]:
    """Expire the trackers' departed visitors and trim their series, then build and store their
    snapshots, and announce them (at once, or by adding them to `announcements` for the caller
    to send). Two round trips for the chunk (`live_state.trackers_read`, `snapshot.store_all`),
    whatever its size. `expire` False builds and stores only (the watched rounds: expiry and
    trimming stay with the shard's pass). Deltas and dashboard events only for `deltas_for`
    (None: all; `snapshot.store_all`, `events.Announcement.dashboards`)."""
    if not configs:
        return []
    reads = live_state.trackers_read(
        [live_state.TrackerRead(config.public_id, local_date(config.timezone, now),
                                now - config.window_secs if expire else None, now - keys.VISIT_SECS)
         for config in configs],
        now, top_pages=snapshot.TOP_PAGES)
    snaps = [snapshot.from_counts(config, now, read.counts) for config, read in zip(configs, reads)]
    stored = snapshot.store_all([(config, snap, read.stale_minutes) for config, snap, read in zip(configs, snaps, reads)],
                                deltas_for)
    built = [events.Announcement(config.account_id, config.public_id, one,
                                 dashboards=deltas_for is None or config.public_id in deltas_for)
             for config, one in zip(configs, stored)]
    if announcements is not None:
        announcements.extend(built)
    elif announce:
        events.announce_snapshots(built)
    return snaps


def tick(now: float | None = None, announce: bool = True) -> int:
    """One tick of every shard in this process (tests, tools); beat fans a tick out to one
    Celery task per shard instead (`realtime.shards`). Returns the trackers built."""
    from realtime import shards

    return shards.tick_all(now, announce)


def republish_missing_configs() -> None:
    """Redis lost its data (restarted empty, a failover): hits of existing trackers would be
    dropped as unknown until their settings are back, so put them back now. The database being
    away must not stop the snapshots: then say so (at most every TICK_WARNING_SECS) and go on."""
    from django.db import DatabaseError

    try:
        tick_log.warning("tick: tracker settings were missing from Redis; republished %d",
                         tracker_configs_publish_all())
    except DatabaseError as exc:
        if live_state.tick_warning_allowed():
            tick_log.warning("tick: tracker settings are missing from Redis, and the database is away: %s", exc)


def tick_account(trackers: int, started: float, held: bool = False) -> None:
    """Count the pass; log the minute's summary at INFO when due, and a warning (at most every
    TICK_WARNING_SECS) when a pass overruns the interval. A pass that finds the lock held only
    counts as skipped: with two worker processes a delayed tick may overlap the next one. A pass
    is one shard's (a Celery task), or every shard's when `tick` runs them in one process."""
    from django.conf import settings

    interval_ms = settings.NOWMETRIX_SNAPSHOT_INTERVAL_SECS * 1000
    busy_ms = (time.monotonic() - started) * 1000
    late = not held and busy_ms > interval_ms
    stats, may_warn = live_state.tick_stats_add(trackers, busy_ms, late=late, skipped=held)
    if late and may_warn:
        tick_log.warning("tick: falling behind: a pass took %.0f ms, the interval is %.0f ms", busy_ms, interval_ms)
    if stats:
        passes, skipped, late_passes = (int(stats.get(name, 0)) for name in ("passes", "skipped", "late"))
        ran = max(passes - skipped, 1)
        tick_log.info("tick: %d passes in the last %d s or since start (%d skipped, %d late), "
                      "%.1f trackers and %.1f ms a pass", passes, keys.TICK_STATS_SECS, skipped, late_passes,
                      stats.get("trackers", 0) / ran, stats.get("busy_ms", 0) / ran)


def tracker_configs_publish_all() -> int:
    """Republish every tracker's ingest configuration (heals Redis after a restart)."""
    from trackers.models import Tracker

    count = 0
    for tracker in Tracker.objects.only(
        "id", "public_id", "account_id", "hosts", "timezone", "live_window_minutes", "honour_dnt",
        "public_counter", "is_active",
    ).iterator():
        live_state.tracker_config_publish(tracker)
        count += 1
    live_state.configs_published_mark()  # after all of them: the tick trusts it means "all there"
    return count
