"""A WebSocket handshake on a path no consumer serves is refused (403), as a bad Origin is, not
answered by a server error from the router."""

import pytest
from asgiref.sync import sync_to_async

from realtime.tests.ws import communicator, session_cookie

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/ws/nope/", "/ws/trackers/", "/ws/overview/extra/", "/", "/ws/trackers/a/b/"])
async def test_a_socket_on_an_unknown_path_is_refused(tenant, path):
    comm = communicator(path, await sync_to_async(session_cookie)(tenant.admin))
    connected, code = await comm.connect(timeout=3)
    assert connected is False
    assert code == 1000  # refused before accept: the server answers the handshake with 403
    await comm.disconnect()
