from trackers import services


def test_api_me_lists_the_keys_trackers_with_a_bearer_key(client, tenant, bearer):
    response = client.get("/api/me", **bearer)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, no-cache, must-revalidate, max-age=0"
    body = response.json()
    assert list(body) == ["authenticated", "current_tracker", "trackers"]
    assert body["authenticated"] is True
    assert body["current_tracker"] == tenant.tracker.public_id
    assert body["trackers"] == [
        {"tracker": tenant.tracker.public_id, "host": "planet.example", "view_id": tenant.tracker.pk}
    ]


def test_api_me_rejects_a_missing_token(client, tenant):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.json() == {"error": {"code": "missing_token", "message": "The Authorization header is missing."}}


def test_api_me_rejects_a_revoked_key_at_once(client, tenant, bearer):
    assert client.get("/api/me", **bearer).status_code == 200
    services.api_key_revoke(api_key=tenant.api_key)
    response = client.get("/api/me", **bearer)
    assert response.status_code == 401
    assert response.json()["error"] == {"code": "invalid_token", "message": "Bearer token is invalid or revoked."}


def test_api_me_rejects_malformed_and_unknown_tokens(client, tenant):
    for header in ("Bearer nm_short", "Bearer " + "nm_" + "A" * 43, "Basic abc", "Bearer"):
        response = client.get("/api/me", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response.json()["error"]["code"] == "invalid_token"


def test_a_key_limited_to_some_trackers_sees_only_those(client, tenant):
    other = services.tracker_create(account=tenant.account, name="Other", hosts=["other.example"])
    _, secret = services.api_key_issue(account=tenant.account, name="limited", trackers=[other])
    body = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert [row["tracker"] for row in body["trackers"]] == [other.public_id]


def test_api_me_accepts_the_web_admin_session(client, tenant, editor):
    client.force_login(editor)
    body = client.get("/api/me").json()
    assert [row["tracker"] for row in body["trackers"]] == [tenant.tracker.public_id]


def test_the_session_current_tracker_is_the_dashboard_last_opened(client, tenant):
    first = services.tracker_create(account=tenant.account, name="Another", hosts=["another.example"])
    client.force_login(tenant.admin)
    assert client.get("/api/me").json()["current_tracker"] == first.public_id  # first by name
    assert client.get(f"/trackers/{tenant.tracker.public_id}/live").status_code == 200
    assert client.get("/api/me").json()["current_tracker"] == tenant.tracker.public_id
