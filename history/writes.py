"""The database half of the rollup: the rows of one chunk of trackers, written in a handful of
queries (a read of what is stored, then one bulk upsert per table), whatever the chunk's size.
Rows whose numbers did not change are not written."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.db.models import Q

from history import slots
from history.models import OTHER_PAGE_ID, DayCount, PageDay, RollupCursor, SlotCount
from realtime.live_state import DayCounters, TrackerCounters
from trackers.models import Tracker

log = logging.getLogger(__name__)
_PAGE_FIELDS = ("host", "path", "title", "author", "pubdate", "image", "pageviews", "visits")


def url_id(public_id: str, page_id: str) -> str:
    """The API's stable opaque 32-hex id of a page of a tracker."""
    return hashlib.blake2b(f"{public_id}|{page_id}".encode(), digest_size=16).hexdigest()


@dataclass
class TrackerRollup:
    """What one tracker's run read: its counters, the page ids kept per date, and their
    descriptions (host, path, title, og:image, author, pubdate) by page id."""

    tracker: Tracker
    start: int  # first slot read
    found: TrackerCounters
    top: dict[str, list[str]]
    described: dict[str, list[str]]


def write_chunk(items: list[TrackerRollup], reread_from: int) -> None:
    """Write the chunk's slot, day and page rows and move its cursors to `reread_from` (never
    back). The caller holds a transaction."""
    ids = [i.tracker.pk for i in items]
    _write_slots(items, ids)
    written = _write_days(items, ids)
    _write_pages([(i, i.found.days[d]) for i in items for d in sorted(i.found.days) if (i.tracker.pk, d) in written],
                 ids)
    RollupCursor.objects.bulk_create(
        [RollupCursor(tracker=i.tracker, reread_from=max(i.start, reread_from)) for i in items],
        update_conflicts=True, unique_fields=["tracker"], update_fields=["reread_from"])


def _write_slots(items: list[TrackerRollup], ids: list[int]) -> None:
    wanted = {(i.tracker.pk, s): c for i in items for s, c in i.found.slots.items() if c != (0, 0)}
    if not wanted:
        return
    lowest = min(s for _t, s in wanted)
    stored = {(t, s): (pv, vi) for t, s, pv, vi in SlotCount.objects.filter(tracker_id__in=ids, slot__gte=lowest)
              .values_list("tracker_id", "slot", "pageviews", "visits")}
    trackers = {i.tracker.pk: i.tracker for i in items}
    rows = []
    for (tid, slot), (pv, vi) in wanted.items():
        old = stored.get((tid, slot))
        new = (pv, vi) if old is None else (max(pv, old[0]), max(vi, old[1]))  # counts only grow
        if new != old:
            t = trackers[tid]
            rows.append(SlotCount(account_id=t.account_id, tracker_id=tid, slot=slot,
                                  date=slots.slot_date(t.timezone, slot), pageviews=new[0], visits=new[1]))
    SlotCount.objects.bulk_create(rows, update_conflicts=True, unique_fields=["tracker", "slot"],
                                  update_fields=["pageviews", "visits"])


def _day_visits(day: DayCounters) -> int:
    return sum(day.page_visits.values())


def _write_days(items: list[TrackerRollup], ids: list[int]) -> set[tuple[int, str]]:
    """Upsert the day rows that changed; returns the (tracker id, date) written."""
    dates = sorted({d for i in items for d in i.found.days})
    stored = {(t, d.isoformat()): (pv, vi, uv) for t, d, pv, vi, uv in DayCount.objects.filter(
        tracker_id__in=ids, date__in=dates).values_list("tracker_id", "date", "pageviews", "visits", "uniques")}
    rows, written = [], set()
    for item in items:
        t = item.tracker
        for day in item.found.days.values():
            new = (day.pageviews, _day_visits(day), day.uniques)
            old = stored.get((t.pk, day.date))
            if new[:2] == (0, 0) or new == old:
                continue
            if old is not None and (new[0] < old[0] or new[1] < old[1]):
                # Redis is behind the database (restarted from an older dump): keep what is
                # stored until Redis has caught up, rather than lowering a day's counts.
                log.warning("history: Redis behind the database for %s of %s; day kept", day.date, t.public_id)
                continue
            rows.append(DayCount(account_id=t.account_id, tracker_id=t.pk, date=day.date, pageviews=new[0],
                                 visits=new[1], uniques=new[2], registers=day.registers))
            written.add((t.pk, day.date))
    DayCount.objects.bulk_create(rows, update_conflicts=True, unique_fields=["tracker", "date"],
                                 update_fields=["pageviews", "visits", "uniques", "registers"])
    return written


def _page_values(item: TrackerRollup, day: DayCounters, stored: dict[str, tuple]) -> dict[str, tuple]:
    """Page id -> the _PAGE_FIELDS values of the day's rows: the kept pages, then (other)."""
    values = {}
    for pid in item.top[day.date]:
        meta, old = item.described.get(pid), stored.get(pid)
        if meta is not None:
            host, path, title, image, author, pubdate = (meta + [""] * 6)[:6]
        elif old is not None:  # the description expired from Redis: keep the stored one
            host, path, title, author, pubdate, image = old[1:7]
        else:
            host = path = title = image = author = pubdate = ""
        values[pid] = (host, path, title, author[:255], pubdate[:64], image, day.pages.get(pid, 0),
                       day.page_visits.get(pid, 0))
    # The rest of the day in one row, so that the day's page rows add up to its totals.
    other_pv = max(0, day.pageviews - sum(v[6] for v in values.values()))
    other_vi = max(0, _day_visits(day) - sum(v[7] for v in values.values()))
    if other_pv or other_vi:
        values[OTHER_PAGE_ID] = ("", "", OTHER_PAGE_ID, "", "", "", other_pv, other_vi)
    return values


def _write_pages(days: list[tuple[TrackerRollup, DayCounters]], ids: list[int]) -> None:
    if not days:
        return
    which = Q(pk__in=[])
    for item, day in days:
        which |= Q(tracker_id=item.tracker.pk, date=day.date)
    # Plain tuples, not model instances: a big site's day is a thousand rows, read every minute.
    stored: dict[tuple[int, str], dict[str, tuple]] = {}
    for row in PageDay.objects.filter(which, tracker_id__in=ids).values_list(
            "tracker_id", "date", "page_id", "pk", *_PAGE_FIELDS):
        stored.setdefault((row[0], row[1].isoformat()), {})[row[2]] = row[3:]
    upserts, gone = [], []
    for item, day in days:
        t = item.tracker
        had = stored.get((t.pk, day.date), {})
        values = _page_values(item, day, had)
        gone.extend(old[0] for pid, old in had.items() if pid not in values)
        for pid, v in values.items():
            if pid not in had or had[pid][1:] != v:
                upserts.append(PageDay(account_id=t.account_id, tracker_id=t.pk, date=day.date, page_id=pid,
                                       url_id=url_id(t.public_id, pid), **dict(zip(_PAGE_FIELDS, v))))
    if gone:
        PageDay.objects.filter(pk__in=gone).delete()
    PageDay.objects.bulk_create(upserts, batch_size=1000, update_conflicts=True,
                                unique_fields=["tracker", "date", "page_id"],
                                update_fields=["url_id", *_PAGE_FIELDS])
