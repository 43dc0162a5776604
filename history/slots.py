"""Tracker-local days and their 15-minute slots (pure: no database, no Redis).

Ingest counts per UTC slot (unix time // 900). Every IANA zone's offset today is a multiple of
15 minutes, so each UTC slot is exactly one local slot; this module maps them onto local days.
A local day is [local midnight, next local midnight): 96 slots, 92 on a spring-forward day
and 100 on a fall-back day (the repeated hour's slots show the same local start twice).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from realtime.keys import HISTORY_SLOT_SECS


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def slot_of(ts: float) -> int:
    return int(ts // HISTORY_SLOT_SECS)


def local_date(tz_name: str, ts: float) -> date:
    return datetime.fromtimestamp(ts, tz=timezone.utc).astimezone(zone(tz_name)).date()


def day_start(tz_name: str, day: date) -> float:
    """Unix time of the day's local midnight (zoneinfo resolves a midnight that does not exist
    or exists twice to the first instant of the day, as `fold=0` does)."""
    return datetime.combine(day, time(0), tzinfo=zone(tz_name)).timestamp()


@lru_cache(maxsize=4096)
def day_slots(tz_name: str, day: date) -> range:
    """The UTC slots of a local day, in order."""
    start, end = day_start(tz_name, day), day_start(tz_name, day + timedelta(days=1))
    return range(slot_of(start), slot_of(end))


def slot_date(tz_name: str, slot: int) -> date:
    return local_date(tz_name, slot * HISTORY_SLOT_SECS)


def slot_label(tz_name: str, slot: int) -> str:
    """Local start of a slot, `HH:MM`."""
    return datetime.fromtimestamp(slot * HISTORY_SLOT_SECS, tz=timezone.utc).astimezone(zone(tz_name)).strftime("%H:%M")


def wall_minutes(tz_name: str, ts: float) -> float:
    """Local wall-clock time of day in minutes (what "the same time yesterday" means)."""
    local = datetime.fromtimestamp(ts, tz=timezone.utc).astimezone(zone(tz_name))
    return local.hour * 60 + local.minute + local.second / 60
