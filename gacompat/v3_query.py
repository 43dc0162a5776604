"""`analytics.data.realtime.get`: validate the query parameters, compute the rows, build the
`RealtimeData` response. Errors are `GoogleError`s (see gacompat/errors.py).

Metric semantics (docs/ga-compat.md):
- rt:activeUsers: active visitors (last seen within the tracker's live window), by their current
  record; with hit-only dimensions (minutes ago, event fields) the distinct active visitors
  with a matching pageview or event in the last 30 minutes.
- rt:pageviews, rt:totalEvents: logged hits of the last 30 clock minutes, by each hit's record.
- rt:screenViews: always 0 (no app screens on the web).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

from gacompat import engine, filters, livedata
from gacompat.engine import Grouping
from gacompat.errors import bad_request, invalid_parameter, required_parameter
from gacompat.registry import COL_MINUTES, V3_METRIC_TYPE, Dimension, v3_canonical, v3_dimension, v3_is_goal, v3_metric

MAX_DIMENSIONS = 7
MAX_METRICS = 10
DEFAULT_MAX_RESULTS = 1000
MAX_MAX_RESULTS = 10_000
MAX_INT32 = 2**31 - 1
_INTEGER = re.compile(r"[+-]?[0-9]{1,12}")  # Google's int32 syntax; longer strings are out of range anyway
GOALS_MESSAGE = "Goal metrics and dimensions are not supported: NowMetrix has no goals ({names})."


@dataclass
class V3Query:
    ids: str
    dimension_names: list[str]
    metric_names: list[str]
    dims: list[Dimension]
    kinds: list[str]  # per requested metric
    filters_text: str | None = None
    dim_groups: list[list[filters.Condition]] = field(default_factory=list)
    metric_groups: list[list[filters.Condition]] = field(default_factory=list)
    sort_text: list[str] = field(default_factory=list)
    sort_keys: list[tuple[int, bool]] = field(default_factory=list)
    max_results: int = DEFAULT_MAX_RESULTS
    max_results_sent: str | None = None
    start_index: int | None = None  # 1-based first row, as in Core Reporting v3; None when not sent


def _names(param: str, text: str) -> list[str]:
    names = text.split(",")
    for name in names:
        if not name.startswith(("rt:", "ga:")) or len(name) < 4:
            raise invalid_parameter(param, f"Invalid value '{text}' for {param} parameter.")
    return names


def _refuse_goals(names: list[str]) -> None:
    goals = [n for n in names if v3_is_goal(n)]
    if goals:
        raise bad_request(GOALS_MESSAGE.format(names=", ".join(goals)))


def parse(params, ids: str) -> V3Query:
    """Validate everything but `ids` (already checked by the view) into a query."""
    metrics_text = params.get("metrics")
    if not metrics_text:
        raise required_parameter("metrics")
    metric_names = _names("metrics", metrics_text)
    _refuse_goals(metric_names)
    unknown = [n for n in metric_names if v3_metric(n) is None]
    if unknown:
        raise bad_request(f"Unknown metric(s): {', '.join(unknown)}")
    if len(metric_names) > MAX_METRICS:
        raise bad_request(f"Requested {len(metric_names)} metrics; only {MAX_METRICS} are allowed.")

    dims_text = params.get("dimensions") or None
    dimension_names = _names("dimensions", dims_text) if dims_text else []
    _refuse_goals(dimension_names)
    unknown = [n for n in dimension_names if v3_dimension(n) is None]
    if unknown:
        raise bad_request(f"Unknown dimension(s): {', '.join(unknown)}")
    if len(dimension_names) > MAX_DIMENSIONS:
        raise bad_request(f"Requested {len(dimension_names)} dimensions; only {MAX_DIMENSIONS} are allowed.")

    query = V3Query(ids, dimension_names, metric_names, [v3_dimension(n) for n in dimension_names],
                    [v3_metric(n) for n in metric_names])
    if params.get("filters"):
        _parse_filters(query, params["filters"])
    if params.get("sort"):
        _parse_sort(query, params["sort"])
    raw = params.get("max-results")
    if raw is not None:
        query.max_results_sent = raw
        query.max_results = _integer_in(raw, "max-results", 1, MAX_MAX_RESULTS)
    raw = params.get("start-index")
    if raw is not None:
        query.start_index = _integer_in(raw, "start-index", 1, MAX_INT32)
    return query


def _integer_in(raw: str, name: str, low: int, high: int) -> int:
    """An integer parameter within [low, high], else Google's `invalidParameter` on it."""
    value = int(raw) if _INTEGER.fullmatch(raw) else None
    if value is None or not low <= value <= high:
        raise invalid_parameter(name, f"Invalid value '{raw}' for {name}. Value must be within the range: [{low}, {high}]")
    return value


def _parse_filters(query: V3Query, text: str) -> None:
    query.filters_text = text
    try:
        groups = filters.parse(text)
    except filters.FilterSyntaxError as exc:
        raise invalid_parameter("filters", str(exc)) from None
    except filters.FilterError as exc:
        raise bad_request(str(exc)) from None
    with_users = "users" in query.kinds
    for group in groups:
        kinds = set()
        for cond in group:
            if v3_is_goal(cond.name):
                raise bad_request(GOALS_MESSAGE.format(names=cond.name))
            if v3_dimension(cond.name) is not None:
                kinds.add("dimension")
                if cond.operator not in filters.DIMENSION_OPERATORS:
                    raise bad_request(f"Operator '{cond.operator}' is not valid for dimension {cond.name}.")
                if with_users and len(group) > 1 and v3_dimension(cond.name).hit_level:
                    raise bad_request("OR operator not supported for a hit level filter")
            elif v3_metric(cond.name) is not None:
                kinds.add("metric")
                if cond.operator not in filters.METRIC_OPERATORS:
                    raise bad_request(f"Operator '{cond.operator}' is not valid for metric {cond.name}.")
            else:
                raise bad_request(f"Invalid dimension or metric: {cond.name}")
        if len(kinds) > 1:
            raise bad_request("Dimension filters and metric filters cannot be combined with the OR operator (,).")
        if "metric" in kinds:
            try:
                query.metric_groups.append([filters.with_number(c) for c in group])
            except filters.FilterError as exc:
                raise bad_request(str(exc)) from None
        else:
            query.dim_groups.append(group)


def _parse_sort(query: V3Query, text: str) -> None:
    columns = [v3_canonical(n) for n in (*query.dimension_names, *query.metric_names)]
    for item in text.split(","):
        descending = item.startswith("-")
        name = item[1:] if descending else item
        canonical = v3_canonical(name)
        if not name.startswith(("rt:", "ga:")) or canonical not in columns:
            raise bad_request(f"Sort key {name} is not a dimension or metric in the query.")
        query.sort_text.append(item)
        query.sort_keys.append((columns.index(canonical), descending))


# --- execution ---------------------------------------------------------------------------------


def _predicate(groups: list[list[filters.Condition]]):
    if not groups:
        return None

    def keep(values: dict[str, str]) -> bool:
        return all(any(c.matches(values[v3_dimension(c.name).name]) for c in group) for group in groups)

    return keep


def grouping_for(query: V3Query) -> Grouping:
    names = {v3_dimension(c.name).name for group in query.dim_groups for c in group}
    return Grouping(query.dims, [v3_dimension(n) for n in sorted(names)], _predicate(query.dim_groups))


@dataclass
class Context:
    site: str
    now: float
    window_secs: int

    @property
    def cutoff(self) -> float:
        return self.now - self.window_secs

    @property
    def now_minute(self) -> int:
        return int(self.now // 60)


def _users(ctx: Context, grouping: Grouping) -> tuple[dict[tuple, int], dict[tuple, set[str]] | None]:
    """Active users by row key; with hit-only dimensions also each row's visitor set."""
    if grouping.needs_hits:
        active = livedata.active_ids(ctx.site, ctx.cutoff)
        hits = livedata.recent_hits(ctx.site, ctx.now, engine.reads_records(grouping))
        sets = livedata.fold_user_sets(ctx.site, engine.project_hit_users(hits, grouping, ctx.now_minute, active),
                                       grouping)
        return {k: len(v) for k, v in sets.items()}, sets
    if not grouping.filter_dims and not grouping.dims:
        n = livedata.active_count(ctx.site, ctx.cutoff)
        return ({(): n} if n else {}), None
    if not grouping.filter_dims and len(grouping.dims) == 1 and grouping.dims[0].counter:
        # Incremental live counter, less the visitors that expiry has not removed yet.
        dim = grouping.dims[0]
        counts, stale = livedata.live_counter(ctx.site, dim.counter, ctx.cutoff)
        if stale is not None:
            projections = Counter({(member,): n for member, n in counts.items()})
            projections.subtract(engine.project_visitors(stale, grouping))
            return livedata.fold_counts(ctx.site, +projections, grouping), None
    active = livedata.active_visitors(ctx.site, ctx.cutoff)
    return livedata.fold_counts(ctx.site, active.projected(grouping), grouping), None


def _hits(ctx: Context, grouping: Grouping, kinds: frozenset[str]) -> dict[tuple, int]:
    if not grouping.filter_dims and all(d.column == COL_MINUTES for d in grouping.dims):
        by_minute = livedata.minute_counts(ctx.site, kinds)
        rows: Counter = Counter()
        for minute, n in by_minute.items():
            ago = ctx.now_minute - minute
            if 0 <= ago < livedata.RECENT_MINUTES and n:
                rows[tuple("%02d" % ago for _ in grouping.dims)] += n
        return dict(rows)
    if kinds == _HIT_KINDS["pv"] and engine.reads_only_pages(grouping):
        # Pageviews by page and/or minute: the per-minute page counts, not the log.
        projections = engine.project_page_minutes(livedata.page_pageviews(ctx.site, ctx.now), grouping,
                                                  ctx.now_minute, ctx.now_minute - (livedata.RECENT_MINUTES - 1))
        return livedata.fold_counts(ctx.site, projections, grouping)
    first = ctx.now_minute - (livedata.RECENT_MINUTES - 1)
    if engine.reads_visitor_fields(grouping):
        # Hits by visitor fields (browser, country, ...): each visitor's record projected once.
        projections = engine.project_by_visitor(*livedata.visitor_hits(ctx.site, ctx.now, kinds), kinds, grouping,
                                                ctx.now_minute, first)
        return livedata.fold_counts(ctx.site, projections, grouping)
    hits = livedata.recent_hits(ctx.site, ctx.now, engine.reads_records(grouping))
    return livedata.fold_counts(ctx.site, engine.project_hits(hits, kinds, grouping, ctx.now_minute), grouping)


_HIT_KINDS = {"pv": frozenset({"pv"}), "ev": frozenset({"ev"}), "hits": frozenset({"pv", "ev"})}


@dataclass
class Result:
    rows: list[list]  # dimension strings then metric integers, sorted, not truncated
    totals: list[int]


def run(query: V3Query, ctx: Context) -> Result:
    grouping = grouping_for(query)
    filter_kinds = [v3_metric(c.name) for group in query.metric_groups for c in group]
    per_kind: dict[str, dict[tuple, int]] = {}
    user_sets = None
    for kind in dict.fromkeys([*query.kinds, *filter_kinds]):
        if kind == "users":
            per_kind[kind], user_sets = _users(ctx, grouping)
        elif kind == "zero":
            per_kind[kind] = {}
        else:
            per_kind[kind] = _hits(ctx, grouping, _HIT_KINDS[kind])
    # Rows where a requested metric is not zero (a filter-only metric adds no rows).
    keys = sorted({k for kind in set(query.kinds) for k, n in per_kind[kind].items() if n})

    def metric_value(key, kind):
        return per_kind[kind].get(key, 0)

    kept = [key for key in keys
            if all(any(c.matches_number(metric_value(key, v3_metric(c.name))) for c in group)
                   for group in query.metric_groups)]
    rows = [list(key) + [metric_value(key, kind) for kind in query.kinds] for key in kept]
    totals = [sum(row[len(query.dims) + i] for row in rows) for i in range(len(query.kinds))]
    if user_sets is not None:  # a visitor may be in several rows: the total counts them once
        distinct = len(set().union(*(user_sets.get(key, set()) for key in kept))) if kept else 0
        totals = [distinct if kind == "users" else t for kind, t in zip(query.kinds, totals)]
    n_dims = len(query.dims)
    if query.sort_keys:
        sort_spec = [(i, desc, engine.text_key if i < n_dims else int) for i, desc in query.sort_keys]
    else:
        sort_spec = [(i, False, engine.text_key) for i in range(n_dims)]
    return Result(engine.sort_rows(rows, sort_spec), totals)


# --- response ----------------------------------------------------------------------------------


def self_link(base: str, query: V3Query) -> str:
    """The canonical request URL: ids, dimensions, metrics, sort, filters, max-results."""
    parts = [("ids", query.ids)]
    if query.dimension_names:
        parts.append(("dimensions", ",".join(query.dimension_names)))
    parts.append(("metrics", ",".join(query.metric_names)))
    if query.sort_text:
        parts.append(("sort", ",".join(query.sort_text)))
    if query.filters_text is not None:
        parts.append(("filters", query.filters_text))
    if query.max_results_sent is not None:
        parts.append(("max-results", str(query.max_results)))
    if query.start_index is not None:
        parts.append(("start-index", str(query.start_index)))
    return base + "?" + "&".join(f"{k}={quote(v, safe=':,')}" for k, v in parts)


def response_body(query: V3Query, result: Result, *, link: str, profile: dict) -> dict:
    echo: dict = {"ids": query.ids}
    if query.dimension_names:
        echo["dimensions"] = ",".join(query.dimension_names)
    echo["metrics"] = list(query.metric_names)
    if query.sort_text:
        echo["sort"] = list(query.sort_text)
    if query.filters_text is not None:
        echo["filters"] = query.filters_text
    echo["max-results"] = query.max_results
    if query.start_index is not None:
        echo["start-index"] = query.start_index
    headers = [{"name": n, "columnType": "DIMENSION", "dataType": "STRING"} for n in query.dimension_names]
    headers += [{"name": n, "columnType": "METRIC", "dataType": V3_METRIC_TYPE} for n in query.metric_names]
    body = {
        "kind": "analytics#realtimeData",
        "id": link,
        "query": echo,
        "totalResults": len(result.rows),
        "selfLink": link,
        "profileInfo": profile,
        "columnHeaders": headers,
        "totalsForAllResults": {n: str(t) for n, t in zip(query.metric_names, result.totals)},
    }
    if result.rows:
        first = (query.start_index or 1) - 1
        page = result.rows[first : first + query.max_results]
        if page:
            body["rows"] = [[str(cell) for cell in row] for row in page]
    return body


RESPONSE_SCHEMA = {
    "kind": None, "id": None, "totalResults": None, "selfLink": None, "rows": None,
    "query": {"ids": None, "dimensions": None, "metrics": None, "sort": None, "filters": None, "max-results": None,
              "start-index": None},
    "profileInfo": {"profileId": None, "accountId": None, "webPropertyId": None, "internalWebPropertyId": None,
                    "profileName": None, "tableId": None},
    "columnHeaders": {"name": None, "columnType": None, "dataType": None},
    "totalsForAllResults": "*",
}


def now() -> float:
    return time.time()

