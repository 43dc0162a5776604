"""Django's admin goes through the services: saving a tracker republishes its ingest settings,
revoking a key marks it revoked for the API fast path."""

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
