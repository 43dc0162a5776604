"""Fuzzing (hypothesis): the v3 filter grammar and query parameters, and the GA4 request body,
never fail other than with Google's errors; over HTTP, no input makes either endpoint answer
5xx or anything but Google's JSON envelope."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from gacompat import filters, ga4_query, v3_query
from gacompat.errors import Ga4Error, GoogleError
from gacompat.tests import clients

# Pieces the grammar is made of, so that generated strings reach deep into it.
V3_PIECES = ["rt:", "ga:", "pagePath", "activeUsers", "country", "pageviews", "minutesAgo", "deviceCategory",
             "==", "!=", "=~", "!~", "=@", "!@", ">", "<", ">=", "<=", ",", ";", "\\", "\\,", "(", ")", "a", "+", "*",
             "?", "|", "\\1", "(?=", "(?<!", "[", "{2,}", "{1001}", "^", "$", "-", "1", "0", " ", "\x00", "é", "\ud800"]
v3_text = st.lists(st.sampled_from(V3_PIECES) | st.text(max_size=3), max_size=12).map("".join)

GA4_KEYS = ["dimensions", "metrics", "dimensionFilter", "metricFilter", "limit", "metricAggregations", "orderBys",
            "returnPropertyQuota", "minuteRanges", "name", "invisible", "expression", "andGroup", "orGroup",
            "notExpression", "filter", "expressions", "fieldName", "stringFilter", "inListFilter", "numericFilter",
            "betweenFilter", "emptyFilter", "matchType", "value", "caseSensitive", "values", "operation", "int64Value",
            "doubleValue", "fromValue", "toValue", "metric", "dimension", "metricName", "dimensionName", "orderType",
            "desc", "startMinutesAgo", "endMinutesAgo", "dimensionExpression"]
GA4_ATOMS = ["country", "activeUsers", "screenPageViews", "minutesAgo", "platform", "EXACT", "FULL_REGEXP", "TOTAL",
             "NUMERIC", "GREATER_THAN", "5", "-1", "1e3", "(a|a)+", "(a)\\1", "[", "date_range_x", "RESERVED_", "\ud800"]
ga4_leaf = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.sampled_from(GA4_ATOMS)
            | st.text(max_size=5))
ga4_json = st.recursive(ga4_leaf, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.sampled_from(GA4_KEYS), inner, max_size=4), max_leaves=25)
ga4_body = st.fixed_dictionaries(
    {"metrics": st.sampled_from([[{"name": "activeUsers"}], [{"name": "screenPageViews"}, {"name": "eventCount"}]])},
    optional={key: ga4_json for key in GA4_KEYS[:9] if key != "metrics"})
DIMENSION_VALUES = {name: "01" if name == "minutesAgo" else "x" for name in (
    "country", "countryId", "city", "deviceCategory", "platform", "unifiedScreenName", "minutesAgo", "eventName",
    "streamId", "streamName", "cityId", "appVersion")}


@settings(max_examples=1000, deadline=None)
@given(v3_text)
def test_the_v3_filter_grammar_parses_or_refuses(text):
    try:
        groups = filters.parse(text)
    except (filters.FilterSyntaxError, filters.FilterError):
        return
    for group in groups:
        for condition in group:
            if condition.search is not None:
                assert isinstance(condition.matches("/" + "a" * 50 + "b"), bool)


@settings(max_examples=1000, deadline=None)
@given(st.fixed_dictionaries({"metrics": st.sampled_from(["rt:activeUsers", "rt:pageviews"]) | v3_text},
                             optional={k: v3_text for k in ("dimensions", "filters", "sort", "max-results",
                                                            "start-index")}))
def test_v3_parameters_parse_or_answer_googles_error(params):
    try:
        v3_query.parse(params, "ga:1")
    except GoogleError as exc:
        assert 400 <= exc.code < 500


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ga4_body)
def test_the_ga4_body_parses_or_answers_invalid_argument(body):
    try:
        query = ga4_query.parse(body, stream_id="1", stream_name="News")
    except Ga4Error as exc:
        assert exc.status == "INVALID_ARGUMENT"
        return
    if query.dim_filter is not None:
        assert isinstance(query.dim_filter(DIMENSION_VALUES), bool)
    if query.metric_filter is not None:
        assert isinstance(query.metric_filter({m: "3" for m in query.metric_names}), bool)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=ga4_body | ga4_json)
def test_no_ga4_body_gets_a_5xx(ga_server, keys, site, body):
    raw = json.dumps(body).encode("utf-8", "surrogatepass")
    status, headers, answer = clients.raw(ga_server, f"/v1beta/{site.property}:runRealtimeReport", token=keys["read"],
                                          method="POST", body=raw)
    assert status < 500, answer
    assert headers["content-type"].startswith("application/json")
    assert status == 200 or json.loads(answer)["error"]["status"] in ("INVALID_ARGUMENT", "RESOURCE_EXHAUSTED")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(["metrics", "dimensions", "filters", "sort", "max-results",
                                               "start-index", "fields", "prettyPrint", "callback", "alt", "quotaUser"]),
                              v3_text.map(lambda s: s.encode("utf-8", "replace").decode("utf-8")), max_size=6))
def test_no_v3_query_gets_a_5xx(ga_server, keys, site, params):
    status, headers, answer = clients.raw(ga_server, "/analytics/v3/data/realtime", {"ids": site.ids, **params},
                                          token=keys["read"])
    assert status < 500, answer
    if status != 200:  # (a callback turns a success into JSON-P; errors stay JSON unless it is valid)
        assert b'"error"' in answer
