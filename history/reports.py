"""The bodies of /v1/overview, /v1/recap and /v1/pace, shared by the API and the dashboard
views (one shape). Key order is the contract's (`../shared/spec/nowmetrix-api.md`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from history import selectors, slots
from history.ranges import RECAP_MAX_DAYS, DateRange, round_half_up
from realtime.keys import HISTORY_SLOT_SECS

SLOT_MINUTES = HISTORY_SLOT_SECS // 60


def iso_utc(ts: float) -> str:
    return datetime.fromtimestamp(int(ts), tz=timezone.utc).isoformat()


def overview(*, site: str, account_id: int, tracker_id: int, tz: str, now: float, days: int) -> dict:
    """The last `days` completed local days, ending yesterday; fewer when history is shorter."""
    yesterday = slots.local_date(tz, now) - timedelta(days=1)
    first, _last = selectors.history_bounds(account_id=account_id, tracker_id=tracker_id)
    start = yesterday - timedelta(days=days - 1)
    if first is not None:
        start = max(start, first)
    rows = [] if first is None or first > yesterday else selectors.daily(
        account_id=account_id, tracker_id=tracker_id, start=start, end=yesterday)
    return {
        "site": site,
        "timezone": tz,
        "range": {"from": rows[0]["date"] if rows else yesterday.isoformat(), "to": yesterday.isoformat(),
                  "days": len(rows)},
        "daily": rows,
        "totals": {"pageviews": sum(r["pageviews"] for r in rows), "visits": sum(r["visits"] for r in rows)},
    }


def recap_first_day(*, account_id: int, tracker_id: int, today: date) -> date:
    first, _last = selectors.history_bounds(account_id=account_id, tracker_id=tracker_id)
    return min(first, today) if first else today


def recap(*, site: str, account_id: int, tracker_id: int, tz: str, preset: str, span: DateRange, first_day: date,
          today: date, limit: int, query: str) -> dict:
    rows = selectors.daily(account_id=account_id, tracker_id=tracker_id, start=span.start, end=span.end)
    pageviews, visits = sum(r["pageviews"] for r in rows), sum(r["visits"] for r in rows)
    pages = selectors.top_pages(account_id=account_id, tracker_id=tracker_id, span=span, limit=limit, query=query)
    return {
        "site": site,
        "preset": preset,
        "timezone": tz,
        "range": {"from": span.start.isoformat(), "to": span.end.isoformat(), "label": span.label, "days": span.days},
        "limits": {"min_date": first_day.isoformat(), "max_date": today.isoformat(), "max_days": RECAP_MAX_DAYS},
        "search": {"query": query},
        "daily": rows,
        "summary": {"total_pageviews": pageviews, "total_visits": visits,
                    "pages_per_visitor": float(round_half_up(pageviews / visits, 1)) if visits else 0.0},
        "top_pages": [{
            "rank": rank,
            "title": p["title"] or p["path"],
            "author": p["author"],
            "pubdate": p["pubdate"],
            "url": p["path"],
            "url_full": f"https://{p['host']}{p['path']}" if p["host"] else p["path"],
            "url_id": p["url_id"],
            "thumbnail": p["image"],
            "pageviews": p["pageviews"],
            "visits": p["visits"],
        } for rank, p in enumerate(pages, start=1)],
    }


def _minutes(label: str) -> int:
    return int(label[:2]) * 60 + int(label[3:])


def pace(*, site: str, account_id: int, tracker_id: int, tz: str, now: float) -> dict:
    """Today against yesterday per 15-minute slot, aligned on local wall-clock time.

    `pageviews_same_time`: yesterday's slots that ended by the current local time, plus the
    elapsed share of the slot in progress, rounded half up. `pace_percent` is today's pageviews
    over that, times 100, rounded half up (null when it is 0); `projected_pageviews` scales
    yesterday's whole day by the same ratio (today's count when yesterday had none so far)."""
    today = slots.local_date(tz, now)
    yesterday = today - timedelta(days=1)
    scope = {"account_id": account_id, "tracker_id": tracker_id}
    today_pv, today_vi = selectors.day_totals(**scope, day=today)
    y_pv, y_vi = selectors.day_totals(**scope, day=yesterday)
    wall = slots.wall_minutes(tz, now)
    y_by_label: dict[str, int] = {}
    same_time = 0.0
    for slot, pv, _vi in selectors.day_slot_counts(**scope, tz=tz, day=yesterday):
        label = slots.slot_label(tz, slot)
        y_by_label[label] = y_by_label.get(label, 0) + pv
        start = _minutes(label)
        same_time += pv * min(max((wall - start) / SLOT_MINUTES, 0.0), 1.0)
    same = int(round_half_up(same_time))
    current = slots.slot_of(now)
    intervals, shown = [], set()
    for slot, pv, _vi in selectors.day_slot_counts(**scope, tz=tz, day=today):
        label = slots.slot_label(tz, slot)
        # A label repeated by a fall-back hour shows yesterday's count once.
        intervals.append({"start": label, "today": pv if slot <= current else None,
                          "yesterday": 0 if label in shown else y_by_label.get(label, 0)})
        shown.add(label)
    return {
        "site": site,
        "updated_at": iso_utc(now),
        "timezone": tz,
        "interval_minutes": SLOT_MINUTES,
        "today": {"date": today.isoformat(), "pageviews": today_pv, "visits": today_vi},
        "yesterday": {"date": yesterday.isoformat(), "pageviews": y_pv, "visits": y_vi, "pageviews_same_time": same},
        "pace_percent": int(round_half_up(today_pv * 100 / same)) if same else None,
        "projected_pageviews": int(round_half_up(today_pv * y_pv / same)) if same else today_pv,
        "intervals": intervals,
    }
