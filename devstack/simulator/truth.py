"""The ground truth: what the server must show, by the counting rules of shared/spec/semantics.md
(active from a pageview or heartbeat until a leave or the end of the live window; the current
page is the latest pageview; a visit keeps the source of its first hit) and the source rows of
shared/spec/nowmetrix-api.md."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from devstack.simulator.catalog import Place
from devstack.simulator.traffic import Hit, Visitor


@dataclass
class Presence:
    """An active visitor as the live state must hold it."""

    path: str
    device: str
    place: Place
    source: tuple[str, str, str]
    seen: float


@dataclass
class Truth:
    """What the server must show, from the hits it acknowledged, by the spec's counting rules."""

    window_secs: int = 300
    active: dict[tuple[str, str], Presence] = field(default_factory=dict)
    visit_source: dict[tuple[str, str], tuple[str, str, str]] = field(default_factory=dict)
    pageviews: Counter = field(default_factory=Counter)
    events: Counter = field(default_factory=Counter)
    hits: Counter = field(default_factory=Counter)
    unique: set = field(default_factory=set)
    errors: int = 0
    last_error: str = ""

    def record(self, v: Visitor, hit: Hit, at: float) -> None:
        self.hits["pixel" if hit.pixel else hit.kind] += 1
        if v.bot:
            self.hits["bot"] += 1
            return
        if hit.kind == "lv":
            self.active.pop(v.key, None)  # a leave removes the visitor at once
        elif hit.kind == "ev":
            self.events[hit.event] += 1  # events count, but make nobody active
        else:
            self.unique.add(v.key)
            # A visit keeps the source of its first hit, even if a leave came between (a simulated
            # visitor never pauses 30 minutes, so each has one visit).
            landing = v.landing
            source = self.visit_source.setdefault(v.key, (landing.medium, landing.source, landing.child))
            if hit.kind == "pv":
                self.pageviews[hit.path] += 1
            here = self.active.get(v.key)
            if here is None:
                self.active[v.key] = Presence(hit.path, v.agent.device, v.place, source, at)
            else:
                here.path = hit.path if hit.kind == "pv" else here.path  # a heartbeat keeps the page
                here.seen = at

    def report(self, now: float | None = None) -> dict:
        now = time.time() if now is None else now
        live = [p for p in self.active.values() if p.seen >= now - self.window_secs]
        pages, page_sources = Counter(p.path for p in live), {}
        for p in live:
            page_sources.setdefault(p.path, Counter())[p.source[:2]] += 1
        places = Counter((p.place.code, p.place.country) for p in live)
        cities = Counter((p.place.code, p.place.city) for p in live)
        return {
            "total_realtime": len(live),
            "devices": {d: sum(p.device == d for p in live) for d in ("desktop", "mobile", "tablet")},
            "pages": {path: {"realtime_users": n, "pageviews_today": self.pageviews[path],
                             "sources": _rows(page_sources[path])} for path, n in sorted(pages.items())},
            "pageviews": dict(sorted(self.pageviews.items())),
            "total_pageviews": sum(self.pageviews.values()),
            "countries": [{"code": c, "name": n, "count": k} for (c, n), k in _by_count(places)],
            "cities": [{"code": c, "name": n, "count": k} for (c, n), k in _by_count(cities)],
            "sources": source_rows(p.source for p in live),
            "events": [{"category": c, "action": a, "label": lb, "count": k}
                       for (c, a, lb), k in _by_count(self.events)],
            "total_events": sum(self.events.values()),
            "unique_visitors_today": len(self.unique),
            "hits": dict(sorted(self.hits.items())),
            "errors": self.errors,
        }


def _by_count(counter: Counter) -> list:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def _rows(counter: Counter) -> list[dict]:
    return [{"medium": m, "source": s, "count": n}
            for (m, s), n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0]))]


def source_rows(sources) -> list[dict]:
    """Source rows as the API spec defines them (without `percent`): children per row, direct has none."""
    children: dict[tuple[str, str], Counter] = {}
    for medium, source, child in sources:
        children.setdefault((medium, source), Counter())[child or "(not set)"] += 1
    rows = [{"medium": m, "source": s, "count": sum(c.values()),
             "children": [] if m == "(none)" else [{"label": lb, "count": n} for lb, n in _by_count(c)]}
            for (m, s), c in children.items()]
    return sorted(rows, key=lambda r: (-r["count"], r["source"], r["medium"]))

