"""A request with more query parameters than Django reads (`DATA_UPLOAD_MAX_NUMBER_FIELDS`) is
refused before any view: under the APIs it gets their own 400 envelope, never Django's HTML."""

import pytest
from django.conf import settings


@pytest.fixture
def flood() -> str:
    return "&".join(f"x{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))


def test_the_v1_api_answers_its_invalid_parameter_envelope(client, tenant, bearer, flood):
    response = client.get(f"/v1/recap?site={tenant.tracker.public_id}&{flood}", **bearer)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_parameter"


def test_the_ga_v3_api_answers_googles_bad_request(client, tenant, bearer, flood):
    response = client.get(f"/analytics/v3/data/realtime?ids=ga:1&metrics=rt:activeUsers&{flood}", **bearer)
    assert response.status_code == 400
    assert response.json()["error"]["errors"][0]["reason"] == "badRequest"


def test_the_ga4_api_answers_invalid_argument(client, tenant, bearer, flood):
    response = client.post(f"/v1beta/properties/{tenant.tracker.view_id}:runRealtimeReport?{flood}",
                           data="{}", content_type="application/json", **bearer)
    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_a_web_page_keeps_djangos_page(client, tenant, flood):
    client.force_login(tenant.admin)
    response = client.get(f"/trackers/{tenant.tracker.public_id}/recap?{flood}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
