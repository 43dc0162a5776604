"""Known traffic in, exact rows, totals and headers out, through Google's analytics v3 client."""

from __future__ import annotations

import time

import pytest


def get(v3, known, **params):
    return v3.data().realtime().get(ids=known.site.ids, **params).execute()


def test_the_v3_api_answers_active_users_by_country_device_and_user_type(v3, known):
    body = get(v3, known, metrics="rt:activeUsers", dimensions="rt:country,rt:deviceCategory,rt:userType")
    assert body["kind"] == "analytics#realtimeData"
    assert body["columnHeaders"] == [
        {"name": "rt:country", "columnType": "DIMENSION", "dataType": "STRING"},
        {"name": "rt:deviceCategory", "columnType": "DIMENSION", "dataType": "STRING"},
        {"name": "rt:userType", "columnType": "DIMENSION", "dataType": "STRING"},
        {"name": "rt:activeUsers", "columnType": "METRIC", "dataType": "INTEGER"},
    ]
    assert body["rows"] == [
        ["Australia", "TABLET", "NEW", "1"],
        ["Germany", "DESKTOP", "NEW", "1"],
        ["Switzerland", "MOBILE", "RETURNING", "1"],
        ["United States", "DESKTOP", "NEW", "1"],
    ]
    assert body["totalsForAllResults"] == {"rt:activeUsers": "4"}
    assert body["totalResults"] == 4


def test_the_response_has_googles_shape_and_key_order(v3, known):
    body = get(v3, known, metrics="rt:activeUsers,rt:pageviews", dimensions="rt:pagePath", sort="-rt:activeUsers",
               filters="rt:pagePath!=/zzz", max_results=50)
    assert list(body) == ["kind", "id", "query", "totalResults", "selfLink", "profileInfo", "columnHeaders",
                          "totalsForAllResults", "rows"]
    assert body["query"] == {"ids": known.site.ids, "dimensions": "rt:pagePath",
                             "metrics": ["rt:activeUsers", "rt:pageviews"], "sort": ["-rt:activeUsers"],
                             "filters": "rt:pagePath!=/zzz", "max-results": 50}
    assert body["id"] == body["selfLink"]
    assert body["selfLink"].endswith(
        f"/analytics/v3/data/realtime?ids={known.site.ids}&dimensions=rt:pagePath&metrics=rt:activeUsers,rt:pageviews"
        "&sort=-rt:activeUsers&filters=rt:pagePath%21%3D%2Fzzz&max-results=50")
    info = body["profileInfo"]
    assert info["profileId"] == str(known.site.view_id)
    assert info["tableId"] == f"realtime:{known.site.view_id}"
    assert info["profileName"] == known.site.name
    assert info["accountId"].isdigit() and info["webPropertyId"].startswith(f"UA-{info['accountId']}-")
    # Sorted by active users, ties in dimension order; cells are strings.
    assert body["rows"] == [["/b", "2", "2"], ["/a", "1", "2"], ["/c", "1", "1"]]
    assert body["totalsForAllResults"] == {"rt:activeUsers": "4", "rt:pageviews": "5"}


def test_max_results_defaults_to_1000_and_truncates_after_sorting(v3, known):
    assert get(v3, known, metrics="rt:activeUsers")["query"]["max-results"] == 1000
    body = get(v3, known, metrics="rt:activeUsers", dimensions="rt:city", sort="rt:city", max_results=2)
    assert body["rows"] == [["Frankfurt am Main", "1"], ["Mountain View", "1"]]
    assert body["totalResults"] == 4
    assert body["totalsForAllResults"] == {"rt:activeUsers": "4"}


def test_without_dimensions_the_v3_api_answers_one_row(v3, known):
    body = get(v3, known, metrics="rt:activeUsers,rt:pageviews,rt:totalEvents,rt:screenViews")
    assert body["rows"] == [["4", "5", "2", "0"]]
    assert "dimensions" not in body["query"]


def test_pageviews_and_events_are_counted_by_minutes_ago(v3, known):
    body = get(v3, known, metrics="rt:pageviews,rt:totalEvents", dimensions="rt:minutesAgo", sort="rt:minutesAgo")
    assert body["rows"] == [["00", "2", "2"], ["01", "1", "0"], ["02", "1", "0"], ["07", "1", "0"]]
    filtered = get(v3, known, metrics="rt:pageviews", dimensions="rt:minutesAgo", filters="rt:country==Germany")
    assert filtered["rows"] == [["01", "1"]]


def test_events_are_counted_by_category_action_and_label(v3, known):
    body = get(v3, known, metrics="rt:totalEvents", dimensions="rt:eventCategory,rt:eventAction,rt:eventLabel",
               filters="rt:eventCategory==video")
    assert body["rows"] == [["video", "pause", "(not set)", "1"], ["video", "play", "intro", "1"]]


def test_active_users_by_an_event_dimension_count_distinct_active_visitors(v3, known):
    body = get(v3, known, metrics="rt:activeUsers", dimensions="rt:eventAction")
    # Pageviews have no action: "(not set)" holds the four active visitors' pageviews (E is gone).
    assert body["rows"] == [["(not set)", "4"], ["pause", "1"], ["play", "1"]]
    assert body["totalsForAllResults"] == {"rt:activeUsers": "4"}  # distinct visitors, not the row sum


def test_traffic_source_dimensions_use_googles_values(v3, known):
    body = get(v3, known, metrics="rt:activeUsers",
               dimensions="rt:trafficType,rt:medium,rt:source,rt:campaign,rt:referralPath,rt:keyword")
    assert body["rows"] == [
        ["CUSTOM", "email", "morning", "daily", "(not set)", "breaking news"] + ["1"],
        ["DIRECT", "(none)", "(direct)", "(not set)", "(not set)", "(not set)"] + ["1"],
        ["ORGANIC", "organic", "google", "(not set)", "(not set)", "(not provided)"] + ["1"],
        ["SOCIAL", "referral", "t.co", "(not set)", "(not set)", "(not set)"] + ["1"],
    ]
    gone = get(v3, known, metrics="rt:pageviews", dimensions="rt:medium,rt:source,rt:referralPath",
               filters="rt:medium==referral;rt:source==blog.example.org")
    assert gone["rows"] == [["referral", "blog.example.org", "/post/1", "1"]]


def test_the_keyword_stays_with_the_visit_across_internal_navigation(v3, ga_world):
    from realtime.tests.traffic import Traffic

    from gacompat.tests.conftest import HOST, take_site

    site = take_site(ga_world)
    t = Traffic(site.public_id, HOST, time.time())
    t.hit("pv", "/sale?utm_source=ads&utm_medium=cpc&utm_campaign=spring&utm_term=red+shoes", t="Sale")
    t.hit("pv", "/shoes", t="Shoes", r=f"https://{HOST}/sale")
    body = v3.data().realtime().get(ids=site.ids, metrics="rt:activeUsers,rt:pageviews",
                                    dimensions="rt:keyword,rt:campaign,rt:pagePath").execute()
    assert body["rows"] == [["red shoes", "spring", "/sale", "0", "1"], ["red shoes", "spring", "/shoes", "1", "1"]]


def test_platform_geo_and_page_dimensions_describe_the_visitor(v3, known):
    body = get(v3, known, metrics="rt:activeUsers",
               dimensions="rt:browser,rt:browserVersion,rt:operatingSystem,rt:operatingSystemVersion,"
                          "rt:mobileDeviceBranding,rt:mobileDeviceModel", filters="rt:country==Switzerland")
    assert body["rows"] == [["Mobile Safari", "17.4", "iOS", "17.4", "Apple", "iPhone", "1"]]
    body = get(v3, known, metrics="rt:activeUsers",
               dimensions="rt:region,rt:city,rt:latitude,rt:longitude,rt:pagePath,rt:pageTitle",
               filters="rt:country==United States")
    assert body["rows"] == [["California", "Mountain View", "37.4223", "-122.0850", "/a", "Alpha", "1"]]


def test_legacy_and_beta_names_are_echoed_as_requested(v3, known):
    body = get(v3, known, metrics="rt:activeVisitors", dimensions="rt:visitorType", sort="-rt:activeVisitors")
    assert body["rows"] == [["NEW", "3"], ["RETURNING", "1"]]
    assert body["totalsForAllResults"] == {"rt:activeVisitors": "4"}
    beta = get(v3, known, metrics="ga:activeVisitors", dimensions="ga:pagePath", sort="ga:pagePath")
    assert [h["name"] for h in beta["columnHeaders"]] == ["ga:pagePath", "ga:activeVisitors"]
    assert beta["totalsForAllResults"] == {"ga:activeVisitors": "4"}


def test_app_dimensions_answer_not_set_and_screen_views_zero(v3, known):
    body = get(v3, known, metrics="rt:activeUsers,rt:screenViews", dimensions="rt:appName,rt:appVersion,rt:screenName")
    assert body["rows"] == [["(not set)", "(not set)", "(not set)", "4", "0"]]


def test_an_empty_result_has_no_rows_but_zero_totals(v3, site):
    body = v3.data().realtime().get(ids=site.ids, metrics="rt:activeUsers,rt:pageviews",
                                    dimensions="rt:country").execute()
    assert "rows" not in body
    assert body["totalResults"] == 0
    assert body["totalsForAllResults"] == {"rt:activeUsers": "0", "rt:pageviews": "0"}


@pytest.mark.parametrize("name", ["rt:goalId", "rt:goal1Completions", "rt:goalCompletionsAll", "rt:goal20Value"])
def test_goals_are_refused_with_a_clear_bad_request(v3, site, name):
    from googleapiclient.errors import HttpError

    dims = name if name == "rt:goalId" else None
    metrics = "rt:activeUsers" if dims else name
    with pytest.raises(HttpError) as raised:
        v3.data().realtime().get(ids=site.ids, metrics=metrics, dimensions=dims).execute()
    assert raised.value.status_code == 400
    assert raised.value.error_details[0]["reason"] == "badRequest"
    assert "NowMetrix has no goals" in raised.value.reason
