"""runRealtimeReport through Google's analyticsdata client: known traffic, exact rows."""

from __future__ import annotations

from gacompat.tests import clients


def report(ga4, known, **body):
    return ga4.properties().runRealtimeReport(property=known.site.property, body=body).execute()


def dims(*names):
    return [{"name": n} for n in names]


def values(body):
    return [[v["value"] for v in r["dimensionValues"]] + [v["value"] for v in r["metricValues"]]
            for r in body.get("rows", [])]


def test_active_users_by_country_cover_the_last_30_minutes(ga4, known):
    body = report(ga4, known, dimensions=dims("country", "countryId"), metrics=dims("activeUsers"))
    assert body["dimensionHeaders"] == [{"name": "country"}, {"name": "countryId"}]
    assert body["metricHeaders"] == [{"name": "activeUsers", "type": "TYPE_INTEGER"}]
    # The default order: the first metric, largest first, then the dimensions.
    assert values(body) == [["Australia", "AU", "1"], ["Germany", "DE", "1"], ["Switzerland", "CH", "1"],
                            ["United Kingdom", "GB", "1"], ["United States", "US", "1"]]
    assert body["rowCount"] == 5  # E was active 7 minutes ago: inside GA4's 30 minutes
    assert body["kind"] == "analyticsData#runRealtimeReport"
    assert list(body) == ["dimensionHeaders", "metricHeaders", "rows", "rowCount", "kind"]


def test_events_are_counted_with_their_pageviews_and_key_events(ga4, known):
    body = report(ga4, known, dimensions=dims("eventName"),
                  metrics=dims("eventCount", "screenPageViews", "keyEvents", "activeUsers"))
    assert values(body) == [["page_view", "5", "5", "0", "5"], ["pause", "1", "0", "0", "1"],
                            ["play", "1", "0", "0", "1"]]


def test_device_platform_stream_screen_and_minute_dimensions_are_answered(ga4, known):
    body = report(ga4, known, dimensions=dims("deviceCategory", "platform", "streamId", "streamName",
                                              "unifiedScreenName", "city"),
                  metrics=dims("screenPageViews"), orderBys=[{"dimension": {"dimensionName": "city"}}])
    stream = [str(known.site.view_id), known.site.name]
    assert values(body) == [
        ["desktop", "web", *stream, "Beta", "Frankfurt am Main", "1"],
        ["desktop", "web", *stream, "Alpha", "London", "1"],
        ["desktop", "web", *stream, "Alpha", "Mountain View", "1"],
        ["tablet", "web", *stream, "Gamma, the third", "Sydney", "1"],
        ["mobile", "web", *stream, "Beta", "Zurich", "1"],
    ]
    minutes = report(ga4, known, dimensions=dims("minutesAgo"), metrics=dims("screenPageViews", "eventCount"),
                     orderBys=[{"dimension": {"dimensionName": "minutesAgo", "orderType": "NUMERIC"}, "desc": True}])
    assert values(minutes) == [["07", "1", "1"], ["02", "1", "1"], ["01", "1", "1"], ["00", "2", "4"]]


def test_active_users_counts_distinct_visitors_in_the_minute_range(ga4, known):
    def users(start, end):
        body = report(ga4, known, metrics=dims("activeUsers"),
                      minuteRanges=[{"startMinutesAgo": start, "endMinutesAgo": end}])
        return values(body)

    assert users(29, 0) == [["5"]]
    assert users(4, 0) == [["4"]]  # E was last seen 7 minutes ago
    assert users(0, 0) == [["4"]]  # A's heartbeat, B, C's events, D
    assert users(3, 1) == [["2"]]  # A's pageview (02), C's pageview (01)
    assert users(6, 5) == []  # nothing: no rows at all


def test_two_minute_ranges_add_a_date_range_dimension(ga4, known):
    body = report(ga4, known, dimensions=dims("country"), metrics=dims("screenPageViews"),
                  minuteRanges=[{"name": "now", "startMinutesAgo": 1, "endMinutesAgo": 0},
                                {"name": "earlier", "startMinutesAgo": 29, "endMinutesAgo": 1}],
                  orderBys=[{"dimension": {"dimensionName": "country"}}],
                  metricAggregations=["TOTAL"])
    assert body["dimensionHeaders"] == [{"name": "country"}, {"name": "dateRange"}]
    # Ties keep the ranges' request order.
    assert values(body) == [["Australia", "now", "1"], ["Germany", "now", "1"], ["Germany", "earlier", "1"],
                            ["Switzerland", "now", "1"], ["United Kingdom", "earlier", "1"],
                            ["United States", "earlier", "1"]]
    assert [[v["value"] for v in t["dimensionValues"] + t["metricValues"]] for t in body["totals"]] == [
        ["RESERVED_TOTAL", "now", "3"], ["RESERVED_TOTAL", "earlier", "3"]]  # minute 01 is in both


def test_aggregations_and_a_limit_keep_the_full_row_count(ga4, known):
    body = report(ga4, known, dimensions=dims("unifiedScreenName"), metrics=dims("activeUsers", "screenPageViews"),
                  metricAggregations=["TOTAL", "MAXIMUM", "MINIMUM", "COUNT"], limit="1",
                  orderBys=[{"metric": {"metricName": "screenPageViews"}, "desc": True},
                            {"dimension": {"dimensionName": "unifiedScreenName"}, "desc": True}])
    assert values(body) == [["Beta", "2", "2"]]
    assert body["rowCount"] == 3

    def row(r):
        return [v["value"] for v in r["dimensionValues"] + r["metricValues"]]

    assert [row(r) for r in body["totals"]] == [["RESERVED_TOTAL", "5", "5"], ["RESERVED_COUNT", "3", "3"]]
    assert [row(r) for r in body["maximums"]] == [["RESERVED_MAX", "2", "2"]]
    assert [row(r) for r in body["minimums"]] == [["RESERVED_MIN", "1", "1"]]


def test_invisible_metrics_filter_but_do_not_show(ga4, known):
    body = report(ga4, known, dimensions=dims("country"),
                  metrics=[{"name": "activeUsers"}, {"name": "eventCount", "invisible": True}],
                  metricFilter={"filter": {"fieldName": "eventCount",
                                           "numericFilter": {"operation": "GREATER_THAN",
                                                             "value": {"int64Value": "1"}}}})
    assert body["metricHeaders"] == [{"name": "activeUsers", "type": "TYPE_INTEGER"}]
    assert values(body) == [["Germany", "1"]]


def test_an_empty_report_has_headers_only(ga4, site):
    body = ga4.properties().runRealtimeReport(property=site.property, body={
        "dimensions": [{"name": "country"}], "metrics": [{"name": "activeUsers"}],
        "metricAggregations": ["TOTAL"]}).execute()
    assert "rows" not in body and "rowCount" not in body
    assert body["totals"] == [{"dimensionValues": [{"value": "RESERVED_TOTAL"}], "metricValues": [{"value": "0"}]}]


def test_v1alpha_answers_the_same(ga_server, keys, known):
    service = clients.ga4(ga_server, keys["read"], version="v1alpha")
    body = service.properties().runRealtimeReport(property=known.site.property,
                                                  body={"metrics": [{"name": "activeUsers"}]}).execute()
    assert values(body) == [["5"]]
