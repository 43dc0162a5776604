"""The history endpoints authenticate, authorize, rate-limit and fail like /v1/realtime."""

import pytest

from trackers import services
from trackers.models import Scope

ENDPOINTS = ["/v1/overview", "/v1/recap", "/v1/charts", "/v1/pace"]
FORBIDDEN = {"error": {"code": "site_not_authorized", "message": "This key has no access to that site."}}


@pytest.mark.parametrize("path", ENDPOINTS)
def test_the_history_endpoints_answer_an_admins_key(client, tenant, bearer, path):
    response = client.get(f"{path}?site={tenant.tracker.public_id}", **bearer)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["site"] == tenant.tracker.public_id
    assert {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} <= set(response.headers)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_the_history_endpoints_require_the_site_parameter(client, tenant, bearer, path):
    response = client.get(path, **bearer)
    assert response.status_code == 400 and response.json()["error"]["code"] == "site_required"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_the_history_endpoints_reject_missing_and_bad_tokens(client, tenant, path):
    url = f"{path}?site={tenant.tracker.public_id}"
    assert client.get(url).json()["error"]["code"] == "missing_token"
    response = client.get(url, HTTP_AUTHORIZATION="Bearer nm_nope")
    assert response.status_code == 401 and response.json()["error"]["code"] == "invalid_token"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_revoked_key_is_rejected(client, tenant, bearer, path):
    services.api_key_revoke(api_key=tenant.api_key)
    response = client.get(f"{path}?site={tenant.tracker.public_id}", **bearer)
    assert response.status_code == 401 and response.json()["error"]["code"] == "invalid_token"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_another_accounts_tracker_and_an_unknown_one_answer_the_same_403(client, tenant, outsider, bearer, path):
    for site in (outsider.tracker.public_id, "abcdefghijkm"):
        response = client.get(f"{path}?site={site}", **bearer)
        assert response.status_code == 403 and response.json() == FORBIDDEN


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_key_limited_to_other_trackers_gets_403(client, tenant, path):
    other = services.tracker_create(account=tenant.account, name="Other", hosts=["other.example"])
    _, secret = services.api_key_issue(account=tenant.account, name="one", scope=Scope.READ_ONLY, trackers=[other])
    response = client.get(f"{path}?site={tenant.tracker.public_id}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403


def test_the_rate_limit_applies_to_history_endpoints(client, tenant, bearer, settings):
    settings.NOWMETRIX_RATE_LIMIT_PER_MIN = 2
    url = f"/v1/pace?site={tenant.tracker.public_id}"
    statuses = [client.get(url, **bearer).status_code for _ in range(3)]
    assert statuses[-1] == 429
    response = client.get(url, **bearer)
    assert response.json()["error"]["code"] == "rate_limit_exceeded" and "Retry-After" in response.headers


@pytest.mark.parametrize("query", ["preset=last8", "preset=custom&start=2026-13-01", "preset=custom&end=yesterday",
                                   "preset=custom&start=2026-11-20&end=2026-11-01"])
def test_a_bad_preset_or_date_is_an_invalid_parameter(client, tenant, bearer, query):
    response = client.get(f"/v1/recap?site={tenant.tracker.public_id}&{query}", **bearer)
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_parameter"


def test_the_schema_lists_the_history_endpoints(client, db):
    schema = client.get("/v1/openapi.json").json()
    for path in ENDPOINTS:
        assert {"200", "400", "401", "403", "429"} <= set(schema["paths"][path]["get"]["responses"]), path
    assert list(schema["components"]["schemas"]["Recap"]["properties"]) == [
        "site", "preset", "timezone", "range", "limits", "search", "daily", "summary", "top_pages"]
    assert list(schema["components"]["schemas"]["RecapRange"]["properties"]) == ["from", "to", "label", "days"]
