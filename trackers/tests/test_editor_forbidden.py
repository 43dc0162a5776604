from trackers.models import Membership
from trackers.tests.pages import admin_only_urls


def test_editors_get_a_clear_403_page_on_every_admin_only_page(client, tenant, editor):
    client.force_login(editor)
    for method, url in admin_only_urls(tenant):
        response = getattr(client, method)(url)
        assert response.status_code == 403, (method, url)
        assert b"Admins only" in response.content, (method, url)


def test_editors_without_tracker_access_get_403_too(client, tenant, editor_without_access):
    client.force_login(editor_without_access)
    for method, url in admin_only_urls(tenant):
        assert getattr(client, method)(url).status_code == 403, (method, url)


def test_an_editors_forbidden_posts_change_nothing(client, tenant, editor):
    client.force_login(editor)
    admin_membership = Membership.objects.get(account=tenant.account, user=tenant.admin)
    client.post(f"/trackers/{tenant.tracker.public_id}/deactivate")
    client.post(f"/keys/{tenant.api_key.pk}/revoke")
    client.post(f"/members/{admin_membership.pk}/remove")
    client.post("/trackers/new", {"name": "Sneaky", "hosts": "sneaky.example", "timezone": "UTC", "live_window_minutes": 5})
    tenant.tracker.refresh_from_db()
    tenant.api_key.refresh_from_db()
    assert tenant.tracker.is_active
    assert not tenant.api_key.is_revoked
    assert Membership.objects.filter(pk=admin_membership.pk).exists()
    assert not tenant.account.trackers.filter(name="Sneaky").exists()


def test_editors_see_no_members_or_keys_links_in_the_nav(client, tenant, editor):
    client.force_login(editor)
    content = client.get("/trackers/").content.decode()
    assert 'href="/members/"' not in content
    assert 'href="/keys/"' not in content
