from django.test import Client


def test_admin_forms_refuse_posts_without_a_csrf_token(tenant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tenant.admin)
    for url in (f"/trackers/{tenant.tracker.public_id}/deactivate", f"/keys/{tenant.api_key.pk}/revoke", "/keys/new"):
        assert client.post(url, {"name": "x", "scope": "read", "access": "all"}).status_code == 403, url
    tenant.tracker.refresh_from_db()
    tenant.api_key.refresh_from_db()
    assert tenant.tracker.is_active and not tenant.api_key.is_revoked


def test_login_and_signup_refuse_posts_without_a_csrf_token(tenant):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/login", {"username": tenant.admin.email, "password": "correct horse battery staple"}).status_code == 403
    assert client.post("/signup", {}).status_code == 403


def test_every_form_carries_a_csrf_token(client, tenant):
    client.force_login(tenant.admin)
    for url in ("/trackers/", "/trackers/new", "/members/", "/members/invite", "/keys/", "/keys/new"):
        content = client.get(url).content.decode()
        assert content.count("<form") == content.count('name="csrfmiddlewaretoken"'), url
