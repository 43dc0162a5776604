"""The history rollup: every minute, copy each tracker's counters from the live state into the
database (`history.models`).

Why it is idempotent: Redis counters are never moved or decremented here. Each run reads the
absolute counts of the slots and dates still open and writes them as they are (slot counts and
day totals never go down), so a second run, or a run after a crash, writes the same rows. A
Redis lock (`keys.history_lock`) keeps two workers from rolling up at once; were it lost, two
runs would still write the same absolute numbers.

Why nothing is lost: each tracker's `RollupCursor` says from which slot on counters are read
again. It moves to one hour before the run's clock only after the tracker's rows are committed,
so a worker stopped for an hour (up to the lifetime of the Redis counters, about a day) reads
everything since on its next run, and hits that land late in a slot are still picked up.

Today after an empty Redis: a date the database holds but whose Redis mark is gone was lost by
Redis; its database counts are added back (`live_state.history_restore`) before it is read.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction

from history import slots, writes
from history.models import OTHER_PAGE_ID, DayCount, PageDay, RollupCursor, SlotCount
from realtime import keys, live_state
from realtime.live_state import RestoreDay, TrackerCounters
from trackers.models import Tracker

log = logging.getLogger(__name__)

REREAD_SECS = 3600  # slots of the last hour are read again each run: late hits land there
MAX_CATCH_UP_SECS = keys.DAY_KEY_TTL_SECS  # dated counters older than this may have expired
CHUNK = 200  # trackers per Redis pipeline


@dataclass
class RollupResult:
    skipped: bool = False  # another rollup held the lock
    trackers: int = 0
    restored_days: int = 0


def history_rollup(now: float | None = None) -> RollupResult:
    """Roll up every tracker, unless another rollup holds the lock."""
    token = live_state.history_lock_acquire()
    if token is None:
        return RollupResult(skipped=True)
    try:
        return rollup_trackers(time.time() if now is None else now)
    finally:
        live_state.history_lock_release(token)


@dataclass
class _Plan:
    tracker: Tracker
    start: int  # first slot read
    dates: list[str]
    slots: list[int]


def _plan(tracker: Tracker, cursor: int | None, now: float) -> _Plan:
    today = slots.local_date(tracker.timezone, now)
    if cursor is None:  # first run for this tracker: yesterday is still in Redis
        cursor = slots.day_slots(tracker.timezone, today - timedelta(days=1))[0]
    start = max(cursor, slots.slot_of(now - MAX_CATCH_UP_SECS))
    first = slots.slot_date(tracker.timezone, start)
    dates = [(first + timedelta(days=i)).isoformat() for i in range((today - first).days + 1)]
    return _Plan(tracker, start, dates, list(range(start, slots.slot_of(now) + 1)))


def rollup_trackers(now: float, trackers: list[Tracker] | None = None) -> RollupResult:
    """The rollup itself, without the lock (callers hold it, or tests interleave runs)."""
    if trackers is None:
        trackers = list(Tracker.objects.only("id", "account_id", "public_id", "timezone"))
    cursors = dict(RollupCursor.objects.values_list("tracker_id", "reread_from"))
    result = RollupResult()
    for i in range(0, len(trackers), CHUNK):
        plans = [_plan(t, cursors.get(t.pk), now) for t in trackers[i:i + CHUNK]]
        result.restored_days += _rollup_chunk(plans, now)
        result.trackers += len(plans)
    return result


def _read(plans: list[_Plan]) -> list[TrackerCounters]:
    return live_state.history_read([(p.tracker.public_id, p.dates, p.slots) for p in plans])


def _rollup_chunk(plans: list[_Plan], now: float) -> int:
    counters = _read(plans)
    lost = [(p, c) for p, c in zip(plans, counters) if not all(d.marked for d in c.days.values())]
    restored = 0
    for plan, found in lost:
        for day in found.days.values():
            if not day.marked:
                restored += _restore(plan.tracker, day.date)
    if lost:  # read again what was restored
        again = dict(zip((p.tracker.pk for p, _c in lost), _read([p for p, _c in lost])))
        counters = [again.get(p.tracker.pk, c) for p, c in zip(plans, counters)]
    tops = [_top_pages(c) for c in counters]
    meta = live_state.history_page_meta([
        (p.tracker.public_id, sorted({pid for day in top.values() for pid in day})) for p, top in zip(plans, tops)])
    # One transaction per chunk: a commit (an fsync) per tracker would cost more than the work.
    # A run killed inside it leaves the chunk's rows and cursors as they were, for the next run.
    with transaction.atomic():
        writes.write_chunk([writes.TrackerRollup(p.tracker, p.start, found, top, described)
                            for p, found, top, described in zip(plans, counters, tops, meta)],
                           reread_from=slots.slot_of(now - REREAD_SECS))
    return restored


def _restore(tracker: Tracker, day_iso: str) -> int:
    """Add the date's database counts back into Redis (or only mark the date when the database
    has none). 1 when counts were added back."""
    day = DayCount.objects.filter(tracker=tracker, date=day_iso).first()
    if day is None:
        live_state.history_restore(tracker.public_id, RestoreDay(day_iso, 0, b"", [], []))
        return 0
    pages = list(PageDay.objects.filter(tracker=tracker, date=day_iso).values_list("page_id", "pageviews", "visits"))
    slot_rows = list(SlotCount.objects.filter(tracker=tracker, date=day_iso).values_list("slot", "pageviews", "visits"))
    done = live_state.history_restore(tracker.public_id, RestoreDay(
        day_iso, day.pageviews, bytes(day.registers), pages, slot_rows))
    if done:
        log.warning("history: Redis had lost %s of tracker %s; added back from the database", day_iso,
                    tracker.public_id)
    return int(done)


def _top_pages(found: TrackerCounters) -> dict[str, list[str]]:
    """Per date, the page ids kept as rows: the NOWMETRIX_HISTORY_PAGES_PER_DAY pages with the
    most pageviews (then visits). The rest go into the date's (other) row."""
    limit = settings.NOWMETRIX_HISTORY_PAGES_PER_DAY
    tops = {}
    for day in found.days.values():
        ids = (set(day.pages) | set(day.page_visits)) - {OTHER_PAGE_ID}
        ranked = sorted(ids, key=lambda pid: (-day.pages.get(pid, 0), -day.page_visits.get(pid, 0), pid))
        tops[day.date] = ranked[:limit]
    return tops


def retention_apply(today: date | None = None) -> int:
    """Delete history older than NOWMETRIX_HISTORY_RETENTION_DAYS (0 keeps it forever)."""
    days = settings.NOWMETRIX_HISTORY_RETENTION_DAYS
    if not days:
        return 0
    cutoff = (today or date.today()) - timedelta(days=days)
    deleted = 0
    for model in (SlotCount, DayCount, PageDay):
        deleted += model.objects.filter(date__lt=cutoff).delete()[0]
    return deleted
