"""What the queries read from the live state, through `realtime.live_state`, with a short
in-process cache per tracker.

Dashboards poll the same tracker every few seconds, often with several queries at once; at
100,000 active visitors one read of `:vis` is the bulk of a query's cost, so the parsed table is
kept for NOWMETRIX_GA_TABLE_CACHE_SECS (default 1 s, the expiry tick's own cadence: the answer
is never staler than the live state's own resolution). 0 disables the cache.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Callable, TypeVar

from django.conf import settings

from realtime import live_state
from gacompat.engine import Grouping, Hit, fold, fold_users, needed_page_ids, project_visitors
from gacompat.registry import PageLookup

T = TypeVar("T")
RECENT_MINUTES = 30
_MAX_CACHED = 32
_cache: dict[tuple, tuple[float, object]] = {}


def _cached(key: tuple, load: Callable[[], T]) -> T:
    ttl = settings.NOWMETRIX_GA_TABLE_CACHE_SECS
    if ttl <= 0:
        return load()
    now = time.monotonic()
    found = _cache.get(key)
    if found is not None and found[0] > now:
        return found[1]  # type: ignore[return-value]
    value = load()
    if len(_cache) >= _MAX_CACHED:
        for stale in [k for k, (expires, _) in _cache.items() if expires <= now] or list(_cache)[: _MAX_CACHED // 2]:
            _cache.pop(stale, None)
    _cache[key] = (now + ttl, value)
    return value


def clear_cache() -> None:
    _cache.clear()


class ActiveVisitors:
    """The packed records of one tracker's visitors, and those of visitors past the live window
    that expiry has not removed yet (to subtract)."""

    def __init__(self, records: list[str], stale: list[str]):
        self.records, self.stale = records, stale
        self._projections: dict[tuple[int, ...], Counter] = {}

    def projected(self, grouping: Grouping) -> Counter:
        """Projections for the grouping's columns, kept with the (cached) table: polling
        dashboards repeat the same few groupings."""
        columns = grouping.columns
        found = self._projections.get(columns)
        if found is None:
            found = self._projections[columns] = project_visitors(self.records, grouping, minus=self.stale)
        return found


def active_visitors(site: str, cutoff: float) -> ActiveVisitors:
    return _cached(("vis", site), lambda: ActiveVisitors(*live_state.visitor_records(site, cutoff)))


def active_ids(site: str, cutoff: float) -> set[str]:
    return _cached(("ids", site), lambda: set(live_state.active_ids(site, cutoff)))


def recent_hits(site: str, now: float, records: bool = True) -> list[Hit]:
    """Pageviews and events of the last 30 clock minutes (minutesAgo 00..29). Without `records`,
    each hit's record is its page id alone (`engine.reads_records` says when that suffices)."""
    since = (int(now // 60) - (RECENT_MINUTES - 1)) * 60

    def load() -> list[Hit]:
        return list(map(Hit._make, live_state.hits_since(site, since, records)))

    hits = _cached(("hits", site, records), load)
    return [h for h in hits if h.t >= since] if hits and hits[0].t < since else hits


def visitor_hits(site: str, now: float, kinds: frozenset[str]):
    """The last 30 clock minutes' logged hits of `kinds` for `engine.project_by_visitor`: the
    visitor ids of the entries referencing a record, per minute and kind, the hits carrying
    their own record, and the referenced records."""
    since = (int(now // 60) - (RECENT_MINUTES - 1)) * 60

    def load():
        refs, inline = live_state.visitor_refs(site, since, sorted(kinds))
        hits = list(map(Hit._make, inline))
        return refs, hits, live_state.referenced_records(site, [found for _, _, found in refs])

    return _cached(("refs", site, since, kinds), load)


def page_pageviews(site: str, now: float) -> dict[int, dict[str, int]]:
    """Unix minute -> {page id: pageviews} of the last 30 clock minutes (and the next two, for a
    writer's clock slightly ahead: the log counts such hits too)."""
    now_minute = int(now // 60)
    return _cached(("mpg", site), lambda: live_state.page_minute_pageviews(
        site, range(now_minute - (RECENT_MINUTES - 1), now_minute + 2)))


def active_since(site: str, since: float, with_records: bool = True) -> tuple[dict[str, float], dict[str, str]]:
    return _cached(("seen", site, int(since), with_records),
                   lambda: live_state.active_since(site, since, with_records))


def pages_for(site: str, grouping: Grouping, projections) -> PageLookup:
    pids = needed_page_ids(grouping, projections)
    return PageLookup(live_state.page_meta(site, sorted(pids)) if pids else {})


def fold_counts(site: str, projections, grouping: Grouping) -> dict[tuple, int]:
    return fold(projections, grouping, pages_for(site, grouping, projections))


def fold_user_sets(site: str, projections, grouping: Grouping) -> dict[tuple, set[str]]:
    return fold_users(projections, grouping, pages_for(site, grouping, projections))


def minute_counts(site: str, kinds: frozenset[str]) -> dict[int, int]:
    """Unix minute -> pageviews and/or events from the live minute series."""
    pv, ev = live_state.minute_counts(site)
    out: Counter = Counter()
    if "pv" in kinds:
        out.update(pv)
    if "ev" in kinds:
        out.update(ev)
    return dict(out)


def live_counter(site: str, counter: str, cutoff: float) -> tuple[dict[str, int], list[str] | None]:
    return live_state.live_counter(site, counter, cutoff)


def active_count(site: str, cutoff: float) -> int:
    return live_state.active_count(site, cutoff)
