"""A live socket closes as soon as a change of its login or access commits, without waiting for
the periodic re-check (moved out of reach here), and the sockets of others stay open.

Real Django sessions (the test client's login), the real channel layer on Redis."""

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction

from realtime.consumers import CLOSE_FORBIDDEN, CLOSE_LOGGED_OUT, LiveConsumer
from realtime.tests.ws import open_socket, receive_close_code
from trackers import services
from trackers.models import Membership, Role

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]

QUIET_SECS = 0.3  # how long a socket that must stay open is watched for a close


@pytest.fixture(autouse=True)
def no_periodic_check(monkeypatch):
    monkeypatch.setattr(LiveConsumer, "access_check_secs", 3600.0)


def dashboard(tenant) -> str:
    return f"/ws/trackers/{tenant.tracker.public_id}/"


async def stays_open(comm) -> bool:
    return await comm.receive_nothing(timeout=QUIET_SECS)


async def test_logging_out_closes_that_sessions_socket_with_4401_and_no_other(tenant, outsider):
    client, comm = await open_socket(tenant.admin, dashboard(tenant))
    _other_session, same_user = await open_socket(tenant.admin, "/ws/overview/")
    _client, other_user = await open_socket(outsider.admin, dashboard(outsider))

    await sync_to_async(client.logout)()

    assert await receive_close_code(comm) == CLOSE_LOGGED_OUT
    assert await stays_open(same_user)
    assert await stays_open(other_user)


async def test_a_password_change_closes_the_sockets_of_the_users_sessions_with_4401(tenant, outsider):
    _client, comm = await open_socket(tenant.admin, dashboard(tenant))
    _client, other_user = await open_socket(outsider.admin, dashboard(outsider))

    await sync_to_async(services.user_set_password)(user=tenant.admin, password="a brand new passphrase")

    assert await receive_close_code(comm) == CLOSE_LOGGED_OUT
    assert await stays_open(other_user)


async def test_a_password_changed_in_the_web_admin_closes_the_users_other_sessions(tenant):
    changer, _ = await open_socket(tenant.admin, "/ws/overview/")
    _client, other_session = await open_socket(tenant.admin, dashboard(tenant))

    response = await sync_to_async(changer.post)("/account/password", {
        "old_password": "correct horse battery staple",
        "new_password1": "a brand new passphrase 42", "new_password2": "a brand new passphrase 42"})

    assert response.status_code == 302
    assert await receive_close_code(other_session) == CLOSE_LOGGED_OUT


async def test_deactivating_a_user_closes_their_sockets_with_4401(tenant, editor):
    _client, comm = await open_socket(editor, dashboard(tenant))
    _client, admin = await open_socket(tenant.admin, dashboard(tenant))

    def deactivate():
        editor.is_active = False
        editor.save(update_fields=["is_active"])

    await sync_to_async(deactivate)()

    assert await receive_close_code(comm) == CLOSE_LOGGED_OUT
    assert await stays_open(admin)


async def test_deleting_a_user_closes_their_sockets_with_4401(tenant, editor):
    _client, comm = await open_socket(editor, "/ws/overview/")
    _client, admin = await open_socket(tenant.admin, dashboard(tenant))

    await sync_to_async(editor.delete)()

    assert await receive_close_code(comm) == CLOSE_LOGGED_OUT
    assert await stays_open(admin)


async def test_an_editor_who_loses_the_tracker_is_closed_with_4403_and_its_admin_stays(tenant, editor):
    _client, comm = await open_socket(editor, dashboard(tenant))
    _client, admin = await open_socket(tenant.admin, dashboard(tenant))

    def take_tracker_away():
        membership = Membership.objects.get(user=editor, account=tenant.account)
        services.membership_update(membership=membership, role=Role.EDITOR, trackers=[])

    await sync_to_async(take_tracker_away)()

    assert await receive_close_code(comm) == CLOSE_FORBIDDEN
    assert await stays_open(admin)


async def test_an_admin_made_an_editor_without_trackers_is_closed_with_4403(tenant, editor):
    def promote():
        membership = Membership.objects.get(user=editor, account=tenant.account)
        services.membership_update(membership=membership, role=Role.ADMIN, trackers=[])

    await sync_to_async(promote)()
    _client, comm = await open_socket(editor, dashboard(tenant))
    _client, admin = await open_socket(tenant.admin, dashboard(tenant))

    def demote():
        membership = Membership.objects.get(user=editor, account=tenant.account)
        services.membership_update(membership=membership, role=Role.EDITOR, trackers=[])

    await sync_to_async(demote)()

    assert await receive_close_code(comm) == CLOSE_FORBIDDEN
    assert await stays_open(admin)


async def test_removing_a_member_closes_their_dashboard_and_overview_with_4403(tenant, editor, outsider):
    _client, board = await open_socket(editor, dashboard(tenant))
    _client, overview = await open_socket(editor, "/ws/overview/")
    _client, other_user = await open_socket(outsider.admin, "/ws/overview/")

    def remove():
        services.membership_remove(membership=Membership.objects.get(user=editor, account=tenant.account))

    await sync_to_async(remove)()

    assert await receive_close_code(board) == CLOSE_FORBIDDEN
    assert await receive_close_code(overview) == CLOSE_FORBIDDEN
    assert await stays_open(other_user)


async def test_a_member_who_keeps_access_stays_open_after_a_change(tenant, editor):
    _client, comm = await open_socket(editor, dashboard(tenant))

    def promote():
        membership = Membership.objects.get(user=editor, account=tenant.account)
        services.membership_update(membership=membership, role=Role.ADMIN, trackers=[])

    await sync_to_async(promote)()

    assert await stays_open(comm)


async def test_a_change_that_rolls_back_closes_nothing(tenant, editor):
    _client, comm = await open_socket(editor, dashboard(tenant))

    def remove_then_roll_back():
        with pytest.raises(RuntimeError), transaction.atomic():
            services.membership_remove(membership=Membership.objects.get(user=editor, account=tenant.account))
            raise RuntimeError("the surrounding work failed")

    await sync_to_async(remove_then_roll_back)()

    assert await stays_open(comm)
