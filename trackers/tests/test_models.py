import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from trackers import keys, services
from trackers.models import Membership, Role, Tracker, validate_timezone


def test_a_tracker_gets_a_random_well_formed_public_id(tenant):
    other = services.tracker_create(account=tenant.account, name="Other", hosts=["other.example"])
    assert keys.tracker_public_id_is_well_formed(tenant.tracker.public_id)
    assert other.public_id != tenant.tracker.public_id


def test_the_view_id_is_the_numeric_primary_key_and_the_first_host_is_primary(tenant):
    tracker = services.tracker_create(account=tenant.account, name="Multi", hosts=["www.b.example", "a.example"])
    assert tracker.view_id == tracker.pk
    assert tracker.hosts == ["a.example", "www.b.example"]
    assert tracker.primary_host == "a.example"
    assert Tracker(hosts=[]).primary_host == ""


def test_time_zones_must_be_iana_names():
    validate_timezone("Europe/Zurich")
    with pytest.raises(ValidationError):
        validate_timezone("Mars/Olympus_Mons")


def test_the_live_window_is_between_1_and_30_minutes(tenant):
    for minutes in (0, 31):
        with pytest.raises(ValidationError):
            services.tracker_update(tracker=tenant.tracker, live_window_minutes=minutes)
    services.tracker_update(tracker=tenant.tracker, live_window_minutes=30)


def test_hosts_are_normalized():
    assert services.normalize_host(" HTTPS://WWW.Example.COM:8443/path ") == "www.example.com"
    with pytest.raises(ValidationError):
        services.normalize_host("http://")


def test_a_user_is_a_member_of_an_account_at_most_once(tenant):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(account=tenant.account, user=tenant.admin, role=Role.EDITOR)


def test_the_account_creator_is_its_admin(tenant):
    membership = Membership.objects.get(account=tenant.account, user=tenant.admin)
    assert membership.is_admin


def test_an_api_key_shows_a_mask_and_knows_when_it_is_revoked(tenant):
    assert tenant.api_key.masked == tenant.secret[:11] + "…"
    assert not tenant.api_key.is_revoked
    services.api_key_revoke(api_key=tenant.api_key)
    assert tenant.api_key.is_revoked


def test_trackers_of_other_accounts_are_never_granted(tenant, outsider, editor):
    membership = Membership.objects.get(user=editor)
    services.membership_update(membership=membership, role=Role.EDITOR, trackers=[outsider.tracker, tenant.tracker])
    assert list(membership.trackers.all()) == [tenant.tracker]
    api_key, _ = services.api_key_issue(account=tenant.account, name="x", trackers=[outsider.tracker])
    assert list(api_key.trackers.all()) == []
