"""The time-zone picker's choices: common zones first, then every canonical Area/City zone.

`zoneinfo.available_timezones()` also lists about 150 backward-compatible links (`US/Pacific`,
`Asia/Calcutta`) and files that are no zones to pick (`Factory`, `localtime`, `posixrules`).
The canonical names are those of the tz database's zone.tab (one line per country's zone), read
from the system's time-zone files; without it, Area/City names are kept by pattern."""

from __future__ import annotations

import re
import zoneinfo
from functools import lru_cache
from pathlib import Path

COMMON = [
    "UTC",
    "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Toronto",
    "America/Mexico_City", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
    "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Zurich",
    "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam", "Europe/Stockholm", "Europe/Warsaw", "Europe/Athens",
    "Europe/Istanbul", "Europe/Moscow", "Africa/Lagos", "Africa/Cairo", "Africa/Johannesburg", "Africa/Nairobi",
    "Asia/Dubai", "Asia/Kolkata", "Asia/Bangkok", "Asia/Singapore", "Asia/Shanghai", "Asia/Hong_Kong",
    "Asia/Seoul", "Asia/Tokyo", "Australia/Perth", "Australia/Sydney", "Pacific/Auckland",
]
_AREA_CITY = re.compile(r"^(Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Z]")


def _zone_tab_names() -> set[str]:
    for base in zoneinfo.TZPATH:
        path = Path(base) / "zone.tab"
        if path.is_file():
            return {line.split("\t")[2] for line in path.read_text().splitlines()
                    if line and not line.startswith("#") and len(line.split("\t")) > 2}
    return set()


@lru_cache(maxsize=1)
def canonical_zones() -> tuple[str, ...]:
    available = zoneinfo.available_timezones()
    canonical = _zone_tab_names() & available or {name for name in available if _AREA_CITY.match(name)}
    return tuple(sorted(canonical))


@lru_cache(maxsize=1)
def choices() -> list:
    """Grouped choices for a ChoiceField: ("Common", [...]), ("All time zones", [...])."""
    available = set(canonical_zones()) | {"UTC"}
    common = [(name, name.replace("_", " ")) for name in COMMON if name in available]
    every = [(name, name.replace("_", " ")) for name in canonical_zones()]
    return [("Common", common), ("All time zones", every)]


def choices_with(current: str | None) -> list:
    """The choices, plus `current` when it is a valid zone outside them (an older alias stays
    selectable on the form that shows it)."""
    base = choices()
    if not current or current in canonical_zones() or current == "UTC" or current not in zoneinfo.available_timezones():
        return base
    return [("Current", [(current, current)]), *base]
