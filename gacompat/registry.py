"""The dimensions and metrics of both Google Analytics compatible APIs, and how each dimension's
value is read from a packed visitor record or a logged hit. Pure: no I/O.

The engine splits each packed record once (`realtime.ingest.record`, tab-separated) and appends
two hit-only cells, so a dimension is "a column index and a converter from the raw cell to the
value Google's API would show". Converters are small and memoised by the engine per distinct
raw value, never per visitor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from realtime.ingest.record import NOT_SET, Record
from realtime.keys import PART_SEP

# Column indices: the record's own fields, then the hit-only cells the engine appends.
R = {name: i for i, name in enumerate(Record._fields)}
RECORD_WIDTH = len(Record._fields)
COL_MINUTES = RECORD_WIDTH  # "00".."29" (hits; the visitor's last-seen minute for GA4 users)
COL_EVENT = RECORD_WIDTH + 1  # `category\x1faction\x1flabel`, "" for pageviews
CONSTANT = -1  # a dimension with one value for every row (app dimensions, platform...)

UNKNOWN_COUNTRY_CODE = "ZZ"


class PageLookup:
    """Page id -> (path, title), filled by the engine from the tracker's page meta."""

    def __init__(self, metas: dict[str, str] | None = None):
        self.pages: dict[str, tuple[str, str]] = {}
        for pid, meta in (metas or {}).items():
            self.add(pid, meta)

    def add(self, pid: str, meta: str | None) -> None:
        parts = (meta or "").lstrip("!").split(PART_SEP)
        path = parts[1] if len(parts) > 1 else ""
        title = parts[2] if len(parts) > 2 else ""
        self.pages[pid] = (path or NOT_SET, title or NOT_SET)

    def path(self, pid: str) -> str:
        return self.pages.get(pid, (NOT_SET, NOT_SET))[0]

    def title(self, pid: str) -> str:
        return self.pages.get(pid, (NOT_SET, NOT_SET))[1]


Converter = Callable[[str, PageLookup], str]


def _plain(raw: str, pages: PageLookup) -> str:
    return raw or NOT_SET


def _upper(raw: str, pages: PageLookup) -> str:
    return raw.upper() if raw else NOT_SET


def _lower(raw: str, pages: PageLookup) -> str:
    return raw.lower() if raw else NOT_SET


def _country_name(raw: str, pages: PageLookup) -> str:
    code, _, name = raw.partition(PART_SEP)
    return NOT_SET if not code or code == UNKNOWN_COUNTRY_CODE else (name or NOT_SET)


def _country_code(raw: str, pages: PageLookup) -> str:
    code = raw.partition(PART_SEP)[0]
    return NOT_SET if not code or code == UNKNOWN_COUNTRY_CODE else code


def _city(raw: str, pages: PageLookup) -> str:
    return raw.partition(PART_SEP)[2] or NOT_SET


def _coordinate(raw: str, pages: PageLookup) -> str:
    return raw or "0.0000"  # GA answered 0 for unknown locations; clients skip it


def _page_path(raw: str, pages: PageLookup) -> str:
    return pages.path(raw)


def _page_title(raw: str, pages: PageLookup) -> str:
    return pages.title(raw)


def _minutes(raw: str, pages: PageLookup) -> str:
    return raw


def _event_part(i: int) -> Converter:
    def convert(raw: str, pages: PageLookup) -> str:
        parts = raw.split(PART_SEP) if raw else ()
        return (parts[i] if len(parts) > i else "") or NOT_SET

    return convert


def _event_name(raw: str, pages: PageLookup) -> str:
    """GA4 event name: `page_view` for pageviews; a custom event is named by its action, or by its
    category when it has no action (GA4 recommends action-like event names)."""
    if not raw:
        return "page_view"
    category, action = (raw.split(PART_SEP) + ["", ""])[:2]
    return action or category or NOT_SET


# --- sources: NowMetrix (medium, source, child) as GA's traffic-source family -------------
# NowMetrix mediums (realtime.ingest.sources): "(none)", "search", "social", "newsletter",
# "referral", or a UTM medium as sent (lowercased).
_GA_MEDIUM = {"(none)": "(none)", "search": "organic", "social": "referral", "newsletter": "email", "referral": "referral"}
_TRAFFIC_TYPE = {"(none)": "DIRECT", "search": "ORGANIC", "social": "SOCIAL", "referral": "REFERRAL"}
_SEARCH_SUFFIX = re.compile(r"\s+search$", re.I)


def _source_parts(raw: str) -> tuple[str, str, str]:
    medium, source, child = (raw.split(PART_SEP) + ["", "", ""])[:3]
    return medium, source, child


def _is_campaign(medium: str) -> bool:
    return medium not in ("(none)", "search", "social", "referral", "")


def _medium(raw: str, pages: PageLookup) -> str:
    medium = _source_parts(raw)[0]
    return _GA_MEDIUM.get(medium, medium) or NOT_SET


def _traffic_type(raw: str, pages: PageLookup) -> str:
    medium = _source_parts(raw)[0]
    return _TRAFFIC_TYPE.get(medium, "CUSTOM") if medium else "DIRECT"


def _source(raw: str, pages: PageLookup) -> str:
    medium, source, child = _source_parts(raw)
    if medium in ("(none)", ""):
        return "(direct)"
    if medium == "search":  # GA names the engine: "google", "bing", "duckduckgo"
        return _SEARCH_SUFFIX.sub("", source).lower().replace(" ", "") or NOT_SET
    if medium == "social":  # GA reports the referring domain
        return child or source or NOT_SET
    return source or NOT_SET


def _campaign(raw: str, pages: PageLookup) -> str:
    medium, _, child = _source_parts(raw)
    return (child or NOT_SET) if _is_campaign(medium) else NOT_SET


def _referral_path(raw: str, pages: PageLookup) -> str:
    medium, _, child = _source_parts(raw)
    return (child or "/") if medium == "referral" else NOT_SET


def _keyword(raw: tuple[str, str], pages: PageLookup) -> str:
    keyword, source = raw
    if keyword:
        return keyword
    # Search engines stopped sending search terms: GA showed "(not provided)" for them.
    return "(not provided)" if _source_parts(source)[0] == "search" else NOT_SET


def constant(value: str) -> Converter:
    """A converter giving every row the same value."""

    def convert(raw: str, pages: PageLookup) -> str:
        return value

    return convert


@dataclass(frozen=True)
class Dimension:
    name: str
    column: int
    convert: Converter
    # Only logged hits carry it (event fields, minutes ago): active users by it need the hit log.
    hit_only: bool = False
    # "Hit level" for the realtime rule: with rt:activeUsers, filters on it allow only `;` and `==`.
    hit_level: bool = False
    # The live state keeps an incremental counter of active visitors by this column.
    counter: str | None = None
    # A second column the converter needs; it then receives `(raw, raw of this column)`.
    also: int | None = None


def _dims(*items: Dimension) -> dict[str, Dimension]:
    return {d.name: d for d in items}


V3_DIMENSIONS = _dims(
    Dimension("rt:userType", R["user_type"], _plain),
    Dimension("rt:minutesAgo", COL_MINUTES, _minutes, hit_only=True, hit_level=True),
    Dimension("rt:referralPath", R["source"], _referral_path, counter="src"),
    Dimension("rt:campaign", R["source"], _campaign, counter="src"),
    Dimension("rt:source", R["source"], _source, counter="src"),
    Dimension("rt:medium", R["source"], _medium, counter="src"),
    Dimension("rt:trafficType", R["source"], _traffic_type, counter="src"),
    Dimension("rt:keyword", R["keyword"], _keyword, also=R["source"]),
    Dimension("rt:browser", R["browser"], _plain),
    Dimension("rt:browserVersion", R["browser_version"], _plain),
    Dimension("rt:operatingSystem", R["os"], _plain),
    Dimension("rt:operatingSystemVersion", R["os_version"], _plain),
    Dimension("rt:deviceCategory", R["device"], _upper, counter="dev"),
    Dimension("rt:mobileDeviceBranding", R["brand"], _plain),
    Dimension("rt:mobileDeviceModel", R["model"], _plain),
    Dimension("rt:country", R["country"], _country_name, counter="cc"),
    Dimension("rt:region", R["region"], _plain),
    Dimension("rt:city", R["city"], _city, counter="city"),
    Dimension("rt:latitude", R["latitude"], _coordinate),
    Dimension("rt:longitude", R["longitude"], _coordinate),
    Dimension("rt:pagePath", R["page_id"], _page_path, hit_level=True, counter="pg"),
    Dimension("rt:pageTitle", R["page_id"], _page_title, hit_level=True, counter="pg"),
    Dimension("rt:appName", CONSTANT, constant(NOT_SET), hit_level=True),
    Dimension("rt:appVersion", CONSTANT, constant(NOT_SET), hit_level=True),
    Dimension("rt:screenName", CONSTANT, constant(NOT_SET), hit_level=True),
    Dimension("rt:eventCategory", COL_EVENT, _event_part(0), hit_only=True, hit_level=True),
    Dimension("rt:eventAction", COL_EVENT, _event_part(1), hit_only=True, hit_level=True),
    Dimension("rt:eventLabel", COL_EVENT, _event_part(2), hit_only=True, hit_level=True),
)
V3_ALIASES = {"rt:visitorType": "rt:userType", "rt:activeVisitors": "rt:activeUsers"}
V3_GOAL_DIMENSIONS = frozenset({"rt:goalId"})

# Metric kinds: "users" distinct visitors, "pv" pageviews, "ev" custom events, "hits" both,
# "zero" always 0 (app screen views, key events: NowMetrix has neither).
V3_METRICS = {"rt:activeUsers": "users", "rt:pageviews": "pv", "rt:totalEvents": "ev", "rt:screenViews": "zero"}
V3_METRIC_TYPE = "INTEGER"
_V3_GOAL_METRIC = re.compile(r"^rt:goal(\d{1,2}(Value|Completions)|ValueAll|CompletionsAll)$")


def v3_canonical(name: str) -> str:
    """The canonical `rt:` name for a requested name: legacy aliases, and the 2013 beta's `ga:`
    prefix for realtime names (`ga:activeVisitors`)."""
    if name.startswith("ga:"):
        name = "rt:" + name[3:]
    return V3_ALIASES.get(name, name)


def v3_is_goal(name: str) -> bool:
    canonical = v3_canonical(name)
    return canonical in V3_GOAL_DIMENSIONS or bool(_V3_GOAL_METRIC.match(canonical))


def v3_dimension(name: str) -> Dimension | None:
    return V3_DIMENSIONS.get(v3_canonical(name))


def v3_metric(name: str) -> str | None:
    return V3_METRICS.get(v3_canonical(name))


# --- GA4 (Data API runRealtimeReport) ------------------------------------------------------

GA4_DIMENSIONS = _dims(
    Dimension("country", R["country"], _country_name, counter="cc"),
    Dimension("countryId", R["country"], _country_code, counter="cc"),
    Dimension("city", R["city"], _city, counter="city"),
    Dimension("deviceCategory", R["device"], _lower, counter="dev"),
    Dimension("platform", CONSTANT, constant("web")),
    Dimension("unifiedScreenName", R["page_id"], _page_title, counter="pg"),
    Dimension("minutesAgo", COL_MINUTES, _minutes),
    Dimension("eventName", COL_EVENT, _event_name, hit_only=True),
    # streamId / streamName: one web stream per tracker; the view layer fills them in.
    Dimension("streamId", CONSTANT, constant("")),
    Dimension("streamName", CONSTANT, constant("")),
)
GA4_METRICS = {"activeUsers": "users", "screenPageViews": "pv", "eventCount": "hits", "keyEvents": "zero"}
GA4_METRIC_TYPE = "TYPE_INTEGER"
