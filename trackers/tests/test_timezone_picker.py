"""The time-zone picker: common zones first, then canonical Area/City names only, and the
browser's zone preselected by the admin script (no inline script) where the form asks for it."""

import re

import pytest

from trackers import emails, services, timezones


def _select(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', html, re.DOTALL).group(0)


def test_common_zones_come_first_and_aliases_are_not_listed(client, tenant):
    client.force_login(tenant.admin)
    select = _select(client.get("/trackers/new").content.decode(), "timezone")
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    values = re.findall(r'<option value="([^"]+)"', select)

    assert groups == ["Common", "All time zones"]
    assert values[:2] == ["UTC", "America/Los_Angeles"]
    assert "Europe/Zurich" in values[: len(timezones.COMMON)]
    for alias in ("Factory", "localtime", "US/Pacific", "Asia/Calcutta", "Etc/GMT+5", "GMT"):
        assert alias not in values, alias
    assert 300 < len(set(values)) < 500


def test_the_browser_zone_is_offered_where_no_zone_was_chosen_yet(client, tenant, settings):
    client.force_login(tenant.admin)
    # The tenant's account was created in Europe/Zurich: new trackers start there.
    chosen = _select(client.get("/trackers/new").content.decode(), "timezone")
    assert "data-browser-timezone" not in chosen
    assert '<option value="Europe/Zurich" selected>' in chosen

    services.account_update(account=tenant.account, name=tenant.account.name, timezone_name="UTC", by=tenant.admin)
    assert "data-browser-timezone" in _select(client.get("/trackers/new").content.decode(), "timezone")


def test_a_stored_alias_stays_selectable_on_the_edit_form(client, tenant):
    services.tracker_update(tracker=tenant.tracker, timezone="US/Pacific")
    client.force_login(tenant.admin)
    select = _select(client.get(f"/trackers/{tenant.tracker.public_id}/edit").content.decode(), "timezone")

    assert '<option value="US/Pacific" selected>' in select


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_preselects_the_browsers_zone_on_the_signup_form(live_server):
    from playwright.sync_api import sync_playwright

    from realtime.tests.browser import launch_chromium

    path = "/signup/confirm/" + emails.signup_token_make(email="kara@catco.example", account_name="Catco")
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            # Chromium reports Buenos Aires by its old name (ICU's ID), which the list leaves out.
            for zone, shown in [("Asia/Tokyo", "Asia/Tokyo"), ("America/Argentina/Buenos_Aires",
                                                                "America/Argentina/Buenos_Aires")]:
                page = browser.new_context(timezone_id=zone).new_page()
                page.goto(live_server.url + path)
                assert page.locator("select[name=timezone]").input_value() == shown
        finally:
            browser.close()
