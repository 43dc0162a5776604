"""Standard parameters: fields (partial responses), JSON-P callback, prettyPrint, alt, quotaUser."""

from __future__ import annotations

import json

import pytest
from googleapiclient.errors import HttpError

from gacompat.tests import clients

PATH = "/analytics/v3/data/realtime"


def test_fields_selects_top_level_and_nested_members(v3, known):
    get = v3.data().realtime().get
    body = get(ids=known.site.ids, metrics="rt:activeUsers", dimensions="rt:country",
               fields="rows,totalsForAllResults").execute()
    assert body == {"totalsForAllResults": {"rt:activeUsers": "4"},
                    "rows": [["Australia", "1"], ["Germany", "1"], ["Switzerland", "1"], ["United States", "1"]]}
    body = get(ids=known.site.ids, metrics="rt:activeUsers", dimensions="rt:country",
               fields="query/metrics,columnHeaders(name,dataType),profileInfo/tableId,kind").execute()
    assert body == {"kind": "analytics#realtimeData", "query": {"metrics": ["rt:activeUsers"]},
                    "profileInfo": {"tableId": f"realtime:{known.site.view_id}"},
                    "columnHeaders": [{"name": "rt:country", "dataType": "STRING"},
                                      {"name": "rt:activeUsers", "dataType": "INTEGER"}]}
    assert get(ids=known.site.ids, metrics="rt:activeUsers", fields="totalsForAllResults/rt:activeUsers").execute() == {
        "totalsForAllResults": {"rt:activeUsers": "4"}}


@pytest.mark.parametrize("fields", ["nothing", "rows(", "query/bogus", "profileInfo(tableId,nope)"])
def test_an_invalid_field_selection_is_refused(v3, site, fields):
    with pytest.raises(HttpError) as raised:
        v3.data().realtime().get(ids=site.ids, metrics="rt:activeUsers", fields=fields).execute()
    assert raised.value.status_code == 400
    assert raised.value.error_details[0]["location"] == "fields"
    assert raised.value.reason.startswith("Invalid field selection")


def test_jsonp_wraps_the_response_in_the_callback(ga_server, keys, known):
    status, headers, body = clients.raw(ga_server, PATH, {"ids": known.site.ids, "metrics": "rt:activeUsers",
                                                          "callback": "app.onData_1"}, token=keys["read"])
    assert status == 200
    assert headers["content-type"].startswith("text/javascript")
    text = body.decode()
    assert text.startswith("// API callback\napp.onData_1(") and text.endswith(");")
    assert json.loads(text[len("// API callback\napp.onData_1("):-2])["totalsForAllResults"] == {"rt:activeUsers": "4"}


def test_jsonp_errors_are_wrapped_too(ga_server, site):
    status, _, body = clients.raw(ga_server, PATH, {"ids": site.ids, "metrics": "rt:activeUsers", "callback": "cb"})
    assert status == 401
    assert body.decode().startswith("// API callback\ncb({")


@pytest.mark.parametrize("callback", ["alert(1)//", "a b", "x;y", "</script>", "1abc", "a" * 101])
def test_an_unsafe_callback_name_is_refused_as_plain_json(ga_server, keys, site, callback):
    status, headers, body = clients.raw(ga_server, PATH, {"ids": site.ids, "metrics": "rt:activeUsers",
                                                          "callback": callback}, token=keys["read"])
    assert status == 400
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["errors"][0]["location"] == "callback"


def test_pretty_print_is_the_default_and_can_be_turned_off(ga_server, keys, site):
    params = {"ids": site.ids, "metrics": "rt:activeUsers"}
    _, _, pretty = clients.raw(ga_server, PATH, params, token=keys["read"])
    _, _, compact = clients.raw(ga_server, PATH, {**params, "prettyPrint": "false"}, token=keys["read"])
    assert b"\n " in pretty and b"\n" not in compact.strip()
    assert json.loads(pretty) == json.loads(compact)
    status, _, body = clients.raw(ga_server, PATH, {**params, "prettyPrint": "maybe"}, token=keys["read"])
    assert status == 400 and json.loads(body)["error"]["errors"][0]["location"] == "prettyPrint"


def test_the_client_library_accepts_pretty_print_and_quota_user(v3, site):
    body = v3.data().realtime().get(ids=site.ids, metrics="rt:activeUsers", prettyPrint=False,
                                    quotaUser="dashboard-7").execute()
    assert body["totalsForAllResults"] == {"rt:activeUsers": "0"}


@pytest.mark.parametrize("params, location", [({"alt": "xml"}, "alt"), ({"quotaUser": "q" * 41}, "quotaUser")])
def test_other_bad_standard_parameters_are_refused(ga_server, keys, site, params, location):
    status, _, body = clients.raw(ga_server, PATH, {"ids": site.ids, "metrics": "rt:activeUsers", **params},
                                  token=keys["read"])
    assert status == 400
    assert json.loads(body)["error"]["errors"][0]["location"] == location


def test_alt_json_user_ip_and_key_are_accepted(ga_server, keys, site):
    status, _, _ = clients.raw(ga_server, PATH, {"ids": site.ids, "metrics": "rt:activeUsers", "alt": "json",
                                                 "userIp": "203.0.113.9", "key": "browser-key"}, token=keys["read"])
    assert status == 200


def test_browsers_may_call_both_apis_across_origins(ga_server, site):
    for path in (PATH, f"/v1beta/{site.property}:runRealtimeReport"):
        status, headers, _ = clients.raw(ga_server, path, method="OPTIONS")
        assert status == 204
        assert headers["access-control-allow-origin"] == "*"
        assert "Authorization" in headers["access-control-allow-headers"]
