"""What a socket's access re-check costs the database: it runs once per announced change that
concerns the socket and every NOWMETRIX_ACCESS_RECHECK_SECS, so its query count is the upkeep
of every open dashboard (bench/upkeep.py multiplies it out). Transactional, as the other consumer
tests: `database_sync_to_async` closes old connections around each call."""

import pytest
from asgiref.sync import async_to_sync
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from realtime.consumers import CLOSE_FORBIDDEN, OverviewConsumer, TrackerConsumer


def consumer_of(cls, user, site: str = ""):
    client = Client()
    client.force_login(user)
    consumer = cls()
    consumer.scope = {"user": user, "session": SessionStore(session_key=client.cookies["sessionid"].value),
                      "url_route": {"kwargs": {"public_id": site}}}
    return consumer


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cls", [TrackerConsumer, OverviewConsumer], ids=["dashboard", "overview"])
def test_an_access_check_that_keeps_the_socket_costs_three_queries(tenant, editor, cls):
    for user in (tenant.admin, editor):
        consumer = consumer_of(cls, user, tenant.tracker.public_id)

        with CaptureQueriesContext(connection) as captured:
            assert async_to_sync(consumer.access_ended)() is None

        assert len(captured.captured_queries) == 3  # the session, its user, the trackers


@pytest.mark.django_db(transaction=True)
def test_an_access_check_tells_a_socket_whose_access_ended_to_close_with_4403(tenant, editor_without_access):
    consumer = consumer_of(TrackerConsumer, editor_without_access, tenant.tracker.public_id)

    assert async_to_sync(consumer.access_ended)() == CLOSE_FORBIDDEN
