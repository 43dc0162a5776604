"""GA4 error shapes: canonical status names with the HTTP codes Google uses."""

from __future__ import annotations

import json

import pytest
from googleapiclient.errors import HttpError

from gacompat.tests import clients

BODY = {"metrics": [{"name": "activeUsers"}]}


def failure(service, prop):
    with pytest.raises(HttpError) as raised:
        service.properties().runRealtimeReport(property=prop, body=BODY).execute()
    return raised.value, clients.error_of(raised.value)


def test_missing_and_bad_tokens_are_unauthenticated(ga_server, keys, site):
    for header in (None, "Bearer nm_nope", f"Bearer {keys['revoked']}"):
        error, body = failure(clients.ga4_with_header(ga_server, header), site.property)
        assert error.status_code == 401
        assert body["status"] == "UNAUTHENTICATED"


def test_other_tenants_properties_are_permission_denied(ga_server, ga_world, keys, site):
    for secret, prop in [(keys["outsider"], site.property), (keys["read"], f"properties/{ga_world['bugle_view_id']}"),
                         (keys["only_first"], site.property)]:
        error, body = failure(clients.ga4(ga_server, secret), prop)
        assert error.status_code == 403
        assert body["status"] == "PERMISSION_DENIED"
        assert "sufficient permissions for this property" in body["message"]


def test_a_non_numeric_property_is_invalid(ga4):
    error, body = failure(ga4, "properties/abc")
    assert error.status_code == 400 and body["status"] == "INVALID_ARGUMENT"


def test_get_is_not_allowed_and_bad_json_is_invalid(ga_server, keys, site):
    status, _, body = clients.raw(ga_server, f"/v1beta/{site.property}:runRealtimeReport", token=keys["read"])
    assert status == 405
    status, _, body = clients.raw(ga_server, f"/v1beta/{site.property}:runRealtimeReport", token=keys["read"],
                                  method="POST", body=b"{nope")
    assert status == 400 and json.loads(body)["error"]["status"] == "INVALID_ARGUMENT"


def test_access_token_in_the_query_and_fields_work_for_ga4(ga_server, keys, site):
    status, _, body = clients.raw(ga_server, f"/v1beta/{site.property}:runRealtimeReport",
                                  {"access_token": keys["read"], "fields": "metricHeaders/name,kind"},
                                  method="POST", body=json.dumps(BODY).encode())
    assert status == 200
    assert json.loads(body) == {"metricHeaders": [{"name": "activeUsers"}], "kind": "analyticsData#runRealtimeReport"}
