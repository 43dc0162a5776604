"""Every documented error of /v1, with its status and body."""

import pytest

from trackers import services
from trackers.models import Scope

SITE_REQUIRED = {"error": {"code": "site_required", "message": "The site parameter is required."}}
MISSING = {"error": {"code": "missing_token", "message": "The Authorization header is missing."}}
INVALID = {"error": {"code": "invalid_token", "message": "Bearer token is invalid or revoked."}}
FORBIDDEN = {"error": {"code": "site_not_authorized", "message": "This key has no access to that site."}}

ENDPOINTS = ["/v1/realtime", "/v1/sources"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_the_realtime_api_requires_the_site_parameter(client, tenant, bearer, path):
    for query in ("", "?site=", "?site=%20"):
        response = client.get(path + query, **bearer)
        assert response.status_code == 400 and response.json() == SITE_REQUIRED


@pytest.mark.parametrize("path", ENDPOINTS)
def test_the_realtime_api_rejects_a_missing_token(client, tenant, path):
    response = client.get(f"{path}?site={tenant.tracker.public_id}")
    assert response.status_code == 401 and response.json() == MISSING
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nm_nope", "Bearer " + "nm_" + "x" * 43, "Token abc", "Bearer "])
def test_the_realtime_api_rejects_malformed_and_unknown_tokens(client, tenant, header):
    response = client.get(f"/v1/realtime?site={tenant.tracker.public_id}", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401 and response.json() == INVALID


def test_a_revoked_key_is_rejected_at_once(client, tenant, bearer):
    url = f"/v1/realtime?site={tenant.tracker.public_id}"
    assert client.get(url, **bearer).status_code == 200
    services.api_key_revoke(api_key=tenant.api_key)
    response = client.get(url, **bearer)
    assert response.status_code == 401 and response.json() == INVALID


def test_a_key_of_another_account_gets_403(client, tenant, outsider):
    response = client.get(f"/v1/realtime?site={outsider.tracker.public_id}",
                          HTTP_AUTHORIZATION=f"Bearer {tenant.secret}")
    assert response.status_code == 403 and response.json() == FORBIDDEN


def test_an_unknown_tracker_looks_the_same_as_a_forbidden_one(client, tenant, bearer):
    response = client.get("/v1/realtime?site=abcdefghijkm", **bearer)
    assert response.status_code == 403 and response.json() == FORBIDDEN


def test_a_key_reaches_only_the_trackers_it_was_given(client, tenant):
    other = services.tracker_create(account=tenant.account, name="Other", hosts=["other.example"])
    _, secret = services.api_key_issue(account=tenant.account, name="one", scope=Scope.READ_ONLY, trackers=[other])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(f"/v1/realtime?site={other.public_id}", **auth).status_code == 200
    response = client.get(f"/v1/realtime?site={tenant.tracker.public_id}", **auth)
    assert response.status_code == 403 and response.json() == FORBIDDEN


def test_unknown_paths_under_v1_answer_404_in_the_error_format(client, tenant, bearer):
    for path in ("/v1/", "/v1/nope", "/v1/realtime/extra/deep"):
        response = client.get(path, **bearer)
        assert response.status_code == 404, path
        assert response.json() == {"error": {"code": "not_found", "message": "There is no such API endpoint."}}
    assert client.post("/v1/whatever", **bearer).status_code == 404
