"""Each error reason as Google's Python client surfaces it (HttpError status, reason, details),
and the raw envelope where that client refuses to send the request."""

from __future__ import annotations

import json

import pytest
from googleapiclient.errors import HttpError

from gacompat.tests import clients


def raised(request) -> HttpError:
    with pytest.raises(HttpError) as info:
        request.execute()
    return info.value


def test_a_missing_token_is_login_required(ga_server, site):
    error = raised(clients.v3_with_header(ga_server, None).data().realtime().get(ids=site.ids, metrics="rt:activeUsers"))
    assert error.status_code == 401
    assert error.reason == "Login Required"
    assert error.error_details == [{"domain": "global", "reason": "required", "message": "Login Required",
                                    "locationType": "header", "location": "Authorization"}]


@pytest.mark.parametrize("header", ["Bearer nm_not-a-real-key", "Basic dXNlcjpwdw==", "revoked"])
def test_a_bad_or_revoked_token_is_invalid_credentials(ga_server, site, keys, header):
    if header == "revoked":
        header = f"Bearer {keys['revoked']}"
    service = clients.v3_with_header(ga_server, header)
    error = raised(service.data().realtime().get(ids=site.ids, metrics="rt:activeUsers"))
    assert error.status_code == 401
    assert error.reason == "Invalid Credentials"
    assert error.error_details[0]["reason"] == "authError"
    assert error.resp["www-authenticate"].startswith("Bearer")


def test_with_credentials_the_client_sees_its_refresh_fail_on_401(ga_server, site):
    from google.auth.exceptions import RefreshError

    with pytest.raises(RefreshError):  # what users of google-auth see for a rejected token
        clients.v3(ga_server, "nm_unknown").data().realtime().get(ids=site.ids, metrics="rt:activeUsers").execute()


def test_a_view_of_another_tenant_or_not_granted_is_insufficient_permissions(ga_server, ga_world, keys, site):
    for secret, ids in [(keys["outsider"], site.ids), (keys["read"], f"ga:{ga_world['bugle_view_id']}"),
                        (keys["only_first"], site.ids), (keys["read"], "ga:999999999")]:
        error = raised(clients.v3(ga_server, secret).data().realtime().get(ids=ids, metrics="rt:activeUsers"))
        assert error.status_code == 403
        assert error.error_details[0]["reason"] == "insufficientPermissions"
        assert error.reason == "User does not have sufficient permissions for this profile."


def test_a_key_limited_to_one_tracker_reads_it(ga_server, ga_world, keys):
    first = ga_world["trackers"][0]["view_id"]
    body = clients.v3(ga_server, keys["only_first"]).data().realtime().get(
        ids=f"ga:{first}", metrics="rt:activeUsers").execute()
    assert body["totalsForAllResults"] == {"rt:activeUsers": "0"}


def test_the_client_refuses_ids_without_ga_prefix_and_the_server_too(ga_server, v3, keys, site):
    with pytest.raises(TypeError, match="does not match the pattern"):
        v3.data().realtime().get(ids=str(site.view_id), metrics="rt:activeUsers").execute()
    status, _, body = clients.raw(ga_server, "/analytics/v3/data/realtime",
                                  {"ids": str(site.view_id), "metrics": "rt:activeUsers"}, token=keys["read"])
    error = json.loads(body)["error"]
    assert status == 400 and error["code"] == 400
    assert error["errors"][0] == {
        "domain": "global", "reason": "invalidParameter", "locationType": "parameter", "location": "ids",
        "message": f"Invalid value '{site.view_id}'. Values must match the following regular expression: 'ga:[0-9]+'"}


@pytest.mark.parametrize("params, location", [({"metrics": "rt:activeUsers"}, "ids"), ({}, "metrics")])
def test_missing_required_parameters_are_refused_as_required(ga_server, keys, site, params, location):
    params = {"ids": site.ids, **params} if location == "metrics" else params
    status, _, body = clients.raw(ga_server, "/analytics/v3/data/realtime", params, token=keys["read"])
    error = json.loads(body)["error"]
    assert status == 400
    assert error["message"] == f"Required parameter: {location}"
    assert error["errors"][0]["reason"] == "required" and error["errors"][0]["location"] == location


@pytest.mark.parametrize("value", [0, -1, 10001])
def test_max_results_out_of_range_is_an_invalid_parameter(v3, site, value):
    error = raised(v3.data().realtime().get(ids=site.ids, metrics="rt:activeUsers", max_results=value))
    assert error.status_code == 400
    assert error.reason == f"Invalid value '{value}' for max-results. Value must be within the range: [1, 10000]"
    assert error.error_details[0]["location"] == "max-results"


@pytest.mark.parametrize("params, message", [
    ({"metrics": "rt:sessions"}, "Unknown metric(s): rt:sessions"),
    ({"metrics": "rt:pageViews"}, "Unknown metric(s): rt:pageViews"),  # names are case-sensitive
    ({"metrics": "ga:sessions"}, "Unknown metric(s): ga:sessions"),
    ({"metrics": "rt:activeUsers", "dimensions": "rt:date"}, "Unknown dimension(s): rt:date"),
    ({"metrics": ",".join(["rt:pageviews"] * 11)}, "Requested 11 metrics; only 10 are allowed."),
    ({"metrics": "rt:activeUsers", "dimensions": ",".join(["rt:city"] * 8)},
     "Requested 8 dimensions; only 7 are allowed."),
    ({"metrics": "rt:activeUsers", "dimensions": "rt:city", "sort": "rt:country"},
     "Sort key rt:country is not a dimension or metric in the query."),
])
def test_invalid_queries_are_bad_requests(v3, site, params, message):
    error = raised(v3.data().realtime().get(ids=site.ids, **params))
    assert error.status_code == 400
    assert error.reason == message
    assert error.error_details[0]["reason"] == "badRequest"


def test_the_token_may_come_as_access_token_in_the_query(ga_server, keys, site):
    for name in ("access_token", "oauth_token"):
        status, _, body = clients.raw(ga_server, "/analytics/v3/data/realtime",
                                      {"ids": site.ids, "metrics": "rt:activeUsers", name: keys["read"]})
        assert status == 200, body
        assert json.loads(body)["totalsForAllResults"] == {"rt:activeUsers": "0"}
