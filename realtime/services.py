"""The live pipeline's periodic work: expire, trim, build, store and announce snapshots."""

from __future__ import annotations

import json
import logging
import time

from realtime import events, keys, live_state, snapshot

log = logging.getLogger(__name__)
TICK_LOCK_MS = 10_000  # longer than any sane tick; a crashed holder frees it by expiry


def summary_bytes(snap: snapshot.Snapshot) -> bytes:
    """The overview's line for one tracker."""
    top = snap.realtime["top_pages"][0] if snap.realtime["top_pages"] else None
    return json.dumps({
        "site": snap.realtime["site"],
        "updated_at": snap.realtime["updated_at"],
        "total_realtime": snap.realtime["total_realtime"],
        "total_pageviews_today": snap.realtime["total_pageviews_today"],
        "top_page": {"url": top["url"], "host": top["host"], "title": top["title"],
                     "realtime_users": top["realtime_users"]} if top else None,
    }, separators=(",", ":"), ensure_ascii=False).encode()


def announcement(config: live_state.TrackerConfig, snap: snapshot.Snapshot) -> events.Announcement:
    return events.Announcement(config.public_id, config.account_id, snap.dumps("realtime"), snap.dumps("extras"),
                               summary_bytes(snap))


def tracker_tick(config: live_state.TrackerConfig, now: float, announce: bool = True) -> snapshot.Snapshot:
    """Expire one tracker's departed visitors, then build, store (and announce) its snapshot."""
    live_state.visitors_expire(config.public_id, now - config.window_secs, visit_cutoff=now - keys.VISIT_SECS)
    live_state.series_trim(config.public_id, now)
    snap = snapshot.build_and_store(config, now)
    if announce:
        events.announce_snapshots([announcement(config, snap)])
    return snap


def tick(now: float | None = None, announce: bool = True) -> int:
    """One pass over every tracker with recent traffic; trackers without traffic cost nothing.
    A Redis lock keeps two beats or an overrunning pass from working at once. Returns the
    number of trackers handled (0 when another pass holds the lock)."""
    now = time.time() if now is None else now
    token = live_state.tick_lock_acquire(TICK_LOCK_MS)
    if token is None:
        return 0
    announcements = []
    try:
        for site in live_state.live_tracker_ids(now):
            config = live_state.tracker_config_get(site)
            if config is None:
                continue
            announcements.append(announcement(config, tracker_tick(config, now, announce=False)))
    finally:
        live_state.tick_lock_release(token)
    if announce:
        events.announce_snapshots(announcements)
    return len(announcements)


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
    return count
