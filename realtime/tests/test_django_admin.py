"""Django's admin goes through the services: saving a tracker republishes its ingest settings,
revoking a key marks it revoked for the API fast path; memberships, whose services guard the last
Admin and announce access changes, are read-only there."""

from django.forms.models import model_to_dict

from realtime import live_state
from trackers.models import ApiKey


def test_saving_a_tracker_in_djangos_admin_republishes_its_ingest_settings(admin_client, tenant):
    tracker = tenant.tracker
    data = {key: value for key, value in model_to_dict(tracker).items() if value is not None}
    data.update(account=tracker.account_id, hosts='["News.Example"]', live_window_minutes=12, timezone="UTC")
    response = admin_client.post(f"/django-admin/trackers/tracker/{tracker.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    config = live_state.tracker_config_get(tracker.public_id)
    assert config.window_secs == 12 * 60
    tracker.refresh_from_db()
    assert tracker.hosts == ["news.example"]


def test_revoking_a_key_in_djangos_admin_marks_it_revoked_for_the_fast_path(admin_client, tenant):
    response = admin_client.post("/django-admin/trackers/apikey/",
                                 {"action": "revoke", "_selected_action": [tenant.api_key.pk]})
    assert response.status_code == 302
    assert ApiKey.objects.get(pk=tenant.api_key.pk).revoked_at is not None
    assert live_state.api_key_is_revoked(tenant.api_key.hashed_secret)


def test_djangos_admin_cannot_issue_keys_or_delete_trackers(admin_client, tenant):
    assert admin_client.get("/django-admin/trackers/apikey/add/").status_code == 403
    assert admin_client.get(f"/django-admin/trackers/tracker/{tenant.tracker.pk}/delete/").status_code == 403


def test_memberships_are_read_only_in_djangos_admin(admin_client, tenant, editor):
    from trackers.models import Membership, Role

    account = tenant.account
    page = admin_client.get(f"/django-admin/trackers/account/{account.pk}/change/")
    assert page.status_code == 200
    assert b"jimmy@planet.example" in page.content  # members are shown
    membership = Membership.objects.get(account=account, user=editor)
    # A crafted inline post (promote the Editor, drop the Admin) changes nothing.
    data = {"name": account.name, "slug": account.slug, "timezone": account.timezone,
            "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": membership.pk, "memberships-0-account": account.pk,
            "memberships-0-user": editor.pk, "memberships-0-role": Role.ADMIN,
            "memberships-0-DELETE": "on"}
    response = admin_client.post(f"/django-admin/trackers/account/{account.pk}/change/", data)
    assert response.status_code == 302  # the account itself saved
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR
    assert Membership.objects.filter(account=account).count() == 2
