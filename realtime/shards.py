"""The sharded tick: trackers are split into NOWMETRIX_TICK_SHARDS shards (`keys.tick_shard`), and
each beat tick runs one pass per shard (`shard_pass`, one Celery task each), so any number of
workers share the tick. Each shard has its own lock: a worker that dies mid-pass delays only
its shard, until the lock lapses (SHARD_LOCK_MS, renewed while a pass runs).

Watched trackers (an open dashboard WebSocket or SSE stream: `keep_watched`) are also rebuilt
between ticks, every NOWMETRIX_WATCHED_INTERVAL_MS, when their live state changed since their
latest build (`watched_round`, run by `realtime.watch_loop` in each worker). A round takes the
shard's lock too, so it never builds beside the shard's pass, and builds only what changed:
an idle watched tracker costs two reads a round, an unwatched one nothing."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time

from redis.exceptions import RedisError

from realtime import events, keys, live_state, services

log = logging.getLogger(__name__)

CHUNK = 200  # trackers read in one round trip, and announced together
FAST_WAIT_SECS = 0.5  # a pass waits this long for a fast round holding its shard (rounds take ms)


def worker_name() -> str:
    """This process, as lock tokens and pass records name it (host and pid: a test or an operator
    can tell which worker holds a shard)."""
    return f"{socket.gethostname()}.{os.getpid()}"


def shard_count() -> int:
    from django.conf import settings

    return settings.NOWMETRIX_TICK_SHARDS


def tick_begin() -> int:
    """What a tick does once before its shards' passes: heal the tracker settings if Redis lost
    them. Returns the tick's id (unix ms), which every pass of this tick records."""
    if not live_state.configs_published():
        services.republish_missing_configs()
    return int(time.time() * 1000)


def tick_plan(tick_ms: int) -> list[int]:
    """The shards tick `tick_ms` enqueues, the longest unbuilt first. When the workers cannot
    build every shard within the interval, the passes left at the end of the queue expire (tasks
    carry `expires`); this order makes those shards the first of the next tick, so every shard is
    built at a slower pace rather than some never. A shard with no live tracker gets no task: it
    is recorded as done with this tick here (an idle installation costs one task a tick, not one
    per shard)."""
    shards = range(shard_count())
    last, live = live_state.shards_last_tick(shards), live_state.shards_live_counts(shards)
    for shard in shards:
        if not live[shard]:
            live_state.shard_done_record(shard, tick_ms, 0, 0.0, worker_name())
    return sorted((shard for shard in shards if live[shard]), key=lambda shard: (last[shard], shard))


def _acquire_for_pass(shard: int) -> str | None:
    """The shard's lock for its pass. A fast round holds it for milliseconds: wait for it rather
    than skip the shard's tick. A pass holding it (an overrunning or dead worker) is not waited for."""
    deadline = time.monotonic() + FAST_WAIT_SECS
    while True:
        token = live_state.shard_lock_acquire(shard, "tick", worker_name())
        if token is not None:
            return token
        holder = live_state.shard_lock_holder(shard) or ""
        if not holder.startswith("fast:") or time.monotonic() > deadline:
            return None
        time.sleep(0.005)


def shard_pass(shard: int, tick_ms: int, now: float | None = None, announce: bool = True,
               account: bool = True) -> int | None:
    """One shard's part of tick `tick_ms`: expire departed visitors, then build, store and
    announce the snapshot of every tracker of the shard with recent traffic (its own index only:
    the work follows the shard's trackers, not all of them). Returns the trackers built, 0 when
    the shard already did this tick (a redelivered task), None when another worker holds it."""
    started = time.monotonic()
    now = time.time() if now is None else now
    token = _acquire_for_pass(shard)
    if token is None:
        if account:
            services.tick_account(0, started, held=True)
        return None
    built = 0
    try:
        if int(live_state.shard_done_get(shard).get("tick", 0)) >= tick_ms:
            return 0
        ids = live_state.shard_live_ids(shard, now)
        # Deltas only where a dashboard or stream is open: the rest are announced whole, and
        # their previous snapshots are neither read nor diffed (the tick's main cost at scale).
        watched = set(live_state.watched_by_shard([shard], now).get(shard, ())) if ids else set()
        for i in range(0, len(ids), CHUNK):
            built += _build_chunk(ids[i:i + CHUNK], now, tick_ms, announce, watched)
            live_state.shard_lock_renew(shard, token)
        live_state.shard_done_record(shard, tick_ms, built, (time.monotonic() - started) * 1000, worker_name())
    finally:
        live_state.shard_lock_release(shard, token)
    if account:
        services.tick_account(built, started)
    return built


def _build_chunk(public_ids: list[str], now: float, tick_ms: int, announce: bool, watched: set[str]) -> int:
    announcements: list[events.Announcement] = []
    trackers = [tracker for tracker in live_state.shard_trackers(public_ids) if tracker.config is not None]
    services.trackers_tick([tracker.config for tracker in trackers], now, announcements=announcements,
                           deltas_for=watched)
    built = [(tracker.public_id, tracker.changes) for tracker in trackers]
    live_state.trackers_built_mark(built, tick_ms)
    if announce:
        events.announce_snapshots(announcements)
    return len(built)


def watched_round(now: float | None = None, announce: bool = True) -> int:
    """Rebuild the watched trackers whose live state changed since their latest build, shard by
    shard under the shard's lock (a shard whose lock is held is skipped: its pass, or another
    worker's round, is building it). Returns the snapshots rebuilt."""
    now = time.time() if now is None else now
    rebuilt = 0
    for shard, public_ids in live_state.watched_by_shard(range(shard_count()), now).items():
        token = live_state.shard_lock_acquire(shard, "fast", worker_name())
        if token is None:
            continue
        announcements: list[events.Announcement] = []
        built: list[tuple[str, str]] = []
        try:
            trackers = [tracker for tracker in live_state.trackers_changed(public_ids) if tracker.config is not None]
            for i in range(0, len(trackers), CHUNK):
                chunk = trackers[i:i + CHUNK]
                # Build and store only: expiry and trimming stay with the shard's one-second pass.
                services.trackers_tick([tracker.config for tracker in chunk], now, announcements=announcements,
                                       expire=False)
                built.extend((tracker.public_id, tracker.changes) for tracker in chunk)
            live_state.trackers_built_mark(built, None)
        finally:
            live_state.shard_lock_release(shard, token)
        if announce:
            events.announce_snapshots(announcements)
        rebuilt += len(built)
    return rebuilt


def tick_all(now: float | None = None, announce: bool = True) -> int:
    """Every shard's pass in this process, one after the other (tests, and `services.tick`)."""
    started = time.monotonic()
    tick_ms = tick_begin()
    built = 0
    held = False
    for shard in range(shard_count()):
        n = shard_pass(shard, tick_ms, now, announce, account=False)
        held = held or n is None
        built += n or 0
    services.tick_account(built, started, held=held and built == 0)
    return built


async def keep_watched(public_id: str) -> None:
    """Keep a tracker watched while the caller (a dashboard socket, an SSE stream) runs: refresh
    its watch every WATCH_REFRESH_SECS until cancelled. Redis being away only pauses it: the
    socket or stream handles the outage itself."""
    while True:
        try:
            await live_state.watch_aadd(public_id)
        except RedisError as error:
            log.debug("could not refresh the watch of %s: %r", public_id, error)
        await asyncio.sleep(keys.WATCH_REFRESH_SECS)
