"""dimensionFilter and metricFilter expression trees, every filter type."""

from __future__ import annotations

import pytest
from googleapiclient.errors import HttpError

from gacompat.tests import clients


def countries(ga4, known, expr):
    body = ga4.properties().runRealtimeReport(property=known.site.property, body={
        "dimensions": [{"name": "country"}], "metrics": [{"name": "screenPageViews"}], "dimensionFilter": expr,
        "orderBys": [{"dimension": {"dimensionName": "country"}}]}).execute()
    return [r["dimensionValues"][0]["value"] for r in body.get("rows", [])]


def string(field, value, match="EXACT", case=None):
    spec = {"value": value, "matchType": match}
    if case is not None:
        spec["caseSensitive"] = case
    return {"filter": {"fieldName": field, "stringFilter": spec}}


ALL = ["Australia", "Germany", "Switzerland", "United Kingdom", "United States"]


@pytest.mark.parametrize("expr, expected", [
    (string("country", "germany"), ["Germany"]),  # case-insensitive unless asked
    (string("country", "germany", case=True), []),
    (string("country", "United", "BEGINS_WITH"), ["United Kingdom", "United States"]),
    (string("country", "LAND", "ENDS_WITH"), ["Switzerland"]),
    (string("country", "ra", "CONTAINS"), ["Australia"]),
    (string("country", "united.*", "FULL_REGEXP"), ["United Kingdom", "United States"]),
    (string("country", "^Unit", "PARTIAL_REGEXP", case=True), ["United Kingdom", "United States"]),
    (string("countryId", "d", "FULL_REGEXP"), []),
    ({"filter": {"fieldName": "countryId", "inListFilter": {"values": ["de", "CH"]}}}, ["Germany", "Switzerland"]),
    ({"filter": {"fieldName": "countryId", "inListFilter": {"values": ["de", "CH"], "caseSensitive": True}}},
     ["Switzerland"]),
    ({"filter": {"fieldName": "minutesAgo", "numericFilter": {"operation": "GREATER_THAN_OR_EQUAL",
                                                              "value": {"doubleValue": 2}}}},
     ["United Kingdom", "United States"]),
    ({"filter": {"fieldName": "minutesAgo", "numericFilter": {"operation": "EQUAL", "value": {"int64Value": "1"}}}},
     ["Germany"]),
    ({"filter": {"fieldName": "minutesAgo", "numericFilter": {"operation": "LESS_THAN",
                                                              "value": {"int64Value": "1"}}}},
     ["Australia", "Switzerland"]),
    ({"filter": {"fieldName": "minutesAgo", "betweenFilter": {"fromValue": {"int64Value": "1"},
                                                              "toValue": {"int64Value": "2"}}}},
     ["Germany", "United States"]),
    ({"filter": {"fieldName": "city", "emptyFilter": {}}}, []),
    ({"andGroup": {"expressions": [string("deviceCategory", "desktop"), string("country", "United", "BEGINS_WITH")]}},
     ["United Kingdom", "United States"]),
    ({"orGroup": {"expressions": [string("countryId", "AU"), string("countryId", "CH")]}},
     ["Australia", "Switzerland"]),
    ({"notExpression": string("deviceCategory", "desktop")}, ["Australia", "Switzerland"]),
    ({"notExpression": {"orGroup": {"expressions": [string("countryId", "AU"), string("unifiedScreenName", "Alpha")]}}},
     ["Germany", "Switzerland"]),
])
def test_dimension_filters_of_every_kind_select_their_rows(ga4, known, expr, expected):
    assert countries(ga4, known, expr) == expected


def test_metric_filters_are_applied_after_aggregation(ga4, known):
    body = ga4.properties().runRealtimeReport(property=known.site.property, body={
        "dimensions": [{"name": "unifiedScreenName"}], "metrics": [{"name": "screenPageViews"}],
        "metricFilter": {"orGroup": {"expressions": [
            {"filter": {"fieldName": "screenPageViews", "betweenFilter": {"fromValue": {"int64Value": "2"},
                                                                          "toValue": {"int64Value": "9"}}}},
        ]}}}).execute()
    assert [[r["dimensionValues"][0]["value"], r["metricValues"][0]["value"]] for r in body["rows"]] == [
        ["Alpha", "2"], ["Beta", "2"]]


@pytest.mark.parametrize("body, text", [
    ({"dimensions": [{"name": "pagePath"}], "metrics": [{"name": "activeUsers"}]},
     "Field pagePath is not a valid dimension"),
    ({"metrics": [{"name": "sessions"}]}, "Field sessions is not a valid metric"),
    ({"metrics": [{"name": "activeUsers"}], "dimensionFilter": {"filter": {"fieldName": "nope",
                                                                          "emptyFilter": {}}}},
     "Field nope in dimensionFilter is not a valid dimension"),
    ({"metrics": [{"name": "activeUsers"}], "metricFilter": {"filter": {"fieldName": "eventCount",
                                                                       "emptyFilter": {}}}},
     "Field eventCount in metricFilter is not a metric of this request."),
    ({"metrics": [{"name": "activeUsers"}], "dimensionFilter": {"filter": {"fieldName": "city"}}},
     "needs exactly one of stringFilter"),
    ({"metrics": [{"name": "activeUsers"}], "dimensionFilter": {"andGroup": {}, "orGroup": {}}},
     "needs exactly one of andGroup"),
    ({"metrics": [{"name": "activeUsers"}], "dimensionFilter": string("city", "(", "FULL_REGEXP")},
     "Invalid regular expression"),
    ({"metrics": [{"name": "activeUsers"}], "minuteRanges": [{}, {}, {}]}, "at most 2"),
    ({"metrics": [{"name": "activeUsers"}], "minuteRanges": [{"startMinutesAgo": 30}]}, "startMinutesAgo"),
    ({"metrics": [{"name": "activeUsers"}], "minuteRanges": [{"name": "date_range_x"}]}, "may not start with"),
    ({"metrics": [{"name": "activeUsers"}], "limit": "0"}, "limit must be positive"),
    ({"metrics": [{"name": "activeUsers"}], "orderBys": [{"metric": {"metricName": "eventCount"}}]},
     "not in the request's metrics"),
    ({"metrics": [{"name": "activeUsers"}], "colour": "blue"}, 'Unknown name "colour"'),
    ({"metrics": [{"name": "activeUsers"}], "metricAggregations": ["MEDIAN"]}, "metric_aggregations[0]"),
])
def test_invalid_requests_are_invalid_argument(ga4, site, body, text):
    with pytest.raises(HttpError) as raised:
        ga4.properties().runRealtimeReport(property=site.property, body=body).execute()
    assert raised.value.status_code == 400
    assert clients.error_of(raised.value)["status"] == "INVALID_ARGUMENT"
    assert text in raised.value.reason
