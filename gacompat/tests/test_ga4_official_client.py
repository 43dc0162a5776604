"""runRealtimeReport through Google's official GA4 client (`google-analytics-data`) in REST mode,
which sends `$alt=json;enum-encoding=int` and every enum as a number, and parses the answer with
protobuf's JSON parser: filters of every kind, orderings, aggregations, minute ranges, limits,
fixed dimensions, quotas and errors, against known traffic (see conftest.send_known)."""

from __future__ import annotations

import pytest
from google.api_core import exceptions
from google.auth.exceptions import RefreshError
from google.analytics.data_v1beta import types

from gacompat.tests import clients

Filter = types.Filter
StringFilter = Filter.StringFilter
NumericFilter = Filter.NumericFilter
OrderBy = types.OrderBy


@pytest.fixture
def official(ga_server, keys):
    return clients.ga4_official(ga_server, keys["read"])


def run(client, site, **fields) -> types.RunRealtimeReportResponse:
    request = types.RunRealtimeReportRequest(property=site.property, **fields)
    return client.run_realtime_report(request=request, retry=None, timeout=30)


def dims(*names):
    return [types.Dimension(name=n) for n in names]


def metrics(*names):
    return [types.Metric(name=n) for n in names]


def cells(rows):
    return [[v.value for v in r.dimension_values] + [v.value for v in r.metric_values] for r in rows]


def test_the_official_client_parses_headers_rows_and_the_metric_type(official, known):
    response = run(official, known.site, dimensions=dims("country", "countryId"), metrics=metrics("activeUsers"))
    assert [h.name for h in response.dimension_headers] == ["country", "countryId"]
    assert [(h.name, h.type_) for h in response.metric_headers] == [("activeUsers", types.MetricType.TYPE_INTEGER)]
    assert cells(response.rows) == [["Australia", "AU", "1"], ["Germany", "DE", "1"], ["Switzerland", "CH", "1"],
                                    ["United Kingdom", "GB", "1"], ["United States", "US", "1"]]
    assert response.row_count == 5
    assert response.kind == "analyticsData#runRealtimeReport"


def string(field, value, match, case=False):
    return types.FilterExpression(filter=Filter(field_name=field, string_filter=StringFilter(
        match_type=match, value=value, case_sensitive=case)))


def numeric(field, operation, value):
    number = types.NumericValue(double_value=value) if isinstance(value, float) else types.NumericValue(
        int64_value=value)
    return types.FilterExpression(filter=Filter(field_name=field, numeric_filter=NumericFilter(
        operation=operation, value=number)))


M = StringFilter.MatchType
OP = NumericFilter.Operation
EXPRESSIONS = [
    (string("country", "germany", M.EXACT), ["Germany"]),
    (string("country", "germany", M.EXACT, case=True), []),
    (string("country", "United", M.BEGINS_WITH), ["United Kingdom", "United States"]),
    (string("country", "LAND", M.ENDS_WITH), ["Switzerland"]),
    (string("country", "ra", M.CONTAINS), ["Australia"]),
    (string("country", "united.*", M.FULL_REGEXP), ["United Kingdom", "United States"]),
    (string("country", "^Unit", M.PARTIAL_REGEXP, case=True), ["United Kingdom", "United States"]),
    (types.FilterExpression(filter=Filter(field_name="countryId", in_list_filter=Filter.InListFilter(
        values=["de", "CH"]))), ["Germany", "Switzerland"]),
    (types.FilterExpression(filter=Filter(field_name="countryId", in_list_filter=Filter.InListFilter(
        values=["de", "CH"], case_sensitive=True))), ["Switzerland"]),
    (numeric("minutesAgo", OP.EQUAL, 1), ["Germany"]),
    (numeric("minutesAgo", OP.LESS_THAN, 1), ["Australia", "Switzerland"]),
    (numeric("minutesAgo", OP.LESS_THAN_OR_EQUAL, 1), ["Australia", "Germany", "Switzerland"]),
    (numeric("minutesAgo", OP.GREATER_THAN, 2), ["United Kingdom"]),
    (numeric("minutesAgo", OP.GREATER_THAN_OR_EQUAL, 2.0), ["United Kingdom", "United States"]),
    (types.FilterExpression(filter=Filter(field_name="minutesAgo", between_filter=Filter.BetweenFilter(
        from_value=types.NumericValue(int64_value=1), to_value=types.NumericValue(double_value=2.5)))),
     ["Germany", "United States"]),
    (types.FilterExpression(and_group=types.FilterExpressionList(expressions=[
        string("deviceCategory", "desktop", M.EXACT), string("country", "United", M.BEGINS_WITH)])),
     ["United Kingdom", "United States"]),
    (types.FilterExpression(or_group=types.FilterExpressionList(expressions=[
        string("countryId", "AU", M.EXACT), numeric("minutesAgo", OP.EQUAL, 1)])), ["Australia", "Germany"]),
    (types.FilterExpression(not_expression=string("deviceCategory", "desktop", M.EXACT)), ["Australia", "Switzerland"]),
]


@pytest.mark.parametrize("expression, expected", EXPRESSIONS)
def test_dimension_filters_of_every_kind_sent_with_numeric_enums_select_their_rows(official, known, expression, expected):
    response = run(official, known.site, dimensions=dims("country"), metrics=metrics("screenPageViews"),
                   dimension_filter=expression,
                   order_bys=[OrderBy(dimension=OrderBy.DimensionOrderBy(dimension_name="country"))])
    assert [row[0] for row in cells(response.rows)] == expected


def test_metric_filters_orderings_and_the_order_type_enum_shape_the_rows(official, known):
    response = run(official, known.site, dimensions=dims("minutesAgo"), metrics=metrics("screenPageViews", "eventCount"),
                   metric_filter=numeric("eventCount", OP.GREATER_THAN_OR_EQUAL, 1),
                   order_bys=[OrderBy(dimension=OrderBy.DimensionOrderBy(
                       dimension_name="minutesAgo", order_type=OrderBy.DimensionOrderBy.OrderType.NUMERIC),
                       desc=True)])
    assert cells(response.rows) == [["07", "1", "1"], ["02", "1", "1"], ["01", "1", "1"], ["00", "2", "4"]]
    by_metric = run(official, known.site, dimensions=dims("unifiedScreenName"), metrics=metrics("screenPageViews"),
                    order_bys=[OrderBy(metric=OrderBy.MetricOrderBy(metric_name="screenPageViews"), desc=True),
                               OrderBy(dimension=OrderBy.DimensionOrderBy(
                                   dimension_name="unifiedScreenName",
                                   order_type=OrderBy.DimensionOrderBy.OrderType.CASE_INSENSITIVE_ALPHANUMERIC))])
    assert cells(by_metric.rows) == [["Alpha", "2"], ["Beta", "2"], ["Gamma, the third", "1"]]


def test_aggregations_and_a_limit_keep_the_totals_and_the_full_row_count(official, known):
    A = types.MetricAggregation
    response = run(official, known.site, dimensions=dims("unifiedScreenName"),
                   metrics=metrics("activeUsers", "screenPageViews"), limit=1,
                   metric_aggregations=[A.TOTAL, A.MAXIMUM, A.MINIMUM, A.COUNT],
                   order_bys=[OrderBy(metric=OrderBy.MetricOrderBy(metric_name="screenPageViews"), desc=True),
                              OrderBy(dimension=OrderBy.DimensionOrderBy(dimension_name="unifiedScreenName"),
                                      desc=True)])
    assert cells(response.rows) == [["Beta", "2", "2"]]
    assert response.row_count == 3
    assert cells(response.totals) == [["RESERVED_TOTAL", "5", "5"], ["RESERVED_COUNT", "3", "3"]]
    assert cells(response.maximums) == [["RESERVED_MAX", "2", "2"]]
    assert cells(response.minimums) == [["RESERVED_MIN", "1", "1"]]


def test_two_minute_ranges_add_a_date_range_dimension(official, known):
    response = run(official, known.site, dimensions=dims("country"), metrics=metrics("screenPageViews"),
                   minute_ranges=[types.MinuteRange(name="now", start_minutes_ago=1, end_minutes_ago=0),
                                  types.MinuteRange(name="earlier", start_minutes_ago=29, end_minutes_ago=1)],
                   order_bys=[OrderBy(dimension=OrderBy.DimensionOrderBy(dimension_name="country"))])
    assert [h.name for h in response.dimension_headers] == ["country", "dateRange"]
    assert cells(response.rows) == [["Australia", "now", "1"], ["Germany", "now", "1"], ["Germany", "earlier", "1"],
                                    ["Switzerland", "now", "1"], ["United Kingdom", "earlier", "1"],
                                    ["United States", "earlier", "1"]]
    # endMinutesAgo 0 is proto3's default: the client leaves it out, the server must take 0.
    recent = run(official, known.site, metrics=metrics("activeUsers"),
                 minute_ranges=[types.MinuteRange(start_minutes_ago=4)])
    assert cells(recent.rows) == [["4"]]


@pytest.mark.parametrize("names", [["platform"], ["streamId"], ["streamName"], ["platform", "streamId", "streamName"]])
def test_fixed_dimensions_alone_answer_one_row(official, known, names):
    fixed = {"platform": "web", "streamId": str(known.site.view_id), "streamName": known.site.name}
    response = run(official, known.site, dimensions=dims(*names), metrics=metrics("activeUsers", "screenPageViews"))
    assert cells(response.rows) == [[fixed[n] for n in names] + ["5", "5"]]
    filtered = run(official, known.site, dimensions=dims("platform"), metrics=metrics("activeUsers"),
                   dimension_filter=string("platform", "ios", M.EXACT))
    assert cells(filtered.rows) == [] and filtered.row_count == 0


def test_the_property_quota_is_parsed(official, known):
    response = run(official, known.site, metrics=metrics("activeUsers"), return_property_quota=True)
    quota = response.property_quota
    assert quota.tokens_per_hour.consumed == 1
    assert quota.concurrent_requests.consumed == 1 and quota.concurrent_requests.remaining == 9


@pytest.mark.parametrize("fields, text", [
    ({"dimensions": dims("browser"), "metrics": metrics("activeUsers")}, "browser is not a valid dimension"),
    ({"metrics": metrics("sessions")}, "sessions is not a valid metric"),
    ({"metrics": metrics("activeUsers"), "dimension_filter": string("country", r"(a)\1", M.FULL_REGEXP)},
     "Invalid regular expression"),
    ({"metrics": metrics("activeUsers"), "dimension_filter": string("country", "(?=G)", M.PARTIAL_REGEXP)},
     "Invalid regular expression"),
    ({"metrics": metrics("activeUsers"), "minute_ranges": [types.MinuteRange(start_minutes_ago=30)]},
     "startMinutesAgo 30"),
])
def test_invalid_requests_raise_bad_request(official, known, fields, text):
    with pytest.raises(exceptions.BadRequest) as raised:
        run(official, known.site, **fields)
    assert text in raised.value.message


def test_bad_credentials_and_missing_permissions_raise_the_clients_errors(ga_server, ga_world, keys, known):
    # A 401 makes google-auth try to refresh the token, which a static token cannot: what a user
    # of this client sees with a wrong key, at Google as here.
    with pytest.raises(RefreshError, match="refresh the access token"):
        run(clients.ga4_official(ga_server, "nm_not-a-real-key"), known.site, metrics=metrics("activeUsers"))
    with pytest.raises(exceptions.Forbidden) as raised:
        run(clients.ga4_official(ga_server, keys["outsider"]), known.site, metrics=metrics("activeUsers"))
    assert "sufficient permissions for this property" in raised.value.message
