from trackers import services
from trackers.models import Role


def test_a_member_of_several_accounts_switches_between_them(client, tenant, outsider):
    services.membership_add(account=outsider.account, user=tenant.admin, role=Role.EDITOR, trackers=[outsider.tracker])
    client.force_login(tenant.admin)
    content = client.get("/trackers/").content.decode()
    assert 'action="/accounts/switch/daily-planet"' in content
    # Until a switch, the account first by name is current.
    assert outsider.tracker.name in content
    response = client.post("/accounts/switch/daily-planet")
    assert response["Location"] == "/trackers/"
    assert tenant.tracker.name in client.get("/trackers/").content.decode()
    client.post("/accounts/switch/daily-bugle")
    content = client.get("/trackers/").content.decode()
    assert outsider.tracker.name in content
    assert tenant.tracker.name not in content
    # As an Editor there, the Admin pages of the other account are closed.
    assert client.get("/members/").status_code == 403


def test_switching_to_an_account_you_are_not_in_is_a_404(client, tenant, outsider):
    client.force_login(tenant.admin)
    assert client.post("/accounts/switch/daily-bugle").status_code == 404
    assert client.post("/accounts/switch/no-such-account").status_code == 404
    assert outsider.tracker.name not in client.get("/trackers/").content.decode()


def test_switching_takes_a_post(client, tenant):
    client.force_login(tenant.admin)
    assert client.get("/accounts/switch/daily-planet").status_code == 405


def test_a_member_of_one_account_sees_its_name_without_a_switcher(client, tenant):
    client.force_login(tenant.admin)
    content = client.get("/trackers/").content.decode()
    assert "Daily Planet" in content
    assert "/accounts/switch/" not in content
