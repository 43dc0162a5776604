"""The account-settings page (Admins): the account's name and default time zone. Names need to
differ only among one user's accounts."""

from trackers import services
from trackers.models import Account


def test_an_admin_renames_the_account_and_changes_its_default_time_zone(client, tenant):
    client.force_login(tenant.admin)
    response = client.post("/account/settings", {"name": "The Daily Planet", "timezone": "America/New_York"})

    assert response["Location"] == "/account/settings"
    tenant.account.refresh_from_db()
    assert (tenant.account.name, tenant.account.timezone) == ("The Daily Planet", "America/New_York")
    assert tenant.account.slug == "daily-planet"  # URLs stay
    tenant.tracker.refresh_from_db()
    assert tenant.tracker.timezone == "Europe/Zurich"  # existing trackers keep theirs
    assert "Account settings saved" in client.get("/account/settings").content.decode()


def test_the_form_shows_the_current_values(client, tenant):
    client.force_login(tenant.admin)
    html = client.get("/account/settings").content.decode()

    assert 'value="Daily Planet"' in html
    assert '<option value="Europe/Zurich" selected>' in html


def test_another_tenant_may_share_the_name_but_not_one_users_own_accounts(client, tenant, outsider):
    client.force_login(outsider.admin)
    assert client.post("/account/settings", {"name": "Daily Planet", "timezone": "UTC"}).status_code == 302
    assert Account.objects.filter(name="Daily Planet").count() == 2

    services.account_create(name="Planet Sport", owner=tenant.admin)
    client.force_login(tenant.admin)
    response = client.post("/account/settings", {"name": "planet sport", "timezone": "UTC"})
    assert response.status_code == 200
    assert "You already have an account named" in response.content.decode()


def test_bad_values_are_refused(client, tenant):
    client.force_login(tenant.admin)
    for data in ({"name": "", "timezone": "UTC"}, {"name": "X", "timezone": "Factory"}):
        response = client.post("/account/settings", data)
        assert response.status_code == 200, data
    tenant.account.refresh_from_db()
    assert tenant.account.name == "Daily Planet"


def test_an_editor_gets_the_forbidden_page(client, tenant, editor):
    client.force_login(editor)
    assert client.get("/account/settings").status_code == 403
