"""Tracker choices posted by the key and member forms that are no ID (beyond the database's
integer range, negative, other scripts' digits) are a field error on the re-rendered form,
never a 500 from the database, and nothing is stored."""

from __future__ import annotations

import pytest

from trackers.models import ApiKey, Membership

NOT_IDS = ["9" * 30, "9223372036854775808", "-1", "\u0665", "1e3", " 1"]


@pytest.mark.parametrize("bad", NOT_IDS)
def test_a_key_form_with_a_tracker_that_is_no_id_is_refused(client, tenant, bad):
    client.force_login(tenant.admin)
    keys = ApiKey.objects.count()
    response = client.post("/keys/new", {"name": "screen", "scope": "read", "access": "selected",
                                         "trackers": [str(tenant.tracker.pk), bad]})
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()
    assert ApiKey.objects.count() == keys


@pytest.mark.parametrize("bad", NOT_IDS)
def test_an_invitation_with_a_tracker_that_is_no_id_is_refused(client, tenant, bad):
    client.force_login(tenant.admin)
    members = Membership.objects.count()
    response = client.post("/members/invite", {"email": "perry@planet.example", "role": "editor",
                                               "trackers": [bad]})
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()
    assert Membership.objects.count() == members
