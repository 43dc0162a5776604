"""`properties.runRealtimeReport` (Data API v1beta / v1alpha): validate the JSON body, compute
rows per minute range, build the response. Errors are `Ga4Error`s (INVALID_ARGUMENT...).

Metric semantics (docs/ga-compat.md): activeUsers counts distinct visitors with a pageview or
event in the minute range, or last seen (heartbeat) in it; screenPageViews counts pageviews;
eventCount counts pageviews (GA4's page_view events) and custom events; keyEvents is 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Callable

from gacompat import engine, livedata
from gacompat.engine import Grouping, Hit
from gacompat.errors import ga4_invalid
from gacompat.ga4_enums import METRIC_AGGREGATION, ORDER_TYPE
from gacompat.ga4_filters import SCHEMA_URL, as_number, boolean, compile_filter, integer, items, obj, string
from gacompat.registry import GA4_DIMENSIONS, GA4_METRIC_TYPE, GA4_METRICS, Dimension, constant

MAX_DIMENSIONS = 9
MAX_METRICS = 10
DEFAULT_LIMIT = 10_000
MAX_LIMIT = 250_000
MAX_MINUTES_AGO = 29
REQUEST_FIELDS = {"dimensions", "metrics", "dimensionFilter", "metricFilter", "limit", "metricAggregations",
                  "orderBys", "returnPropertyQuota", "minuteRanges"}
AGGREGATIONS = {"TOTAL": "RESERVED_TOTAL", "MAXIMUM": "RESERVED_MAX", "MINIMUM": "RESERVED_MIN",
                "COUNT": "RESERVED_COUNT"}
_HIT_KINDS = {"pv": frozenset({"pv"}), "hits": frozenset({"pv", "ev"})}


@dataclass
class MinuteRange:
    name: str
    start: int
    end: int


@dataclass
class Ga4Query:
    dims: list[Dimension]
    metric_names: list[str]
    visible: list[bool]
    ranges: list[MinuteRange]
    dim_filter: Callable[[dict[str, str]], bool] | None = None
    filter_dims: list[Dimension] = field(default_factory=list)
    metric_filter: Callable[[dict[str, str]], bool] | None = None
    order: list[tuple[str, str, bool, str]] = field(default_factory=list)  # (kind, name, desc, orderType)
    limit: int = DEFAULT_LIMIT
    aggregations: list[str] = field(default_factory=list)
    return_quota: bool = False


def parse(body, *, stream_id: str, stream_name: str) -> Ga4Query:
    body = obj(body, "request")
    unknown = [k for k in body if k not in REQUEST_FIELDS]
    if unknown:
        raise ga4_invalid(f'Invalid JSON payload received. Unknown name "{unknown[0]}": Cannot find field.')
    def resolve(name: str) -> Dimension:
        dim = GA4_DIMENSIONS[name]
        if name == "streamId":
            return replace(dim, convert=constant(stream_id))
        if name == "streamName":
            return replace(dim, convert=constant(stream_name))
        return dim

    dims = []
    for i, item in enumerate(items(body.get("dimensions"), "dimensions")):
        item = obj(item, f"dimensions[{i}]")
        name = item.get("name")
        if item.get("dimensionExpression") is not None:
            raise ga4_invalid(f"dimensionExpression is not supported (dimensions[{i}]).")
        if not isinstance(name, str) or name not in GA4_DIMENSIONS:
            raise ga4_invalid(f"Field {name} is not a valid dimension. For a list of valid dimensions and metrics, "
                              f"see {SCHEMA_URL}")
        dims.append(resolve(name))
    if len(dims) > MAX_DIMENSIONS:
        raise ga4_invalid(f"Requested {len(dims)} dimensions; at most {MAX_DIMENSIONS} are allowed.")
    metric_names, visible = [], []
    for i, item in enumerate(items(body.get("metrics"), "metrics")):
        item = obj(item, f"metrics[{i}]")
        name = string(item.get("name"), f"metrics[{i}].name")
        if item.get("expression"):
            raise ga4_invalid(f"Metric expressions are not supported (metrics[{i}]).")
        if name not in GA4_METRICS:
            raise ga4_invalid(f"Field {name} is not a valid metric. For a list of valid dimensions and metrics, "
                              f"see {SCHEMA_URL}")
        metric_names.append(name)
        visible.append(not boolean(item.get("invisible"), f"metrics[{i}].invisible"))
    if not metric_names:
        raise ga4_invalid("At least one metric is required.")
    if len(metric_names) > MAX_METRICS:
        raise ga4_invalid(f"Requested {len(metric_names)} metrics; at most {MAX_METRICS} are allowed.")
    query = Ga4Query(dims, metric_names, visible, _ranges(body.get("minuteRanges")))
    if body.get("dimensionFilter") is not None:
        names: set[str] = set()
        query.dim_filter = compile_filter(body["dimensionFilter"], "dimensionFilter", set(GA4_DIMENSIONS), names)
        query.filter_dims = [resolve(n) for n in sorted(names)]
    if body.get("metricFilter") is not None:
        query.metric_filter = compile_filter(body["metricFilter"], "metricFilter", set(metric_names), set())
    for i, item in enumerate(items(body.get("orderBys"), "orderBys")):
        query.order.append(_order(obj(item, f"orderBys[{i}]"), i, [d.name for d in dims], metric_names))
    if body.get("limit") is not None:
        query.limit = integer(body["limit"], "limit")
        if query.limit <= 0:
            raise ga4_invalid(f"limit must be positive; got {query.limit}.")
        query.limit = min(query.limit, MAX_LIMIT)
    for i, value in enumerate(items(body.get("metricAggregations"), "metricAggregations")):
        name = METRIC_AGGREGATION.parse(value, f"metricAggregations[{i}]")
        if name not in AGGREGATIONS:
            raise ga4_invalid(f"metricAggregations[{i}] must be specified.")
        query.aggregations.append(name)
    query.return_quota = boolean(body.get("returnPropertyQuota"), "returnPropertyQuota")
    return query


def _ranges(raw) -> list[MinuteRange]:
    given = items(raw, "minuteRanges")
    if len(given) > 2:
        raise ga4_invalid(f"Requested {len(given)} minute ranges; at most 2 are allowed.")
    if not given:
        return [MinuteRange("date_range_0", MAX_MINUTES_AGO, 0)]
    out = []
    for i, item in enumerate(given):
        item = obj(item, f"minuteRanges[{i}]")
        start = integer(item.get("startMinutesAgo", MAX_MINUTES_AGO), f"minuteRanges[{i}].startMinutesAgo")
        end = integer(item.get("endMinutesAgo", 0), f"minuteRanges[{i}].endMinutesAgo")
        given_name = string(item.get("name"), f"minuteRanges[{i}].name")
        name = given_name or f"date_range_{i}"
        if given_name and name.startswith(("date_range_", "RESERVED_")):
            raise ga4_invalid(f"minuteRanges[{i}].name may not start with 'date_range_' or 'RESERVED_'.")
        if not 0 <= end <= start <= MAX_MINUTES_AGO:
            raise ga4_invalid(f"minuteRanges[{i}]: need 0 <= endMinutesAgo <= startMinutesAgo <= {MAX_MINUTES_AGO}; "
                              f"got startMinutesAgo {start}, endMinutesAgo {end}.")
        out.append(MinuteRange(name, start, end))
    return out


def _order(item: dict, i: int, dim_names: list[str], metric_names: list[str]) -> tuple[str, str, bool, str]:
    desc = boolean(item.get("desc"), f"orderBys[{i}].desc")
    if item.get("metric") is not None:
        name = obj(item["metric"], f"orderBys[{i}].metric").get("metricName")
        if name not in metric_names:
            raise ga4_invalid(f"orderBys[{i}]: metric {name} is not in the request's metrics.")
        return "metric", name, desc, "NUMERIC"
    if item.get("dimension") is not None:
        spec = obj(item["dimension"], f"orderBys[{i}].dimension")
        name = spec.get("dimensionName")
        if name not in dim_names:
            raise ga4_invalid(f"orderBys[{i}]: dimension {name} is not in the request's dimensions.")
        order_type = ORDER_TYPE.parse(spec.get("orderType"), f"orderBys[{i}].dimension.orderType")
        return "dimension", name, desc, order_type
    raise ga4_invalid(f"orderBys[{i}] needs a metric or a dimension.")


# --- execution ----------------------------------------------------------------------------------


def _act_hits(seen: dict[str, float], records: dict[str, str]) -> list[Hit]:
    """Visitors last seen (pageview or heartbeat) as hits of kind "hb", for activeUsers."""
    return [Hit(t, "hb", records[vid], "", vid) for vid, t in seen.items() if vid in records]


def _grouping(query: Ga4Query) -> Grouping:
    return Grouping(query.dims, query.filter_dims, query.dim_filter)


@dataclass
class Ga4Result:
    rows: list[list]  # dimension values (+ range name) then metric integers, sorted
    aggregates: dict[str, list[list]]  # aggregation -> rows (same layout)


def run(query: Ga4Query, site: str, now: float) -> Ga4Result:
    grouping = _grouping(query)
    now_minute = int(now // 60)
    two = len(query.ranges) > 1
    kinds = list(dict.fromkeys(GA4_METRICS[m] for m in query.metric_names))
    # Pageviews by page and/or minute come from the per-minute page counts; the log is read only
    # when another metric or dimension needs it, and its records only when a dimension reads them.
    by_page = engine.reads_only_pages(grouping)
    # Hits by visitor fields count each visitor's record once (`engine.project_by_visitor`).
    by_visitor = engine.reads_visitor_fields(grouping)
    needs_log = any(kind == "users" or (kind == "hits" and not by_visitor)
                    or (kind == "pv" and not by_page and not by_visitor) for kind in kinds)
    hits = livedata.recent_hits(site, now, engine.reads_records(grouping)) if needs_log else []
    page_views = livedata.page_pageviews(site, now) if "pv" in kinds and by_page else {}
    act: list[Hit] = []
    plain = not grouping.columns  # no dimension read: distinct visitor ids are enough
    if "users" in kinds and not any(d.name == "eventName" for d in (*grouping.dims, *grouping.filter_dims)):
        seen, records = livedata.active_since(site, (now_minute - MAX_MINUTES_AGO) * 60, with_records=not plain)
        act = [Hit(t, "hb", "", "", vid) for vid, t in seen.items()] if plain else _act_hits(seen, records)
    per_range: list[tuple[MinuteRange, dict[str, dict], dict]] = []
    for rng in query.ranges:
        in_range = engine.in_minutes(hits, now_minute, rng.start, rng.end)
        values: dict[str, dict] = {}
        user_sets: dict = {}
        for kind in kinds:
            if kind == "users":
                act_in = engine.in_minutes(act, now_minute, rng.start, rng.end)
                if plain:
                    # No record column read, but the row key still holds the fixed dimensions
                    # (platform, streamId, streamName) and a filter may test them: resolve it.
                    visitors = {h.visitor for h in in_range if h.visitor} | {h.visitor for h in act_in}
                    user_sets = livedata.fold_user_sets(site, {(): visitors}, grouping) if visitors else {}
                else:
                    user_sets = livedata.fold_user_sets(
                        site, engine.project_hit_users([*in_range, *act_in], grouping, now_minute), grouping)
                values[kind] = {k: len(v) for k, v in user_sets.items()}
            elif kind == "zero":
                values[kind] = {}
            elif kind == "pv" and by_page:
                values[kind] = livedata.fold_counts(site, engine.project_page_minutes(
                    page_views, grouping, now_minute, now_minute - rng.start, now_minute - rng.end), grouping)
            elif by_visitor:
                projections = engine.project_by_visitor(
                    *livedata.visitor_hits(site, now, _HIT_KINDS[kind]), _HIT_KINDS[kind], grouping, now_minute,
                    now_minute - rng.start, now_minute - rng.end)
                values[kind] = livedata.fold_counts(site, projections, grouping)
            else:
                values[kind] = livedata.fold_counts(
                    site, engine.project_hits(in_range, _HIT_KINDS[kind], grouping, now_minute), grouping)
        per_range.append((rng, values, user_sets))

    n_dims = len(query.dims)
    rows: list[list] = []
    kept_sets: dict[str, list[set]] = {}
    for rng, values, user_sets in per_range:
        keys = sorted({k for rows_ in values.values() for k, n in rows_.items() if n})
        for key in keys:
            metrics = [values[GA4_METRICS[m]].get(key, 0) for m in query.metric_names]
            if query.metric_filter is not None and not query.metric_filter(
                    {m: str(v) for m, v in zip(query.metric_names, metrics)}):
                continue
            rows.append([*key, *([rng.name] if two else []), *metrics])
            kept_sets.setdefault(rng.name, []).append(user_sets.get(key, set()))
    aggregates = _aggregate(query, rows, kept_sets, n_dims, two)
    return Ga4Result(_sort(query, rows, n_dims + (1 if two else 0)), aggregates)


def _aggregate(query: Ga4Query, rows: list[list], sets: dict[str, list[set]], n_dims: int, two: bool):
    out: dict[str, list[list]] = {}
    offset = n_dims + (1 if two else 0)
    for aggregation in query.aggregations:
        marker = AGGREGATIONS[aggregation]
        for rng in query.ranges:
            mine = [r for r in rows if not two or r[n_dims] == rng.name]
            values = []
            for i, name in enumerate(query.metric_names):
                column = [r[offset + i] for r in mine]
                if aggregation == "TOTAL":
                    if GA4_METRICS[name] == "users":  # distinct users, not the sum of rows
                        value = len(set().union(*sets.get(rng.name, []))) if mine else 0
                    else:
                        value = sum(column)
                elif aggregation == "MAXIMUM":
                    value = max(column, default=0)
                elif aggregation == "MINIMUM":
                    value = min(column, default=0)
                else:
                    value = len(mine)
                values.append(value)
            bucket = "totals" if aggregation in ("TOTAL", "COUNT") else (
                "maximums" if aggregation == "MAXIMUM" else "minimums")
            out.setdefault(bucket, []).append([*([marker] * n_dims), *([rng.name] if two else []), *values])
    return out


def _numeric(value: str) -> tuple[int, float]:
    number = as_number(value)
    return (1, 0.0) if math.isnan(number) else (0, number)


def _sort(query: Ga4Query, rows: list[list], offset: int) -> list[list]:
    dim_index = {d.name: i for i, d in enumerate(query.dims)}
    metric_index = {m: offset + i for i, m in enumerate(query.metric_names)}
    spec = []
    for kind, name, desc, order_type in query.order:
        if kind == "metric":
            spec.append((metric_index[name], desc, int))
        elif order_type == "CASE_INSENSITIVE_ALPHANUMERIC":
            spec.append((dim_index[name], desc, engine.text_key))
        elif order_type == "NUMERIC":
            spec.append((dim_index[name], desc, _numeric))
        else:
            spec.append((dim_index[name], desc, str))
    if not spec:  # default: the first metric, largest first; then the dimensions
        spec = [(offset, True, int)] + [(i, False, str) for i in range(offset)]
    return engine.sort_rows(rows, spec)


def _row(cells: list, n_dims: int) -> dict:
    return {"dimensionValues": [{"value": str(c)} for c in cells[:n_dims]],
            "metricValues": [{"value": str(c)} for c in cells[n_dims:]]}


def response_body(query: Ga4Query, result: Ga4Result, quota: dict | None) -> dict:
    two = len(query.ranges) > 1
    n_dims = len(query.dims) + (1 if two else 0)
    show = [i for i, v in enumerate(query.visible) if v]

    def visible(cells: list) -> list:
        return cells[:n_dims] + [cells[n_dims + i] for i in show]

    body: dict = {
        "dimensionHeaders": [{"name": d.name} for d in query.dims] + ([{"name": "dateRange"}] if two else []),
        "metricHeaders": [{"name": query.metric_names[i], "type": GA4_METRIC_TYPE} for i in show],
    }
    if result.rows:
        body["rows"] = [_row(visible(r), n_dims) for r in result.rows[: query.limit]]
    for bucket in ("totals", "maximums", "minimums"):
        if bucket in result.aggregates:
            body[bucket] = [_row(visible(r), n_dims) for r in result.aggregates[bucket]]
    if result.rows:
        body["rowCount"] = len(result.rows)
    if quota is not None:
        body["propertyQuota"] = quota
    body["kind"] = "analyticsData#runRealtimeReport"
    return body


_ROW_SCHEMA = {"dimensionValues": {"value": None}, "metricValues": {"value": None}}
_QUOTA_STATUS = {"consumed": None, "remaining": None}
RESPONSE_SCHEMA = {
    "dimensionHeaders": {"name": None}, "metricHeaders": {"name": None, "type": None},
    "rows": _ROW_SCHEMA, "totals": _ROW_SCHEMA, "maximums": _ROW_SCHEMA, "minimums": _ROW_SCHEMA,
    "rowCount": None, "kind": None,
    "propertyQuota": {k: _QUOTA_STATUS for k in ("tokensPerDay", "tokensPerHour", "concurrentRequests",
                                                 "serverErrorsPerProjectPerHour",
                                                 "potentiallyThresholdedRequestsPerHour", "tokensPerProjectPerHour")},
}
