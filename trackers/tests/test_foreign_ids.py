"""A user of another account must get 404 for every one of the tenant's objects, never its data."""

from trackers.models import Membership
from trackers.tests.pages import tenant_object_urls


def test_another_tenants_admin_gets_404_for_every_object_url(client, tenant, outsider):
    client.force_login(outsider.admin)
    for method, url in tenant_object_urls(tenant):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url)
        assert tenant.tracker.name.encode() not in response.content
        assert tenant.admin.email.encode() not in response.content


def test_another_tenants_posts_change_nothing(client, tenant, outsider):
    client.force_login(outsider.admin)
    for method, url in tenant_object_urls(tenant):
        getattr(client, method)(url, {"name": "Hijacked", "hosts": "evil.example", "timezone": "UTC",
                                      "live_window_minutes": 5, "role": "editor"})
    tenant.tracker.refresh_from_db()
    tenant.api_key.refresh_from_db()
    assert tenant.tracker.name == "Daily Planet site" and tenant.tracker.is_active
    assert not tenant.api_key.is_revoked
    assert Membership.objects.get(account=tenant.account, user=tenant.admin).role == "admin"


def test_unknown_ids_are_404(client, tenant):
    client.force_login(tenant.admin)
    for url in ("/trackers/nosuchtracker/edit", "/trackers/nosuchtracker/install", "/members/999999/edit"):
        assert client.get(url).status_code == 404, url
    for url in ("/trackers/nosuchtracker/deactivate", "/members/999999/remove", "/keys/999999/revoke"):
        assert client.post(url).status_code == 404, url


def test_another_tenants_lists_show_none_of_the_tenants_data(client, tenant, outsider):
    client.force_login(outsider.admin)
    for url in ("/trackers/", "/members/", "/keys/"):
        content = client.get(url).content.decode()
        assert tenant.tracker.name not in content, url
        assert tenant.tracker.public_id not in content, url
        assert tenant.admin.email not in content, url
        assert tenant.api_key.prefix not in content, url
    assert outsider.tracker.name in client.get("/trackers/").content.decode()


def test_another_tenants_trackers_cannot_be_granted_through_forms(client, tenant, outsider):
    client.force_login(outsider.admin)
    response = client.post("/members/invite", {"email": "spy@bugle.example", "role": "editor",
                                               "trackers": [tenant.tracker.pk]})
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    response = client.post("/keys/new", {"name": "spy", "scope": "read", "access": "selected",
                                         "trackers": [tenant.tracker.pk]})
    assert response.status_code == 200
    assert not outsider.account.api_keys.filter(name="spy").exists()
