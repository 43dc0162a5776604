"""An open live socket closes with a clear code when its login or its access ends.

Changes made through the services are announced (test_consumer_access_announced.py); the
consumers also re-check every `access_check_secs`, the safety net for changes made elsewhere.
The tests shorten that period instead of waiting 10 minutes."""

import pytest
from asgiref.sync import sync_to_async

from realtime import selectors
from realtime.consumers import CLOSE_FORBIDDEN, CLOSE_INTERNAL_ERROR, CLOSE_LOGGED_OUT, LiveConsumer
from realtime.tests.ws import open_socket, receive_close_code
from trackers import services
from trackers.models import Membership

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def quick_access_checks(monkeypatch):
    monkeypatch.setattr(LiveConsumer, "access_check_secs", 0.05)


async def test_the_live_socket_closes_with_4401_when_the_user_logs_out(tenant):
    client, comm = await open_socket(tenant.admin, f"/ws/trackers/{tenant.tracker.public_id}/")

    await sync_to_async(client.logout)()

    assert await receive_close_code(comm) == CLOSE_LOGGED_OUT


async def test_the_live_socket_closes_with_4401_when_the_password_changes(tenant):
    _client, comm = await open_socket(tenant.admin, f"/ws/trackers/{tenant.tracker.public_id}/")

    await sync_to_async(services.user_set_password)(user=tenant.admin, password="a brand new passphrase")

    assert await receive_close_code(comm) == CLOSE_LOGGED_OUT


async def test_the_live_socket_closes_with_4403_when_the_editor_loses_the_tracker(tenant, editor):
    _client, comm = await open_socket(editor, f"/ws/trackers/{tenant.tracker.public_id}/")

    def take_tracker_away():
        membership = Membership.objects.get(user=editor, account=tenant.account)
        services.membership_update(membership=membership, role=membership.role, trackers=[])

    await sync_to_async(take_tracker_away)()

    assert await receive_close_code(comm) == CLOSE_FORBIDDEN


async def test_the_overview_closes_with_4403_when_the_member_is_removed(tenant, editor):
    _client, comm = await open_socket(editor, "/ws/overview/")

    def remove():
        services.membership_remove(membership=Membership.objects.get(user=editor, account=tenant.account))

    await sync_to_async(remove)()

    assert await receive_close_code(comm) == CLOSE_FORBIDDEN


async def test_the_periodic_check_catches_a_change_that_was_not_announced(tenant, editor):
    _client, comm = await open_socket(editor, f"/ws/trackers/{tenant.tracker.public_id}/")

    def take_tracker_away_in_django_admin():  # the admin's membership inline saves rows directly
        Membership.objects.get(user=editor, account=tenant.account).trackers.set([])

    await sync_to_async(take_tracker_away_in_django_admin)()

    assert await receive_close_code(comm) == CLOSE_FORBIDDEN


async def test_a_failing_access_check_closes_the_socket_for_the_page_to_reconnect(tenant, monkeypatch):
    _client, comm = await open_socket(tenant.admin, f"/ws/trackers/{tenant.tracker.public_id}/")

    def broken(session_key):
        raise ConnectionError("the session store is down")

    monkeypatch.setattr(selectors, "session_user", broken)

    assert await receive_close_code(comm) == CLOSE_INTERNAL_ERROR
