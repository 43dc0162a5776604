"""Who may open a tracker's live socket: the web admin's login, membership, a same-site Origin."""

import pytest
from asgiref.sync import sync_to_async

from realtime.consumers import CLOSE_FORBIDDEN, CLOSE_LOGGED_OUT
from realtime.tests.ws import (
    communicator,
    connect_as,
    receive_close_code,
    receive_frame,
    session_cookie,
)

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


def path(tenant) -> str:
    return f"/ws/trackers/{tenant.tracker.public_id}/"


async def test_the_live_socket_closes_with_4401_without_a_login(tenant):
    comm = communicator(path(tenant))
    connected, _ = await comm.connect()

    assert connected
    assert await receive_close_code(comm) == CLOSE_LOGGED_OUT


async def test_the_live_socket_refuses_a_user_of_another_account_before_sending_anything(tenant, outsider):
    comm = await connect_as(outsider.admin, path(tenant))

    assert await receive_close_code(comm) == CLOSE_FORBIDDEN
    assert await comm.receive_nothing()


async def test_the_live_socket_refuses_an_editor_who_was_not_given_the_tracker(tenant, editor_without_access):
    comm = await connect_as(editor_without_access, path(tenant))

    assert await receive_close_code(comm) == CLOSE_FORBIDDEN


async def test_the_live_socket_refuses_an_unknown_tracker_like_a_foreign_one(tenant):
    comm = await connect_as(tenant.admin, "/ws/trackers/doesnotexist/")

    assert await receive_close_code(comm) == CLOSE_FORBIDDEN


async def test_an_editor_who_was_given_the_tracker_gets_its_snapshot(tenant, editor):
    comm = await connect_as(editor, path(tenant))

    frame = await receive_frame(comm)
    assert frame["type"] == "snapshot"
    assert frame["realtime"]["site"] == tenant.tracker.public_id
    await comm.disconnect()


@pytest.mark.parametrize("origin", [b"https://evil.example", None], ids=["foreign", "missing"])
async def test_the_live_socket_refuses_a_foreign_or_missing_origin_at_the_handshake(tenant, origin):
    cookie = await sync_to_async(session_cookie)(tenant.admin)
    comm = communicator(path(tenant), cookie, origin=origin)

    connected, _ = await comm.connect()

    assert not connected
