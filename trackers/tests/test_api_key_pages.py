from trackers import keys, services
from trackers.models import ApiKey, Scope


def _create(client, **data):
    return client.post("/keys/new", {"name": "Newsroom screen", "scope": "read", "access": "all", **data})


def test_creating_a_key_shows_its_secret_exactly_once(client, tenant):
    client.force_login(tenant.admin)
    response = _create(client)
    assert response.status_code == 200
    api_key = ApiKey.objects.get(name="Newsroom screen")
    secret = response.context["secret"]
    content = response.content.decode()
    assert keys.api_key_is_well_formed(secret)
    assert content.count(secret) == 1
    assert "no-store" in response["Cache-Control"]
    assert api_key.hashed_secret == keys.api_key_hash(secret)
    assert api_key.scope == Scope.READ_ONLY and api_key.all_trackers
    assert api_key.created_by == tenant.admin
    # Never again: not on the list, not in the session.
    listing = client.get("/keys/").content.decode()
    assert secret not in listing
    assert api_key.masked in listing
    assert secret not in str(dict(client.session))


def test_a_new_key_works_at_once(client, tenant):
    client.force_login(tenant.admin)
    secret = _create(client).context["secret"]
    client.logout()
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert [row["tracker"] for row in response.json()["trackers"]] == [tenant.tracker.public_id]


def test_a_key_can_be_limited_to_chosen_trackers_with_full_scope(client, tenant):
    other = services.tracker_create(account=tenant.account, name="Sports", hosts=["sports.planet.example"])
    client.force_login(tenant.admin)
    _create(client, scope="full", access="selected", trackers=[other.pk])
    api_key = ApiKey.objects.get(name="Newsroom screen")
    assert api_key.scope == Scope.FULL
    assert not api_key.all_trackers
    assert list(api_key.trackers.all()) == [other]


def test_choosing_no_tracker_for_a_limited_key_is_a_form_error(client, tenant):
    client.force_login(tenant.admin)
    response = _create(client, access="selected")
    assert response.status_code == 200
    assert "Choose at least one tracker" in response.content.decode()
    assert response.context["form"].errors["trackers"]
    assert not ApiKey.objects.filter(name="Newsroom screen").exists()


def test_an_invalid_key_form_shows_field_errors_and_no_secret(client, tenant):
    client.force_login(tenant.admin)
    response = client.post("/keys/new", {"name": "", "scope": "root", "access": "all"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "scope"}
    assert "secret" not in response.context
    assert "nm_" not in response.content.decode()


def test_revoking_a_key_takes_effect_at_once_and_keeps_it_listed(client, tenant, bearer):
    assert client.get("/api/me", **bearer).status_code == 200
    client.force_login(tenant.admin)
    assert client.get(f"/keys/{tenant.api_key.pk}/revoke").status_code == 405
    response = client.post(f"/keys/{tenant.api_key.pk}/revoke")
    assert response.status_code == 302
    assert response["Location"] == "/keys/"
    client.logout()
    response = client.get("/api/me", **bearer)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"
    client.force_login(tenant.admin)
    listing = client.get("/keys/").content.decode()
    assert tenant.api_key.masked in listing
    assert "Revoked" in listing
    assert f'action="/keys/{tenant.api_key.pk}/revoke"' not in listing


def test_the_keys_page_runs_a_fixed_number_of_queries(client, tenant, django_assert_max_num_queries):
    for n in range(12):
        services.api_key_issue(account=tenant.account, name=f"key {n}", created_by=tenant.admin,
                               trackers=[tenant.tracker] if n % 2 else None)
    client.force_login(tenant.admin)
    with django_assert_max_num_queries(6):
        content = client.get("/keys/").content.decode()
    assert content.count("key ") >= 12
