"""Reads of the history tables, always scoped to the tracker's account."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypedDict

from django.db.models import Max, Min, Q, Sum

from history import slots
from history.models import OTHER_PAGE_ID, DayCount, PageDay, SlotCount
from history.ranges import DateRange


class DailyRow(TypedDict):
    date: str
    pageviews: int
    visits: int


def history_bounds(*, account_id: int, tracker_id: int) -> tuple[date | None, date | None]:
    """First and last day with history."""
    found = DayCount.objects.filter(account_id=account_id, tracker_id=tracker_id).aggregate(lo=Min("date"), hi=Max("date"))
    return found["lo"], found["hi"]


def daily(*, account_id: int, tracker_id: int, start: date, end: date) -> list[DailyRow]:
    """One row per day of [start, end], zeros where nothing was counted."""
    stored = {d: (pv, vi) for d, pv, vi in DayCount.objects.filter(
        account_id=account_id, tracker_id=tracker_id, date__gte=start, date__lte=end).values_list(
        "date", "pageviews", "visits")}
    days = (end - start).days + 1
    rows = []
    for i in range(max(days, 0)):
        day = start + timedelta(days=i)
        pv, vi = stored.get(day, (0, 0))
        rows.append(DailyRow(date=day.isoformat(), pageviews=pv, visits=vi))
    return rows


class PageRow(TypedDict):
    page_id: str
    url_id: str
    host: str
    path: str
    title: str
    author: str
    pubdate: str
    image: str
    pageviews: int
    visits: int


def top_pages(*, account_id: int, tracker_id: int, span: DateRange, limit: int, query: str = "") -> list[PageRow]:
    """Pages of the range by pageviews (then URL), summed over its days, described as on the
    latest day they were seen. `query` keeps pages whose URL, title or author contains it (any
    case) on any day of the range. The (other) rows are left out."""
    rows = PageDay.objects.filter(account_id=account_id, tracker_id=tracker_id, date__gte=span.start,
                                  date__lte=span.end).exclude(page_id=OTHER_PAGE_ID)
    if query:
        matching = rows.filter(Q(path__icontains=query) | Q(title__icontains=query) | Q(author__icontains=query))
        rows = rows.filter(page_id__in=matching.values("page_id"))
    sums = list(rows.values("page_id").annotate(pv=Sum("pageviews"), vi=Sum("visits"), last=Max("date"))
                .order_by("-pv", "-vi", "page_id")[:limit])
    # Each page as on its latest day: a superset (every page on every such day) in one indexed
    # query, narrowed here; a chain of (page, date) ORs is far slower to plan and run.
    last = {s["page_id"]: s["last"] for s in sums}
    described = {row.page_id: row for row in PageDay.objects.filter(
        account_id=account_id, tracker_id=tracker_id, date__in=set(last.values()), page_id__in=list(last))
        if row.date == last[row.page_id]}
    found = []
    for s in sums:
        r = described[s["page_id"]]
        found.append(PageRow(page_id=r.page_id, url_id=r.url_id, host=r.host, path=r.path, title=r.title,
                             author=r.author, pubdate=r.pubdate, image=r.image, pageviews=s["pv"], visits=s["vi"]))
    return found


class Interval(TypedDict):
    start: str
    today: int | None
    yesterday: int


def day_slot_counts(*, account_id: int, tracker_id: int, tz: str, day: date) -> list[tuple[int, int, int]]:
    """(slot, pageviews, visits) for every slot of a local day, zeros included."""
    stored = {s: (pv, vi) for s, pv, vi in SlotCount.objects.filter(
        account_id=account_id, tracker_id=tracker_id, date=day).values_list("slot", "pageviews", "visits")}
    return [(s, *stored.get(s, (0, 0))) for s in slots.day_slots(tz, day)]


def day_totals(*, account_id: int, tracker_id: int, day: date) -> tuple[int, int]:
    row = DayCount.objects.filter(account_id=account_id, tracker_id=tracker_id, date=day).values_list(
        "pageviews", "visits").first()
    return row or (0, 0)
