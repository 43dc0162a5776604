"""Date ranges of the history endpoints and views (pure): `days` of /v1/overview, the presets
and custom ranges of /v1/recap, and the rounding the contract asks for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from realtime.api.errors import InvalidParameter

OVERVIEW_DAYS_DEFAULT, OVERVIEW_DAYS_MAX = 30, 30
RECAP_LIMIT_DEFAULT, RECAP_LIMIT_MAX = 100, 100
RECAP_MAX_DAYS = 366  # our cap on a custom range: a year of daily rows and page sums
PRESETS = ("today", "yesterday", "last7", "last14", "last30", "last90", "this_month", "last_month", "custom")
PRESET_DEFAULT = "last30"
LABELS = {"today": "Today", "yesterday": "Yesterday", "last7": "Last 7 Days", "last14": "Last 14 Days",
          "last30": "Last 30 Days", "last90": "Last 90 Days", "this_month": "This Month", "last_month": "Last Month"}


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]


def clamped_int(raw: str | None, default: int, low: int, high: int) -> int:
    """An integer parameter clamped into [low, high]; anything not an integer is the default."""
    try:
        value = int(raw) if raw not in (None, "") else default
    except ValueError:
        return default
    return min(max(value, low), high)


def round_half_up(value: float | Decimal, places: int = 0) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _parse_date(raw: str | None, name: str) -> date | None:
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidParameter(f"{name} must be a date as YYYY-MM-DD.") from None


def recap_range(preset: str | None, start: str | None, end: str | None, today: date, first_day: date) -> DateRange:
    """The range of a preset (`lastN`: N days ending today), or of a custom start/end clamped into
    the tracker's history [first_day, today] and to RECAP_MAX_DAYS ending at `end`."""
    preset = PRESET_DEFAULT if preset is None else preset
    if preset not in PRESETS:
        raise InvalidParameter(f"preset must be one of {', '.join(PRESETS)}.")
    if preset == "custom":
        lo, hi = _parse_date(start, "start") or first_day, _parse_date(end, "end") or today
        if lo > hi:
            raise InvalidParameter("start must not be after end.")
        hi = min(max(hi, first_day), today)
        lo = min(max(lo, first_day, hi - timedelta(days=RECAP_MAX_DAYS - 1)), hi)
        return DateRange(lo, hi, f"{lo.isoformat()} – {hi.isoformat()}")
    if preset == "today":
        lo = hi = today
    elif preset == "yesterday":
        lo = hi = today - timedelta(days=1)
    elif preset == "this_month":
        lo, hi = today.replace(day=1), today
    elif preset == "last_month":
        hi = today.replace(day=1) - timedelta(days=1)
        lo = hi.replace(day=1)
    else:
        lo, hi = today - timedelta(days=int(preset[4:]) - 1), today
    return DateRange(lo, hi, LABELS[preset])
