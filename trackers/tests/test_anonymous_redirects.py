from urllib.parse import quote

from trackers.tests.pages import member_urls


def test_every_admin_page_redirects_anonymous_visitors_to_login(client, tenant):
    for method, url in member_urls(tenant):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"] == f"/login?next={quote(url)}", (method, url)


def test_the_home_page_sends_anonymous_visitors_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login"


def test_the_home_page_sends_members_to_their_trackers(client, tenant):
    client.force_login(tenant.admin)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/trackers/"


def test_anonymous_posts_change_nothing(client, tenant):
    client.post(f"/trackers/{tenant.tracker.public_id}/deactivate")
    client.post(f"/keys/{tenant.api_key.pk}/revoke")
    tenant.tracker.refresh_from_db()
    tenant.api_key.refresh_from_db()
    assert tenant.tracker.is_active
    assert not tenant.api_key.is_revoked
