"""The account-wide live overview: a summary of every tracker the user may open, pushed live."""

import pytest
from asgiref.sync import sync_to_async

from realtime.consumers import CLOSE_FORBIDDEN, LiveConsumer
from realtime.tests.ws import connect_as, receive_close_code, receive_frame, tick
from trackers import services
from trackers.models import Membership

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def second_tracker(tenant):
    return services.tracker_create(account=tenant.account, name="Planet Sport", hosts=["sport.planet.example"])


async def test_on_connect_the_overview_socket_sends_a_summary_of_every_tracker_the_user_may_open(tenant, second_tracker):
    comm = await connect_as(tenant.admin, "/ws/overview/")

    frames = [await receive_frame(comm), await receive_frame(comm)]

    assert sorted(f["summary"]["site"] for f in frames) == sorted(
        [tenant.tracker.public_id, second_tracker.public_id])
    assert {f["type"] for f in frames} == {"summary"}
    assert await comm.receive_nothing()
    await comm.disconnect()


async def test_the_overview_socket_pushes_a_trackers_summary_when_its_snapshot_is_built(tenant):
    comm = await connect_as(tenant.admin, "/ws/overview/")
    await receive_frame(comm)

    built = await tick(tenant.tracker.public_id)

    frame = await receive_frame(comm)
    assert frame["summary"]["site"] == tenant.tracker.public_id
    assert frame["summary"]["updated_at"] == built.realtime["updated_at"]
    await comm.disconnect()


async def test_an_editor_gets_only_the_trackers_they_were_given(tenant, editor, second_tracker):
    comm = await connect_as(editor, "/ws/overview/")
    assert (await receive_frame(comm))["summary"]["site"] == tenant.tracker.public_id
    assert await comm.receive_nothing()

    await tick(second_tracker.public_id)

    assert await comm.receive_nothing(timeout=0.5)
    await comm.disconnect()


async def test_the_overview_socket_never_sends_another_accounts_summaries(tenant, outsider):
    comm = await connect_as(tenant.admin, "/ws/overview/")
    await receive_frame(comm)

    await tick(outsider.tracker.public_id)

    assert await comm.receive_nothing(timeout=0.5)
    await comm.disconnect()


async def test_a_member_without_trackers_is_refused(tenant, editor_without_access):
    comm = await connect_as(editor_without_access, "/ws/overview/")

    assert await receive_close_code(comm) == CLOSE_FORBIDDEN


async def test_a_tracker_granted_later_joins_at_the_next_access_check(tenant, editor, second_tracker, monkeypatch):
    monkeypatch.setattr(LiveConsumer, "access_check_secs", 0.05)
    comm = await connect_as(editor, "/ws/overview/")
    await receive_frame(comm)

    def grant():
        membership = Membership.objects.get(user=editor, account=tenant.account)
        services.membership_update(membership=membership, role=membership.role,
                                   trackers=[tenant.tracker, second_tracker])

    await sync_to_async(grant)()
    await comm.receive_nothing(timeout=0.3)  # let an access check pass
    await tick(second_tracker.public_id)

    assert (await receive_frame(comm))["summary"]["site"] == second_tracker.public_id
    await comm.disconnect()
