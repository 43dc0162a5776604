"""Known traffic through the real ingest path at given local times, with the tick's expiry run
before each hit (as the one-second beat would), and table dumps to compare rollups with."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from history.models import DayCount, PageDay, SlotCount
from realtime import live_state
from realtime.tests.traffic import Traffic


def at(tz: str, *args) -> float:
    return datetime(*args, tzinfo=ZoneInfo(tz)).timestamp()


class Site:
    def __init__(self, tracker, host: str = "planet.example"):
        self.tracker = tracker
        self.traffic = Traffic(tracker.public_id, host, 0)

    def hit(self, when: float, visitor: int, path: str, kind: str = "pv", **fields) -> None:
        self.traffic.now = when
        self.traffic.snapshot()  # expiry of departed visitors and ended visits, as the tick does
        assert self.traffic.hit(kind=kind, path=path, ip=f"10.0.{visitor // 250}.{visitor % 250 + 1}", **fields) is None


def site_with_zone(tenant, tz: str) -> Site:
    from trackers import services

    services.tracker_update(tracker=tenant.tracker, timezone=tz)
    live_state.tracker_config_publish(tenant.tracker)
    return Site(tenant.tracker)


def dump(tracker) -> dict:
    """Every history row of a tracker, as plain values."""
    return {
        "slots": sorted(SlotCount.objects.filter(tracker=tracker).values_list("slot", "date", "pageviews", "visits")),
        "days": sorted(DayCount.objects.filter(tracker=tracker).values_list("date", "pageviews", "visits", "uniques")),
        "pages": sorted(PageDay.objects.filter(tracker=tracker).values_list(
            "date", "path", "title", "author", "pubdate", "image", "pageviews", "visits")),
    }
