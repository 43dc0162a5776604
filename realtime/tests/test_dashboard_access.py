"""Who may open the live pages: the dashboard and the overview need a login; a tracker's
dashboard, like every tenant object, is a 404 for anyone who may not open it."""

import pytest


def dashboard(tenant) -> str:
    return f"/trackers/{tenant.tracker.public_id}/live"


@pytest.mark.parametrize("url", ["/trackers/anything/live", "/live/", "/trackers/anything/drops"])
def test_anonymous_users_are_sent_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_another_tenants_admin_gets_404_without_the_trackers_name(client, tenant, outsider):
    client.force_login(outsider.admin)

    response = client.get(dashboard(tenant))

    assert response.status_code == 404
    assert tenant.tracker.name.encode() not in response.content


def test_an_editor_who_was_not_given_the_tracker_gets_404(client, tenant, editor_without_access):
    client.force_login(editor_without_access)

    assert client.get(dashboard(tenant)).status_code == 404


def test_an_editor_who_was_given_the_tracker_gets_its_dashboard(client, tenant, editor):
    client.force_login(editor)

    response = client.get(dashboard(tenant))

    assert response.status_code == 200
    assert tenant.tracker.name.encode() in response.content
